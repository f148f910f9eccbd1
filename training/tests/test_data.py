# Runs in pytest (CI). Data loading: decoding + cache, both label formats, augmentation geometry, and every
# kind of bad input being skipped or refused with a message that names the file.
import random
import shutil

import numpy as np
import pytest

from shuttle_training.augment import AugmentConfig, make_sample
from shuttle_training.dataset import load_root, windows_for_eval
from shuttle_training.labels import LabelError, read_labels
from synth import SQUARE, dot_position, make_clip


def collect():
    warnings = []
    return warnings, lambda f, m: warnings.append((str(f), m))


def test_loads_both_label_formats_and_labels_match_pixels(synth_root, cache_dir):
    warnings, warn = collect()
    clips = load_root(str(synth_root), str(cache_dir), 3, background=True, warn=warn)
    assert warnings == []
    assert [c.name for c in clips] == ["match-a/c001", "match-b/c002"]
    for c in clips:
        assert c.frames.shape[1:] == (288, 512, 3) and c.background.shape == (288, 512, 3)
        n = 10
        ys, xs = np.nonzero(c.frames[n].mean(2) > 128)
        # the bright square's centre in model pixels agrees with the label mapped through the letterbox
        assert c.vis[n] == 1
        assert abs(xs.mean() - c.mxy[n, 0]) < 0.6 and abs(ys.mean() - c.mxy[n, 1]) < 0.6
    x, y = dot_position(10)
    assert clips[1].xy[10] == pytest.approx((x + (SQUARE - 1) / 2, y + (SQUARE - 1) / 2), abs=0.01)
    assert clips[1].vis[5] == 0  # hidden frames


def test_cache_is_reused(synth_root, cache_dir):
    before = sorted(p.name for p in cache_dir.iterdir())
    load_root(str(synth_root), str(cache_dir), 3)
    assert sorted(p.name for p in cache_dir.iterdir()) == before


def test_augmented_sample_keeps_target_on_the_dot(synth_root, cache_dir):
    clip = load_root(str(synth_root), str(cache_dir), 3, background=True)[0]
    cfg = AugmentConfig(crop_h=96, crop_w=160, shuttle_crop_p=1.0, colour_jitter=0.0)
    for seed in range(6):
        x, y = make_sample(clip, 8, 3, 3, cfg, random.Random(seed), background=True)
        assert x.shape == (12, 96, 160) and y.shape == (3, 96, 160)
        for f in range(3):
            bright = x[3 * f : 3 * f + 3].mean(0) > 0.5
            assert y[f].sum() > 0 and (bright & (y[f] > 0)).any(), f"seed {seed} frame {f}"


def test_decoys_are_static_and_leave_the_target_alone(synth_root, cache_dir):
    clip = load_root(str(synth_root), str(cache_dir), 3, background=True)[0]
    plain = AugmentConfig(
        crop_h=clip.frames.shape[1],
        crop_w=clip.frames.shape[2],
        scale_jitter=0.0,
        flip_p=0.0,
        colour_jitter=0.0,
    )
    decoyed = AugmentConfig(**{**plain.__dict__, "decoy_p": 1.0, "decoys_max": 3})
    pasted = 0
    for seed in range(8):
        x0, y0 = make_sample(clip, 8, 3, 3, plain, random.Random(seed), background=True)
        x1, y1 = make_sample(clip, 8, 3, 3, decoyed, random.Random(seed), background=True)
        assert np.array_equal(y0.numpy(), y1.numpy()), "a decoy must not change the target"
        changed = (x1 - x0).abs().reshape(4, 3, *x0.shape[1:]).sum(1) > 0.02  # [3 frames + background, H, W]
        if changed.any():
            pasted += 1
            # the same pixels change in every frame and in the background: the decoy is static
            assert all(np.array_equal(changed[0].numpy(), changed[k].numpy()) for k in range(1, 4))
            # and nowhere near the labelled shuttle
            assert not (changed[0] & (y0.amax(0) > 0)).any()
    assert pasted >= 6


def test_opencv_decodes_like_ffmpeg_where_ffmpeg_is_missing(synth_root, cache_dir, tmp_path, monkeypatch):
    pytest.importorskip("cv2", reason="OpenCV (python3-opencv) is not installed")
    from shuttle_training import video

    with_ffmpeg = load_root(str(synth_root), str(cache_dir), 3)
    monkeypatch.setattr(video.shutil, "which", lambda name: None)  # a machine without the ffmpeg commands
    assert video._use_opencv()
    with_cv = load_root(str(synth_root), str(tmp_path / "cv-cache"), 3)
    assert [c.name for c in with_cv] == [c.name for c in with_ffmpeg]
    for a, b in zip(with_ffmpeg, with_cv):
        assert a.frames.shape == b.frames.shape and np.allclose(a.mxy, b.mxy)
        diff = np.abs(a.frames.astype(np.int16) - b.frames.astype(np.int16))
        assert diff.mean() < 2.0, f"{a.name}: mean difference {diff.mean():.2f} levels"
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video")
    with pytest.raises(video.VideoError, match="broken.mp4"):
        video.probe(str(broken))


def test_eval_windows_cover_every_frame():
    assert windows_for_eval(10, 3) == [0, 3, 6, 7]
    assert windows_for_eval(9, 3) == [0, 3, 6]
    assert windows_for_eval(3, 3) == [0]
    assert windows_for_eval(6, 3, 1) == [0, 1, 2, 3]  # stride 1: the temporal ensemble
    assert windows_for_eval(7, 3, 2) == [0, 2, 4]


def test_bad_inputs_are_skipped_with_the_file_named(tmp_path, cache_dir, ffmpeg):
    root = tmp_path / "bad"
    make_clip(root, "m", "good", frames=12)
    _, short_csv = make_clip(root, "m", "rows", frames=12)
    short_csv.write_text("\n".join(short_csv.read_text().splitlines()[:-2]) + "\n")  # 10 rows, 12 frames
    make_clip(root, "m", "short", frames=2)
    corrupt = root / "m" / "video" / "corrupt.mp4"
    corrupt.write_bytes(b"\x00\x00\x00\x18ftypmp42 this is not a video" * 10)
    (root / "m" / "csv" / "corrupt_ball.csv").write_text("Frame,Visibility,X,Y\n0,0,0,0\n")
    shutil.copy(root / "m" / "video" / "good.mp4", root / "m" / "video" / "nolabels.mp4")
    warnings, warn = collect()
    clips = load_root(str(root), str(cache_dir), 3, warn=warn)
    assert [c.name for c in clips] == ["m/good"]
    text = "\n".join(f"{f}: {m}" for f, m in warnings)
    assert "rows_ball.csv" in text and "10 label rows but the video has 12 frames" in text
    assert "short.mp4" in text and "shorter than the 3-frame window" in text
    assert "corrupt.mp4" in text
    assert "nolabels.mp4" in text and "no matching" in text
    assert len(warnings) == 4


def test_label_errors_name_the_file(tmp_path):
    p = tmp_path / "x_ball.csv"
    p.write_text("Frame,Visibility,X,Y\n0,1,1,1\n0,1,2,2\n")
    with pytest.raises(LabelError, match="x_ball.csv:3"):
        read_labels(p, 100, 100)
    p.write_text("a,b,c\n")
    with pytest.raises(LabelError, match="x_ball.csv"):
        read_labels(p, 100, 100)


def test_missing_root_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        load_root(str(tmp_path / "nope"), str(tmp_path), 3)
