# Runs in pytest (CI): whether onnxruntime-node can run here, for the tests that calibrate or compare int8 and
# fp32 models through it (Debian has no onnxruntime for Python); they skip with the reason otherwise.
import pytest

from shuttle_training.onnx_node import OnnxNodeUnavailable, node_runner


def node_available():
    try:
        node_runner()
        return True
    except OnnxNodeUnavailable:
        return False


needs_node = pytest.mark.skipif(
    not node_available(), reason="calibration and parity run onnxruntime-node (node on PATH and npm install)"
)
