# Runs in pytest (CI). The adaptation recipe's guards against forgetting: replay rows of a TrackNet-layout
# folder really enter the batches (in the share asked for, every row a target), the L2-SP penalty is zero at
# the base weights, grows with the distance from them and ignores frozen weights, "heads" trains only the
# heads; the weight average follows the trained weights and is what gets scored, kept and resumed; replay,
# L2-SP and the average run end to end on a generated clip with the tiny architecture.
import json
import random

import numpy as np
import pytest
import torch

from shuttle_training import checkpoint
from shuttle_training.adapt_data import AdaptClip, load_base
from shuttle_training.adapt_replay import load_replay
from shuttle_training.adapt_samples import Recipe, Sampler, freeze, l2sp_penalty
from shuttle_training.letterbox import Letterbox
from shuttle_training.models import build_model
from shuttle_training.weight_average import WeightAverage
from synth import make_clip
from test_adapt import run_adapt

FAST = ["--crop", "64x128", "--batch", "2", "--threads", "2", "--confuser-p", "0"]


def flat_clip(value, labelled):
    """A 16-frame clip in memory whose every pixel (background included) is `value`; the shuttle at
    (100, 100) in the frames of `labelled`, every other frame unknown."""
    frames = np.full((16, 288, 512, 3), value, np.uint8)
    tvis = np.full(16, -1, np.int8)
    tvis[labelled] = 1
    tmxy = np.full((16, 2), 100.0, np.float32)
    return AdaptClip("m/c", "c.mp4", frames, frames[0], Letterbox(512, 288), 30.0, 1, tvis, tmxy, {})


def replay_share(replay_p, n):
    cfg = build_model("mmfnet-tiny", background=True).cfg
    own, replay = flat_clip(10, [3, 7, 11]), flat_clip(240, [2, 5, 8, 12])
    recipe = Recipe(crop_h=64, crop_w=128, scale_jitter=0, colour_jitter=0, replay_p=replay_p)
    s = Sampler([own], cfg, recipe, random.Random(3), [replay])
    got = []
    for _ in range(n):
        x, _, mask = s.one()
        from_replay = bool(x.min() > 0.5)  # the replay clip's pixels are 240/255, the user's 10/255
        assert from_replay or x.max() < 0.5
        assert mask.sum() >= 1  # a labelled frame among the outputs, whichever clip
        got.append(from_replay)
    return sum(got) / n


def test_replay_rows_enter_the_batches_in_the_share_asked_for():
    assert replay_share(0.0, 20) == 0.0
    assert replay_share(1.0, 20) == 1.0
    assert 0.15 <= replay_share(0.3, 60) <= 0.45  # a fixed seed: the same draws every run


def test_replay_folder_rows_are_all_targets(tmp_path, ffmpeg):
    make_clip(tmp_path / "replay", "s1", "r1", frames=30, hidden=range(10, 14))
    make_clip(tmp_path / "replay", "s2", "r2", frames=30, hidden=range(0, 0))
    base = load_base(str(tiny_base(tmp_path / "base.pt")))
    clips = load_replay(str(tmp_path / "replay"), base, str(tmp_path / "cache"), 3)
    assert [c.name for c in clips] == ["replay:s1/r1", "replay:s2/r2"]
    assert (clips[0].tvis >= 0).all() and int((clips[0].tvis == 1).sum()) == 26 and clips[0].held == {}
    capped = load_replay(str(tmp_path / "replay"), base, str(tmp_path / "cache"), 3, max_frames=40)
    assert [int((c.tvis >= 0).sum()) for c in capped] == [30, 10]


def test_l2sp_is_zero_at_the_base_weights_and_grows_away_from_them():
    torch.manual_seed(0)
    model = build_model("mmfnet-tiny", background=True)
    freeze(model, "stem")
    anchor = {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}
    zero = l2sp_penalty(model, anchor)
    zero.backward()
    assert zero.item() == 0.0
    assert all(p.grad is None or not p.grad.any() for p in model.parameters())
    head = [p for p in model.parameters() if p.requires_grad][-1]
    stem = next(model.stem.parameters())
    with torch.no_grad():
        stem.add_(1.0)  # a frozen weight moved: not the penalty's business
        assert l2sp_penalty(model, anchor).item() == 0.0
        head.add_(0.1)
        small = l2sp_penalty(model, anchor).item()
        head.add_(0.1)
        large = l2sp_penalty(model, anchor).item()
    assert small == pytest.approx(0.01 * head.numel(), rel=1e-4)
    assert large == pytest.approx(4 * small, rel=1e-4)


def tiny_base(path):
    torch.manual_seed(0)
    m = build_model("mmfnet-tiny", frames_in=3, frames_out=3, background=True)
    m.arch_name = "mmfnet-tiny"
    checkpoint.save(str(path), m, train_fps=30.0, val={"threshold": 0.5, "stride": 1, "f1": None})
    return path


def rows_of(csv_path):
    lines = csv_path.read_text().splitlines()[1:]
    return [[int(a), int(b), float(c), float(d)] for a, b, c, d in (r.split(",") for r in lines)]


def one_clip_run(tmp_path):
    """A 40-frame generated clip (28 rows to train on, 8 held back) and a tiny base: adapt's argv up to the
    recipe options."""
    video, labels = make_clip(tmp_path / "root", "m", "c1", frames=40, hidden=range(14, 17))
    rows = rows_of(labels)
    clip = dict(match="m", clip="c1", video=str(video), fps=30, width=320, height=180, frames=40)
    clip.update(train=[r for r in rows if r[0] < 28], held=[r for r in rows if r[0] >= 32])
    (tmp_path / "m.json").write_text(
        json.dumps({"version": 1, "root": str(tmp_path / "root"), "clips": [clip]})
    )
    argv = ["--manifest", tmp_path / "m.json", "--base", tiny_base(tmp_path / "base.pt"), "--minutes", 5]
    return argv + ["--out", tmp_path / "o.onnx", "--run-dir", tmp_path / "run", *FAST]


def test_adapt_runs_with_replay_and_l2sp_and_refuses_a_missing_replay_folder(tmp_path, capsys, ffmpeg):
    argv = one_clip_run(tmp_path)
    make_clip(tmp_path / "replay", "s1", "r1", frames=30)
    code, ev = run_adapt(capsys, *argv, "--replay", tmp_path / "nowhere")
    assert code == 2 and ev[-1]["event"] == "error" and "does not exist" in ev[-1]["message"]
    code, ev = run_adapt(
        capsys, *argv, "--replay", tmp_path / "replay", "--replay-p", 0.5, "--l2sp", 0.01, "--max-steps", 2
    )
    assert code == 0 and ev[0]["event"] == "start" and ev[0]["replay_frames"] == 30, ev[:2]
    assert ev[0]["train_frames"] == 28 and ev[-1]["event"] == "exported"


def test_freeze_heads_trains_only_the_heads_and_their_fusion():
    model = build_model("mmfnet-tiny", background=True)
    trained = {id(p) for p in freeze(model, "heads")}
    heads = {id(p) for part in (model.heads, model.stage_fusion) for p in part.parameters()}
    assert trained == heads
    assert all(not m.training for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d))


def test_weight_average_follows_the_trained_weights_and_is_applied_only_inside_its_block():
    torch.manual_seed(0)
    model = build_model("mmfnet-tiny", background=True)
    freeze(model, "stem")
    params = dict(model.named_parameters())
    head = [n for n, p in params.items() if p.requires_grad][-1]
    stem = next(n for n in params if n.startswith("stem"))
    start = {n: p.detach().clone() for n, p in params.items()}
    avg = WeightAverage(model, 0.9)
    with torch.no_grad():
        params[head].add_(1.0)
        params[stem].add_(1.0)  # frozen: the average keeps what it had
    avg.update(model, step=1)  # d = min(0.9, (1 + 1) / (10 + 1))
    d = 2 / 11
    trained = {n: p.detach().clone() for n, p in params.items()}
    with avg.applied(model):
        assert torch.allclose(params[head], start[head] + (1 - d))
        assert torch.equal(params[stem], start[stem])
    assert all(torch.equal(p, trained[n]) for n, p in params.items())  # its own weights back
    for _ in range(200):  # many steps at the same weights: the average reaches them
        avg.update(model, step=100)
    with avg.applied(model):
        assert torch.allclose(params[head], trained[head], atol=1e-6)
    with pytest.raises(ValueError):
        WeightAverage(model, 1.0)


def test_adapt_with_a_weight_average_exports_the_average_and_resumes_it(tmp_path, capsys, ffmpeg):
    argv = one_clip_run(tmp_path) + ["--eval-steps", 2]
    code, ev = run_adapt(capsys, *argv, "--ema", 1.5)
    assert code == 2 and "--ema" in ev[-1]["message"]
    code, ev = run_adapt(capsys, *argv, "--ema", 0.9, "--max-steps", 2, "--patience", 99)
    assert code == 0 and ev[-1]["event"] == "exported", ev[-1]
    last = torch.load(tmp_path / "run" / "last.pt", map_location="cpu")
    best = torch.load(tmp_path / "run" / "best.pt", map_location="cpu")
    assert last["average"]["decay"] == 0.9 and last["state"]["step"] == 2
    # The run's own weights are in last.pt; the average (what was scored) is what best.pt keeps.
    name = [n for n, p in build_model("mmfnet-tiny", background=True).named_parameters()][-1]
    assert last["state"]["best_step"] == 2  # a tie with the base counts as best: the later weights are kept
    assert torch.equal(best["model"][name], last["average"]["avg"][name])
    assert not torch.equal(best["model"][name], last["model"][name])
    code, ev = run_adapt(capsys, *argv, "--ema", 0.9, "--max-steps", 4, "--patience", 99, "--resume")
    assert code == 0 and ev[0]["resumed_at_step"] == 2
    resumed = torch.load(tmp_path / "run" / "last.pt", map_location="cpu")
    assert resumed["state"]["step"] == 4 and not torch.equal(
        resumed["average"]["avg"][name], last["average"]["avg"][name]
    )
