# Runs in PyTorch (training, export). TrackNetV2-style VGG U-Net baselines: "tracknet-unet" (configurable
# width, for same-cost comparisons with MMFNet) and "tracknetv3" (8 frames + background, 64..512; only for
# speed comparison).
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from .blocks import conv_bn_relu, motion_channels, motion_count


@dataclass
class UNetConfig:
    width: int = 16  # channels of the first level; levels are w, 2w, 4w, 8w as in TrackNetV2
    frames_in: int = 3
    frames_out: int = 3
    background: bool = False
    motion: bool = False  # in-graph frame / background differences, as MMFNet (same-input comparisons)


def _stack(cin, cout, n):
    return nn.Sequential(*[conv_bn_relu(cin if i == 0 else cout, cout) for i in range(n)])


class TrackNetUNet(nn.Module):
    def __init__(self, cfg: UNetConfig):
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        cin = 3 * cfg.frames_in + (3 if cfg.background else 0)
        if cfg.motion:
            cin += motion_count(cfg.frames_in, cfg.background)
        self.e1, self.e2 = _stack(cin, w, 2), _stack(w, 2 * w, 2)
        self.e3, self.e4 = _stack(2 * w, 4 * w, 3), _stack(4 * w, 8 * w, 3)
        self.d3 = _stack(8 * w + 4 * w, 4 * w, 3)
        self.d2 = _stack(4 * w + 2 * w, 2 * w, 2)
        self.d1 = _stack(2 * w + w, w, 2)
        self.out = nn.Conv2d(w, cfg.frames_out, 1)
        self.deep_supervision = False  # no auxiliary heads; kept for a uniform training loop

    def forward(self, x):
        if self.cfg.motion:
            x = motion_channels(x, self.cfg.frames_in, self.cfg.background)
        x1 = self.e1(x)
        x2 = self.e2(F.max_pool2d(x1, 2))
        x3 = self.e3(F.max_pool2d(x2, 2))
        x4 = self.e4(F.max_pool2d(x3, 2))

        def up(t):
            return F.interpolate(t, scale_factor=2.0, mode="nearest")

        y = self.d3(torch.cat([up(x4), x3], 1))
        y = self.d2(torch.cat([up(y), x2], 1))
        y = self.d1(torch.cat([up(y), x1], 1))
        return self.out(y)


CONFIGS = {
    "tracknet-unet": UNetConfig(width=16),
    "tracknetv3": UNetConfig(width=64, frames_in=8, frames_out=8, background=True),
}
