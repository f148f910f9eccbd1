# Runs in Python (training). Builds one augmented training sample from a clip window: scale jitter, crops
# (centred near the shuttle or uniformly random), horizontal flip, colour jitter. The same geometric and
# photometric transform is applied to every frame of the window and to the background frame.
import random
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .targets import disk_targets


@dataclass
class AugmentConfig:
    crop_h: int = 192
    crop_w: int = 320
    shuttle_crop_p: float = 0.5  # probability of a crop that contains the shuttle (when one is visible)
    scale_jitter: float = 0.25  # crop box side scaled by a factor in [1/(1+j), 1+j] before resizing
    flip_p: float = 0.5
    colour_jitter: float = 0.3  # brightness / contrast / saturation factors in [1-c, 1+c]
    decoy_p: float = 0.0  # probability of pasting static shuttle-like decoys (see _paste_decoys)
    decoys_max: int = 3


DECOY_CLEARANCE = 12.0  # model pixels a decoy keeps from every labelled shuttle of the window


def _decoy_patch(clip, rng: random.Random):
    """-> (rgb float [3, 9, 9], alpha float [9, 9]): a shuttle cut from another frame of the clip (a soft disk
    around its label) or, half the time or when the clip has no visible shuttle, a synthetic pale blob or ring
    like a logo letter."""
    yy, xx = torch.meshgrid(torch.arange(9.0) - 4, torch.arange(9.0) - 4, indexing="ij")
    H, W = clip.frames.shape[1:3]
    seen = np.flatnonzero(clip.vis > 0)
    if len(seen) and rng.random() < 0.5:
        i = int(seen[rng.randrange(len(seen))])
        cx, cy = (int(round(float(v))) for v in clip.mxy[i])
        if 4 <= cx < W - 4 and 4 <= cy < H - 4:
            rgb = torch.from_numpy(np.array(clip.frames[i, cy - 4 : cy + 5, cx - 4 : cx + 5])).permute(
                2, 0, 1
            )
            sigma = rng.uniform(1.2, 2.2)
            return rgb.float() / 255, torch.exp(-(xx**2 + yy**2) / (2 * sigma**2))
    rx, ry = rng.uniform(0.8, 3.0), rng.uniform(0.8, 3.0)
    r = torch.sqrt((xx / rx) ** 2 + (yy / ry) ** 2)
    alpha = (1.5 - r).clamp(0, 1) * rng.uniform(0.6, 1.0)
    if rng.random() < 0.3:  # a ring: the letter "O" of a logo
        alpha = alpha * (r > 0.5).float()
    grey = rng.uniform(0.7, 1.0)
    rgb = (
        torch.tensor([grey * rng.uniform(0.9, 1.1) for _ in range(3)])
        .clamp(0, 1)[:, None, None]
        .expand(3, 9, 9)
    )
    return rgb, alpha


def _paste_decoys(x, clip, labels, rng: random.Random, n):
    """Paste n static decoys into every frame of the window AND the background frame, in place (x float
    [K, 3, H, W], model pixels). Targets stay unchanged, so the network learns that something shaped like a
    shuttle which is also in the background (a logo letter, a shuttle lying by the court) is not the ball in
    play: the broadcast false positives it made on val were of this kind."""
    H, W = x.shape[2:]
    for _ in range(n):
        for _try in range(10):
            px, py = rng.randint(4, W - 5), rng.randint(4, H - 5)
            if len(labels) == 0 or np.min(np.hypot(labels[:, 0] - px, labels[:, 1] - py)) > DECOY_CLEARANCE:
                break
        else:
            continue
        rgb, a = _decoy_patch(clip, rng)
        region = x[:, :, py - 4 : py + 5, px - 4 : px + 5]
        region.mul_(1 - a).add_(rgb * a)


def _colour(x, c, rng):
    """x float [K, 3, h, w] in 0..1; one random brightness/contrast/saturation for the whole window."""
    if c <= 0:
        return x
    b, k, s = (rng.uniform(1 - c, 1 + c) for _ in range(3))
    x = x * b
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - mean) * k + mean
    grey = 0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]
    x = (x - grey) * s + grey
    return x.clamp_(0, 1)


def window_frames(start, window, spacing=1):
    """Frame indices of a window: start, start + spacing, ... (`window` of them)."""
    return list(range(start, start + (window - 1) * spacing + 1, spacing))


def make_sample(
    clip, start, window, frames_out, cfg: AugmentConfig, rng: random.Random, background, spacing=1
):
    """-> (input float [C, crop_h, crop_w], target float [frames_out, crop_h, crop_w]). With spacing k the
    window is frames start, start + k, ...: the clip as if it were recorded at 1/k of its rate."""
    H, W = clip.frames.shape[1:3]
    idx = window_frames(start, window, spacing)
    imgs = np.asarray(clip.frames[start : idx[-1] + 1 : spacing])
    if background:
        imgs = np.concatenate([imgs, clip.background[None]], 0)
    x = torch.from_numpy(imgs).permute(0, 3, 1, 2).float().div_(255)  # [K, 3, H, W]
    out_idx = idx[(window - frames_out) // 2 :][:frames_out]
    vis = clip.vis[out_idx].astype(bool)
    mxy = clip.mxy[out_idx].copy()
    if background and cfg.decoy_p > 0 and rng.random() < cfg.decoy_p:
        _paste_decoys(x, clip, mxy[vis], rng, rng.randint(1, cfg.decoys_max))

    j = cfg.scale_jitter
    f = rng.uniform(1 / (1 + j), 1 + j) if j > 0 else 1.0
    bw, bh = min(W, round(cfg.crop_w * f)), min(H, round(cfg.crop_h * f))
    if vis.any() and rng.random() < cfg.shuttle_crop_p:
        cx, cy = mxy[vis][rng.randrange(int(vis.sum()))]
        x0 = int(np.clip(cx - rng.uniform(0.15, 0.85) * bw, 0, W - bw))
        y0 = int(np.clip(cy - rng.uniform(0.15, 0.85) * bh, 0, H - bh))
    else:
        x0, y0 = rng.randint(0, W - bw), rng.randint(0, H - bh)
    x = x[:, :, y0 : y0 + bh, x0 : x0 + bw]
    rx, ry = cfg.crop_w / bw, cfg.crop_h / bh
    if (bw, bh) != (cfg.crop_w, cfg.crop_h):
        x = F.interpolate(x, size=(cfg.crop_h, cfg.crop_w), mode="bilinear", align_corners=False)
    # label in crop pixels, same pixel-centre convention as the letterbox
    c = np.stack([(mxy[:, 0] + 0.5 - x0) * rx - 0.5, (mxy[:, 1] + 0.5 - y0) * ry - 0.5], 1)
    if rng.random() < cfg.flip_p:
        x = x.flip(3)
        c[:, 0] = cfg.crop_w - 1 - c[:, 0]
    x = _colour(x, cfg.colour_jitter, rng)
    y = disk_targets(c, vis, cfg.crop_h, cfg.crop_w)
    return x.reshape(-1, cfg.crop_h, cfg.crop_w), y


def full_frame_input(clip, start, window, spacing=1):
    """Un-augmented network input for evaluation/inference: float [C, H, W], frames oldest first (start,
    start + spacing, ...), then the background frame if the clip has one; RGB order, values / 255."""
    imgs = np.asarray(clip.frames[start : start + (window - 1) * spacing + 1 : spacing])
    if clip.background is not None:
        imgs = np.concatenate([imgs, clip.background[None]], 0)
    x = torch.from_numpy(imgs).permute(0, 3, 1, 2).float().div_(255)
    return x.reshape(-1, x.shape[2], x.shape[3])
