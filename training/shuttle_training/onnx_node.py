# Runs in Python (export, quantization, tests). onnxruntime-node as the training package's ONNX runtime:
# Debian has no onnxruntime for Python, and onnxruntime-node is what the app runs anyway. One way to call
# it: the input array written beside the model, one of the repository's node scripts
# (scripts/onnx-run.mjs, scripts/onnx-ranges.mjs) run on both, its answer the last line of its output,
# as JSON.
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]


class OnnxNodeUnavailable(RuntimeError):
    """node or onnxruntime-node is missing here: callers skip with this reason, or stop with it."""


def node_runner():
    """-> the node executable; raises OnnxNodeUnavailable, with the reason, when it or onnxruntime-node is
    missing."""
    node = shutil.which("node")
    if node is None:
        raise OnnxNodeUnavailable("node is not on PATH")
    if not (REPO / "node_modules" / "onnxruntime-node").is_dir():
        raise OnnxNodeUnavailable("node_modules/onnxruntime-node is not installed (run npm install)")
    return node


def run_node_script(script, onnx_path, x, workdir, extra=(), timeout=600):
    """Runs scripts/`script` on `onnx_path` with `x` (float32) as its --input, written into `workdir` (which
    the caller owns, and where the script may write its own outputs; `extra` says where) -> its JSON answer.
    """
    node = node_runner()
    xi, xd = os.path.join(workdir, "x.bin"), os.path.join(workdir, "x.json")
    np.ascontiguousarray(x, dtype="<f4").tofile(xi)
    with open(xd, "w") as f:
        json.dump({"dims": list(x.shape)}, f)
    args = [node, str(REPO / "scripts" / script), os.path.abspath(onnx_path), "--input", xi, "--dims", xd]
    r = subprocess.run(args + list(extra), capture_output=True, text=True, cwd=REPO, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"{script} failed: {r.stderr.strip()}")
    return json.loads(r.stdout.strip().splitlines()[-1])
