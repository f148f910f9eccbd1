# Runs in pytest (CI). The int8 quantizer on a small MMFNet with fixed random weights: the QDQ graph's shape
# (int8 per-channel weights, the output head kept fp32, Relus folded, metadata kept and marked int8), the
# activation parameters, and parity with the fp32 model in onnxruntime-node (what the app runs), which also
# checks that calibration through onnxruntime-node works. Skips the onnxruntime parts without node.
import numpy as np
import onnx
import pytest
import torch
from onnx import numpy_helper

from shuttle_training import export, quantize
from shuttle_training.models import build_model
from shuttle_training.parity import run_onnx
from node_tools import needs_node

H, W = 64, 128
# Probability tolerance (sigmoid of the heatmap logits): 8-bit activations through ~20 layers of a random
# network move a probability by a few hundredths at most; a wrong scale, zero point or axis moves it by ~0.5.
PROB_TOLERANCE = 0.08


@pytest.fixture(scope="module")
def fp32_path(tmp_path_factory):
    torch.manual_seed(0)
    model = build_model("mmfnet-tiny", background=True)
    path = str(tmp_path_factory.mktemp("q") / "tiny.onnx")
    meta = export.contract_metadata(model, "mmfnet-tiny", "nothing (random weights)", None, height=H, width=W)
    export.export(model, path, meta, height=H, width=W)
    return path


def windows(n, seed):
    """Smooth frames with a small bright blob, like a shuttle on a court: calibration and test input."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:H, 0:W] / np.array([H, W])[:, None, None]
    out = np.empty((n, 12, H, W), np.float32)
    for i in range(n):
        base = 0.4 + 0.2 * np.sin(6 * x + rng.random() * 3) * np.cos(4 * y)
        for c in range(12):
            out[i, c] = base + 0.03 * rng.standard_normal((H, W))
        by, bx = rng.integers(4, H - 4), rng.integers(4, W - 4)
        out[i, 3:6, by - 2 : by + 2, bx - 2 : bx + 2] = 1.0
    return np.clip(out, 0, 1)


def test_activation_params_hold_zero_exactly_and_cover_the_range():
    s, z = quantize.activation_params(0.2, 5.1)  # widened to [0, 5.1]: zero padding must be exact
    assert z == 0 and s == pytest.approx(5.1 / 255)
    s, z = quantize.activation_params(-1.0, 3.0)
    assert (0 - z) * s == pytest.approx(-1.0, abs=s) and (255 - z) * s == pytest.approx(3.0, abs=s)
    assert quantize.activation_params(0.0, 0.0)[0] > 0  # a constant tensor still gets a usable scale


def test_head_is_the_last_conv_and_what_follows(fp32_path):
    g = onnx.load(fp32_path).graph
    keep = quantize.head_nodes(g)
    convs = [n for n in g.node if n.name in keep and n.op_type == "Conv"]
    assert len(convs) == 1 and convs[0].name.endswith("stage_fusion/Conv")


@needs_node
def test_quantized_graph_shape_and_parity(fp32_path, tmp_path):
    fp32 = onnx.load(fp32_path)
    q, report = quantize.quantize(fp32, windows(8, seed=1))
    out = str(tmp_path / "tiny.int8.onnx")
    quantize.save_atomic(q, out)

    ops = [n.op_type for n in q.graph.node]
    assert ops.count("QuantizeLinear") == report["tensors"] > 10
    assert ops.count("Relu") < [n.op_type for n in fp32.graph.node].count("Relu")
    inits = {i.name: numpy_helper.to_array(i) for i in q.graph.initializer}
    int8_weights = [k for k, v in inits.items() if k.endswith(".w_int8")]
    assert int8_weights and all(inits[k].dtype == np.int8 for k in int8_weights)
    assert all(inits[k].dtype == np.int32 for k in inits if k.endswith(".b_int32"))
    head = next(n for n in q.graph.node if n.name.endswith("stage_fusion/Conv"))
    assert inits[head.input[1]].dtype == np.float32  # the head reads its fp32 weight directly
    meta = {p.key: p.value for p in q.metadata_props}
    fp32_meta = {p.key: p.value for p in fp32.metadata_props}
    assert meta["shuttle.precision"] == "int8"
    assert {k: meta[k] for k in fp32_meta} == fp32_meta

    x = windows(3, seed=7)  # not the calibration windows
    a, _ = run_onnx(fp32_path, x)
    b, report = run_onnx(out, x)
    assert report["metadata"]["shuttle.precision"] == "int8"
    pa, pb = 1 / (1 + np.exp(-a)), 1 / (1 + np.exp(-b))
    assert np.abs(pa - pb).max() <= PROB_TOLERANCE
    assert not np.array_equal(a, b)  # it ran the int8 graph, not the fp32 one


@needs_node
def test_cli_refuses_an_int8_model_and_writes_beside_the_model(fp32_path, tmp_path):
    calib = tmp_path / "calib.npy"
    np.save(calib, windows(2, seed=3))
    quantize.main([fp32_path, "--calibration", str(calib), "--out", str(tmp_path / "m.int8.onnx")])
    assert (tmp_path / "m.int8.onnx").exists() and not list(tmp_path.glob("*.tmp*"))
    with pytest.raises(SystemExit, match="already an int8 model"):
        quantize.main([str(tmp_path / "m.int8.onnx"), "--calibration", str(calib)])


@needs_node
def test_layers_kept_fp32_keep_their_relus_and_parity(fp32_path, tmp_path):
    # A Relu folds into its producer only where that output is quantized (Q clamps at 0): a Conv kept fp32
    # that feeds another kept Conv would otherwise pass its negative values on.
    fp32 = onnx.load(fp32_path)
    stem_relus = [n.name for n in fp32.graph.node if n.op_type == "Relu" and n.name.startswith("/stem/")]
    assert len(stem_relus) == 2
    q, _ = quantize.quantize(fp32, windows(8, seed=1), keep_fp32=("/stem/",))
    assert [n.name for n in q.graph.node if n.op_type == "Relu" and n.name.startswith("/stem/")] == stem_relus
    inits = {i.name: numpy_helper.to_array(i) for i in q.graph.initializer}
    stem_convs = [n for n in q.graph.node if n.op_type == "Conv" and n.name.startswith("/stem/")]
    assert len(stem_convs) == 2 and all(inits[c.input[1]].dtype == np.float32 for c in stem_convs)
    out = str(tmp_path / "kept.int8.onnx")
    quantize.save_atomic(q, out)
    x = windows(3, seed=7)
    a, _ = run_onnx(fp32_path, x)
    b, _ = run_onnx(out, x)
    pa, pb = 1 / (1 + np.exp(-a)), 1 / (1 + np.exp(-b))
    assert np.abs(pa - pb).max() <= PROB_TOLERANCE
