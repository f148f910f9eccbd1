# Runs in PyTorch (adaptation). Scores a model on held-back rows the way the app tracks: the app's window
# layout over the whole clip (dataset.windows_for_eval with the model's window stride and the clip's frame
# spacing), each frame the mean of the sigmoid maps of every window that covers it, then postprocess.detect
# at the model's threshold and the TrackNet tolerance (metrics.Counts). Only the windows that cover a wanted
# frame are run and a frame's map is dropped once scored, so a long clip costs memory for a few frames only.
# Also mines confusers: strong responses far from any training label, for hard-negative crops.
import math
import time

import numpy as np
import torch

from .augment import full_frame_input
from .dataset import windows_for_eval
from .metrics import Counts
from .postprocess import candidates, detect_video

CHUNK = 6  # frames of one window phase per run of a subset (see subset)


class Stopped(Exception):
    """Raised inside a long evaluation when the user asked to stop."""


@torch.no_grad()
def frame_maps(model, clip, wanted, stride, batch=4, should_stop=None):
    """Yield (frame, probability map [288, 512]) for every frame in `wanted`, in the order they complete."""
    cfg = model.cfg
    win, fout, k = cfg.frames_in, cfg.frames_out, clip.spacing
    off = (win - fout) // 2
    wanted = set(wanted)
    starts = windows_for_eval(len(clip), win, stride, k)
    outs = {s: [s + (off + j) * k for j in range(fout)] for s in starts}
    left = {}
    for s in starts:
        for f in outs[s]:
            if f in wanted:
                left[f] = left.get(f, 0) + 1
    cover = dict(left)
    need = [s for s in starts if any(f in left for f in outs[s])]
    acc = {}
    model.eval()
    for i in range(0, len(need), batch):
        if should_stop and should_stop():
            raise Stopped()
        chunk = need[i : i + batch]
        x = torch.stack([full_frame_input(clip, s, win, k) for s in chunk])
        p = torch.sigmoid(model(x).float()).numpy()
        for s, ps in zip(chunk, p):
            for j, f in enumerate(outs[s]):
                if f not in left:
                    continue
                acc[f] = ps[j] if f not in acc else acc[f] + ps[j]
                left[f] -= 1
                if left[f] == 0:
                    del left[f]
                    yield f, acc.pop(f) / cover[f]


def windows_needed(model, clip, wanted, stride):
    """How many forward passes scoring `wanted` costs (to plan a time budget)."""
    cfg = model.cfg
    off, k = (cfg.frames_in - cfg.frames_out) // 2, clip.spacing
    wanted = set(wanted)
    starts = windows_for_eval(len(clip), cfg.frames_in, stride, k)
    return sum(1 for s in starts if any(s + (off + j) * k in wanted for j in range(cfg.frames_out)))


def score(model, clips, frames_of, threshold, stride, should_stop=None, also=None):
    """-> Counts at the TrackNet tolerance over frames_of(clip) (a set of held-back frames) of every clip;
    with `also` (a second such function, for a subset of those frames), (Counts, Counts of the subset) from
    the same forward passes."""
    total, part = score_at(model, clips, frames_of, [threshold], stride, should_stop, also)
    return (total[threshold], part[threshold]) if also else total[threshold]


def score_at(model, clips, frames_of, thresholds, stride, should_stop=None, also=None):
    """score at several detection thresholds from one set of forward passes (the maps are the cost, a
    detection is cheap): -> ({threshold: Counts}, {threshold: Counts of the `also` subset})."""
    total = {t: Counts() for t in thresholds}
    part = {t: Counts() for t in thresholds}
    for clip in clips:
        tol, extra = clip.lb.tolerance(4.0), also(clip) if also else set()
        for f, prob in frame_maps(model, clip, frames_of(clip), stride, should_stop=should_stop):
            v, x, y = clip.held[f]
            for t in thresholds:
                d = detect_video(prob, clip.lb, t)
                total[t].add(d, v, (x, y), tol)
                if f in extra:
                    part[t].add(d, v, (x, y), tol)
    return total, part


def best_threshold(by_threshold, prefer):
    """-> (F1, threshold) of the best threshold in {threshold: Counts}; a tie goes to `prefer` (the base
    model's), else to the threshold nearest it. F1 is compared rounded: the same counts reached two ways
    (33 TP, 18 FP, 0 FN against 33 TP, 16 FP, 2 FN) differ in the last bits of the float."""
    best = max((round(f1_of(c)[0], 9), t == prefer, -abs(t - prefer), t) for t, c in by_threshold.items())
    return f1_of(by_threshold[best[3]])[0], best[3]


def subset(clips, cap, pool=None):
    """-> {clip name: set of frames}: at most `cap` of the clips' held-back frames (or of pool[clip name]),
    all of them when they fit. Else short runs spread evenly over each clip, a run being CHUNK frames of one
    window phase (f, f + k, f + 2k, ... at the clip's spacing k): neighbours in a phase share all but one
    window, so a run costs CHUNK + frames_in - 1 passes, and many short runs see more of the clip than a few
    long ones."""
    pool = pool or {c.name: set(c.held) for c in clips}
    total = sum(len(pool[c.name]) for c in clips)
    out = {}
    for c in clips:
        have = pool[c.name]
        frames = sorted(have)
        if total <= cap:
            out[c.name] = set(frames)
            continue
        share = max(1, round(cap * len(frames) / total))
        runs = max(1, math.ceil(share / CHUNK))
        firsts = [frames[round(i * (len(frames) - 1) / max(1, runs - 1))] for i in range(runs)]
        pick = set()
        for f in firsts:
            pick |= {f + j * c.spacing for j in range(CHUNK) if f + j * c.spacing in have}
        out[c.name] = set(sorted(pick)[: max(share, 1)]) if len(pick) > share else pick
    return out


def affordable(model, clips, stride, seconds, s_per_window, pool=None, least=32):
    """The largest subset (the cap shrinking by 30 % a step) whose scoring fits in `seconds`, but none smaller
    than `least` frames (or all of them where there are fewer): on a loaded machine a subset cut to fit the
    time fell to 29 frames, where one frame moves F1 by 3 points and early stopping judged noise."""
    pool = pool or {c.name: set(c.held) for c in clips}
    cap = sum(len(v) for v in pool.values())
    floor = min(least, cap)
    part = subset(clips, cap, pool)
    while True:
        cost = s_per_window * sum(windows_needed(model, c, part[c.name], stride) for c in clips)
        if cost <= seconds:
            return part
        cap = int(cap * 0.7)
        smaller = subset(clips, cap, pool) if cap > 0 else {}
        if sum(len(v) for v in smaller.values()) < floor:
            return part
        part = smaller


@torch.no_grad()
def seconds_per_window(model, clip, stride, batch=4):
    """A forward pass's cost on this machine now (the second of two batches: the first pays the warm-up)."""
    starts = windows_for_eval(len(clip), model.cfg.frames_in, stride, clip.spacing)[: 2 * batch]
    model.eval()
    for i in (0, 1):
        chunk = starts[i * batch : (i + 1) * batch] or starts[:batch]
        t = time.time()
        model(torch.stack([full_frame_input(clip, s, model.cfg.frames_in, clip.spacing) for s in chunk]))
    return (time.time() - t) / len(chunk)


def mine_confusers(model, clip, frames, threshold, stride, should_stop=None, per_frame=2, min_dist=8.0):
    """-> list of (frame, mx, my) in model pixels: blobs at or above half the threshold that lie more than
    min_dist model pixels from the frame's training label (any blob where the shuttle is labelled not
    visible). Only labelled frames are mined: an unlabelled frame has no answer to be wrong against."""
    out = []
    for f, prob in frame_maps(model, clip, frames, stride, should_stop=should_stop):
        v, (lx, ly) = int(clip.tvis[f]), clip.tmxy[f]
        for x, y, _mass, _peak in candidates(prob, threshold / 2, k=4):
            if v == 1 and math.hypot(x - lx, y - ly) <= min_dist:
                continue
            out.append((f, float(x), float(y)))
            if sum(1 for g, _, _ in out if g == f) >= per_frame:
                break
    return out


def f1_of(counts):
    s = counts.summary()
    return float(s["f1"]), s


def sample_frames(frames, n, rng):
    frames = sorted(frames)
    if len(frames) <= n:
        return frames
    return sorted(rng.sample(frames, n))


def label_frames(clip):
    return [int(f) for f in np.flatnonzero(clip.tvis >= 0)]
