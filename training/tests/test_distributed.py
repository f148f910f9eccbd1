# Runs in pytest (CI). The torchrun / DistributedDataParallel path on the CPU: two processes (gloo) train the
# tiny model for a few steps from different random streams, and end with the same weights (the done event's
# ranks_weight_spread, measured across the ranks by an all-reduce); only rank 0 writes checkpoints and the
# stream.
# The ranks are started the way torchrun starts them (WORLD_SIZE, RANK, LOCAL_RANK, MASTER_ADDR/PORT in the
# environment; train.py joins with env://), not by torchrun itself: the launcher of PyTorch 1.13 fails on
# Python 3.11 before it starts anything (its Std.from_str("0") gives None there).
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import torch

TRAINING = Path(__file__).resolve().parents[1]


def torchrun(tmp_path, synth_root, val_root, cache_dir, *extra):
    out = tmp_path / "ddp"
    cmd = [
        sys.executable,
        "-m",
        "shuttle_training.train",
        "--arch",
        "mmfnet-tiny",
        "--train",
        str(synth_root),
        "--val",
        str(val_root),
        "--out",
        str(out),
        "--cache",
        str(cache_dir),
        "--crop",
        "64x128",
        "--batch",
        "2",
        "--epochs",
        "1",
        "--steps-per-epoch",
        "3",
        "--log-every",
        "1",
        "--threads",
        "1",
        "--device",
        "cpu",
        *extra,
    ]
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    base = {**os.environ, "PYTHONPATH": str(TRAINING), "OMP_NUM_THREADS": "1", "WORLD_SIZE": "2"}
    base.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    ranks = [
        subprocess.Popen(
            cmd,
            cwd=TRAINING,
            env={**base, "RANK": str(r), "LOCAL_RANK": str(r)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for r in range(2)
    ]
    try:
        outputs = [p.communicate(timeout=180) for p in ranks]
    finally:
        for p in ranks:
            p.kill()
    for r, (p, (_, err)) in enumerate(zip(ranks, outputs)):
        assert p.returncode == 0, f"rank {r}: {err[-3000:]}"
    # Only rank 0 speaks.
    assert outputs[1][0].strip() == ""
    events = [json.loads(line) for line in outputs[0][0].splitlines() if line.startswith("{")]
    return out, events


def test_two_ranks_end_with_the_same_weights(tmp_path, synth_root, val_root, cache_dir):
    out, events = torchrun(tmp_path, synth_root, val_root, cache_dir)
    start = next(e for e in events if e["event"] == "start")
    assert start["world"] == 2
    # One stream, from rank 0: one start and one done, however many ranks run.
    assert [e["event"] for e in events].count("start") == 1
    done = next(e for e in events if e["event"] == "done")
    assert done["steps"] == 3
    # The ranks drew different samples (seeded by rank), yet every step applied the same averaged update.
    assert done["ranks_weight_spread"] <= 1e-6
    ck = torch.load(out / "last.pt", map_location="cpu")
    assert ck["state"]["step"] == 3
