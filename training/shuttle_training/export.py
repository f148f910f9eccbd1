# Runs in PyTorch + onnx (after training). Exports a checkpoint to the app's ONNX model contract
# (docs/ARCHITECTURE.md): input `frames` float32 [N, C, 288, 512] with dynamic N, output `heatmaps` float32
# [N, F_out, 288, 512] logits, opset 17, shuttle.* metadata_props; then checks parity with onnxruntime-node.
# CLI: python -m shuttle_training.export --checkpoint runs/<name>/best.pt --out ../resources/models/x.onnx
import argparse
import inspect
import json
import os
import sys

import onnx
import torch

from . import __version__
from . import checkpoint
from .checkpoint import load_model
from .onnx_node import OnnxNodeUnavailable
from .parity import check


def export(model, path, metadata: dict, height=288, width=512):
    model = model.cpu().eval()
    model.deep_supervision = False
    cfg = model.cfg
    c = 3 * cfg.frames_in + (3 if cfg.background else 0)
    x = torch.rand(1, c, height, width)
    tmp = path + ".tmp"
    kw = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kw[
            "dynamo"
        ] = False  # newer PyTorch defaults to the dynamo exporter; keep the TorchScript one (1.13-2.x)
    torch.onnx.export(
        model,
        x,
        tmp,
        opset_version=17,
        input_names=["frames"],
        output_names=["heatmaps"],
        dynamic_axes={"frames": {0: "N"}, "heatmaps": {0: "N"}},
        do_constant_folding=True,
        **kw,
    )
    m = onnx.load(tmp)
    del m.metadata_props[:]
    for k, v in metadata.items():
        e = m.metadata_props.add()
        e.key, e.value = k, str(v)
    m.producer_name = "shuttle_training"
    onnx.checker.check_model(m)
    onnx.save(m, tmp)
    os.replace(tmp, path)


def contract_metadata(
    model, arch, trained_on, val_f1, threshold=0.5, height=288, width=512, stride=None, train_fps=None
):
    cfg = model.cfg
    # shuttle.train_fps only when known: a model without it is read at consecutive frames by the app.
    rate = {} if train_fps is None else {"shuttle.train_fps": f"{float(train_fps):g}"}
    return {
        **rate,
        "shuttle.window_stride": stride or cfg.frames_in,
        "shuttle.arch": arch,
        "shuttle.frames_in": cfg.frames_in,
        "shuttle.frames_out": cfg.frames_out,
        "shuttle.input_height": height,
        "shuttle.input_width": width,
        "shuttle.background": "true" if cfg.background else "false",
        "shuttle.output": "logits",
        "shuttle.threshold": threshold,
        "shuttle.trained_on": trained_on,
        "shuttle.val_f1": "" if val_f1 is None else f"{val_f1:.4f}",
        "shuttle.version": __version__,
    }


def stride_thresholds(pairs, frames_in):
    """["3:0.9", ...] -> "3:0.9,..." (shuttle.thresholds_by_stride, which the app reads); None when empty."""
    out = []
    for p in pairs:
        try:
            s, t = p.split(":")
            s, t = int(s), float(t)
        except ValueError:
            sys.exit(f"error: --stride-threshold takes STRIDE:THRESHOLD such as 3:0.9, not {p!r}")
        if not (1 <= s <= frames_in and 0 < t < 1):
            sys.exit(
                f"error: --stride-threshold {p}: the stride must be 1 to {frames_in},"
                " the threshold inside (0, 1)"
            )
        out.append(f"{s}:{t:g}")
    return ",".join(out) or None


def main(argv=None):
    ap = argparse.ArgumentParser(description="Export a checkpoint to ONNX with shuttle.* metadata.")
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--trained-on", help="data description for shuttle.trained_on (default: from checkpoint)")
    ap.add_argument(
        "--threshold",
        type=float,
        help="shuttle.threshold (default: the threshold the checkpoint's val"
        " evaluation chose, see train --thresholds; 0.5 for older checkpoints)",
    )
    ap.add_argument(
        "--val-f1",
        type=float,
        help="val F1 at --threshold and --window-stride (default: the"
        " checkpoint's own, when it was measured at that threshold and stride)",
    )
    ap.add_argument(
        "--window-stride",
        type=int,
        help="shuttle.window_stride: the window step the app uses"
        " (default: the stride of the checkpoint's val evaluation, else frames_in; 1 = temporal ensemble)",
    )
    ap.add_argument(
        "--train-fps",
        type=float,
        help="shuttle.train_fps: the frame rate the training clips were"
        " recorded at (default: the checkpoint's, which train.py records; none for older checkpoints)",
    )
    ap.add_argument(
        "--pt-out",
        help="also write the weights-and-configuration checkpoint the studio fine-tunes from"
        " (resources/models/<arch>.pt), its val result at the exported threshold and stride",
    )
    ap.add_argument(
        "--stride-threshold",
        action="append",
        default=[],
        metavar="STRIDE:T",
        help="the threshold for another window stride, chosen on training clips"
        " (shuttle.thresholds_by_stride; e.g. 3:0.9 for the app's track --fast); repeatable;"
        " default: the checkpoint's",
    )
    ap.add_argument("--no-parity", action="store_true")
    a = ap.parse_args(argv)
    model, ck = load_model(a.checkpoint)
    args = ck.get("args", {})
    trained_on = (
        a.trained_on
        or ck.get("trained_on")
        or ",".join(os.path.basename(os.path.normpath(r.split("=")[0])) for r in args.get("train", []))
        or "unknown"
    )
    val = ck.get("val") or {}
    # The checkpoint's val result says at which threshold and window stride it was measured (older ones: 0.5,
    # no overlap). The model ships at that operating point unless told otherwise, and only claims the F1 that
    # was measured there.
    measured = (val.get("threshold", 0.5), val.get("stride", model.cfg.frames_in))
    threshold = a.threshold if a.threshold is not None else measured[0]
    stride = a.window_stride or measured[1]
    if a.val_f1 is not None:
        val_f1 = a.val_f1
    else:
        f1 = (
            val["tracknet"]["f1"] if "tracknet" in val else val.get("f1")
        )  # a run's checkpoint, or a --pt-out one
        val_f1 = f1 if (threshold, stride) == measured else None
    train_fps = a.train_fps if a.train_fps is not None else ck.get("train_fps")
    if train_fps is not None and not 1 <= train_fps <= 1000:
        sys.exit(f"error: a training frame rate of {train_fps} frames/s is not plausible (1 to 1000)")
    meta = contract_metadata(
        model, ck["arch"], trained_on, val_f1, threshold, stride=stride, train_fps=train_fps
    )
    by_stride = stride_thresholds(a.stride_threshold, model.cfg.frames_in) or ck.get("thresholds_by_stride")
    if by_stride:
        meta["shuttle.thresholds_by_stride"] = by_stride
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    export(model, a.out, meta)
    if a.pt_out:
        # No optimizer or history: what a fine-tune needs, and the operating point it starts from.
        checkpoint.save(
            a.pt_out,
            model,
            trained_on=trained_on,
            train_fps=train_fps,
            val={"threshold": threshold, "stride": stride, "f1": val_f1},
            **({"thresholds_by_stride": by_stride} if by_stride else {}),
        )
    res = {"event": "export", "path": a.out, "bytes": os.path.getsize(a.out), "metadata": meta}
    if not a.no_parity:
        try:
            p = check(model, a.out)
            res["parity"] = {
                "ok": p["ok"],
                "max_abs_diff": p["max_abs_diff"],
                "metadata_matches": p["metadata"] == {k: str(v) for k, v in meta.items()},
            }
        except OnnxNodeUnavailable as e:
            res["parity"] = {"skipped": str(e)}
    print(json.dumps(res, default=str))
    if not res.get("parity", {}).get("ok", True):
        sys.exit("error: ONNX parity check failed")


if __name__ == "__main__":
    main()
