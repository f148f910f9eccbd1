# Runs in PyTorch (training, export). MMFNet: an HRNet-like "multi-stage and multi-scale fusion" network,
# built from the public description (see docs/MODEL.md): parallel branches at 4 strides with repeated
# exchange (multi-scale fusion), auxiliary heads after stages 2, 3, 4 fused by a 1x1 conv (multi-stage
# fusion) and trained with deep supervision.
from dataclasses import dataclass
from typing import List, Tuple

import torch
import torch.nn as nn

from .blocks import BasicBlock, conv_bn_relu, motion_channels, motion_count, upsample


@dataclass
class MMFNetConfig:
    channels: Tuple[int, int, int, int] = (16, 32, 64, 128)  # branch widths, high to low resolution
    stem_stride: int = 2  # stride of branch 0 w.r.t. the input (1 = full resolution, 2 = half)
    stem_channels: int = 32
    blocks: int = 1  # BasicBlocks per branch per module
    modules: Tuple[int, int, int] = (1, 1, 1)  # exchange modules in stages 2, 3, 4
    stage1_blocks: int = 1
    head_channels: int = 16  # width of the fused head before the 1x1 classifier
    frames_in: int = 3
    frames_out: int = 3
    background: bool = False
    motion: bool = True  # append in-graph frame / background differences (blocks.motion_channels)


class ExchangeModule(nn.Module):
    """One HRNet module: blocks on every branch, then every branch receives the sum of all, resampled."""

    def __init__(self, chs: List[int], blocks: int):
        super().__init__()
        self.branches = nn.ModuleList(nn.Sequential(*[BasicBlock(c, c) for _ in range(blocks)]) for c in chs)
        n = len(chs)
        self.fuse = nn.ModuleList()
        for j in range(n):
            row = nn.ModuleList()
            for i in range(n):
                if i == j:
                    row.append(nn.Identity())
                elif i > j:  # lower resolution -> 1x1 to the target width first (cheap), then upsample
                    row.append(conv_bn_relu(chs[i], chs[j], k=1, relu=False))
                else:  # higher resolution -> chain of strided 3x3 convs, as in HRNet
                    steps = []
                    for s in range(j - i):
                        last = s == j - i - 1
                        steps.append(
                            conv_bn_relu(chs[i], chs[j] if last else chs[i], stride=2, relu=not last)
                        )
                    row.append(nn.Sequential(*steps))
            self.fuse.append(row)
        self.act = nn.ReLU(inplace=True)

    def forward(self, xs):
        xs = [b(x) for b, x in zip(self.branches, xs)]
        out = []
        for j, row in enumerate(self.fuse):
            acc = None
            for i, f in enumerate(row):
                y = f(xs[i])
                if i > j:
                    y = upsample(y, 2 ** (i - j))
                acc = y if acc is None else acc + y
            out.append(self.act(acc))
        return out


class FusedHead(nn.Module):
    """Upsample all branches to branch 0, combine, 1x1 to heatmaps. The 1x1 "concat" conv is applied per
    branch BEFORE upsampling (it is linear, so this equals concat-then-1x1) to avoid materialising a wide
    tensor at high resolution, which is memory bound on CPUs."""

    def __init__(self, chs: List[int], hc: int, fout: int):
        super().__init__()
        self.proj = nn.ModuleList(nn.Conv2d(c, hc, 1, bias=False) for c in chs)
        self.post = nn.Sequential(nn.BatchNorm2d(hc), nn.ReLU(inplace=True), nn.Conv2d(hc, fout, 1))

    def forward(self, xs):
        acc = None
        for i, (p, x) in enumerate(zip(self.proj, xs)):
            y = upsample(p(x), 2**i)
            acc = y if acc is None else acc + y
        return self.post(acc)


class MMFNet(nn.Module):
    def __init__(self, cfg: MMFNetConfig):
        super().__init__()
        self.cfg = cfg
        cin = 3 * cfg.frames_in + (3 if cfg.background else 0)
        if cfg.motion:
            cin += motion_count(cfg.frames_in, cfg.background)
        c = list(cfg.channels)
        s = cfg.stem_stride
        self.stem = nn.Sequential(
            conv_bn_relu(cin, cfg.stem_channels, stride=s), conv_bn_relu(cfg.stem_channels, c[0])
        )
        self.stage1 = nn.Sequential(*[BasicBlock(c[0], c[0]) for _ in range(cfg.stage1_blocks)])
        self.transitions = nn.ModuleList()
        self.stages = nn.ModuleList()
        self.heads = nn.ModuleList()
        for k in range(1, 4):  # stages 2, 3, 4 have k+1 branches
            self.transitions.append(conv_bn_relu(c[k - 1], c[k], stride=2))
            self.stages.append(
                nn.Sequential(*[ExchangeModule(c[: k + 1], cfg.blocks) for _ in range(cfg.modules[k - 1])])
            )
            self.heads.append(FusedHead(c[: k + 1], cfg.head_channels, cfg.frames_out))
        # multi-stage fusion of the three stage outputs; starts as their mean so early training is stable
        self.stage_fusion = nn.Conv2d(3 * cfg.frames_out, cfg.frames_out, 1)
        with torch.no_grad():
            w = torch.zeros_like(self.stage_fusion.weight)
            for k in range(3):
                for f in range(cfg.frames_out):
                    w[f, k * cfg.frames_out + f] = 1.0 / 3
            self.stage_fusion.weight.copy_(w)
            self.stage_fusion.bias.zero_()
        self.deep_supervision = False  # when True, forward returns [final, aux2, aux3, aux4]

    def forward(self, x):
        s = self.cfg.stem_stride
        if self.cfg.motion:
            x = motion_channels(x, self.cfg.frames_in, self.cfg.background)
        xs = [self.stage1(self.stem(x))]
        aux = []
        for t, stage, head in zip(self.transitions, self.stages, self.heads):
            xs = stage(xs + [t(xs[-1])])
            aux.append(head(xs))
        final = upsample(self.stage_fusion(torch.cat(aux, 1)), s)
        if self.deep_supervision and self.training:
            return [final] + [upsample(a, s) for a in aux]
        return final


CONFIGS = {
    # GPU configuration: branch 0 at full resolution, HRNet-W32-like widths.
    "full": MMFNetConfig(
        channels=(32, 64, 128, 256),
        stem_stride=1,
        stem_channels=64,
        blocks=2,
        modules=(1, 2, 2),
        stage1_blocks=2,
        head_channels=32,
    ),
    # Real time on a 2-core laptop CPU: branch 0 at stride 2, heatmap upsampled 2x at the end.
    # Measured (PyTorch, 2 threads, 288x512): 24/48/96/192 with a 32-wide stem ran at ~216 ms per forward;
    # these widths with a 16-wide stem and head at ~60 ms.
    "small": MMFNetConfig(
        channels=(16, 32, 64, 128),
        stem_stride=2,
        stem_channels=16,
        blocks=1,
        modules=(1, 1, 1),
        stage1_blocks=1,
        head_channels=16,
    ),
    # Trains in minutes, for tests.
    "tiny": MMFNetConfig(
        channels=(8, 16, 32, 64),
        stem_stride=2,
        stem_channels=8,
        blocks=1,
        modules=(1, 1, 1),
        stage1_blocks=1,
        head_channels=8,
    ),
}
