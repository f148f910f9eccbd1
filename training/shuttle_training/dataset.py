# Runs in Python (training, evaluation). Finds clips in TrackNet-layout roots
# (ROOT/<match>/video/<clip>.mp4 + ROOT/<match>/csv/<clip>_ball.csv), decodes them through the cache, checks
# them, and exposes frame windows. Bad clips are skipped with a warning that names the file.
import glob
import os
from dataclasses import dataclass

import numpy as np

from .labels import LabelError, read_labels
from .letterbox import Letterbox
from .video import VideoError, decode_cached, median_background, probe, probe_fps

# The extensions a studio project holds as videos (src/shared/project/video-files.ts), so a project
# trains as it is.
VIDEO_EXTS = (".mp4", ".mov", ".avi", ".mkv", ".m4v", ".webm", ".mts", ".ts")


@dataclass
class Clip:
    name: str  # <match>/<clip>
    video: str
    frames: np.ndarray  # uint8 [T, H, W, 3] memmap
    vis: np.ndarray  # int8 [T]
    xy: np.ndarray  # float32 [T, 2], video pixels
    mxy: np.ndarray  # float32 [T, 2], model pixels
    lb: Letterbox
    background: np.ndarray = None  # uint8 [H, W, 3] or None
    fps: float = None  # the video's frame rate, None when it does not say

    def __len__(self):
        return len(self.frames)

    # Pickled (a DataLoader worker on a platform that spawns): send the cache file's name, not its gigabytes.
    def __getstate__(self):
        d = dict(self.__dict__)
        if isinstance(self.frames, np.memmap):
            d["frames"] = ("memmap", self.frames.filename, self.frames.dtype.str, self.frames.shape)
        return d

    def __setstate__(self, d):
        f = d["frames"]
        if isinstance(f, tuple) and f and f[0] == "memmap":
            d["frames"] = np.memmap(f[1], dtype=np.dtype(f[2]), mode="r", shape=f[3])
        self.__dict__.update(d)


def find_pairs(root, exclude=()):
    """-> list of (video path, csv path or None, clip name) under one root, sorted for determinism. The root
    is a folder of matches (<match>/video, <match>/csv) or one match folder itself; matches named in `exclude`
    are left out (a project's held-out validation match)."""
    pairs = []
    own = os.path.join(root, "video")
    vdirs = [own] if os.path.isdir(own) else sorted(glob.glob(os.path.join(root, "*", "video")))
    for vdir in vdirs:
        match = os.path.basename(os.path.dirname(os.path.abspath(vdir)))
        if match in exclude:
            continue
        for v in sorted(os.listdir(vdir)):
            stem, ext = os.path.splitext(v)
            if ext.lower() not in VIDEO_EXTS:
                continue
            c = os.path.join(os.path.dirname(vdir), "csv", f"{stem}_ball.csv")
            pairs.append((os.path.join(vdir, v), c if os.path.exists(c) else None, f"{match}/{stem}"))
    return pairs


def load_root(root, cache_dir, window, background=False, model_h=288, model_w=512, warn=print, exclude=()):
    """Load every usable clip of a root (see find_pairs); warn(file, message) is called per skipped clip."""
    if not os.path.isdir(root):
        raise FileNotFoundError(f"{root}: data root does not exist")
    clips = []
    for video, csv_path, name in find_pairs(root, exclude):
        if csv_path is None:
            warn(video, "no matching csv/<clip>_ball.csv; clip skipped")
            continue
        try:
            w, h = probe(video)
            lb = Letterbox(w, h, model_w, model_h)
            frames = decode_cached(video, lb, cache_dir)
            vis, xy = read_labels(csv_path, w, h)
        except (VideoError, LabelError) as e:
            warn(video if isinstance(e, VideoError) else csv_path, f"{e}; clip skipped")
            continue
        if len(vis) != len(frames):
            warn(csv_path, f"{len(vis)} label rows but the video has {len(frames)} frames; clip skipped")
            continue
        if len(frames) < window:
            warn(video, f"{len(frames)} frames, shorter than the {window}-frame window; clip skipped")
            continue
        mx, my = lb.to_model(xy[:, 0], xy[:, 1])
        bg = None
        if background:
            bg = median_background(
                frames, os.path.join(cache_dir, os.path.basename(frames.filename) + ".bg.npy")
            )
        clips.append(
            Clip(
                name,
                video,
                frames,
                vis,
                xy,
                np.stack([mx, my], 1).astype(np.float32),
                lb,
                bg,
                probe_fps(video),
            )
        )
    return clips


def windows_for_eval(t, window, stride=None, spacing=1):
    """Start indices covering frames 0..t-1 with windows of `window` frames every `stride` frames (default
    `window`: no overlap; 1: every frame in `window` windows, a temporal ensemble); the last window is
    anchored at the clip's end (it may overlap the previous one; overlaps are averaged).
    With `spacing` k > 1 a window starting at s reads frames s, s + k, s + 2k, ...: the clip is split into k
    phases (frames p, p + k, ... for p < k), each cut as above as if it were a clip of its own, and the starts
    of all phases are returned in increasing order -- the app's layout (src/backend/tracking/windows.ts)."""
    if spacing < 1 or int(spacing) != spacing:
        raise ValueError(f"a frame spacing must be a whole number from 1, not {spacing}")
    if t // spacing < window:
        raise ValueError(f"{t} frames are fewer than a window of {window} frames taken {spacing} apart")
    starts = []
    for p in range(spacing):
        count = (t - 1 - p) // spacing + 1
        own = list(range(0, count - window + 1, stride or window))
        if own[-1] + window < count:
            own.append(count - window)
        starts += [p + s * spacing for s in own]
    return sorted(starts)


PLAUSIBLE_FPS = (1.0, 1000.0)


def frame_spacing(video_fps, train_fps):
    """Frames between a window's inputs for a clip at video_fps and a model trained at train_fps, as the app
    chooses it: round(video_fps / train_fps), at least 1; 1 when the model does not say (train_fps None). An
    unknown or implausible clip rate raises instead of guessing."""
    if train_fps is None:
        return 1
    if video_fps is None or not PLAUSIBLE_FPS[0] <= video_fps <= PLAUSIBLE_FPS[1]:
        raise ValueError(
            f"the clip's frame rate ({video_fps}) is unknown or implausible, so the frames a model "
            f"trained at {train_fps} frames/s should see cannot be chosen"
        )
    # Python's round() goes half to even; the app's Math.round goes half up: floor(x + 0.5) is the app's rule.
    return max(1, int(np.floor(video_fps / train_fps + 0.5)))
