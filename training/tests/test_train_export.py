# Runs in pytest (CI). End to end on the synthetic clips: train "tiny" for a few steps (JSON-lines stream,
# checkpoints, resume, time budget), refuse an empty val set, export to ONNX, check the contract metadata and
# onnxruntime-node parity (skipped with a reason when node or onnxruntime-node is missing).
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import onnx
import pytest
import torch

from shuttle_training import export, train
from shuttle_training.checkpoint import load_model
from shuttle_training.onnx_node import OnnxNodeUnavailable, node_runner
from shuttle_training.parity import check
from synth import make_clip


def run_train(capsys, *extra):
    capsys.readouterr()
    train.main(list(extra))
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def base_args(root, val, cache, out):
    return [
        "--arch",
        "mmfnet-tiny",
        "--background",
        "--train",
        str(root),
        "--val",
        str(val),
        "--out",
        str(out),
        "--cache",
        str(cache),
        "--crop",
        "64x128",
        "--batch",
        "2",
        "--steps-per-epoch",
        "3",
        "--log-every",
        "1",
        "--threads",
        "2",
    ]


@pytest.fixture(scope="module")
def trained(synth_root, cache_dir, tmp_path_factory):
    return tmp_path_factory.mktemp("run")


def test_train_streams_json_and_resumes(trained, synth_root, val_root, cache_dir, capsys):
    ev = run_train(capsys, *base_args(synth_root, val_root, cache_dir, trained), "--epochs", "1")
    kinds = [e["event"] for e in ev]
    assert kinds[0] == "start" and kinds[-1] == "done"
    assert kinds.count("step") == 3 and "epoch" in kinds and "eval" in kinds
    e = next(e for e in ev if e["event"] == "eval")
    for tol in ("tracknet", "strict"):
        assert set(e[tol]) >= {"tp", "fp1", "fp2", "fn", "tn", "precision", "recall", "f1", "accuracy"}
        assert e[tol]["frames"] == 15
    assert (trained / "best.pt").exists() and (trained / "last.pt").exists()

    ev = run_train(capsys, *base_args(synth_root, val_root, cache_dir, trained), "--epochs", "2", "--resume")
    assert ev[0]["resumed_at_step"] == 3
    assert ev[-1]["event"] == "done" and ev[-1]["steps"] == 6


def test_time_budget_stops_and_still_evaluates(synth_root, val_root, cache_dir, tmp_path, capsys):
    ev = run_train(
        capsys, *base_args(synth_root, val_root, cache_dir, tmp_path), "--epochs", "5", "--minutes", "1e-9"
    )
    kinds = [e["event"] for e in ev]
    assert "step" not in kinds and kinds.count("eval") == 1 and kinds[-1] == "done"


def test_empty_val_set_is_refused(synth_root, val_root, cache_dir, tmp_path, capsys):
    bad = tmp_path / "val"
    make_clip(bad, "m", "tooshort", frames=2)
    args = base_args(synth_root, val_root, cache_dir, tmp_path / "out")
    args[args.index("--val") + 1] = str(bad)
    with pytest.raises(SystemExit, match="validation root .*val has no usable clip"):
        train.main(args + ["--epochs", "1"])
    assert "tooshort.mp4" in capsys.readouterr().out  # the warning names the file


def test_init_starts_from_a_checkpoint_with_a_fresh_schedule(
    trained, synth_root, val_root, cache_dir, tmp_path, capsys
):
    if not (trained / "best.pt").exists():
        run_train(capsys, *base_args(synth_root, val_root, cache_dir, trained), "--epochs", "1")
    init = trained / "best.pt"
    out = tmp_path / "ft"
    # A zero time budget: no step runs, so the fine-tune's saved weights must be exactly the initial ones.
    ev = run_train(
        capsys,
        *base_args(synth_root, val_root, cache_dir, out),
        "--init",
        str(init),
        "--epochs",
        "3",
        "--minutes",
        "1e-9",
    )
    assert ev[0]["event"] == "init" and ev[0]["checkpoint"] == str(init)
    start = next(e for e in ev if e["event"] == "start")
    assert start["resumed_at_step"] == 0
    a, b = (
        torch.load(init, map_location="cpu")["model"],
        torch.load(out / "last.pt", map_location="cpu")["model"],
    )
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_init_takes_the_checkpoints_input_and_a_match_folder_validates(
    trained, synth_root, val_root, cache_dir, tmp_path, capsys
):
    """The studio fine-tunes the default model (3 frames + background) on a project, holding one match out."""
    if not (trained / "best.pt").exists():
        run_train(capsys, *base_args(synth_root, val_root, cache_dir, trained), "--epochs", "1")
    args = base_args(synth_root, val_root, cache_dir, tmp_path)
    args.remove("--background")  # not given: the checkpoint's input is kept all the same
    args[args.index("--val") + 1] = str(synth_root / "match-b")
    ev = run_train(
        capsys, *args, "--exclude-match", "match-b", "--init", str(trained / "best.pt"), "--epochs", "1"
    )
    assert ev[0]["event"] == "init" and ev[0]["background"] is True
    start = next(e for e in ev if e["event"] == "start")
    assert start["config"]["background"] is True
    assert start["train_windows"] == 45 - 3 + 1  # match-a only: match-b (36 frames) is held out
    assert start["val_clips"] == 1
    assert ev[-1]["event"] == "done"


def test_init_refuses_another_architecture(trained, synth_root, val_root, cache_dir, tmp_path, capsys):
    if not (trained / "best.pt").exists():
        run_train(capsys, *base_args(synth_root, val_root, cache_dir, trained), "--epochs", "1")
    args = base_args(synth_root, val_root, cache_dir, tmp_path)
    args[args.index("--arch") + 1] = "tracknet-unet"
    with pytest.raises(SystemExit, match="holds a mmfnet-tiny model, not tracknet-unet"):
        train.main(args + ["--init", str(trained / "best.pt"), "--epochs", "1"])


def test_sigterm_stops_gracefully_and_keeps_the_run(synth_root, val_root, cache_dir, tmp_path):
    """The studio's Stop sends SIGTERM: the step in progress finishes, then the run evaluates and saves."""
    args = base_args(synth_root, val_root, cache_dir, tmp_path)
    args[args.index("--steps-per-epoch") + 1] = "100000"
    env = dict(os.environ, PYTHONPATH=str(Path(train.__file__).resolve().parents[1]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "shuttle_training.train", *args, "--epochs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    events = []
    for line in proc.stdout:
        events.append(json.loads(line))
        if events[-1]["event"] == "step" and events[-1]["step"] >= 2:
            proc.send_signal(signal.SIGTERM)
            break
    rest, err = proc.communicate(timeout=300)
    events += [json.loads(line) for line in rest.splitlines() if line.strip()]
    assert proc.returncode == 0, err
    kinds = [e["event"] for e in events]
    assert kinds[-2:] == ["eval", "done"]
    assert events[-1]["steps"] < 100000
    assert (tmp_path / "last.pt").exists() and (tmp_path / "best.pt").exists()


def test_export_contract_and_parity(trained, tmp_path, capsys):
    path = tmp_path / "tiny.onnx"
    export.main(["--checkpoint", str(trained / "best.pt"), "--out", str(path), "--no-parity"])
    m = onnx.load(str(path))
    meta = {p.key: p.value for p in m.metadata_props}
    assert meta["shuttle.arch"] == "mmfnet-tiny"
    assert meta["shuttle.frames_in"] == "3" and meta["shuttle.frames_out"] == "3"
    assert (meta["shuttle.input_height"], meta["shuttle.input_width"]) == ("288", "512")
    assert meta["shuttle.background"] == "true" and meta["shuttle.output"] == "logits"
    assert float(meta["shuttle.threshold"]) == 0.5 and meta["shuttle.version"]
    assert "shuttle.trained_on" in meta and "shuttle.val_f1" in meta
    assert meta["shuttle.window_stride"] == "3"  # default: non-overlapping windows
    assert m.opset_import[0].version == 17
    (inp,), (out,) = m.graph.input, m.graph.output
    assert inp.name == "frames" and out.name == "heatmaps"
    dims = [d.dim_param or d.dim_value for d in inp.type.tensor_type.shape.dim]
    assert dims == ["N", 12, 288, 512]

    try:
        node_runner()
    except OnnxNodeUnavailable as e:
        pytest.skip(f"parity not checked: {e}")
    model, _ = load_model(str(trained / "best.pt"))
    res = check(model, str(path))
    assert res["ok"], f"max abs diff {res['max_abs_diff']}"
    assert res["metadata"] == meta  # onnx-run.mjs reads the same metadata_props


def test_export_records_the_window_stride(trained, tmp_path):
    path = tmp_path / "ens.onnx"
    export.main(
        ["--checkpoint", str(trained / "best.pt"), "--out", str(path), "--no-parity", "--window-stride", "1"]
    )
    meta = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    assert meta["shuttle.window_stride"] == "1"
    assert (
        "shuttle.thresholds_by_stride" not in meta
    )  # the app then decodes every stride at shuttle.threshold


def test_export_records_thresholds_for_other_strides_and_keeps_them(trained, tmp_path):
    path, slim, again = tmp_path / "fast.onnx", tmp_path / "fast.pt", tmp_path / "again.onnx"
    args = ["--checkpoint", str(trained / "best.pt"), "--no-parity", "--window-stride", "1"]
    export.main(args + ["--out", str(path), "--stride-threshold", "3:0.9", "--stride-threshold", "2:0.80"])
    meta = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    assert meta["shuttle.thresholds_by_stride"] == "3:0.9,2:0.8"
    # The slim checkpoint carries them, so exporting it again (the bundled model's path) keeps them.
    export.main(args + ["--out", str(path), "--stride-threshold", "3:0.9", "--pt-out", str(slim)])
    export.main(["--checkpoint", str(slim), "--out", str(again), "--no-parity"])
    meta = {p.key: p.value for p in onnx.load(str(again)).metadata_props}
    assert meta["shuttle.thresholds_by_stride"] == "3:0.9"
    for bad in ("3", "4:0.9", "3:1", "x:0.5"):
        with pytest.raises(SystemExit, match="--stride-threshold"):
            export.main(args + ["--out", str(path), "--stride-threshold", bad])


def test_evaluate_cli_reports_each_threshold(trained, val_root, cache_dir, capsys):
    from shuttle_training import evaluate

    capsys.readouterr()
    evaluate.main(
        [
            "--checkpoint",
            str(trained / "best.pt"),
            "--root",
            str(val_root),
            "--cache",
            str(cache_dir),
            "--thresholds",
            "0.3,0.5",
        ]
    )
    ev = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["threshold"] for e in ev] == [0.3, 0.5]
    assert all(e["tracknet"]["frames"] == 15 and e["strict"]["frames"] == 15 for e in ev)
    assert all(e["stride"] == 3 for e in ev)
    evaluate.main(
        [
            "--checkpoint",
            str(trained / "best.pt"),
            "--root",
            str(val_root),
            "--cache",
            str(cache_dir),
            "--stride",
            "1",
        ]
    )
    (e1,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert e1["stride"] == 1 and e1["tracknet"]["frames"] == 15


def test_eval_picks_an_operating_point_and_export_ships_it(synth_root, val_root, cache_dir, tmp_path, capsys):
    """The model is chosen on the F1 it will run at (window stride, best of the thresholds), and the export
    carries that threshold, stride and F1 into the ONNX metadata without being told."""
    from shuttle_training import evaluate

    out = tmp_path / "op"
    ev = run_train(
        capsys,
        *base_args(synth_root, val_root, cache_dir, out),
        "--epochs",
        "1",
        "--eval-stride",
        "1",
        "--thresholds",
        "0.7,0.3,0.5",
    )
    e = next(e for e in ev if e["event"] == "eval")
    assert e["stride"] == 1 and e["threshold"] in (0.3, 0.5, 0.7)
    evaluate.main(
        [
            "--checkpoint",
            str(out / "best.pt"),
            "--root",
            str(val_root),
            "--cache",
            str(cache_dir),
            "--stride",
            "1",
            "--thresholds",
            "0.3,0.5,0.7",
        ]
    )
    per = {r["threshold"]: r["tracknet"]["f1"] for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert e["tracknet"]["f1"] == max(per.values())
    assert per[e["threshold"]] == max(per.values()) and all(
        per[t] < max(per.values()) for t in per if t < e["threshold"]
    )

    path = tmp_path / "op.onnx"
    export.main(["--checkpoint", str(out / "best.pt"), "--out", str(path), "--no-parity"])
    meta = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    assert meta["shuttle.window_stride"] == "1"
    assert float(meta["shuttle.threshold"]) == e["threshold"]
    assert meta["shuttle.val_f1"] == f"{e['tracknet']['f1']:.4f}"
    assert meta["shuttle.train_fps"] == "30"  # the training clips' rate, recorded by train.py
    # The bundled-checkpoint form keeps the operating point: exporting it again ships the same metadata.
    slim = tmp_path / "op.pt"
    export.main(
        ["--checkpoint", str(out / "best.pt"), "--out", str(path), "--no-parity", "--pt-out", str(slim)]
    )
    assert set(torch.load(slim, map_location="cpu")) == {
        "arch",
        "config",
        "model",
        "val",
        "trained_on",
        "train_fps",
    }
    again = tmp_path / "again.onnx"
    export.main(["--checkpoint", str(slim), "--out", str(again), "--no-parity"])
    assert {p.key: p.value for p in onnx.load(str(again)).metadata_props} == meta
    # Another threshold than the one measured: the F1 is unknown, so none is claimed.
    other = 0.9
    export.main(
        ["--checkpoint", str(out / "best.pt"), "--out", str(path), "--no-parity", "--threshold", str(other)]
    )
    meta = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    assert float(meta["shuttle.threshold"]) == other and meta["shuttle.val_f1"] == ""


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--thresholds", "0.5,1.5"], "every threshold must lie inside"),
        (["--thresholds", "half"], "is not a comma list"),
        (["--eval-stride", "4"], "--eval-stride must be 1 to 3"),
    ],
)
def test_bad_evaluation_options_are_refused(synth_root, val_root, cache_dir, tmp_path, flags, message):
    with pytest.raises(SystemExit, match=message):
        train.main(base_args(synth_root, val_root, cache_dir, tmp_path) + ["--epochs", "1", *flags])


def test_worker_processes_feed_training_with_distinct_batches(
    synth_root, val_root, cache_dir, tmp_path, capsys
):
    import pickle
    import random

    from shuttle_training.augment import AugmentConfig
    from shuttle_training.batches import batch_stream
    from shuttle_training.dataset import load_root

    clips = load_root(str(synth_root), str(cache_dir), 3, background=True)
    again = pickle.loads(pickle.dumps(clips[0]))  # what a spawned worker receives: the cache file, re-opened
    assert (
        len(pickle.dumps(clips[0])) < clips[0].frames.nbytes / 4
        and (again.frames[5] == clips[0].frames[5]).all()
    )
    sampler = train.Sampler([(clips, 1.0)], 3, random.Random(0))
    stream = batch_stream(
        sampler, 2, 3, AugmentConfig(crop_h=64, crop_w=128), random.Random(0), True, workers=2, seed=1
    )
    xs = [next(stream)[0] for _ in range(4)]
    assert all(x.shape == (2, 12, 64, 128) for x in xs)
    assert len({x.sum().item() for x in xs}) == 4, "two workers drew the same samples"

    ev = run_train(
        capsys, *base_args(synth_root, val_root, cache_dir, tmp_path), "--epochs", "1", "--workers", "2"
    )
    assert [e["event"] for e in ev].count("step") == 3 and ev[-1]["event"] == "done"
