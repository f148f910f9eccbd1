# Runs in PyTorch (training). Hard negatives: the places where the current model fires far from any label --
# shuttles lying on the floor, shoes, logo letters, line crossings -- found by running the model over the
# training windows, and a sampler that draws training crops around them, so the network is shown its own
# mistakes with a target that says "nothing here". Mined at the start of a run and optionally every K epochs.
import time
from dataclasses import dataclass

import numpy as np
import torch

from .augment import full_frame_input
from .postprocess import candidates


@dataclass
class HardNegative:
    clip: object  # dataset.Clip
    frame: int
    x: float  # model pixels
    y: float
    peak: float


@torch.no_grad()
def mine(
    model, clips, device, windows=300, threshold=0.3, min_distance=12.0, per_frame=3, keep=2000, batch=4
):
    """-> up to `keep` HardNegative, strongest first: blobs of the model's heatmap (probability >= threshold)
    whose centre lies more than min_distance model pixels from the frame's label, or anywhere in a frame whose
    shuttle is not visible. `windows` windows are read, spread evenly over all clips (consecutive frames:
    spacing changes the motion, not what a still object looks like)."""
    cfg = model.cfg
    win, fout = cfg.frames_in, cfg.frames_out
    off = (win - fout) // 2
    starts = [(c, s) for c in clips for s in range(0, len(c) - win + 1)]
    if not starts:
        return []
    pick = np.unique(np.linspace(0, len(starts) - 1, min(windows, len(starts))).round().astype(int))
    chosen = [starts[i] for i in pick]
    found = []
    was_training = model.training
    model.eval()
    try:
        for i in range(0, len(chosen), batch):
            chunk = chosen[i : i + batch]
            x = torch.stack([full_frame_input(c, s, win) for c, s in chunk]).to(device)
            probs = torch.sigmoid(model(x).float()).cpu().numpy()
            for (clip, s), p in zip(chunk, probs):
                for j in range(fout):
                    f = s + off + j
                    for bx, by, _mass, peak in candidates(p[j], threshold, per_frame):
                        lx, ly = clip.mxy[f]
                        if clip.vis[f] and np.hypot(bx - lx, by - ly) <= min_distance:
                            continue
                        found.append(HardNegative(clip, f, bx, by, peak))
    finally:
        model.train(was_training)
    found.sort(key=lambda h: -h.peak)
    return found[:keep]


class HardNegativeSampler:
    """Wraps train.Sampler: with probability p (once something was mined) a draw is a window that outputs a
    mined frame, with the crop's focus on the mistake; else the wrapped sampler's draw. Draws from rng only
    when there is something to choose, so a run without hard negatives keeps its random stream."""

    def __init__(self, base, p):
        self.base, self.p = base, p
        self.negatives = []
        self.mined = False

    @property
    def rng(self):
        return self.base.rng

    @rng.setter
    def rng(self, value):  # a DataLoader worker gives its copy its own stream (batches._WorkerBatches)
        self.base.rng = value

    @property
    def window(self):
        return self.base.window

    def __len__(self):
        return len(self.base)

    def draw(self):
        if not self.negatives or self.p <= 0 or self.rng.random() >= self.p:
            return self.base.draw()
        h = self.negatives[self.rng.randrange(len(self.negatives))]
        start = h.frame - self.rng.randrange(self.window)  # the frame at any place of the window
        start = max(0, min(start, len(h.clip) - self.window))
        return h.clip, start, 1, (h.x, h.y)

    def maybe_refresh(self, epoch, every, model, device, log, **mine_args):
        """Mine when hard negatives are on and nothing was mined yet, or every `every` epochs (0: once)."""
        if self.p > 0 and (not self.mined or (every and epoch % every == 0)):
            self.refresh(model, device, log, **mine_args)

    def refresh(self, model, device, log, **mine_args):
        """Mine again with the model as it is now; emits a `hard_negatives` progress event."""
        t = time.time()
        clips = [c for clips, _w, _cs in self.base.roots for c in clips]
        self.negatives = mine(model, clips, device, **mine_args)
        self.mined = True
        log.emit(
            "hard_negatives",
            found=len(self.negatives),
            frames=len({(id(h.clip), h.frame) for h in self.negatives}),
            strongest=round(self.negatives[0].peak, 3) if self.negatives else None,
            mine_s=round(time.time() - t, 1),
        )
