# Runs in pytest (CI). The adaptation command on generated clips with the tiny architecture: sparse labels
# never become targets, windows follow the frame spacing, held-back F1 is evaluate.py's figure, the refusals
# (exit code + error event), SIGTERM exports the best model so far, --resume continues, the ONNX metadata.
import csv
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch

from shuttle_training import adapt, checkpoint
from shuttle_training.adapt_data import AdaptClip, load_base, load_clip, read_manifest
from shuttle_training.adapt import THRESHOLDS
from shuttle_training.adapt_eval import best_threshold, score, score_at
from shuttle_training.adapt_samples import Recipe, Sampler, make_sample, masked_loss
from shuttle_training.dataset import load_root
from shuttle_training.evaluate import evaluate_clips
from shuttle_training.letterbox import Letterbox
from shuttle_training.models import build_model
from synth import make_clip

TRAINING = Path(__file__).resolve().parents[1]
FAST = ["--crop", "64x128", "--batch", "2", "--threads", "2", "--confuser-p", "0"]


def tiny_base(path, train_fps=30.0):
    torch.manual_seed(0)
    m = build_model("mmfnet-tiny", frames_in=3, frames_out=3, background=True)
    m.arch_name = "mmfnet-tiny"
    checkpoint.save(str(path), m, train_fps=train_fps, val={"threshold": 0.5, "stride": 1, "f1": None})
    return path


def rows_of(csv_path):
    with open(csv_path) as f:
        return [
            [int(r["Frame"]), int(r["Visibility"]), float(r["X"]), float(r["Y"])] for r in csv.DictReader(f)
        ]


@pytest.fixture(scope="module")
def env(tmp_path_factory, ffmpeg):
    """A 40-frame clip; 21 sparse training rows among frames 0..27, frames 32..39 held back, the rest
    unknown; an untrained tiny base model."""
    d = tmp_path_factory.mktemp("adapt")
    video, labels = make_clip(d / "root", "m", "c1", frames=40, hidden=range(14, 17))
    rows = rows_of(labels)
    train = [r for r in rows if r[0] < 28 and r[0] % 4 != 3]
    manifest = {
        "version": 1,
        "root": str(d / "root"),
        "clips": [
            dict(
                match="m", clip="c1", video=str(video), fps=30, width=320, height=180, frames=40, train=train
            )
        ],
    }
    manifest["clips"][0]["held"] = [r for r in rows if r[0] >= 32]
    (d / "manifest.json").write_text(json.dumps(manifest))
    return dict(
        dir=d, video=video, manifest=manifest, path=d / "manifest.json", base=tiny_base(d / "base.pt")
    )


def write_manifest(path, manifest):
    path.write_text(json.dumps(manifest))
    return path


def run_adapt(capsys, *argv):
    """adapt.main in this process -> (exit code, events)."""
    capsys.readouterr()
    code = 0
    try:
        adapt.main([str(a) for a in argv])
    except SystemExit as e:
        code = e.code
    lines = capsys.readouterr().out.splitlines()
    return code, [json.loads(line) for line in lines if line.startswith("{")]


def memory_clip(t=24, spacing=1):
    """An AdaptClip in memory: frame i is filled with the value i (so a window's frames can be told apart);
    every frame shows the shuttle at (100, 100), but only some have a ground-truth row."""
    frames = np.stack([np.full((288, 512, 3), i, np.uint8) for i in range(t)])
    tvis = np.full(t, -1, np.int8)
    tvis[[0, 1, 2, 4, 6, 9, 12, 13]] = [1, 1, 0, 1, 1, 0, 1, 1]
    tmxy = np.where(tvis[:, None] == 1, np.float32(100.0), np.float32(0.0)).repeat(2, 1)
    return AdaptClip("m/c", "c.mp4", frames, frames[0], Letterbox(512, 288), 30.0, spacing, tvis, tmxy, {})


def test_unknown_frames_are_never_targets():
    clip, cfg = memory_clip(), build_model("mmfnet-tiny", background=True).cfg
    recipe = Recipe(crop_h=64, crop_w=128)
    rng = random.Random(0)
    for start in range(len(clip) - 2):
        _, y, mask = make_sample(clip, start, cfg, recipe, rng, centre=(100.0, 100.0))
        expected = [float(clip.tvis[start + j] >= 0) for j in range(3)]
        assert mask.tolist() == expected, start
    # Window 4, 5, 6: frame 5 has no row. Whatever the network says there, the loss and its gradient are the
    # same; had the unknown frame been taken as "not visible", predicting the shuttle there would cost more.
    _, y, mask = make_sample(clip, 4, cfg, recipe, rng, centre=(100.0, 100.0))
    assert mask.tolist() == [1.0, 0.0, 1.0] and y[0].sum() > 0 and y[2].sum() > 0
    losses, as_negative = [], []
    for there in (-20.0, 20.0):
        z = torch.zeros(1, 3, 64, 128)
        z[0, 1] = there
        z.requires_grad_(True)
        loss = masked_loss(z, y[None], mask[None], 30.0, 0.5)
        loss.backward()
        assert z.grad[0, 1].abs().max() == 0
        losses.append(loss.item())
        # The same check can fail: with frame 5 taken as "not visible" (mask 1, target 0) the two differ.
        as_negative.append(masked_loss(z, y[None], torch.ones(1, 3), 30.0, 0.5).item())
    assert losses[0] == losses[1] and as_negative[0] != as_negative[1]


def test_sampler_draws_only_windows_with_a_labelled_target():
    clip, cfg = memory_clip(), build_model("mmfnet-tiny", background=True).cfg
    s = Sampler([clip], cfg, Recipe(crop_h=64, crop_w=128, batch=4), random.Random(1))
    for _ in range(10):
        _, _, m = s.batch()
        assert (m.sum(1) >= 1).all()


def test_windows_follow_the_frame_spacing():
    clip, cfg = memory_clip(spacing=4), build_model("mmfnet-tiny", background=True).cfg
    recipe = Recipe(crop_h=64, crop_w=128, scale_jitter=0, colour_jitter=0)
    x, _, mask = make_sample(clip, 1, cfg, recipe, random.Random(0))
    firsts = [round(float(x[3 * k, 0, 0]) * 255) for k in range(3)]
    assert firsts == [1, 5, 9] and mask.tolist() == [1.0, 0.0, 1.0]


def test_clip_spacing_comes_from_the_base_models_rate(env, tmp_path):
    m = json.loads(json.dumps(env["manifest"]))
    m["clips"][0]["fps"] = 120
    man = read_manifest(write_manifest(tmp_path / "m.json", m))
    base = load_base(str(env["base"]))
    assert load_clip(man["clips"][0], base, str(tmp_path / "cache"), 3).spacing == 4


def test_bundled_base_reads_its_operating_point_from_the_onnx_sibling():
    models = TRAINING.parent / "resources" / "models"
    base = load_base(str(models / "mmfnet-small.pt"))
    # The expected values come from the ONNX file itself, so a retrained bundled model keeps this test honest.
    meta = {p.key: p.value for p in onnx.load(str(models / "mmfnet-small.onnx")).metadata_props}
    expected = (
        float(meta["shuttle.train_fps"]),
        float(meta["shuttle.threshold"]),
        int(meta["shuttle.window_stride"]),
    )
    assert (base.train_fps, base.threshold, base.stride) == expected
    # And not load_base's fallback: the bundled model ships a threshold of its own, not the generic 0.5.
    assert expected[1] != 0.5


def test_heldback_f1_is_evaluate_py_figure(env, tmp_path, cache_dir):
    """Every frame held back, at a frame spacing of 2: the same counts as evaluate.py on the labels file."""
    base = load_base(str(tiny_base(tmp_path / "b15.pt", train_fps=15.0)))
    m = json.loads(json.dumps(env["manifest"]))
    rows = rows_of(Path(env["manifest"]["root"], "m", "csv", "c1_ball.csv"))
    m["clips"][0].update(train=rows[:20], held=rows[20:])
    clip = load_clip(
        read_manifest(write_manifest(tmp_path / "m.json", m))["clips"][0], base, str(cache_dir), 3
    )
    clip.held = {r[0]: tuple(r[1:]) for r in rows}
    mine = score(base.model, [clip], lambda c: set(c.held), 0.5, 1).summary()
    ref = evaluate_clips(
        base.model, load_root(env["manifest"]["root"], str(cache_dir), 3, True), "cpu", [0.5], 1, 15.0
    )
    assert clip.spacing == 2 and mine == ref[0.5]["tracknet"]
    # Several thresholds from the same forward passes: each the figure evaluate.py gives at it.
    ref = evaluate_clips(
        base.model, load_root(env["manifest"]["root"], str(cache_dir), 3, True), "cpu", [0.3, 0.9], 1, 15.0
    )
    by = score_at(base.model, [clip], lambda c: set(c.held), [0.3, 0.5, 0.9], 1)[0]
    assert {t: c.summary() for t, c in by.items()} == {t: ref[t]["tracknet"] for t in (0.3, 0.9)} | {
        0.5: mine
    }
    f1, t = best_threshold(by, 0.5)
    assert f1 == max(float(c.summary()["f1"]) for c in by.values()) and f1 == float(by[t].summary()["f1"])


def test_refusals_exit_with_the_documented_code(env, tmp_path, capsys):
    args = {"--base": env["base"], "--minutes": 1, "--out": tmp_path / "o.onnx", "--run-dir": tmp_path / "r"}
    few = json.loads(json.dumps(env["manifest"]))
    few["clips"][0]["train"] = few["clips"][0]["train"][:5]
    gone = json.loads(json.dumps(env["manifest"]))
    gone["clips"][0]["video"] = str(tmp_path / "missing.mp4")
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    (tmp_path / "a-file").write_text("")
    cases = [
        (write_manifest(tmp_path / "few.json", few), {}, 2, "too few labelled frames"),
        (tmp_path / "nothing.json", {}, 2, "cannot be read"),
        (write_manifest(tmp_path / "gone.json", gone), {}, 4, "does not exist"),
        (env["path"], {"--base": tmp_path / "junk.pt"}, 3, "not a readable PyTorch checkpoint"),
        (env["path"], {"--out": tmp_path / "a-file" / "o.onnx"}, 5, "cannot write"),
        (env["path"], {"--minutes": 0}, 2, "--minutes must be above 0"),
    ]
    for manifest, override, code, words in cases:
        argv = ["--manifest", manifest] + [str(v) for k, v in {**args, **override}.items() for v in (k, v)]
        got, events = run_adapt(capsys, *argv)
        assert got == code and events[-1]["event"] == "error" and events[-1]["code"] == code, events
        assert words in events[-1]["message"]
    assert not (tmp_path / "o.onnx").exists()


def test_resume_continues_and_the_onnx_carries_the_metadata(env, tmp_path, capsys):
    out, run = tmp_path / "adapted.onnx", tmp_path / "run"
    argv = ["--manifest", env["path"], "--base", env["base"], "--minutes", 5, "--out", out, "--run-dir", run]
    run.mkdir()
    (run / "last.pt").write_bytes(b"half a checkpoint")  # a damaged leftover: warned about, then a fresh run
    code, ev = run_adapt(capsys, *argv, *FAST, "--eval-steps", 2, "--max-steps", 4, "--resume")
    assert code == 0 and [e["step"] for e in ev if e["event"] == "eval"] == [2, 4]
    assert ev[0]["event"] == "warning" and "starting over" in ev[0]["message"]
    ev = ev[1:]
    assert ev[0]["event"] == "start" and ev[0]["train_frames"] == 21 and ev[0]["held_frames"] == 8
    code, ev = run_adapt(capsys, *argv, *FAST, "--eval-steps", 2, "--max-steps", 6, "--resume")
    assert code == 0 and ev[0]["resumed_at_step"] == 4
    assert [e["step"] for e in ev if e["event"] == "eval"] == [6]
    done = ev[-1]
    assert done["event"] == "exported" and done["stopped"] is False and done["file"] == str(out)
    meta = {p.key: p.value for p in onnx.load(str(out)).metadata_props}
    assert meta["shuttle.adapted_from"] == "base.pt" and meta["shuttle.adapt_frames"] == "21"
    assert meta["shuttle.adapted_on"] == "root: m/c1" and meta["shuttle.train_fps"] == "30"
    assert float(meta["shuttle.heldback_f1"]) == pytest.approx(done["f1"], abs=1e-4)
    assert float(meta["shuttle.heldback_f1_before"]) == pytest.approx(done["f1_before"], abs=1e-4)
    # The detection threshold is the one the held-back rows chose; the base model's is kept beside it.
    assert meta["shuttle.arch"] == "mmfnet-tiny" and meta["shuttle.base_threshold"] == "0.5"
    assert float(meta["shuttle.threshold"]) == done["threshold"] and done["threshold"] in THRESHOLDS + (0.5,)
    again = load_base(str(out))  # an adapted model can be adapted again: OUT.pt beside OUT.onnx
    assert again.train_fps == 30.0 and again.arch == "mmfnet-tiny"


def test_sigterm_exports_the_best_model_so_far(env, tmp_path):
    out, run = tmp_path / "stopped.onnx", tmp_path / "run"
    cmd = [sys.executable, "-m", "shuttle_training.adapt", "--manifest", str(env["path"]), "--base"]
    cmd += [str(env["base"]), "--minutes", "5", "--out", str(out), "--run-dir", str(run), *FAST]
    p = subprocess.Popen(cmd + ["--eval-steps", "3"], cwd=TRAINING, stdout=subprocess.PIPE, text=True)
    events = []
    for line in p.stdout:
        events.append(json.loads(line))
        if events[-1]["event"] == "eval":
            p.send_signal(signal.SIGTERM)
            break
    rest, _ = p.communicate(timeout=120)
    events += [json.loads(line) for line in rest.splitlines() if line.startswith("{")]
    assert p.returncode == 0, events
    done = events[-1]
    assert done["event"] == "exported" and done["stopped"] is True
    assert "step" in [e["event"] for e in events]
    best = torch.load(run / "best.pt", map_location="cpu")["model"]
    written = torch.load(str(out.with_suffix(".pt")), map_location="cpu")["model"]
    assert all(torch.equal(best[k], written[k]) for k in best)
    assert os.path.getsize(out) > 0 and not list(tmp_path.glob("*.tmp"))
