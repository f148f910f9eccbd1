# Runs in Python (evaluation). The TrackNet per-frame metrics (docs/ARCHITECTURE.md): TP / FP1 / FP2 / FN / TN
# with a distance tolerance, and precision / recall / F1 / accuracy from them.
import math
from dataclasses import dataclass, asdict


@dataclass
class Counts:
    tp: int = 0
    fp1: int = 0
    fp2: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, pred, label_visible, label_xy, tol):
        """pred: None or (x, y, ...) and label_xy in video pixels. 'Within tol' is dist <= tol."""
        if pred is not None and label_visible:
            d = math.hypot(pred[0] - label_xy[0], pred[1] - label_xy[1])
            if d <= tol:
                self.tp += 1
            else:
                self.fp1 += 1
        elif pred is not None:
            self.fp2 += 1
        elif label_visible:
            self.fn += 1
        else:
            self.tn += 1

    def __iadd__(self, o):
        for k in ("tp", "fp1", "fp2", "fn", "tn"):
            setattr(self, k, getattr(self, k) + getattr(o, k))
        return self

    def summary(self):
        n = self.tp + self.fp1 + self.fp2 + self.fn + self.tn
        pd = self.tp + self.fp1 + self.fp2
        p = self.tp / pd if pd else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        acc = (self.tp + self.tn) / n if n else 0.0
        return dict(asdict(self), frames=n, precision=p, recall=r, f1=f1, accuracy=acc)
