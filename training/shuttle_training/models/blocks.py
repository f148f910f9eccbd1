# Runs in PyTorch (training, export). Small convolution building blocks shared by the model definitions.
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn_relu(cin, cout, k=3, stride=1, relu=True):
    """k x k conv + BatchNorm (+ ReLU). BN folds into the conv at export, so it costs nothing at inference."""
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout)]
    if relu:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class BasicBlock(nn.Module):
    """ResNet basic block (two 3x3 convs + identity), the unit of every HRNet branch."""

    def __init__(self, cin, cout):
        super().__init__()
        self.body = nn.Sequential(conv_bn_relu(cin, cout), conv_bn_relu(cout, cout, relu=False))
        self.skip = None if cin == cout else conv_bn_relu(cin, cout, k=1, relu=False)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        s = x if self.skip is None else self.skip(x)
        return self.act(self.body(x) + s)


def upsample(x, factor):
    """Bilinear upsampling by an integer factor; exports as one ONNX Resize (opset >= 11)."""
    if factor == 1:
        return x
    return F.interpolate(x, scale_factor=float(factor), mode="bilinear", align_corners=False)


def motion_channels(x, frames_in, background):
    """Appends explicit motion cues computed inside the graph (so the ONNX input contract is unchanged):
    |frame t+1 - frame t| for consecutive frames and, with a background, |frame t - background|, each averaged
    over RGB. With only a few thousand CPU training samples the network did not learn these from raw frames
    quickly enough (TrackNetV4 feeds frame differences for the same reason)."""
    fr = [x[:, 3 * i : 3 * i + 3] for i in range(frames_in)]
    cues = [(fr[i + 1] - fr[i]).abs().mean(1, keepdim=True) for i in range(frames_in - 1)]
    if background:
        bg = x[:, 3 * frames_in : 3 * frames_in + 3]
        cues += [(f - bg).abs().mean(1, keepdim=True) for f in fr]
    return torch.cat([x] + cues, 1)


def motion_count(frames_in, background):
    return frames_in - 1 + (frames_in if background else 0)
