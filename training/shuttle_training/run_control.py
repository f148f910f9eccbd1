# Runs in Python (training, adaptation). What a long run shares about pacing and stopping: the learning-rate
# schedule over its budget, and the graceful stop on SIGTERM / SIGINT (the studio's Stop, Ctrl-C, or the
# parent's pipe closing, parent_watch.py). One copy, so training and adaptation cannot drift apart.
import math
import signal


def lr_at(base, progress, warmup):
    """Linear warm-up over the first `warmup` of the run, then cosine decay to 5% of base; progress 0..1 (a
    run's steps or its time, whichever is ahead), held at the end past 1."""
    if progress < warmup:
        return base * max(0.05, progress / warmup)
    t = min(1.0, (progress - warmup) / (1 - warmup))
    return base * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * t)))


class StopRequest:
    """SIGTERM / SIGINT ask the run to end gracefully: the step in progress finishes, then the run keeps what
    it learned (training evaluates and saves, adaptation exports its best model). With second_means_now, a
    second signal means "now" (KeyboardInterrupt); without, it is the same request again. restore() puts the
    previous handlers back; calling the object says whether a stop was asked for."""

    def __init__(self, second_means_now=True):
        self.requested = False
        self.second_means_now = second_means_now
        self.previous = {sig: signal.signal(sig, self._on) for sig in (signal.SIGTERM, signal.SIGINT)}

    def restore(self):
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)

    def _on(self, _signum, _frame):
        if self.requested and self.second_means_now:
            raise KeyboardInterrupt
        self.requested = True

    def __call__(self):
        return self.requested
