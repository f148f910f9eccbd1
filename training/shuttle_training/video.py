# Runs in Python (data loading). Decodes a video ONCE with ffmpeg, scaled and letterboxed to the model size
# inside ffmpeg (rawvideo rgb24 pipe), into a uint8 cache file that later epochs memory-map. Also computes the
# median background frame. Failures raise VideoError naming the file.
# Where no ffmpeg is installed but OpenCV is (GPU training images often ship opencv-python with its own
# FFmpeg and no ffmpeg command), OpenCV decodes instead, with the same letterbox.
import hashlib
import json
import os
import shutil
import subprocess

import numpy as np

from .letterbox import Letterbox

BACKGROUND_SAMPLES = 63  # odd, so the per-pixel median is one of the samples (no averaging of two values)


class VideoError(RuntimeError):
    pass


def _use_opencv():
    """True where the ffmpeg commands are missing and OpenCV can stand in; else ffmpeg (and its errors)."""
    if shutil.which("ffmpeg") and shutil.which("ffprobe"):
        return False
    try:
        import cv2  # noqa: F401
    except ImportError:
        return False
    return True


def _open_cv(path):
    import cv2

    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        raise VideoError(f"{path}: OpenCV cannot open a video stream")
    return cv2, cap


def probe_fps(path):
    """-> the first video stream's average frame rate in frames/s, or None when the file does not say."""
    if _use_opencv():
        cv2, cap = _open_cv(path)
        fps = float(cap.get(cv2.CAP_PROP_FPS))
        cap.release()
        return fps if fps > 0 else None
    try:
        s = _ffprobe_stream(path, "avg_frame_rate,r_frame_rate")
    except _PROBE_ERRORS:
        return None
    for key in ("avg_frame_rate", "r_frame_rate"):
        num, _, den = str(s.get(key, "")).partition("/")
        try:
            fps = float(num) / float(den or 1)
        except (ValueError, ZeroDivisionError):
            continue
        if fps > 0:
            return fps
    return None


def probe(path):
    """-> (width, height) of the first video stream."""
    if _use_opencv():
        cv2, cap = _open_cv(path)
        w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        cap.release()
        if w <= 0 or h <= 0:
            raise VideoError(f"{path}: OpenCV finds no frame size")
        return w, h
    try:
        s = _ffprobe_stream(path, "width,height")
        return int(s["width"]), int(s["height"])
    except _PROBE_ERRORS as e:
        raise VideoError(f"{path}: ffprobe cannot read a video stream ({e.__class__.__name__})")


# What a failed or unreadable ffprobe answer raises (a missing key or stream included).
_PROBE_ERRORS = (subprocess.CalledProcessError, KeyError, IndexError, ValueError, subprocess.TimeoutExpired)


def _ffprobe_stream(path, entries):
    """-> the first video stream's entries (comma-separated names) as ffprobe's JSON gives them."""
    cmd = ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", f"stream={entries}"]
    out = subprocess.run([*cmd, "-of", "json", str(path)], capture_output=True, check=True, timeout=60).stdout
    return json.loads(out)["streams"][0]


def _cache_key(path, lb: Letterbox, decoder=""):
    st = os.stat(path)
    h = hashlib.sha1(
        f"{os.path.abspath(path)}|{st.st_size}|{st.st_mtime_ns}|{lb}{decoder}".encode()
    ).hexdigest()
    return h[:16]


def _decode_opencv(path, lb: Letterbox, out_path):
    """The ffmpeg command's output, by OpenCV: RGB frames scaled to the letterbox (area filter, as ffmpeg's
    downscaling averages), black padding right and bottom, appended to out_path. -> frames written."""
    cv2, cap = _open_cv(path)
    pad = np.zeros((lb.model_h, lb.model_w, 3), np.uint8)
    n = 0
    with open(out_path, "wb") as f:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            pad[: lb.scaled_h, : lb.scaled_w] = cv2.resize(
                bgr, (lb.scaled_w, lb.scaled_h), interpolation=cv2.INTER_AREA
            )[:, :, ::-1]
            f.write(pad.tobytes())
            n += 1
    cap.release()
    return n


def decode_cached(path, lb: Letterbox, cache_dir):
    """-> read-only memmap uint8 [T, model_h, model_w, 3]; decodes on first use only."""
    os.makedirs(cache_dir, exist_ok=True)
    opencv = _use_opencv()
    stem = os.path.join(
        cache_dir, f"{os.path.basename(path)}.{_cache_key(path, lb, '|opencv' if opencv else '')}"
    )
    raw, meta = stem + ".u8", stem + ".json"
    fsize = lb.model_h * lb.model_w * 3
    if opencv and not (os.path.exists(raw) and os.path.exists(meta)):
        tmp = raw + f".tmp{os.getpid()}"
        if _decode_opencv(path, lb, tmp) == 0:
            os.remove(tmp)
            raise VideoError(f"{path}: OpenCV decoded no frames")
        os.replace(tmp, raw)
        with open(meta, "w") as f:
            json.dump({"frames": os.path.getsize(raw) // fsize, "source": os.path.basename(path)}, f)
    if not (os.path.exists(raw) and os.path.exists(meta)):
        tmp = raw + f".tmp{os.getpid()}"
        cmd = [
            "ffmpeg",
            "-v",
            "error",
            "-nostdin",
            "-i",
            str(path),
            "-map",
            "0:v:0",
            "-vsync",
            "passthrough",
            "-vf",
            lb.ffmpeg_filter(),
            "-pix_fmt",
            "rgb24",
            "-f",
            "rawvideo",
            tmp,
            "-y",
        ]
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
