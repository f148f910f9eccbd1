# Runs in pytest (CI). Frame spacing on the training side, mirroring the app
# (src/backend/tracking/windows.ts): the interleaved window layout, the spacing rule, spaced training samples,
# spaced prediction giving every frame its own answer, the sampler's spacings, and shuttle.train_fps in the
# exported metadata.
import random

import numpy as np
import pytest
import torch

from shuttle_training import train
from shuttle_training.augment import AugmentConfig, make_sample, window_frames
from shuttle_training.dataset import frame_spacing, load_root, windows_for_eval
from shuttle_training.export import contract_metadata
from shuttle_training.predict import predict_clip
from shuttle_training.video import probe_fps
from synth import SQUARE, dot_position


def coverage(t, window, stride, spacing):
    c = np.zeros(t, int)
    for s in windows_for_eval(t, window, stride, spacing):
        c[window_frames(s, window, spacing)] += 1
    return c


def test_interleaved_layout_is_the_apps():
    # The same cases as tests/unit/tracking/frame-spacing.test.ts.
    assert windows_for_eval(10, 3, 1, 2) == [0, 1, 2, 3, 4, 5]
    assert list(coverage(10, 3, 1, 2)) == [1, 1, 2, 2, 3, 3, 2, 2, 1, 1]
    assert windows_for_eval(7, 3, 3, 2) == [0, 1, 2]
    assert windows_for_eval(10, 3, 3) == [0, 3, 6, 7]
    for t in range(12, 40):
        for spacing in (1, 2, 3, 4):
            for stride in (1, 2, 3):
                c = coverage(t, 3, stride, spacing)
                assert (c > 0).all()
                for p in range(spacing):  # each phase laid out as a clip of its own
                    n = len(range(p, t, spacing))
                    assert list(c[p::spacing]) == list(coverage(n, 3, stride, 1))


def test_layout_refuses_a_clip_too_short_for_the_spacing():
    with pytest.raises(ValueError, match="11 frames are fewer than a window of 3 frames taken 4 apart"):
        windows_for_eval(11, 3, 1, 4)
    with pytest.raises(ValueError, match="spacing"):
        windows_for_eval(11, 3, 1, 0)


def test_spacing_rule_matches_the_app():
    assert frame_spacing(119.88, 30) == 4
    assert frame_spacing(60, 30) == 2
    assert frame_spacing(45, 30) == 2  # half up, as Math.round
    assert frame_spacing(25, 30) == 1
    assert frame_spacing(None, None) == 1
    for bad in (None, 0.0, 5000.0):
        with pytest.raises(ValueError, match="unknown or implausible"):
            frame_spacing(bad, 30)


def test_clips_know_their_rate(synth_root, cache_dir):
    clip = load_root(str(synth_root), str(cache_dir), 3)[0]
    assert clip.fps == pytest.approx(30.0)
    assert probe_fps(clip.video) == pytest.approx(30.0)


def test_a_spaced_sample_reads_every_kth_frame_and_labels_those(synth_root, cache_dir):
    clip = load_root(str(synth_root), str(cache_dir), 3)[0]
    h, w = clip.frames.shape[1:3]
    cfg = AugmentConfig(
        crop_h=h, crop_w=w, shuttle_crop_p=0.0, scale_jitter=0.0, flip_p=0.0, colour_jitter=0.0
    )
    x, y = make_sample(clip, 4, 3, 3, cfg, random.Random(0), background=False, spacing=3)
    for j, f in enumerate((4, 7, 10)):
        ys, xs = np.nonzero(x[3 * j : 3 * j + 3].mean(0).numpy() > 0.5)
        assert abs(xs.mean() - clip.mxy[f, 0]) < 0.6 and abs(ys.mean() - clip.mxy[f, 1]) < 0.6, f
        ty, tx = np.nonzero(y[j].numpy() > 0)
        assert abs(tx.mean() - clip.mxy[f, 0]) < 0.6 and abs(ty.mean() - clip.mxy[f, 1]) < 0.6, f
    x0, _ = make_sample(clip, 4, 3, 3, cfg, random.Random(0), background=False)
    assert not torch.equal(x, x0)
    assert dot_position(7)[0] - dot_position(4)[0] == 12 and SQUARE == 4


class PerFrame(torch.nn.Module):
    """Output k = brightness of input frame k alone (a logit), so any frame put on the wrong output shows."""

    class cfg:
        frames_in = frames_out = 3

    def forward(self, x):
        b = x.reshape(x.shape[0], 3, 3, *x.shape[2:]).mean(2)
        return 20 * (b - 0.5)


def test_spaced_prediction_gives_every_frame_its_own_answer(synth_root, cache_dir):
    clip = load_root(str(synth_root), str(cache_dir), 3)[0]
    model = PerFrame()
    one = predict_clip(model, clip, "cpu", stride=1)
    for spacing in (2, 3):
        spaced = predict_clip(model, clip, "cpu", stride=1, spacing=spacing)
        assert spaced.shape == one.shape
        assert np.allclose(spaced, one, atol=1e-6), spacing


def test_sampler_draws_spacings_up_to_the_maximum_and_windows_fit(synth_root, cache_dir):
    clips = load_root(str(synth_root), str(cache_dir), 3)
    sampler = train.Sampler([(clips, 1.0)], 3, random.Random(0), max_spacing=4)
    seen = set()
    for _ in range(400):
        clip, start, spacing = sampler.draw()
        seen.add(spacing)
        assert start >= 0 and start + 2 * spacing < len(clip)
    assert seen == {1, 2, 3, 4}
    plain = train.Sampler([(clips, 1.0)], 3, random.Random(0))
    assert {plain.draw()[2] for _ in range(50)} == {1}


def test_export_writes_train_fps_only_when_known():
    model = PerFrame()
    model.cfg.background = False
    meta = contract_metadata(model, "x", "y", None, train_fps=30.0)
    assert meta["shuttle.train_fps"] == "30"
    assert "shuttle.train_fps" not in contract_metadata(model, "x", "y", None)
