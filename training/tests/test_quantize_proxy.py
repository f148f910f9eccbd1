# Runs in pytest (CI). What the int8 calibration recipe is chosen on: percentile ranges (onnx-ranges.mjs
# through quantize.calibrate) that a few outlying values cannot stretch, where min/max follows them; the
# fp32-vs-int8 agreement of the proxy (same call, within 4 px); and proxy windows that are deterministic for a
# seed and carry their new-camera transform. Skips the onnxruntime parts without node.
import numpy as np
import pytest
from onnx import TensorProto, helper

from shuttle_training import quantize, quantize_proxy
from shuttle_training.dataset import Clip
from shuttle_training.letterbox import Letterbox
from node_tools import needs_node

H, W = 32, 64


def relu_model():
    """frames -> Relu -> heatmaps: the tensor calibrated is the Relu's output, the input's positive part."""
    x = helper.make_tensor_value_info("frames", TensorProto.FLOAT, [None, 1, H, W])
    y = helper.make_tensor_value_info("heatmaps", TensorProto.FLOAT, [None, 1, H, W])
    g = helper.make_graph([helper.make_node("Relu", ["frames"], ["heatmaps"], name="r")], "g", [x], [y])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])


@needs_node
def test_percentile_ranges_ignore_a_few_outliers_that_min_max_follows():
    rng = np.random.default_rng(0)
    windows = rng.random((4, 1, H, W), dtype=np.float32)  # values in [0, 1)
    windows[2, 0, 5, 7] = 40.0  # one hot pixel in one window
    model = relu_model()
    lo, hi = quantize.calibrate(model, ["heatmaps"], windows, chunk=3)["heatmaps"]
    assert hi == pytest.approx(40.0) and lo >= 0
    plo, phi = quantize.calibrate(model, ["heatmaps"], windows, chunk=3, percentile=99.0)["heatmaps"]
    assert 0.95 < phi < 1.0  # the 99th percentile of uniform [0, 1) values, the hot pixel left out
    assert 0.0 <= plo < 0.05


def test_agreement_counts_the_same_call_within_4_px():
    t = 0.7
    high, low = 5.0, -5.0
    a = np.full((2, 3, H, W), low, np.float32)
    b = a.copy()
    a[0, 0, 10, 10] = b[0, 0, 12, 13] = high  # 3.6 px apart: agrees
    a[0, 1, 10, 10] = b[0, 1, 10, 20] = high  # 10 px apart: does not
    a[0, 2, 4, 4] = high  # int8 lost this shuttle
    b[1, 0, 4, 4] = high  # and found one fp32 did not see
    r = quantize_proxy.agreement(a, b, t)
    assert r["frames"] == 6 and r["fp32_shuttles"] == 3
    assert r["agree"] == pytest.approx(3 / 6)  # frame 0/0 and the two empty frames 1/1, 1/2
    assert r["kept"] == pytest.approx(1 / 3)
    same = quantize_proxy.agreement(a, a, t)
    assert same["agree"] == 1.0 and same["kept"] == 1.0


def small_clip():
    rng = np.random.default_rng(3)
    frames = (rng.random((12, H, W, 3)) * 255).astype(np.uint8)
    vis = np.ones(12, np.int8)
    xy = np.tile(np.array([[20.0, 10.0]], np.float32), (12, 1))
    bg = np.median(frames, 0).astype(np.uint8)
    return Clip("m/c", "c.mp4", frames, vis, xy, xy.copy(), Letterbox(W, H, W, H), bg, 30.0)


def test_proxy_windows_are_deterministic_and_transformed():
    meta = {"shuttle.frames_in": "3", "shuttle.input_height": str(H), "shuttle.input_width": str(W)}
    meta.update({"shuttle.background": "true", "shuttle.train_fps": "30"})
    clips = [small_clip()]
    plain = quantize_proxy.proxy_windows(clips, meta, "plain", 4, seed=5)
    assert plain.shape == (4, 12, H, W) and plain.dtype == np.float32
    np.testing.assert_array_equal(plain, quantize_proxy.proxy_windows(clips, meta, "plain", 4, seed=5))
    starts = {
        int(np.argmin([np.abs(clips[0].frames[s] / 255 - p[:3].transpose(1, 2, 0)).sum() for s in range(10)]))
        for p in plain
    }
    assert len(starts) > 1  # the starts are drawn, not all the same window
    rotated = quantize_proxy.proxy_windows(clips, meta, "rot90", 4, seed=5)
    assert rotated.shape == plain.shape and not np.allclose(rotated, plain, atol=0.05)
    dim = quantize_proxy.proxy_windows(clips, meta, "dim", 4, seed=5)
    assert dim.mean() < 0.8 * plain.mean()  # a dim hall: exposure 0.3 to 0.7
