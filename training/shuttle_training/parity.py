# Runs in Python (export, tests). Checks that onnxruntime-node (what the app runs) and PyTorch agree on a
# random input, by calling scripts/onnx-run.mjs through `node`. Raises ParityUnavailable when node or
# onnxruntime-node is missing, so callers can skip with a clear reason.
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "onnx-run.mjs"


class ParityUnavailable(RuntimeError):
    pass


def node_runner():
    node = shutil.which("node")
    if node is None:
        raise ParityUnavailable("node is not on PATH")
    if not (REPO / "node_modules" / "onnxruntime-node").is_dir():
        raise ParityUnavailable("node_modules/onnxruntime-node is not installed (run npm install)")
    return node


def run_onnx(onnx_path, x: np.ndarray, threads=2):
    """-> (output array, report dict with 'metadata') from onnxruntime-node."""
    node = node_runner()
    with tempfile.TemporaryDirectory() as d:
        xi, xd, yo = os.path.join(d, "x.bin"), os.path.join(d, "x.json"), os.path.join(d, "y.bin")
        x.astype("<f4").tofile(xi)
        with open(xd, "w") as f:
            json.dump({"dims": list(x.shape)}, f)
        r = subprocess.run(
            [
                node,
                str(SCRIPT),
                os.path.abspath(onnx_path),
                "--input",
                xi,
                "--dims",
                xd,
                "--output",
                yo,
                "--threads",
                str(threads),
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=600,
        )
        if r.returncode != 0:
            raise RuntimeError(f"onnx-run.mjs failed: {r.stderr.strip()}")
        with open(yo + ".json") as f:
            dims = json.load(f)["dims"]
        y = np.fromfile(yo, "<f4").reshape(dims)
    return y, json.loads(r.stdout.strip().splitlines()[-1])


@torch.no_grad()
def check(model, onnx_path, batch=2, seed=0, atol=1e-4):
    """-> dict(max_abs_diff, ok, metadata). Uses batch=2 to exercise the dynamic N axis."""
    model = model.cpu().eval()
    cfg = model.cfg
    c = 3 * cfg.frames_in + (3 if cfg.background else 0)
    x = np.random.default_rng(seed).random((batch, c, 288, 512), dtype=np.float32)
    ref = model(torch.from_numpy(x)).numpy()
    y, report = run_onnx(onnx_path, x)
    if y.shape != ref.shape:
        return {
            "ok": False,
            "max_abs_diff": float("inf"),
            "shape": list(y.shape),
            "metadata": report["metadata"],
        }
    diff = float(np.abs(y - ref).max())
    return {"ok": diff <= atol, "max_abs_diff": diff, "metadata": report["metadata"]}
