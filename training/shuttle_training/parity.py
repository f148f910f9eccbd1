# Runs in Python (export, tests). Checks that onnxruntime-node (what the app runs) and PyTorch agree on a
# random input, by calling scripts/onnx-run.mjs through `node` (onnx_node.py). Raises OnnxNodeUnavailable
# when node or onnxruntime-node is missing, so callers can skip with a clear reason.
import json
import os
import tempfile

import numpy as np
import torch

from .onnx_node import run_node_script


def run_onnx(onnx_path, x: np.ndarray, threads=2):
    """-> (output array, report dict with 'metadata') from onnxruntime-node."""
    with tempfile.TemporaryDirectory() as d:
        yo = os.path.join(d, "y.bin")
        report = run_node_script("onnx-run.mjs", onnx_path, x, d, ["--output", yo, "--threads", str(threads)])
        with open(yo + ".json") as f:
            dims = json.load(f)["dims"]
        y = np.fromfile(yo, "<f4").reshape(dims)
    return y, report


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
