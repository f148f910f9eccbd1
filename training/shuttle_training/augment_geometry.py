# Runs in PyTorch (training). The geometric half of augmentation: a virtual camera looking at a training
# clip's letterboxed frames -- rotated (90-degree steps and small angles), cropped to another aspect ratio,
# zoomed, seen through a barrel (fisheye) or pincushion lens -- then letterboxed into the model frame exactly
# as the app letterboxes a video (scaled to fit, black padding right/bottom), then the training crop. All of
# it is one resampling of the source frames (grid_sample), and the same mapping moves the labels, so a label
# stays on the shuttle; a label that leaves the picture becomes not visible.
import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

ASPECTS = (4 / 3, 3 / 2, 5 / 4, 1.0, 16 / 9, 3 / 4, 9 / 16)  # width / height of the virtual video


@dataclass
class View:
    """Source model pixel p_s -> model-frame pixel m (both pixel-centre coordinates: pixel i spans [i-0.5,
    i+0.5]). u = R(theta) (p_s - c_s) - o is the point relative to the virtual window's centre (window size
    vw x vh, source pixels); the lens maps the picture's point d to q = d (1 + k |d|^2 / rho^2); the window
    [-vw/2, vw/2] x [-vh/2, vh/2] is letterboxed to sw x sh model pixels at the model frame's top-left."""

    theta: float
    c_s: tuple
    o: tuple
    vw: float
    vh: float
    k: float
    sw: int
    sh: int

    @property
    def rho(self):
        return math.hypot(self.vw, self.vh) / 2

    def to_model(self, p):
        """p float [N, 2] source pixels -> (m float [N, 2] model-frame pixels, inside bool [N])."""
        p = np.asarray(p, np.float64).reshape(-1, 2)
        c, s = math.cos(self.theta), math.sin(self.theta)
        ux, uy = p[:, 0] - self.c_s[0], p[:, 1] - self.c_s[1]
        qx, qy = c * ux - s * uy - self.o[0], s * ux + c * uy - self.o[1]
        dx, dy = _undistort(qx, qy, self.k, self.rho)
        mx = (dx / self.vw + 0.5) * self.sw - 0.5
        my = (dy / self.vh + 0.5) * self.sh - 0.5
        inside = (mx >= -0.5) & (mx <= self.sw - 0.5) & (my >= -0.5) & (my <= self.sh - 0.5)
        return np.stack([mx, my], 1), inside

    def to_source(self, mx, my):
        """Model-frame pixels (tensors) -> source pixels (tensors): the inverse, explicit this way round."""
        dx = ((mx + 0.5) / self.sw - 0.5) * self.vw
        dy = ((my + 0.5) / self.sh - 0.5) * self.vh
        g = 1 + self.k * (dx * dx + dy * dy) / (self.rho * self.rho)
        qx, qy = dx * g + self.o[0], dy * g + self.o[1]
        c, s = math.cos(self.theta), math.sin(self.theta)
        return c * qx + s * qy + self.c_s[0], -s * qx + c * qy + self.c_s[1]

    def source_scale(self):
        """Model-frame pixels per source pixel at the picture's centre (the lens changes it little there)."""
        return min(self.sw / self.vw, self.sh / self.vh)


def _undistort(qx, qy, k, rho, iters=30):
    """Solve q = d (1 + k |d|^2 / rho^2) for d along each point's own ray (Newton on the radius)."""
    rq = np.hypot(qx, qy) / rho
    if k == 0:
        return qx, qy
    r = rq.copy()
    for _ in range(iters):
        f = r * (1 + k * r * r) - rq
        r = r - f / (1 + 3 * k * r * r)
    ratio = np.where(rq > 0, r / np.maximum(rq, 1e-12), 1.0)
    return qx * ratio, qy * ratio


def letterbox_size(vw, vh, model_w, model_h):
    """The app's letterbox (letterbox.Letterbox): scale min(W/vw, H/vh), each side rounded, at least 1."""
    s = min(model_w / vw, model_h / vh)
    return min(model_w, max(1, round(vw * s))), min(model_h, max(1, round(vh * s)))


def draw_view(cfg, rng, content_w, content_h, model_w, model_h):
    """-> a View, or None when no geometric augmentation was drawn. content_w x content_h is the source's
    picture inside its model frame (the clip's own letterbox). Draws from rng only for augmentations whose
    probability is above 0, so a config without them keeps the random stream of older runs."""
    quarter = rng.choice((1, 2, 3)) if cfg.rotate90_p > 0 and rng.random() < cfg.rotate90_p else 0
    angle = (
        rng.uniform(-cfg.rotate_deg, cfg.rotate_deg)
        if cfg.rotate_p > 0 and rng.random() < cfg.rotate_p
        else 0.0
    )
    aspect = rng.choice(ASPECTS) if cfg.aspect_p > 0 and rng.random() < cfg.aspect_p else None
    zoom = (
        math.exp(rng.uniform(-math.log(cfg.zoom_max), math.log(cfg.zoom_max)))
        if cfg.zoom_p > 0 and rng.random() < cfg.zoom_p
        else 1.0
    )
    k = rng.uniform(cfg.lens_min, cfg.lens_max) if cfg.lens_p > 0 and rng.random() < cfg.lens_p else 0.0
    if not quarter and angle == 0 and aspect is None and zoom == 1 and k == 0:
        return None
    bw, bh = (content_h, content_w) if quarter % 2 else (content_w, content_h)
    a = math.radians(abs(angle))
    if a > 0:  # the largest same-shaped window inside the tilted picture: a real camera has no black corners
        cover = 1 / (math.cos(a) + max(bw / bh, bh / bw) * math.sin(a))
        bw, bh = bw * cover, bh * cover
    vw, vh = bw, bh
    if aspect is not None:  # the widest window of that shape
        vw, vh = (bh * aspect, bh) if bh * aspect <= bw else (bw, bw / aspect)
    shrink = zoom * (1 + 0.5 * max(k, 0.0))  # a barrel lens reaches past the window's edges: keep inside
    vw, vh = vw / shrink, vh / shrink
    ox = rng.uniform(-1, 1) * abs(bw - vw) / 2
    oy = rng.uniform(-1, 1) * abs(bh - vh) / 2
    sw, sh = letterbox_size(vw, vh, model_w, model_h)
    theta = math.radians(90 * quarter + angle)
    return View(theta, ((content_w - 1) / 2, (content_h - 1) / 2), (ox, oy), vw, vh, k, sw, sh)


def _gaussian_blur(x, sigma):
    """x float [K, C, H, W]; separable Gaussian, edges replicated. Shifted sums rather than conv2d: a
    one-channel convolution is many times slower than this on a CPU."""
    r = max(1, int(math.ceil(3 * sigma)))
    t = torch.arange(-r, r + 1, dtype=torch.float64)
    g = torch.exp(-(t * t) / (2 * sigma * sigma))
    g = (g / g.sum()).tolist()
    h, w = x.shape[2:]
    p = F.pad(x, (r, r, 0, 0), mode="replicate")
    y = sum(g[i] * p[:, :, :, i : i + w] for i in range(2 * r + 1))
    p = F.pad(y, (0, 0, r, r), mode="replicate")
    return sum(g[i] * p[:, :, i : i + h, :] for i in range(2 * r + 1))


def render(x, view, box, out_h, out_w):
    """x float [K, 3, H, W] source frames -> [K, 3, out_h, out_w]: the crop box (x0, y0, bw, bh) of the
    model frame this view makes, resampled to out_h x out_w. The model frame's padding is black."""
    H, W = x.shape[2:]
    x0, y0, bw, bh = box
    rx, ry = out_w / bw, out_h / bh
    scale = view.source_scale() * min(rx, ry)
    if (
        scale < 0.8
    ):  # shrinking: low-pass first, as a scaler's filter would, so a small shuttle does not alias
        x = _gaussian_blur(x, 0.5 * math.sqrt(1 / (scale * scale) - 1))
    cx = torch.arange(out_w, dtype=torch.float64)
    cy = torch.arange(out_h, dtype=torch.float64)
    my, mx = torch.meshgrid((cy + 0.5) / ry - 0.5 + y0, (cx + 0.5) / rx - 0.5 + x0, indexing="ij")
    sx, sy = view.to_source(mx, my)
    gx, gy = (sx + 0.5) / W * 2 - 1, (sy + 0.5) / H * 2 - 1
    grid = torch.stack([gx, gy], -1).float()[None].expand(x.shape[0], -1, -1, -1)
    out = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    inside = (mx > -0.5) & (mx < view.sw - 0.5) & (my > -0.5) & (my < view.sh - 0.5)
    return out * inside.to(out.dtype)[None, None]
