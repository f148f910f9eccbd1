# Runs in pytest (CI). Augmentation for a new camera: every geometric and photometric transform keeps the
# label on the shuttle (a dot drawn where the label says, found again in the transformed picture within
# 1 px), a label moved off the picture is not visible and has an empty target, samples are reproducible from a
# seed, and the geometry letterboxes a new frame shape as the app does.
import random

import numpy as np
import pytest
import torch

from shuttle_training.augment import AugmentConfig, make_labelled_sample, make_sample
from shuttle_training.augment_geometry import draw_view, letterbox_size
from shuttle_training.dataset import Clip
from shuttle_training.letterbox import Letterbox

H, W = 288, 512
GEOMETRY = {
    "rotate90": dict(rotate90_p=1),
    "tilt": dict(rotate_p=1),
    "aspect": dict(aspect_p=1),
    "zoom": dict(zoom_p=1),
    "barrel-and-pincushion": dict(lens_p=1),
    "every-geometry": dict(rotate90_p=0.5, rotate_p=1, aspect_p=1, zoom_p=1, lens_p=1),
}
APPEARANCE = {
    "exposure": dict(exposure_p=1),
    "contrast": dict(contrast_p=1),
    "gamma": dict(gamma_p=1),
    "tint": dict(tint_p=1),
    "blur": dict(blur_p=1),
    "noise": dict(noise_p=1),
    "jpeg": dict(jpeg_p=1),
}
CROPS = {  # the older transforms: a shuttle-centred crop, scale jitter, flips, colour jitter
    "crop-scale-flip-colour": dict(
        crop_h=128, crop_w=256, shuttle_crop_p=1.0, scale_jitter=0.25, flip_p=0.5, colour_jitter=0.3
    ),
}
EVERYTHING = {**GEOMETRY["every-geometry"], **{k: 1 for d in APPEARANCE.values() for k in d}}


def dot_clip(positions, size=(W, H), letterboxed=None):
    """A clip of dim texture with one bright Gaussian dot (sigma 1.2 px) per frame at the given model-pixel
    positions, labelled there; `letterboxed` (w, h) draws only that top-left part, black elsewhere, as the
    app's letterbox leaves a video of another shape."""
    w, h = size
    rs = np.random.RandomState(1)
    t = len(positions)
    frames = (rs.rand(t, h, w, 3) * 50 + 10).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w]
    for i, (x, y) in enumerate(positions):
        g = np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.2**2))
        frames[i] = np.maximum(frames[i], 250 * g[..., None])
    cw, ch = letterboxed or (w, h)
    frames[:, ch:], frames[:, :, cw:] = 0, 0
    mxy = np.asarray(positions, np.float32)
    bg = np.median(frames, 0).astype(np.uint8)
    lb = Letterbox(cw, ch, w, h)
    return Clip("m/c", "c.mp4", frames.astype(np.uint8), np.ones(t, np.int8), mxy, mxy, lb, bg, 30.0)


def cfg_with(crop=None, **probs):
    base = dict(crop_h=H, crop_w=W, shuttle_crop_p=0.0, scale_jitter=0.0, flip_p=0.0, colour_jitter=0.0)
    return AugmentConfig(**{**base, **(crop or {}), **probs})


def dot_centroid(img, cx, cy, r=4):
    """Centroid of what stands out of the local background in a (2r+1)^2 window around (cx, cy); and how far
    it stands out."""
    ix, iy = int(round(cx)), int(round(cy))
    y0, y1, x0, x1 = (
        max(0, iy - r),
        min(img.shape[0], iy + r + 1),
        max(0, ix - r),
        min(img.shape[1], ix + r + 1),
    )
    sub = img[y0:y1, x0:x1]
    lift = np.clip(sub - np.median(sub) - 0.5 * (sub.max() - np.median(sub)), 0, None)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    return (lift * xx).sum() / lift.sum(), (lift * yy).sum() / lift.sum(), sub.max() - np.median(sub)


def check_labels_on_dots(clip, cfg, seeds, focus=None):
    seen = 0
    for seed in seeds:
        x, y, c, vis = make_labelled_sample(clip, 0, 3, 3, cfg, random.Random(seed), True, focus=focus)
        pics = x.reshape(4, 3, cfg.crop_h, cfg.crop_w).mean(1).numpy()
        for j in range(3):
            if not vis[j]:
                assert y[j].sum() == 0, (seed, j)
                continue
            cx, cy = c[j]
            if min(cx, cy, cfg.crop_w - 1 - cx, cfg.crop_h - 1 - cy) < 3:
                continue  # a dot cut by the picture's edge has its centroid pulled inwards
            mx, my, contrast = dot_centroid(pics[j], cx, cy)
            assert contrast > 0.03, (seed, j, contrast)  # a dim hall's dot still stands out
            assert np.hypot(mx - cx, my - cy) <= 1.0, (seed, j, (mx, my), (cx, cy))
            ty, tx = np.nonzero(y[j].numpy())
            assert np.hypot(tx.mean() - cx, ty.mean() - cy) <= 1.0  # the target disk is on the dot too
            seen += 1
    return seen


POSITIONS = [(200.3, 120.7), (236.6, 131.2), (272.1, 142.9)]


@pytest.mark.parametrize("name", [*GEOMETRY, *APPEARANCE, *CROPS, "everything"])
def test_every_transform_keeps_the_label_on_the_shuttle(name):
    probs = {**GEOMETRY, **APPEARANCE, "everything": EVERYTHING}.get(name, {})
    cfg = cfg_with(CROPS.get(name), **probs)
    assert check_labels_on_dots(dot_clip(POSITIONS), cfg, range(12)) >= 18


def test_a_letterboxed_source_is_transformed_as_its_own_picture():
    # A 4:3 source lies in the left 384 columns of its model frame (the app's letterbox): a quarter turn
    # turns that picture, not the black padding beside it.
    clip = dot_clip([(150.2, 100.4), (170.8, 110.1), (190.5, 120.6)], letterboxed=(384, 288))
    assert check_labels_on_dots(clip, cfg_with(rotate90_p=1, lens_p=0.5, rotate_p=0.5), range(8)) >= 18


def test_a_label_moved_off_the_picture_is_not_visible():
    # Dots near the corners: a quarter turn to portrait then a landscape window, or a strong zoom, leaves some
    # of them out. Those are not visible, have an empty target, and are not in the picture.
    corner = [(6.2, 5.9), (505.3, 7.4), (8.1, 280.6)]
    clip = dot_clip(corner)
    cfg = cfg_with(rotate90_p=1, aspect_p=1, zoom_p=1, zoom_max=1.8)
    hidden = shown = 0
    for seed in range(20):
        x, y, c, vis = make_labelled_sample(clip, 0, 3, 3, cfg, random.Random(seed), True)
        pics = x.reshape(4, 3, H, W).mean(1).numpy()
        for j in range(3):
            cx, cy = c[j]
            off = cx < -0.5 or cy < -0.5 or cx > W - 0.5 or cy > H - 0.5
            assert not (off and vis[j]), (seed, j)
            if vis[j]:
                shown += 1
                continue
            hidden += 1
            assert y[j].sum() == 0
            # what remains of the dot, if anything, is its tail at the picture's edge or padding's edge
            for by, bx in np.argwhere(pics[j] > 0.6):
                if np.hypot(bx - cx, by - cy) < 3:
                    edge = min(bx, by, W - 1 - bx, H - 1 - by, abs(bx - (clip_view_w(cfg, seed) - 1)))
                    assert edge <= 1, (seed, j, bx, by)
    assert hidden >= 5 and shown >= 5, (hidden, shown)


def clip_view_w(cfg, seed):
    """Width of the picture in the model frame for this seed's view (the padding starts right of it)."""
    return draw_view(cfg, random.Random(seed), W, H, W, H).sw


def test_samples_are_reproducible_from_a_seed():
    clip = dot_clip(POSITIONS)
    cfg = cfg_with(**EVERYTHING)
    a = make_labelled_sample(clip, 0, 3, 3, cfg, random.Random(7), True)
    b = make_labelled_sample(clip, 0, 3, 3, cfg, random.Random(7), True)
    other = make_labelled_sample(clip, 0, 3, 3, cfg, random.Random(8), True)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert np.array_equal(a[2], b[2]) and np.array_equal(a[3], b[3])
    assert not torch.equal(a[0], other[0])


def test_without_the_new_augmentations_samples_are_what_they_were():
    # The random stream is only drawn from for an augmentation that is switched on, so older runs (and a
    # resumed one) get the very same samples: the old path, the old draws.
    clip = dot_clip(POSITIONS)
    cfg = AugmentConfig(crop_h=128, crop_w=256)
    rng_a, rng_b = random.Random(3), random.Random(3)
    x, y = make_sample(clip, 0, 3, 3, cfg, rng_a, True)
    assert draw_view(cfg, rng_b, W, H, W, H) is None
    assert rng_b.random() == random.Random(3).random()
    assert x.shape == (12, 128, 256) and y.shape == (3, 128, 256)


def test_another_frame_shape_is_letterboxed_as_the_app_does():
    # The same rule as letterbox.Letterbox (scale to fit, each side rounded): a 4:3 window of a 16:9 clip
    # fills 384x288 of the model frame, and the rest is black padding right of it.
    assert letterbox_size(384, 288, W, H) == (Letterbox(2048, 1536).scaled_w, Letterbox(2048, 1536).scaled_h)
    assert letterbox_size(288, 512, W, H) == (Letterbox(1080, 1920).scaled_w, Letterbox(1080, 1920).scaled_h)
    clip = dot_clip(POSITIONS)
    cfg = cfg_with(aspect_p=1)
    padded = 0
    for seed in range(30):
        view = draw_view(cfg, random.Random(seed), W, H, W, H)
        x, _, _, _ = make_labelled_sample(clip, 0, 3, 3, cfg, random.Random(seed), True)
        pic = x.reshape(4, 3, H, W)[0]
        padded += view.sw < W or view.sh < H
        assert pic[:, :, view.sw + 1 :].sum() == 0 and pic[:, view.sh + 1 :, :].sum() == 0
        assert pic[:, : view.sh - 1, : view.sw - 1].mean(0).min() > 0  # the picture itself has no hole
    assert padded >= 20


def test_camera_share_mixes_augmented_and_plain_samples():
    # --camera-share S: a share S of samples may draw the camera augmentations, the rest are the footage as
    # it is. A fixed dim exposure makes each sample's kind plain to see: its mean is 0.3 of the plain one's.
    clip = dot_clip(POSITIONS)
    plain = make_labelled_sample(clip, 0, 3, 3, cfg_with(), random.Random(0), False)[0].mean().item()

    def dimmed(share, seeds=range(200)):
        cfg = cfg_with(exposure_p=1, exposure_range=(0.3, 0.3), camera_share=share)
        means = [
            make_labelled_sample(clip, 0, 3, 3, cfg, random.Random(s), False)[0].mean().item() for s in seeds
        ]
        assert all(abs(m - plain) < 1e-6 or abs(m - 0.3 * plain) < 1e-6 for m in means)
        return sum(abs(m - 0.3 * plain) < 1e-6 for m in means)

    assert dimmed(1.0) == 200 and dimmed(0.0) == 0
    assert 70 <= dimmed(0.5) <= 130  # seeded, so the count is fixed; binomial(200, 0.5) lies here 99.6%
