# Runs in PyTorch (training). Heatmap losses, computed from logits for numerical stability.
#  - "focal": TrackNetV3's focal-weighted BCE  -mean[(1-p)^2 * y * log p + p^2 * (1-y) * log(1-p)].
#  - "wbce":  BCE with positive pixels weighted by pos_weight. On 2 CPU cores (a few thousand samples in
#    total) the focal loss left MMFNet-small at a constant ~0.05 everywhere after 300 steps (val F1 0), so the
#    default is the weighted BCE, which pushes the shuttle's pixels up from the first steps.
import torch
import torch.nn.functional as F


def focal_bce(logits, target):
    p = torch.sigmoid(logits)
    pos = (1 - p) ** 2 * target * F.logsigmoid(logits)
    neg = p**2 * (1 - target) * F.logsigmoid(-logits)
    return -(pos + neg).mean()


def weighted_bce(logits, target, pos_weight=30.0):
    w = torch.tensor(pos_weight, dtype=logits.dtype, device=logits.device)
    return F.binary_cross_entropy_with_logits(logits, target, pos_weight=w)


def make_loss(name="wbce", pos_weight=30.0):
    if name == "focal":
        return focal_bce
    if name == "wbce":
        return lambda z, y: weighted_bce(z, y, pos_weight)
    raise ValueError(f"unknown loss {name!r} (focal, wbce)")


def deep_supervised_loss(outputs, target, aux_weight=0.5, loss=focal_bce):
    """outputs: final logits, or [final, aux2, aux3, aux4] when the model runs with deep supervision."""
    if torch.is_tensor(outputs):
        return loss(outputs, target)
    final, aux = outputs[0], outputs[1:]
    return loss(final, target) + aux_weight * sum(loss(a, target) for a in aux) / len(aux)
