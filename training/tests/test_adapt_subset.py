# Runs in pytest (CI). The held-back frames adaptation scores while it trains: the subset shrinks until its
# scoring fits the time share, but never below the floor, where F1 on a few dozen frames would be noise.
from types import SimpleNamespace

from shuttle_training.adapt_eval import affordable, best_threshold, windows_needed


class HeldClip:
    """A clip as adapt_eval sees it: a name, a length, a frame spacing and its held-back frames."""

    def __init__(self, name, frames, held):
        self.name, self.frames, self.spacing = name, frames, 1
        self.held = {f: (1, 10.0, 10.0) for f in held}

    def __len__(self):
        return self.frames


MODEL = SimpleNamespace(cfg=SimpleNamespace(frames_in=3, frames_out=3))
CLIPS = [HeldClip("a", 600, range(300, 600)), HeldClip("b", 400, range(200, 400))]


def size(part):
    return sum(len(v) for v in part.values())


def cost(part):
    return sum(windows_needed(MODEL, c, part[c.name], 1) for c in CLIPS)


def test_all_held_back_frames_when_their_scoring_fits():
    part = affordable(MODEL, CLIPS, 1, seconds=10_000, s_per_window=1.0)
    assert size(part) == 500


def test_shrinks_to_fit_the_time_share_and_spreads_over_both_clips():
    part = affordable(MODEL, CLIPS, 1, seconds=200, s_per_window=1.0, least=8)
    assert cost(part) <= 200
    assert size(part) >= 64
    assert part["a"] and part["b"]


def test_never_below_the_floor_however_slow_scoring_is():
    part = affordable(MODEL, CLIPS, 1, seconds=1, s_per_window=1.0, least=64)
    assert cost(part) > 1  # over the share: the floor wins
    assert 64 <= size(part) < 500
    # A floor above what there is: every held-back frame.
    few = [HeldClip("c", 100, range(50, 90))]
    assert size(affordable(MODEL, few, 1, seconds=1, s_per_window=1.0, least=64)) == 40


class Scored:
    """Counts as best_threshold reads them: F1 from precision and recall, as metrics.Counts computes it."""

    def __init__(self, tp, fp, fn):
        p, r = tp / (tp + fp), tp / (tp + fn)
        self.f1 = 2 * p * r / (p + r)

    def summary(self):
        return {"f1": self.f1}


def test_a_tie_in_f1_keeps_the_base_threshold_even_when_the_floats_differ():
    # The same F1 (66 / 84) reached with more false positives at 0.4 and two misses at 0.7.
    by = {0.4: Scored(33, 18, 0), 0.7: Scored(33, 16, 2), 0.9: Scored(30, 16, 5)}
    assert by[0.4].f1 != by[0.7].f1  # the last bits differ
    assert best_threshold(by, 0.7)[1] == 0.7
    assert best_threshold({0.4: Scored(33, 10, 0), 0.7: Scored(33, 16, 2)}, 0.7)[1] == 0.4
