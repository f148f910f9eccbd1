# Runs in PyTorch (training). The photometric half of augmentation, for what another camera brings: exposure
# (a dim hall), contrast, gamma, white balance and saturation, lens or focus blur, sensor noise and the
# blocks of a compressed stream. One draw per window: every frame and the background frame get the same look
# (noise is drawn per frame, as a sensor's is). Nothing here moves a pixel, so the labels stay where they are.
import math

import torch
import torch.nn.functional as F

from .augment_geometry import _gaussian_blur

# The JPEG standard's luminance quantisation table (ITU T.81, Annex K), scaled to 1 at its smallest step.
_JPEG_TABLE = (
    torch.tensor(
        [
            [16, 11, 10, 16, 24, 40, 51, 61],
            [12, 12, 14, 19, 26, 58, 60, 55],
            [14, 13, 16, 24, 40, 57, 69, 56],
            [14, 17, 22, 29, 51, 87, 80, 62],
            [18, 22, 37, 56, 68, 109, 103, 77],
            [24, 35, 55, 64, 81, 104, 113, 92],
            [49, 64, 78, 87, 103, 121, 120, 101],
            [72, 92, 95, 98, 112, 100, 103, 99],
        ],
        dtype=torch.float32,
    )
    / 10.0
)


def _dct_matrix(n=8):
    k = torch.arange(n, dtype=torch.float32)
    m = torch.cos(math.pi * (2 * k[None] + 1) * k[:, None] / (2 * n)) * math.sqrt(2 / n)
    m[0] /= math.sqrt(2)
    return m  # orthonormal: m @ m.T = I


_DCT = _dct_matrix()


def jpeg_like(x, step):
    """Quantise each 8x8 block's DCT coefficients by the JPEG table times `step` (0.01 faint .. 0.1 coarse),
    per colour plane: the blocking and ringing of a compressed video, without a codec."""
    k, c, h, w = x.shape
    ph, pw = (-h) % 8, (-w) % 8
    y = F.pad(x, (0, pw, 0, ph), mode="replicate") if ph or pw else x
    H, W = y.shape[2:]
    b = y.reshape(k, c, H // 8, 8, W // 8, 8).permute(0, 1, 2, 4, 3, 5)
    coef = _DCT @ b @ _DCT.T
    q = _JPEG_TABLE * step
    b = _DCT.T @ (torch.round(coef / q) * q) @ _DCT
    y = b.permute(0, 1, 2, 4, 3, 5).reshape(k, c, H, W)
    return y[:, :, :h, :w].clamp(0, 1)


def appearance(x, cfg, rng):
    """x float [K, 3, h, w] in 0..1 -> the same window as another camera would show it. Draws from rng only
    for the parts whose probability is above 0."""
    if cfg.exposure_p > 0 and rng.random() < cfg.exposure_p:
        lo, hi = cfg.exposure_range
        x = x * math.exp(rng.uniform(math.log(lo), math.log(hi)))
    if cfg.contrast_p > 0 and rng.random() < cfg.contrast_p:
        f = rng.uniform(1 - cfg.contrast, 1 + cfg.contrast)
        mean = x.mean(dim=(1, 2, 3), keepdim=True)
        x = (x - mean) * f + mean
    if cfg.gamma_p > 0 and rng.random() < cfg.gamma_p:
        g = math.exp(rng.uniform(-math.log(cfg.gamma_max), math.log(cfg.gamma_max)))
        x = x.clamp(0, 1) ** g
    if cfg.tint_p > 0 and rng.random() < cfg.tint_p:  # white balance per channel, then saturation
        gains = torch.tensor([rng.uniform(1 - cfg.tint, 1 + cfg.tint) for _ in range(3)]).view(1, 3, 1, 1)
        x = x * gains
        grey = 0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]
        x = (x - grey) * rng.uniform(0.3, 1.4) + grey
    x = x.clamp(0, 1)
    if cfg.blur_p > 0 and rng.random() < cfg.blur_p:
        x = _gaussian_blur(x, rng.uniform(*cfg.blur_sigma))
    if cfg.noise_p > 0 and rng.random() < cfg.noise_p:
        sigma = rng.uniform(*cfg.noise_sigma)
        gen = torch.Generator().manual_seed(rng.getrandbits(62))
        x = (x + torch.randn(x.shape, generator=gen) * sigma).clamp(0, 1)
    if cfg.jpeg_p > 0 and rng.random() < cfg.jpeg_p:
        x = jpeg_like(x, rng.uniform(*cfg.jpeg_step))
    return x
