# Runs in Python (training). Builds one augmented training sample from a clip window: a virtual camera
# (rotation, aspect ratio through the app's letterbox, zoom, lens: augment_geometry), scale jitter, crops
# (centred near the shuttle, near a mined hard negative, or uniformly random), horizontal flip, colour jitter
# and another camera's look (augment_appearance). The same geometric and photometric transform is applied to
# every frame of the window and to the background frame, and the labels move with the picture.
import random
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .augment_appearance import appearance
from .augment_geometry import draw_view, render
from .targets import disk_targets


@dataclass
class AugmentConfig:
    crop_h: int = 192
    crop_w: int = 320
    shuttle_crop_p: float = 0.5  # probability of a crop that contains the shuttle (when one is visible)
    scale_jitter: float = 0.25  # crop box side scaled by a factor in [1/(1+j), 1+j] before resizing
    flip_p: float = 0.5
    colour_jitter: float = 0.3  # brightness / contrast / saturation factors in [1-c, 1+c]
    decoy_p: float = 0.0  # probability of pasting static shuttle-like decoys (see _paste_decoys)
    decoys_max: int = 3
    # Share of samples that may draw the new camera's geometry and look below at all; the rest keep the plain
    # crop, flip and colour jitter, so one run can mix camera-augmented samples with the footage as it is.
    camera_share: float = 1.0
    # A new camera's geometry (augment_geometry.draw_view); each part drawn with its own probability.
    rotate90_p: float = 0.0  # a quarter, half or three-quarter turn
    rotate_p: float = 0.0  # a small tilt in [-rotate_deg, rotate_deg]
    rotate_deg: float = 12.0
    aspect_p: float = 0.0  # another frame shape (4:3, 1:1, 9:16...), letterboxed as the app does
    zoom_p: float = 0.0  # the virtual camera zooms by a factor in [1/zoom_max, zoom_max]
    zoom_max: float = 1.6
    lens_p: float = 0.0  # radial distortion k in [lens_min, lens_max]: > 0 barrel (fisheye), < 0 pincushion
    lens_min: float = -0.1
    lens_max: float = 0.5
    # A new camera's look (augment_appearance.appearance).
    exposure_p: float = 0.0
    exposure_range: tuple = (0.3, 1.4)  # gain; below 1 is a dim hall
    contrast_p: float = 0.0
    contrast: float = 0.4
    gamma_p: float = 0.0
    gamma_max: float = 1.8
    tint_p: float = 0.0  # white balance gains in [1-tint, 1+tint] and a saturation change
    tint: float = 0.15
    blur_p: float = 0.0
    blur_sigma: tuple = (0.3, 1.3)
    noise_p: float = 0.0
    noise_sigma: tuple = (0.005, 0.04)
    jpeg_p: float = 0.0
    jpeg_step: tuple = (0.01, 0.06)


DECOY_CLEARANCE = 12.0  # model pixels a decoy keeps from every labelled shuttle of the window


def _decoy_patch(clip, rng: random.Random):
    """-> (rgb float [3, 9, 9], alpha float [9, 9]): a shuttle cut from another frame of the clip (a soft disk
    around its label) or, half the time or when the clip has no visible shuttle, a synthetic pale blob or ring
    like a logo letter."""
    yy, xx = torch.meshgrid(torch.arange(9.0) - 4, torch.arange(9.0) - 4, indexing="ij")
    H, W = clip.frames.shape[1:3]
    seen = np.flatnonzero(clip.vis > 0)
    if len(seen) and rng.random() < 0.5:
        i = int(seen[rng.randrange(len(seen))])
        cx, cy = (int(round(float(v))) for v in clip.mxy[i])
        if 4 <= cx < W - 4 and 4 <= cy < H - 4:
            rgb = torch.from_numpy(np.array(clip.frames[i, cy - 4 : cy + 5, cx - 4 : cx + 5])).permute(
                2, 0, 1
            )
            sigma = rng.uniform(1.2, 2.2)
            return rgb.float() / 255, torch.exp(-(xx**2 + yy**2) / (2 * sigma**2))
    rx, ry = rng.uniform(0.8, 3.0), rng.uniform(0.8, 3.0)
    r = torch.sqrt((xx / rx) ** 2 + (yy / ry) ** 2)
    alpha = (1.5 - r).clamp(0, 1) * rng.uniform(0.6, 1.0)
    if rng.random() < 0.3:  # a ring: the letter "O" of a logo
        alpha = alpha * (r > 0.5).float()
    grey = rng.uniform(0.7, 1.0)
    rgb = (
        torch.tensor([grey * rng.uniform(0.9, 1.1) for _ in range(3)])
        .clamp(0, 1)[:, None, None]
        .expand(3, 9, 9)
    )
    return rgb, alpha


def _paste_decoys(x, clip, labels, rng: random.Random, n):
    """Paste n static decoys into every frame of the window AND the background frame, in place (x float
    [K, 3, H, W], model pixels). Targets stay unchanged, so the network learns that something shaped like a
    shuttle which is also in the background (a logo letter, a shuttle lying by the court) is not the ball in
    play: the broadcast false positives it made on val were of this kind."""
    H, W = x.shape[2:]
    for _ in range(n):
        for _try in range(10):
            px, py = rng.randint(4, W - 5), rng.randint(4, H - 5)
            if len(labels) == 0 or np.min(np.hypot(labels[:, 0] - px, labels[:, 1] - py)) > DECOY_CLEARANCE:
                break
        else:
            continue
        rgb, a = _decoy_patch(clip, rng)
        region = x[:, :, py - 4 : py + 5, px - 4 : px + 5]
        region.mul_(1 - a).add_(rgb * a)


def _colour(x, c, rng):
    """x float [K, 3, h, w] in 0..1; one random brightness/contrast/saturation for the whole window."""
    if c <= 0:
        return x
    b, k, s = (rng.uniform(1 - c, 1 + c) for _ in range(3))
    x = x * b
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - mean) * k + mean
    grey = 0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]
    x = (x - grey) * s + grey
    return x.clamp_(0, 1)


def window_frames(start, window, spacing=1):
    """Frame indices of a window: start, start + spacing, ... (`window` of them)."""
    return list(range(start, start + (window - 1) * spacing + 1, spacing))


def make_sample(
    clip, start, window, frames_out, cfg: AugmentConfig, rng: random.Random, background, spacing=1, focus=None
):
    """-> (input float [C, crop_h, crop_w], target float [frames_out, crop_h, crop_w]). With spacing k the
    window is frames start, start + k, ...: the clip as if it were recorded at 1/k of its rate. `focus` (x, y
    in model pixels of the clip) puts the crop around that point: a hard negative (hard_negatives.py)."""
    x, y, _, _ = make_labelled_sample(clip, start, window, frames_out, cfg, rng, background, spacing, focus)
    return x, y


def _crop_box(cfg, rng, W, H, mxy, vis, focus):
    j = cfg.scale_jitter
    f = rng.uniform(1 / (1 + j), 1 + j) if j > 0 else 1.0
    bw, bh = min(W, round(cfg.crop_w * f)), min(H, round(cfg.crop_h * f))
    centre = focus
    if centre is None and vis.any() and rng.random() < cfg.shuttle_crop_p:
        centre = mxy[vis][rng.randrange(int(vis.sum()))]
    if centre is not None:
        cx, cy = centre
        x0 = int(np.clip(cx - rng.uniform(0.15, 0.85) * bw, 0, W - bw))
        y0 = int(np.clip(cy - rng.uniform(0.15, 0.85) * bh, 0, H - bh))
    else:
        x0, y0 = rng.randint(0, W - bw), rng.randint(0, H - bh)
    return x0, y0, bw, bh


def make_labelled_sample(
    clip, start, window, frames_out, cfg: AugmentConfig, rng: random.Random, background, spacing=1, focus=None
):
    """make_sample, plus where the labels went: -> (input, target, centres float [frames_out, 2] in crop
    pixels, visible bool [frames_out]). A label the transform moves off the picture is not visible."""
    H, W = clip.frames.shape[1:3]
    idx = window_frames(start, window, spacing)
    imgs = np.asarray(clip.frames[start : idx[-1] + 1 : spacing])
    if background:
        imgs = np.concatenate([imgs, clip.background[None]], 0)
    x = torch.from_numpy(imgs).permute(0, 3, 1, 2).float().div_(255)  # [K, 3, H, W]
    out_idx = idx[(window - frames_out) // 2 :][:frames_out]
    vis = clip.vis[out_idx].astype(bool)
    mxy = clip.mxy[out_idx].astype(np.float64)
    if background and cfg.decoy_p > 0 and rng.random() < cfg.decoy_p:
        _paste_decoys(x, clip, mxy[vis], rng, rng.randint(1, cfg.decoys_max))

    # No draw at share 1, so seeded runs without a share stay sample for sample what they were.
    camera = cfg.camera_share >= 1 or rng.random() < cfg.camera_share
    view = draw_view(cfg, rng, clip.lb.scaled_w, clip.lb.scaled_h, W, H) if camera else None
    if view is not None:  # labels and focus into the virtual camera's model frame
        mxy, inside = view.to_model(mxy)
        vis &= inside
        if focus is not None:
            focus = tuple(view.to_model([focus])[0][0])
    x0, y0, bw, bh = _crop_box(cfg, rng, W, H, mxy, vis, focus)
    if view is not None:
        x = render(x, view, (x0, y0, bw, bh), cfg.crop_h, cfg.crop_w)
    else:
        x = x[:, :, y0 : y0 + bh, x0 : x0 + bw]
        if (bw, bh) != (cfg.crop_w, cfg.crop_h):
            x = F.interpolate(x, size=(cfg.crop_h, cfg.crop_w), mode="bilinear", align_corners=False)
    rx, ry = cfg.crop_w / bw, cfg.crop_h / bh
    # label in crop pixels, same pixel-centre convention as the letterbox
    c = np.stack([(mxy[:, 0] + 0.5 - x0) * rx - 0.5, (mxy[:, 1] + 0.5 - y0) * ry - 0.5], 1)
    vis &= (
        (c[:, 0] >= -0.5) & (c[:, 0] <= cfg.crop_w - 0.5) & (c[:, 1] >= -0.5) & (c[:, 1] <= cfg.crop_h - 0.5)
    )
    if rng.random() < cfg.flip_p:
        x = x.flip(3)
        c[:, 0] = cfg.crop_w - 1 - c[:, 0]
    x = _colour(x, cfg.colour_jitter, rng)
    if camera:
        x = appearance(x, cfg, rng)
    y = disk_targets(c, vis, cfg.crop_h, cfg.crop_w)
    return x.reshape(-1, cfg.crop_h, cfg.crop_w), y, c, vis


def full_frame_input(clip, start, window, spacing=1):
    """Un-augmented network input for evaluation/inference: float [C, H, W], frames oldest first (start,
    start + spacing, ...), then the background frame if the clip has one; RGB order, values / 255."""
    imgs = np.asarray(clip.frames[start : start + (window - 1) * spacing + 1 : spacing])
    if clip.background is not None:
        imgs = np.concatenate([imgs, clip.background[None]], 0)
    x = torch.from_numpy(imgs).permute(0, 3, 1, 2).float().div_(255)
    return x.reshape(-1, x.shape[2], x.shape[3])
