# Runs in PyTorch (adaptation). An exponential moving average of the weights being trained: with a few hundred
# labelled frames the weights after any one step depend on the last few batches, and adapted models of the
# same labels scored 85.4-89.95 from one seed to the next; with the average (decay 0.99) 87.1-88.6, the mean
# unchanged (training/RESULTS.md, round 5). The average of the recent steps is what gets scored, kept and
# exported.
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
