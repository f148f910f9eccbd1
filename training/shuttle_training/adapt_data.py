# Runs in Python (adaptation, `python -m shuttle_training.adapt`). Reads what an adaptation starts from: the
# manifest the app writes (sparse ground-truth rows per clip, split into train and held back), each clip's
# frames decoded once into the run folder's cache through the app's letterbox, and the base model with the
# operating point it ships with (threshold, window stride, training frame rate). Every refusal is an
# AdaptError carrying the exit code the interface documents (2 manifest, 3 base model, 4 video).
import json
import math
import os
from dataclasses import dataclass, field

import numpy as np
import torch

from .dataset import frame_spacing
from .letterbox import Letterbox
from .models import build_model
from .video import VideoError, decode_cached, median_background, probe, probe_fps

BAD_MANIFEST, BAD_MODEL, BAD_VIDEO, BAD_WRITE = 2, 3, 4, 5
MIN_TRAIN_FRAMES = 20  # the app's MIN_TRAIN_FRAMES: fewer labelled frames teach nothing worth a model


class AdaptError(RuntimeError):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


@dataclass
class Base:
    model: torch.nn.Module
    arch: str
    path: str
    threshold: float
    stride: int  # the window stride the app runs the model at (1 = every frame in frames_in windows)
    train_fps: float = None  # None: the app reads consecutive frames
    trained_on: str = ""


@dataclass
class AdaptClip:
    name: str  # <match>/<clip>
    video: str
    frames: np.ndarray  # uint8 [T, 288, 512, 3] memmap, letterboxed as the app does
    background: np.ndarray  # uint8 [288, 512, 3] or None
    lb: Letterbox
    fps: float
    spacing: int  # frames between a window's inputs (dataset.frame_spacing of the clip and the model)
    # Training targets. tvis: -1 = unknown (no row: never a target), 0 = not visible, 1 = visible;
    # tmxy: the label in model pixels.
    tvis: np.ndarray = None
    tmxy: np.ndarray = None
    held: dict = field(default_factory=dict)  # frame -> (visibility, x, y) in video pixels, for F1 only

    def __len__(self):
        return len(self.frames)


def _read_sibling_metadata(onnx_path):
    if not os.path.exists(onnx_path):
        return {}
    try:
        import onnx

        m = onnx.load(onnx_path)
        return {p.key: p.value for p in m.metadata_props}
    except Exception:  # a damaged sibling only loses what it could have told
        return {}


def load_base(path, device="cpu"):
    """The model to adapt: a checkpoint (.pt) as train.py / export --pt-out write it. What the .pt does not
    record (the bundled one predates train_fps) is taken from its ONNX sibling's metadata."""
    stem, ext = os.path.splitext(path)
    if ext.lower() == ".onnx":
        path = stem + ".pt"
        if not os.path.exists(path):
            raise AdaptError(
                BAD_MODEL, f"{stem}.onnx has no PyTorch sibling {os.path.basename(path)} to adapt"
            )
    if not os.path.isfile(path):
        raise AdaptError(BAD_MODEL, f"base model {path} does not exist")
    try:
        ck = torch.load(path, map_location="cpu")
    except Exception as e:
        raise AdaptError(BAD_MODEL, f"base model {path} is not a readable PyTorch checkpoint ({e})")
    if not isinstance(ck, dict) or not {"arch", "config", "model"} <= set(ck):
        raise AdaptError(
            BAD_MODEL, f"base model {path} is not a shuttle_training checkpoint (arch, config, model)"
        )
    try:
        model = build_model(ck["arch"], ck["config"])
        model.load_state_dict(ck["model"])
    except Exception as e:
        raise AdaptError(BAD_MODEL, f"base model {path} does not load into {ck.get('arch')}: {e}")
    model.arch_name = ck["arch"]
    meta = _read_sibling_metadata(os.path.splitext(path)[0] + ".onnx")
    val = ck.get("val") or {}
    fps = ck.get("train_fps") or meta.get("shuttle.train_fps") or None
    base = Base(
        model=model.to(device).eval(),
        arch=ck["arch"],
        path=path,
        threshold=float(val.get("threshold") or meta.get("shuttle.threshold") or 0.5),
        stride=int(val.get("stride") or meta.get("shuttle.window_stride") or model.cfg.frames_in),
        train_fps=float(fps) if fps else None,
        trained_on=str(ck.get("trained_on") or meta.get("shuttle.trained_on") or ""),
    )
    if not 0 < base.threshold < 1 or not 1 <= base.stride <= model.cfg.frames_in:
        raise AdaptError(BAD_MODEL, f"base model {path}: threshold {base.threshold} or stride {base.stride}")
    return base


def _rows(clip, key, where):
    rows = clip.get(key, [])
    if not isinstance(rows, list):
        raise AdaptError(BAD_MANIFEST, f"{where}.{key} is not a list of [frame, visibility, x, y] rows")
    out = {}
    for i, r in enumerate(rows):
        ok = isinstance(r, list) and len(r) == 4 and all(isinstance(v, (int, float)) for v in r)
        if (
            not ok
            or not all(math.isfinite(v) for v in r)
            or int(r[0]) != r[0]
            or r[0] < 0
            or r[1] not in (0, 1)
        ):
            raise AdaptError(BAD_MANIFEST, f"{where}.{key}[{i}] = {r!r} is not [frame, 0|1, x, y]")
        if int(r[0]) in out:
            raise AdaptError(BAD_MANIFEST, f"{where}.{key}: frame {int(r[0])} appears twice")
        out[int(r[0])] = (int(r[1]), float(r[2]), float(r[3]))
    return out


def read_manifest(path):
    """-> the manifest dict with each clip's rows as {frame: (vis, x, y)}; refuses what it cannot use."""
    try:
        with open(path) as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        raise AdaptError(BAD_MANIFEST, f"manifest {path} cannot be read as JSON ({e})")
    if not isinstance(m, dict) or m.get("version") != 1 or not isinstance(m.get("clips"), list):
        raise AdaptError(BAD_MANIFEST, f"manifest {path}: expected version 1 with a list of clips")
    for i, c in enumerate(m["clips"]):
        where = f"clips[{i}]"
        if not isinstance(c, dict) or not isinstance(c.get("video"), str):
            raise AdaptError(BAD_MANIFEST, f"manifest {path}: {where} has no video path")
        c["train"], c["held"] = _rows(c, "train", where), _rows(c, "held", where)
        both = sorted(set(c["train"]) & set(c["held"]))
        if both:
            raise AdaptError(BAD_MANIFEST, f"{where}: frame {both[0]} is both a training and a held-back row")
    n_train = sum(len(c["train"]) for c in m["clips"])
    n_vis = sum(v for c in m["clips"] for v, _, _ in c["train"].values())
    n_held = sum(len(c["held"]) for c in m["clips"])
    if n_train < MIN_TRAIN_FRAMES:
        raise AdaptError(
            BAD_MANIFEST, f"too few labelled frames to train on: {n_train} (at least {MIN_TRAIN_FRAMES})"
        )
    if n_vis == 0:
        raise AdaptError(BAD_MANIFEST, "no training frame shows the shuttle: label some where it is visible")
    if n_held == 0:
        raise AdaptError(BAD_MANIFEST, "no held-back labelled frame: the adapted model could not be scored")
    return m


def load_clip(c, base, cache_dir, frames_in):
    """Decode one manifest clip (once, into cache_dir) and lay out its rows for training and scoring."""
    video, name = c["video"], f"{c.get('match', '')}/{c.get('clip', os.path.basename(c['video']))}"
    if not os.path.isfile(video):
        raise AdaptError(BAD_VIDEO, f"{name}: video {video} does not exist")
    try:
        w, h = (int(c["width"]), int(c["height"])) if c.get("width") and c.get("height") else probe(video)
        lb = Letterbox(w, h)
        frames = decode_cached(video, lb, cache_dir)
        fps = float(c["fps"]) if c.get("fps") else probe_fps(video)
    except VideoError as e:
        raise AdaptError(BAD_VIDEO, f"{name}: {e}")
    try:
        spacing = frame_spacing(fps, base.train_fps)
    except ValueError as e:
        raise AdaptError(BAD_MANIFEST, f"{name}: {e}")
    t = len(frames)
    last = max(list(c["train"]) + list(c["held"]), default=-1)
    if last >= t:
        raise AdaptError(BAD_VIDEO, f"{name}: labels reach frame {last} but {video} decodes to {t} frames")
    if t < (frames_in - 1) * spacing + 1:
        raise AdaptError(BAD_VIDEO, f"{name}: {t} frames are fewer than one window ({frames_in} x {spacing})")
    bg = median_background(frames, frames.filename + ".bg.npy") if base.model.cfg.background else None
    tvis = np.full(t, -1, np.int8)
    tmxy = np.zeros((t, 2), np.float32)
    for f, (v, x, y) in c["train"].items():
        tvis[f] = v
        tmxy[f] = lb.to_model(x, y) if v else (0.0, 0.0)
    return AdaptClip(name, video, frames, bg, lb, fps, spacing, tvis, tmxy, dict(c["held"]))
