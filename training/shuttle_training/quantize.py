# Runs in Python (developer machine, CI). Writes the int8 variant of an exported tracker model: a statically
# quantized QDQ graph that onnxruntime's CPU provider turns into QLinearConv/QLinearAdd kernels.
#   calibration: the fp32 model, with the tensors to quantize added as graph outputs, runs through
#                onnxruntime-node (scripts/onnx-ranges.mjs: Debian has no onnxruntime for Python) on windows
#                cut from TRAINING clips, and records each tensor's min/max;
#   graph edit:  uint8 asymmetric QuantizeLinear/DequantizeLinear pairs on those tensors, int8 symmetric
#                per-channel weights and int32 biases behind DequantizeLinear, a Relu that is the only reader
#                of a Conv/Add folded into that tensor's quantization (its range starts at 0, which clamps).
# The last Conv before the output and everything after it stay fp32: the heatmap's fine values decide the
# detection, and that Conv sees a few channels only, so int8 there saves little and costs most.
# usage: python -m shuttle_training.quantize FP32.onnx --out INT8.onnx --train ROOT [--windows 200]
import argparse
import json
import os
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .onnx_node import OnnxNodeUnavailable, node_runner, run_node_script

QUANTIZED_OPS = {"Conv", "Add", "Concat", "Resize"}


def _consumers(graph):
    out = {}
    for n in graph.node:
        for i in n.input:
            out.setdefault(i, []).append(n)
    return out


def _constants(graph):
    names = {i.name for i in graph.initializer}
    for n in graph.node:
        if n.op_type == "Constant":
            names.update(n.output)
    return names


def head_nodes(graph):
    """Names of the nodes kept in fp32: the last Conv(s) on every path to a graph output, and what follows."""
    producer = {o: n for n in graph.node for o in n.output}
    keep, stack = set(), [o.name for o in graph.output]
    while stack:
        n = producer.get(stack.pop())
        if n is None or n.name in keep:
            continue
        keep.add(n.name)
        if n.op_type != "Conv":  # walk back through Resize/Sigmoid/... up to the Conv that makes the output
            stack.extend(i for i in n.input if i)
    return keep


def fold_relus(model, keep=()):
    """Removes each Relu that is the only reader of a Conv/Add output: the producer writes the Relu's output
    instead. Exact once that tensor is quantized with a range starting at 0 (Q saturates negatives to 0), so
    a producer that stays fp32 (its name in `keep`) keeps its Relu: nothing would clamp its output."""
    g = model.graph
    readers = _consumers(g)
    outputs = {o.name for o in g.output}
    drop = []
    for n in g.node:
        if n.op_type not in ("Conv", "Add") or n.output[0] in outputs or n.name in keep:
            continue
        r = readers.get(n.output[0], [])
        if len(r) == 1 and r[0].op_type == "Relu":
            n.output[0] = r[0].output[0]
            drop.append(r[0])
    for r in drop:
        g.node.remove(r)
    return model


def tensors_to_quantize(graph, keep):
    """Activation tensors read or written by the quantized ops (no constants, no graph outputs), in order."""
    consts, outputs = _constants(graph), {o.name for o in graph.output}
    names = []
    for n in graph.node:
        if n.op_type not in QUANTIZED_OPS or n.name in keep:
            continue
        ins = n.input[:1] if n.op_type in ("Conv", "Resize") else n.input
        for t in list(ins) + list(n.output[:1]):
            if t and t not in consts and t not in outputs and t not in names:
                names.append(t)
    return names


def with_outputs(model, names):
    m = onnx.ModelProto()
    m.CopyFrom(model)
    have = {o.name for o in m.graph.output}
    for t in names:
        if t not in have:
            m.graph.output.append(helper.make_tensor_value_info(t, TensorProto.FLOAT, None))
    return m


def calibrate(model, names, windows, threads=2, chunk=16, percentile=None):
    """-> {tensor: (min, max)} over `windows` (float32 [N, C, H, W]) from onnxruntime-node; with `percentile`
    P, each window's (100-P)-th and P-th percentile, averaged over the windows (onnx-ranges.mjs)."""
    try:
        node_runner()
    except OnnxNodeUnavailable as e:
        raise SystemExit(f"calibration runs onnxruntime-node: {e}")
    ranges = {}
    with tempfile.TemporaryDirectory() as d:
        probe = os.path.join(d, "probe.onnx")
        onnx.save(with_outputs(model, names), probe)
        for s in range(0, len(windows), chunk):
            x = windows[s : s + chunk]
            extra = ["--threads", str(threads)]
            if percentile is not None:
                extra += ["--percentile", str(percentile)]
            report = run_node_script("onnx-ranges.mjs", probe, x, d, extra, timeout=3600)
            for t, (lo, hi) in report["ranges"].items():
                if percentile is None:
                    old = ranges.get(t, (lo, hi))
                    ranges[t] = (min(old[0], lo), max(old[1], hi))
                else:  # a mean over this chunk's windows: weighted into the mean over all of them
                    old, w = ranges.get(t, (0.0, 0.0)), len(x) / len(windows)
                    ranges[t] = (old[0] + w * lo, old[1] + w * hi)
    return ranges


def activation_params(lo, hi):
    """uint8 asymmetric scale and zero point for [lo, hi], widened to hold 0 exactly (padding, Relu)."""
    lo, hi = min(0.0, float(lo)), max(0.0, float(hi))
    scale = (hi - lo) / 255 if hi > lo else 1.0
    zp = int(np.clip(round(-lo / scale), 0, 255))
    return np.float32(scale), np.uint8(zp)


def _init(g, name, array):
    g.initializer.append(numpy_helper.from_array(array, name))
    return name


def _quantize_conv_weights(g, n, inits, input_scale):
    w = numpy_helper.to_array(inits[n.input[1]]).astype(np.float32)
    amax = np.abs(w.reshape(w.shape[0], -1)).max(1)
    ws = np.where(amax > 0, amax / 127, 1.0).astype(np.float32)
    shape = (-1,) + (1,) * (w.ndim - 1)
    wq = np.clip(np.round(w / ws.reshape(shape)), -127, 127).astype(np.int8)
    base = n.name or n.output[0]
    q = _init(g, f"{base}.w_int8", wq)
    s = _init(g, f"{base}.w_scale", ws)
    z = _init(g, f"{base}.w_zero", np.zeros_like(wq, shape=(len(ws),)))
    g.node.append(helper.make_node("DequantizeLinear", [q, s, z], [f"{base}.w_dq"], axis=0))
    new_inputs = [n.input[0], f"{base}.w_dq"]
    if len(n.input) > 2 and n.input[2] in inits:
        b = numpy_helper.to_array(inits[n.input[2]]).astype(np.float64)
        bs = (ws.astype(np.float64) * float(input_scale)).astype(np.float32)
        bq = np.round(b / bs).astype(np.int32)
        q = _init(g, f"{base}.b_int32", bq)
        s = _init(g, f"{base}.b_scale", bs)
        z = _init(g, f"{base}.b_zero", np.zeros(len(bs), np.int32))
        g.node.append(helper.make_node("DequantizeLinear", [q, s, z], [f"{base}.b_dq"], axis=0))
        new_inputs.append(f"{base}.b_dq")
    del n.input[:]
    n.input.extend(new_inputs)


def insert_qdq(model, ranges, keep):
    """The QDQ graph: a Q/DQ pair on every calibrated tensor, int8 weights on every quantized Conv."""
    g = model.graph
    names = [t for t in tensors_to_quantize(g, keep) if t in ranges]
    resize_in = {n.output[0]: n.input[0] for n in g.node if n.op_type == "Resize" and n.name not in keep}
    params = {}
    for t in names:
        # A Resize keeps its input's parameters: onnxruntime then resizes the uint8 values directly.
        src = resize_in.get(t) if resize_in.get(t) in ranges else t
        params[t] = activation_params(*ranges[src])
    readers = _consumers(g)
    inits = {i.name: i for i in g.initializer}
    for n in list(g.node):
        if n.op_type == "Conv" and n.name not in keep and n.input[0] in params and n.input[1] in inits:
            _quantize_conv_weights(g, n, inits, params[n.input[0]][0])
    for t in names:
        scale, zp = params[t]
        s, z = _init(g, f"{t}.scale", np.array(scale)), _init(g, f"{t}.zero", np.array(zp))
        g.node.append(helper.make_node("QuantizeLinear", [t, s, z], [f"{t}.q"]))
        g.node.append(helper.make_node("DequantizeLinear", [f"{t}.q", s, z], [f"{t}.dq"]))
        for r in readers.get(t, []):
            for k, i in enumerate(r.input):
                if i == t:
                    r.input[k] = f"{t}.dq"
    used = {i for n in g.node for i in n.input}
    for i in [i for i in g.initializer if i.name not in used]:
        g.initializer.remove(i)  # the fp32 weights now held as int8
    return _toposort(model)


def _toposort(model):
    g = model.graph
    ready = {i.name for i in g.input} | {i.name for i in g.initializer} | {""}
    pending, ordered = list(g.node), []
    while pending:
        rest = []
        for n in pending:
            if all(i in ready for i in n.input):
                ordered.append(n)
                ready.update(n.output)
            else:
                rest.append(n)
        if len(rest) == len(pending):
            raise RuntimeError(f"the quantized graph has a cycle or a missing input at {rest[0].name}")
        pending = rest
    del g.node[:]
    g.node.extend(ordered)
    return model


def quantize(fp32_model, windows, threads=2, quantize_head=False, keep_fp32=(), percentile=None, note=None):
    """-> (int8 model, report) for an fp32 model and calibration windows float32 [N, C, H, W]. keep_fp32:
    parts of node names (e.g. "/stem/stem.0/") whose nodes stay fp32 besides the head; percentile: ranges
    from percentiles instead of min/max (calibrate); note: what the windows are, for the metadata."""
    keep = set() if quantize_head else head_nodes(fp32_model.graph)
    keep |= {n.name for n in fp32_model.graph.node if any(k in n.name for k in keep_fp32)}
    folded = fold_relus(onnx.load_from_string(fp32_model.SerializeToString()), keep)
    names = tensors_to_quantize(folded.graph, keep)
    ranges = calibrate(fp32_model, names, windows, threads, percentile=percentile)  # folded: Relu names
    q = insert_qdq(folded, ranges, keep)
    meta = {p.key: p.value for p in q.metadata_props}
    meta["shuttle.precision"] = "int8"
    how = "min/max" if percentile is None else f"{percentile} percentile"
    what = note or f"{len(windows)} training windows"
    meta["shuttle.calibration"] = f"{what}, {how}, uint8 activations, int8 weights"
    del q.metadata_props[:]
    for k, v in meta.items():
        e = q.metadata_props.add()
        e.key, e.value = k, v
    onnx.checker.check_model(q)
    return q, {"tensors": len(names), "kept_fp32": sorted(keep), "windows": len(windows), "ranges": how}


def save_atomic(model, path):
    tmp = f"{path}.tmp{os.getpid()}"
    onnx.save(model, tmp)
    os.replace(tmp, path)


def training_windows(root, metadata, count, cache_dir, exclude=()):
    """`count` un-augmented windows spread evenly over the clips of a TRAINING root (never val: the int8
    model's F1 is measured there)."""
    from .augment import full_frame_input
    from .dataset import find_pairs, frame_spacing
    from .letterbox import Letterbox
    from .video import decode_cached, median_background, probe, probe_fps

    fin = int(metadata.get("shuttle.frames_in", 3))
    h, w = int(metadata.get("shuttle.input_height", 288)), int(metadata.get("shuttle.input_width", 512))
    train_fps = float(metadata["shuttle.train_fps"]) if metadata.get("shuttle.train_fps") else None
    pairs = find_pairs(str(root), exclude)
    if not pairs:
        raise SystemExit(f"{root}: no clips found for calibration")
    per = max(1, -(-count // len(pairs)))
    out = []
    for video, _, _ in pairs:
        frames = decode_cached(video, Letterbox(*probe(video), w, h), cache_dir)
        bg = median_background(frames) if metadata.get("shuttle.background") == "true" else None
        spacing = frame_spacing(probe_fps(video), train_fps) if train_fps else 1
        span = (fin - 1) * spacing + 1
        clip = type("Calib", (), {"frames": frames, "background": bg})()
        for start in np.linspace(0, max(0, len(frames) - span), per).round().astype(int):
            out.append(full_frame_input(clip, int(start), fin, spacing).numpy())
    idx = np.linspace(0, len(out) - 1, min(count, len(out))).round().astype(int)
    return np.stack([out[i] for i in idx]).astype(np.float32)


def calibration_windows(root, metadata, count, cache_dir, augmented=0.0):
    """`count` TRAINING windows: a share `augmented` of them through the training augmentation's new-camera
    transforms (quantize_proxy.PROXIES["newcam"], its own seed), the rest un-augmented -> (windows, note)."""
    n_aug = int(round(count * augmented))
    plain = training_windows(root, metadata, count - n_aug, cache_dir) if count > n_aug else None
    if not n_aug:
        return plain, f"{count} training windows"
    from .dataset import load_root
    from .quantize_proxy import proxy_windows

    fin, bg = int(metadata.get("shuttle.frames_in", 3)), metadata.get("shuttle.background") == "true"
    h, w = int(metadata.get("shuttle.input_height", 288)), int(metadata.get("shuttle.input_width", 512))
    clips = load_root(str(root), cache_dir, fin, bg, h, w, warn=lambda *_: None)
    aug = proxy_windows(clips, metadata, "newcam", n_aug, seed=0)
    both = aug if plain is None else np.concatenate([plain, aug])
    return both, f"{count} training windows ({n_aug} through the new-camera augmentation)"


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write the int8 (QDQ) variant of a tracker model.")
    ap.add_argument("model", help="the fp32 .onnx (with shuttle.* metadata)")
    ap.add_argument("--out", help="default: <model>.int8.onnx beside it")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--train", help="TRAINING data root for calibration (never the val set)")
    src.add_argument("--calibration", help="calibration windows as a .npy float32 [N, C, H, W] instead")
    ap.add_argument(
        "--keep-fp32",
        action="append",
        default=[],
        metavar="NAME_PART",
        help="keep the nodes whose name contains this in fp32 (repeatable)",
    )
    ap.add_argument("--quantize-head", action="store_true", help="quantize the output Conv too (tests)")
    ap.add_argument("--windows", type=int, default=200)
    ap.add_argument("--percentile", type=float, help="ranges from this percentile (e.g. 99.99), not min/max")
    ap.add_argument(
        "--augmented",
        type=float,
        default=0.0,
        help="share of --train windows drawn through the new-camera augmentation (0..1)",
    )
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "shuttle-quantize-cache"))
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(argv)
    out = a.out or a.model[: -len(".onnx")] + ".int8.onnx"
    model = onnx.load(a.model)
    meta = {p.key: p.value for p in model.metadata_props}
    if meta.get("shuttle.precision") == "int8":
        raise SystemExit(f"{a.model} is already an int8 model")
    if a.calibration:
        windows, note = np.load(a.calibration).astype(np.float32), None
    else:
        windows, note = calibration_windows(a.train, meta, a.windows, a.cache, a.augmented)
    q, report = quantize(model, windows, a.threads, a.quantize_head, a.keep_fp32, a.percentile, note)
    save_atomic(q, out)
    print(json.dumps({"out": out, **report}))


if __name__ == "__main__":
    sys.exit(main())
