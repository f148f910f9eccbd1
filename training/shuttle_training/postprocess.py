# Runs in Python (evaluation, reference for the app). Heatmap -> at most one detection per frame, or the
# strongest few blobs (candidates) for a choice by trajectory.
# The TypeScript side re-implements exactly this; see training/README.md "Post-processing".
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, np.float64)))


def components(mask):
    """8-connected components of a bool [H, W] mask -> list of (ys, xs) index arrays, ordered by each
    component's first pixel in raster order. Works on horizontal runs (union-find over runs of adjacent
    rows), so a large blob costs as much as its number of runs, not its number of pixels."""
    h, w = mask.shape
    m = np.zeros((h, w + 2), np.int8)
    m[:, 1:-1] = mask
    d = np.diff(m, axis=1)
    rs, cs = np.nonzero(d == 1)  # run starts (row, col)
    _, ce = np.nonzero(d == -1)  # run ends (exclusive), same order as starts
    n = len(rs)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    row_first = np.searchsorted(rs, np.arange(h + 1))
    for i in range(n):
        r = rs[i]
        if r == 0:
            continue
        for j in range(row_first[r - 1], row_first[r]):  # runs of the previous row
            if cs[j] <= ce[i] and cs[i] <= ce[j]:  # touching incl. diagonals: [s, e) ranges grown by 1
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    out = []
    for root in sorted(groups):  # the root is the smallest run index = first pixel in raster order
        ys = np.concatenate([np.full(ce[i] - cs[i], rs[i]) for i in groups[root]])
        xs = np.concatenate([np.arange(cs[i], ce[i]) for i in groups[root]])
        out.append((ys, xs))
    return out


def detect(prob, threshold=0.5):
    """prob float [H, W] in 0..1 -> None or (x, y, confidence) in heatmap pixels.
    Pixels with prob >= threshold form 8-connected blobs; the blob with the largest summed probability wins
    (ties: the first in raster order); its probability-weighted centroid is the position and its peak
    probability the confidence."""
    blobs = components(prob >= threshold)
    if not blobs:
        return None
    best, best_sum = None, -1.0
    for ys, xs in blobs:
        s = float(prob[ys, xs].sum())
        if s > best_sum:
            best, best_sum = (ys, xs), s
    ys, xs = best
    p = prob[ys, xs].astype(np.float64)
    return float((p * xs).sum() / p.sum()), float((p * ys).sum() / p.sum()), float(p.max())


def candidates(prob, threshold=0.5, k=4):
    """prob float [H, W] -> up to k blobs as (x, y, mass, peak) in heatmap pixels, strongest (largest summed
    probability, summed in float64) first; equal masses keep raster order, so the first is the blob `detect`
    picks. The app's trajectory choice (src/shared/heatmap/trajectory.ts) chooses among these."""
    out = []
    for ys, xs in components(prob >= threshold):
        p = prob[ys, xs].astype(np.float64)
        out.append(
            (float((p * xs).sum() / p.sum()), float((p * ys).sum() / p.sum()), float(p.sum()), float(p.max()))
        )
    order = sorted(range(len(out)), key=lambda i: (-out[i][2], i))
    return [out[i] for i in order[:k]]


def candidates_video(prob, lb, threshold=0.5, k=4):
    """Same, positions mapped to video pixels through the letterbox."""
    res = []
    for x, y, mass, peak in candidates(prob, threshold, k):
        vx, vy = lb.to_video(x, y)
        res.append((vx, vy, mass, peak))
    return res


def detect_video(prob, lb, threshold=0.5):
    """Same, mapped back to video pixels through the letterbox (see letterbox.Letterbox.to_video)."""
    d = detect(prob, threshold)
    if d is None:
        return None
    x, y = lb.to_video(d[0], d[1])
    return x, y, d[2]
