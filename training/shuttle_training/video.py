# Runs in Python (data loading). Decodes a video ONCE with ffmpeg, scaled and letterboxed to the model size
# inside ffmpeg (rawvideo rgb24 pipe), into a uint8 cache file that later epochs memory-map. Also computes the
# median background frame. Failures raise VideoError naming the file.
import hashlib
import json
import os
import subprocess

import numpy as np

from .letterbox import Letterbox

BACKGROUND_SAMPLES = 63  # odd, so the per-pixel median is one of the samples (no averaging of two values)


class VideoError(RuntimeError):
    pass


def probe(path):
    """-> (width, height) of the first video stream."""
    cmd = ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
           "-of", "json", str(path)]
    try:
        out = subprocess.run(cmd, capture_output=True, check=True, timeout=60).stdout
        s = json.loads(out)["streams"][0]
        return int(s["width"]), int(s["height"])
    except (subprocess.CalledProcessError, KeyError, IndexError, ValueError, subprocess.TimeoutExpired) as e:
        raise VideoError(f"{path}: ffprobe cannot read a video stream ({e.__class__.__name__})")


def _cache_key(path, lb: Letterbox):
    st = os.stat(path)
    h = hashlib.sha1(f"{os.path.abspath(path)}|{st.st_size}|{st.st_mtime_ns}|{lb}".encode()).hexdigest()
    return h[:16]


def decode_cached(path, lb: Letterbox, cache_dir):
    """-> read-only memmap uint8 [T, model_h, model_w, 3]; decodes on first use only."""
    os.makedirs(cache_dir, exist_ok=True)
    stem = os.path.join(cache_dir, f"{os.path.basename(path)}.{_cache_key(path, lb)}")
    raw, meta = stem + ".u8", stem + ".json"
    fsize = lb.model_h * lb.model_w * 3
    if not (os.path.exists(raw) and os.path.exists(meta)):
        tmp = raw + f".tmp{os.getpid()}"
        cmd = ["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-map", "0:v:0", "-vsync", "passthrough",
               "-vf", lb.ffmpeg_filter(), "-pix_fmt", "rgb24", "-f", "rawvideo", tmp, "-y"]
        r = subprocess.run(cmd, capture_output=True, timeout=3600)
        size = os.path.getsize(tmp) if os.path.exists(tmp) else 0
        if r.returncode != 0 or size == 0 or size % fsize:
            if os.path.exists(tmp):
                os.remove(tmp)
            msg = r.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no frames decoded"]
            raise VideoError(f"{path}: ffmpeg failed to decode ({msg[0]})")
        os.replace(tmp, raw)
        with open(meta, "w") as f:
            json.dump({"frames": size // fsize, "source": os.path.basename(path)}, f)
    with open(meta) as f:
        n = json.load(f)["frames"]
    return np.memmap(raw, np.uint8, "r", shape=(n, lb.model_h, lb.model_w, 3))


def median_background(frames, cache_path=None):
    """Per-pixel, per-channel median of BACKGROUND_SAMPLES frames evenly spaced over the clip
    (indices round(i * (T-1) / (K-1)), K = min(T, 63)); uint8 [H, W, 3]."""
    if cache_path and os.path.exists(cache_path):
        return np.load(cache_path)
    t = len(frames)
    k = min(t, BACKGROUND_SAMPLES)
    idx = sorted({round(i * (t - 1) / max(1, k - 1)) for i in range(k)})
    bg = np.median(np.stack([frames[i] for i in idx]), axis=0)
    bg = np.floor(bg).astype(np.uint8)  # an even count (duplicates removed) averages two values: floor it
    if cache_path:
        np.save(cache_path, bg)
    return bg
