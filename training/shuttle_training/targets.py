# Runs in Python (training). Heatmap targets: a binary disk (radius 2.5 px in network-output pixels, as
# TrackNetV3) around the labelled position of each visible frame.
import torch

RADIUS = 2.5


def disk_targets(centres, visible, h, w, radius=RADIUS):
    """centres float [F, 2] (x, y in output pixels), visible bool [F] -> float [F, h, w]."""
    ys = torch.arange(h, dtype=torch.float32).view(1, h, 1)
    xs = torch.arange(w, dtype=torch.float32).view(1, 1, w)
    c = torch.as_tensor(centres, dtype=torch.float32)
    d2 = (xs - c[:, 0].view(-1, 1, 1)) ** 2 + (ys - c[:, 1].view(-1, 1, 1)) ** 2
    t = (d2 <= radius * radius).float()
    return t * torch.as_tensor(visible, dtype=torch.float32).view(-1, 1, 1)
