# Runs in PyTorch (training). Where training batches come from. In the training process itself by default
# (--workers 0: one random stream, reproducible across --resume); or from N DataLoader worker processes
# (--workers N), for a GPU, which otherwise waits on the CPU: decoding a window, cropping, resizing and
# jittering it costs a few milliseconds per sample, and a GPU step on a batch of 32 costs less than that.
import random

import torch

from .augment import make_sample


def _one_batch(sampler, batch, frames, aug, rng, background):
    def one():
        clip, start, spacing, *focus = sampler.draw()  # a hard negative's draw also says where to crop
        return make_sample(clip, start, frames, frames, aug, rng, background, spacing, *focus)

    xs, ys = zip(*(one() for _ in range(batch)))
    return torch.stack(xs), torch.stack(ys)


class _WorkerBatches(torch.utils.data.IterableDataset):
    """An endless stream of batches; each worker process draws with its own seed, so no two repeat."""

    def __init__(self, sampler, batch, frames, aug, background, seed):
        super().__init__()
        self.sampler, self.batch, self.frames, self.aug, self.background, self.seed = (
            sampler,
            batch,
            frames,
            aug,
            background,
            seed,
        )

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        rng = random.Random(self.seed * 7919 + (info.id if info else 0))
        self.sampler.rng = rng  # the worker's own copy of the sampler
        torch.set_num_threads(1)
        while True:
            yield _one_batch(self.sampler, self.batch, self.frames, self.aug, rng, self.background)


def batch_stream(sampler, batch, frames, aug, rng, background, workers=0, seed=0, pin=False):
    """-> an iterator of (x [B, C, H, W], y [B, frames, H, W]) CPU tensors."""
    if workers <= 0:
        while True:
            yield _one_batch(sampler, batch, frames, aug, rng, background)
    data = _WorkerBatches(sampler, batch, frames, aug, background, seed)
    # Workers are forked on Linux and share the clips' memory-mapped frame caches; elsewhere the clips are
    # pickled, which Clip supports by re-opening its cache file (see dataset.Clip).
    yield from torch.utils.data.DataLoader(
        data, batch_size=None, num_workers=workers, pin_memory=pin, prefetch_factor=4, persistent_workers=True
    )
