# Runs in Python (data loading, evaluation). Parses TrackNet label CSVs: Frame,Visibility,X,Y in video pixels,
# or the normalised variant Frame,Ball,x,y (0..1). Returns arrays indexed by frame, or raises LabelError
# naming the file.
import csv

import numpy as np


class LabelError(ValueError):
    pass


def read_labels(path, video_w: int, video_h: int):
    """-> (vis[int8, T], xy[float32, T, 2] in video pixels). Frames must be 0..T-1, each exactly once."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise LabelError(f"{path}: empty label file")
    head = [h.strip() for h in rows[0]]
    lower = [h.lower() for h in head]
    if lower[:4] == ["frame", "visibility", "x", "y"] and head[2] == "X":
        normalised = False
    elif lower[:4] == ["frame", "ball", "x", "y"] or head[:4] == ["Frame", "Visibility", "x", "y"]:
        normalised = True
    else:
        raise LabelError(f"{path}: header {head} is neither Frame,Visibility,X,Y nor Frame,Ball,x,y")
    body = [r for r in rows[1:] if r and any(c.strip() for c in r)]
    n = len(body)
    vis = np.zeros(n, np.int8)
    xy = np.zeros((n, 2), np.float32)
    seen = np.zeros(n, bool)
    for line, r in enumerate(body, start=2):
        try:
            fr, v, x, y = int(float(r[0])), int(float(r[1])), float(r[2]), float(r[3])
        except (ValueError, IndexError):
            raise LabelError(f"{path}:{line}: cannot parse {r}")
        if not 0 <= fr < n or seen[fr]:
            raise LabelError(f"{path}:{line}: frame {fr} out of order, repeated or beyond {n} rows")
        seen[fr] = True
        vis[fr] = 1 if v > 0 else 0
        if normalised:
            x, y = x * video_w, y * video_h
        xy[fr] = (x, y)
    return vis, xy
