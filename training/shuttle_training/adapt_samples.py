# Runs in PyTorch (adaptation). Training samples from sparse labels: a window of frames_in frames spaced as
# the app spaces them on this clip, cropped around a labelled shuttle, around a confuser (a strong response
# of the model far from any label: a hard negative) or at random, with a per-output-frame mask. Only frames
# with a ground-truth row are targets: a frame without a row (unknown) has mask 0 and adds nothing to the
# loss, so it is never taught as "no shuttle here". Also the masked loss and what to freeze.
import random
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .augment import full_frame_input
from .targets import disk_targets


@dataclass
class Recipe:
    crop_h: int = 160
    crop_w: int = 256
    batch: int = 8
    lr: float = 5e-4
    shuttle_p: float = 0.5  # crops around a labelled visible shuttle
    confuser_p: float = 0.3  # crops around a mined confuser (when there are any); the rest at random
    scale_jitter: float = 0.15
    colour_jitter: float = 0.15
    pos_weight: float = 30.0  # train.py's wbce default
    deep_supervision: float = 0.5
    freeze: str = "bn"  # none | bn (BatchNorm statistics kept) | stem (also stem and stage 1 fixed) | heads
    replay_p: float = 0.3  # share of samples from the replay clips, when a replay folder is given
    l2sp: float = 0.0  # weight of the pull toward the base weights, sum of (w - w_base)^2 (L2-SP)
    ema: float = 0.99  # decay of the weight average scored and exported (weight_average.py); 0: off


def freeze(model, how):
    """Sets what adaptation leaves alone. BatchNorm statistics stay the base model's under 'bn' and 'stem':
    a few hundred crops of one camera would otherwise pull them far from what the rest of the network
    expects. 'stem' also keeps the first convolutions (generic edge and motion filters) fixed; 'heads' keeps
    the whole encoder (stem, stages, transitions) fixed and trains only the heads and their fusion."""
    model.train()
    if how in ("bn", "stem", "heads"):
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.eval()
    fixed = {"stem": ("stem", "stage1"), "heads": ("stem", "stage1", "transitions", "stages")}.get(how, ())
    for name in fixed:
        for p in getattr(model, name).parameters():
            p.requires_grad_(False)
    return [p for p in model.parameters() if p.requires_grad]


def window_for(clip, frame, frames_in, frames_out, rng):
    """A window start whose outputs include `frame`, at the clip's spacing, inside the clip (the frame's
    position among the outputs drawn from those that fit)."""
    k = clip.spacing
    off = (frames_in - frames_out) // 2
    last = len(clip) - 1 - (frames_in - 1) * k
    fits = [frame - (off + j) * k for j in range(frames_out) if 0 <= frame - (off + j) * k <= last]
    if fits:
        return rng.choice(fits)
    return int(min(max(0, frame - off * k), last))  # a clip too short for this frame's phase


def _colour(x, c, rng):
    if c <= 0:
        return x
    b, k = rng.uniform(1 - c, 1 + c), rng.uniform(1 - c, 1 + c)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    return ((x * b - mean * b) * k + mean * b).clamp_(0, 1)


def make_sample(clip, start, cfg, recipe: Recipe, rng, centre=None):
    """-> (input [C, h, w], target [frames_out, h, w], mask [frames_out]). `centre` (mx, my) in model
    pixels puts that point somewhere inside the crop; None crops at random over the picture."""
    k, win, fout = clip.spacing, cfg.frames_in, cfg.frames_out
    off = (win - fout) // 2
    out_idx = [start + (off + j) * k for j in range(fout)]
    tv = clip.tvis[out_idx]
    mask = torch.from_numpy((tv >= 0).astype(np.float32))
    vis = tv == 1
    mxy = clip.tmxy[out_idx].copy()
    x = full_frame_input(clip, start, win, k).view(-1, 3, *clip.frames.shape[1:3])  # [K, 3, H, W]
    H, W = x.shape[2:]
    # Random crops stay over the picture, not the letterbox padding (a 4:3 video leaves a quarter black).
    pw, ph = clip.lb.scaled_w, clip.lb.scaled_h
    j = recipe.scale_jitter
    f = rng.uniform(1 / (1 + j), 1 + j) if j > 0 else 1.0
    bw, bh = min(W, round(recipe.crop_w * f)), min(H, round(recipe.crop_h * f))
    if centre is not None:
        x0 = int(np.clip(centre[0] - rng.uniform(0.15, 0.85) * bw, 0, W - bw))
        y0 = int(np.clip(centre[1] - rng.uniform(0.15, 0.85) * bh, 0, H - bh))
    else:
        x0 = rng.randint(0, max(0, min(W, max(pw, bw)) - bw))
        y0 = rng.randint(0, max(0, min(H, max(ph, bh)) - bh))
    x = x[:, :, y0 : y0 + bh, x0 : x0 + bw]
    ch, cw = recipe.crop_h, recipe.crop_w
    if (bw, bh) != (cw, ch):
        x = F.interpolate(x, size=(ch, cw), mode="bilinear", align_corners=False)
    rx, ry = cw / bw, ch / bh
    c = np.stack([(mxy[:, 0] + 0.5 - x0) * rx - 0.5, (mxy[:, 1] + 0.5 - y0) * ry - 0.5], 1)
    if rng.random() < 0.5:
        x = x.flip(3)
        c[:, 0] = cw - 1 - c[:, 0]
    x = _colour(x, recipe.colour_jitter, rng)
    y = disk_targets(c, vis, ch, cw)
    return x.reshape(-1, ch, cw), y, mask


class Sampler:
    """Draws training samples: a labelled frame uniformly over all clips' training rows, a window whose
    outputs include it, then the crop kind (shuttle, confuser, random)."""

    def __init__(self, clips, cfg, recipe: Recipe, rng: random.Random, replay=()):
        self.clips, self.cfg, self.recipe, self.rng = clips, cfg, recipe, rng
        self.labelled = [(c, int(f)) for c in clips for f in np.flatnonzero(c.tvis >= 0)]
        self.visible = [(c, int(f)) for c in clips for f in np.flatnonzero(c.tvis == 1)]
        self.confusers = []  # (clip, frame, mx, my)
        # Replay clips (adapt_replay): a share replay_p of the samples, around their shuttle or at random.
        self.replay_labelled = [(c, int(f)) for c in replay for f in np.flatnonzero(c.tvis >= 0)]
        self.replay_visible = [(c, int(f)) for c in replay for f in np.flatnonzero(c.tvis == 1)]

    def one(self):
        r, rng, cfg = self.recipe, self.rng, self.cfg
        if self.replay_labelled and rng.random() < r.replay_p:
            if rng.random() < r.shuttle_p and self.replay_visible:
                clip, f = rng.choice(self.replay_visible)
                centre = tuple(clip.tmxy[f])
            else:
                (clip, f), centre = rng.choice(self.replay_labelled), None
            start = window_for(clip, f, cfg.frames_in, cfg.frames_out, rng)
            return make_sample(clip, start, cfg, r, rng, centre)
        u = rng.random()
        if u < r.shuttle_p and self.visible:
            clip, f = rng.choice(self.visible)
            centre = tuple(clip.tmxy[f])
        elif u < r.shuttle_p + r.confuser_p and self.confusers:
            clip, f, mx, my = rng.choice(self.confusers)
            centre = (mx, my)
        else:
            (clip, f), centre = rng.choice(self.labelled), None
        start = window_for(clip, f, cfg.frames_in, cfg.frames_out, rng)
        return make_sample(clip, start, cfg, r, rng, centre)

    def batch(self):
        xs, ys, ms = zip(*(self.one() for _ in range(self.recipe.batch)))
        return torch.stack(xs), torch.stack(ys), torch.stack(ms)


def masked_loss(outputs, target, mask, pos_weight, aux_weight):
    """train.py's weighted BCE (+ deep supervision), averaged over the pixels of labelled frames only:
    mask [B, F] is 0 where a frame has no ground-truth row, which then contributes no loss and no gradient."""
    w = torch.tensor(pos_weight, dtype=target.dtype)
    m = mask[:, :, None, None]
    denom = (m.sum() * target.shape[2] * target.shape[3]).clamp(min=1.0)

    def one(z):
        per_pixel = F.binary_cross_entropy_with_logits(z, target, pos_weight=w, reduction="none")
        return (per_pixel * m).sum() / denom

    if torch.is_tensor(outputs):
        return one(outputs)
    final, aux = outputs[0], outputs[1:]
    return one(final) + aux_weight * sum(one(a) for a in aux) / len(aux)


def l2sp_penalty(model, anchor):
    """L2-SP: sum over the trained weights of (w - w_base)^2, zero at the base weights. `anchor` maps a
    parameter's name to its base value; weights absent from it (frozen ones) add nothing."""
    total = torch.zeros(())
    for name, p in model.named_parameters():
        if p.requires_grad and name in anchor:
            total = total + ((p - anchor[name]) ** 2).sum()
    return total
