# Runs in Python (developer machine). How far an int8 tracker strays from its fp32 model on footage unlike
# its calibration set, measured on TRAINING clips only (val and new cameras are test sets): windows of the
# training clips pass through the new-camera parts of the training augmentation (augment.py: a quarter
# turn, another frame shape letterboxed as the app does, a fisheye lens, a dim hall) and both models run on
# them through onnxruntime-node. A frame agrees when both models call it the same (shuttle or not, at the
# model's threshold) and, with a shuttle, put it within 4 model pixels (512x288) of each other.
# usage: python -m shuttle_training.quantize_proxy FP32.onnx INT8.onnx [INT8...] --train ROOT [--windows 64]
#        python -m shuttle_training.quantize_proxy FP32.onnx --train ROOT --sensitivity [--proxies newcam]
import argparse
import json
import math
import os
import random
import tempfile

import numpy as np

from .augment import AugmentConfig, make_labelled_sample
from .dataset import frame_spacing, load_root
from .parity import run_onnx

AGREE_PX = 4.0
# The new-camera transforms, each alone and all together. Every proxy window is the whole frame (no crop, no
# flip, no colour jitter): only the named change separates it from the broadcast.
PROXIES = {
    "plain": {},
    "rot90": {"rotate90_p": 1.0},
    "aspect": {"aspect_p": 1.0},
    "fisheye": {"lens_p": 1.0, "lens_min": 0.2, "lens_max": 0.5},
    "dim": {"exposure_p": 1.0, "exposure_range": (0.3, 0.7), "noise_p": 1.0},
    "newcam": {
        "rotate90_p": 1.0,
        "aspect_p": 1.0,
        "lens_p": 1.0,
        "lens_min": 0.1,
        "lens_max": 0.5,
        "exposure_p": 1.0,
        "exposure_range": (0.3, 1.0),
        "gamma_p": 0.5,
        "blur_p": 0.5,
        "noise_p": 0.5,
    },
}


# Node-name prefixes of the tracker's parts (MMFNet), from the input to the output head.
SENSITIVITY_GROUPS = (
    "/Concat",
    "/stem",
    "/stage1",
    "/transitions.0",
    "/stages.0",
    "/transitions.1",
    "/stages.1",
    "/transitions.2",
    "/stages.2",
    "/heads.0",
    "/heads.1",
    "/heads.2",
    "/Concat_1",
)


def proxy_config(name, h, w):
    """The AugmentConfig of a proxy: whole frames of the model's size, only the proxy's transforms on."""
    base = dict(crop_h=h, crop_w=w, shuttle_crop_p=0.0, scale_jitter=0.0, flip_p=0.0, colour_jitter=0.0)
    return AugmentConfig(**base, **PROXIES[name])


def proxy_windows(clips, metadata, proxy, count, seed=1):
    """`count` windows of TRAINING clips (dataset.load_root; clips in turn, starts drawn with `seed`), each
    through the proxy's transforms; float32 [N, C, H, W]."""
    fin = int(metadata.get("shuttle.frames_in", 3))
    fout = int(metadata.get("shuttle.frames_out", fin))
    h, w = int(metadata.get("shuttle.input_height", 288)), int(metadata.get("shuttle.input_width", 512))
    train_fps = float(metadata["shuttle.train_fps"]) if metadata.get("shuttle.train_fps") else None
    background = metadata.get("shuttle.background") == "true"
    cfg, rng = proxy_config(proxy, h, w), random.Random(seed)
    out = []
    for i in range(count):
        clip = clips[i % len(clips)]
        spacing = frame_spacing(clip.fps, train_fps) if train_fps and clip.fps else 1
        last = len(clip) - ((fin - 1) * spacing + 1)
        start = rng.randint(0, max(0, last))
        x, _, _, _ = make_labelled_sample(clip, start, fin, fout, cfg, rng, background, spacing)
        out.append(x.numpy())
    return np.stack(out).astype(np.float32)


def detections(logits, threshold):
    """-> (visible bool [N, F], x, y int [N, F]) of each output frame: its strongest pixel, visible at or
    above the threshold probability (logits compared with the threshold's logit)."""
    n, f, h, w = logits.shape
    flat = logits.reshape(n, f, h * w)
    at = flat.argmax(2)
    peak = np.take_along_axis(flat, at[..., None], 2)[..., 0]
    return peak >= math.log(threshold / (1 - threshold)), at % w, at // w


def agreement(fp32_logits, int8_logits, threshold):
    """-> dict: the share of output frames where both agree, and of fp32's shuttles that int8 keeps."""
    va, xa, ya = detections(fp32_logits, threshold)
    vb, xb, yb = detections(int8_logits, threshold)
    near = np.hypot(xa - xb, ya - yb) <= AGREE_PX
    agree = (va == vb) & (~va | near)
    kept = va & vb & near
    return {
        "frames": int(va.size),
        "agree": float(agree.mean()),
        "fp32_shuttles": int(va.sum()),
        "kept": float(kept.sum() / max(1, va.sum())),
    }


def logits_of(model_path, windows, threads=2, chunk=16):
    return np.concatenate(
        [run_onnx(model_path, windows[s : s + chunk], threads)[0] for s in range(0, len(windows), chunk)]
    )


def compare(fp32_path, int8_paths, windows, threshold, threads=2):
    """-> {int8 path: agreement} on one set of windows (fp32 runs once)."""
    ref = logits_of(fp32_path, windows, threads)
    return {p: agreement(ref, logits_of(p, windows, threads), threshold) for p in int8_paths}


def only_group_int8(fp32_model, ranges, group):
    """The int8 model with only the nodes of `group` (a node-name prefix such as "/stem") quantized."""
    import onnx

    from .quantize import fold_relus, insert_qdq

    inside = [n.name for n in fp32_model.graph.node if n.name == group or n.name.startswith(group + "/")]
    keep = {n.name for n in fp32_model.graph.node} - set(inside)
    folded = fold_relus(onnx.load_from_string(fp32_model.SerializeToString()), keep)
    return insert_qdq(folded, ranges, keep), len(inside)


def sensitivity(fp32_path, windows, calib, threshold, groups, out_dir, threads=2):
    """-> [(group, agreement)]: the proxy agreement of models that quantize one group of layers alone, with
    ranges calibrated (min/max) once on `calib`; the group whose int8 costs the most agreement is the one to
    keep fp32."""
    import onnx

    from .quantize import calibrate, fold_relus, head_nodes, save_atomic, tensors_to_quantize

    fp32 = onnx.load(fp32_path)
    head = head_nodes(fp32.graph)
    folded = fold_relus(onnx.load_from_string(fp32.SerializeToString()), head)
    ranges = calibrate(fp32, tensors_to_quantize(folded.graph, head), calib, threads)
    ref = logits_of(fp32_path, windows, threads)
    rows = []
    for group in groups:
        q, nodes = only_group_int8(fp32, ranges, group)
        path = os.path.join(out_dir, f"only{group.replace('/', '_')}.int8.onnx")
        save_atomic(q, path)
        rows.append((group, nodes, agreement(ref, logits_of(path, windows, threads), threshold)))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description="fp32-vs-int8 agreement on transformed TRAINING windows.")
    ap.add_argument("fp32", help="the fp32 .onnx")
    ap.add_argument("int8", nargs="*", help="int8 candidates")
    ap.add_argument("--train", required=True, help="TRAINING data root (never val, never a new camera)")
    ap.add_argument("--proxies", default=",".join(PROXIES), help=f"comma-separated, of {', '.join(PROXIES)}")
    ap.add_argument("--windows", type=int, default=64, help="windows per proxy")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "shuttle-quantize-cache"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--sensitivity",
        action="store_true",
        help="quantize one group of layers at a time (SENSITIVITY_GROUPS) and report each one's agreement",
    )
    a = ap.parse_args(argv)
    if not a.int8 and not a.sensitivity:
        ap.error("name int8 candidates, or --sensitivity")
    import onnx

    meta = {p.key: p.value for p in onnx.load(a.fp32, load_external_data=False).metadata_props}
    threshold = float(meta.get("shuttle.threshold", 0.5))
    fin, bg = int(meta.get("shuttle.frames_in", 3)), meta.get("shuttle.background") == "true"
    h, w = int(meta.get("shuttle.input_height", 288)), int(meta.get("shuttle.input_width", 512))
    clips = load_root(a.train, a.cache, fin, bg, h, w, warn=lambda *_: None)
    if not clips:
        raise SystemExit(f"{a.train}: no labelled clips for the proxy")
    if a.sensitivity:
        from .quantize import training_windows

        calib = training_windows(
            a.train, meta, 128, a.cache
        )  # the recipe the bundled int8 model was made with
        windows = np.concatenate(
            [proxy_windows(clips, meta, p, a.windows, a.seed) for p in a.proxies.split(",")]
        )
        with tempfile.TemporaryDirectory() as d:
            for group, nodes, r in sensitivity(
                a.fp32, windows, calib, threshold, SENSITIVITY_GROUPS, d, a.threads
            ):
                print(json.dumps({"only_int8": group, "nodes": nodes, **r}), flush=True)
        return
    for proxy in a.proxies.split(","):
        windows = proxy_windows(clips, meta, proxy, a.windows, a.seed)
        for path, r in compare(a.fp32, a.int8, windows, threshold, a.threads).items():
            print(json.dumps({"proxy": proxy, "int8": os.path.basename(path), **r}), flush=True)


if __name__ == "__main__":
    main()
