# Runs in PyTorch (adaptation). An exponential moving average of the weights being trained: with a few hundred
# labelled frames the weights after any one step depend on the last few batches. The average of the recent
# steps is what gets scored, kept and exported. Measured on a new camera (training/RESULTS.md, round 5): the
# same mean F1 as the weights as trained, at 2 and 5 minutes; the spread between seeds narrower at 5 minutes
# (1.5 points against 4.6), as wide at 2.
from contextlib import contextmanager

import torch


class WeightAverage:
    """avg <- d * avg + (1 - d) * w after each step, d = min(decay, (1 + step) / (10 + step)) so the first
    steps are not swamped by the base weights. Only parameters that train are averaged; buffers (BatchNorm
    statistics) are the model's own."""

    def __init__(self, model, decay):
        if not 0 < decay < 1:
            raise ValueError(f"the weight average's decay must be within (0, 1), not {decay}")
        self.decay = decay
        self.avg = {n: p.detach().clone() for n, p in model.named_parameters()}

    @torch.no_grad()
    def update(self, model, step):
        d = min(self.decay, (1 + step) / (10 + step))
        for n, p in model.named_parameters():
            if p.requires_grad:
                self.avg[n].mul_(d).add_(p.detach(), alpha=1 - d)

    @contextmanager
    def applied(self, model):
        """The model holds the averaged weights inside the block, its own again after it (even on error)."""
        own = {n: p.detach().clone() for n, p in model.named_parameters()}
        with torch.no_grad():
            for n, p in model.named_parameters():
                p.copy_(self.avg[n])
        try:
            yield model
        finally:
            with torch.no_grad():
                for n, p in model.named_parameters():
                    p.copy_(own[n])

    def state_dict(self):
        return {"decay": self.decay, "avg": self.avg}

    def load_state_dict(self, state):
        self.decay = state["decay"]
        self.avg = {n: t.clone() for n, t in state["avg"].items()}
