# Runs in PyTorch (evaluation; reference for the app's inference loop). Runs a model over a whole clip in
# windows and returns one probability map per frame. Windows advance by `stride` frames (default frames_in:
# non-overlapping; 1: each frame seen by frames_in windows) with the last one anchored at the clip's end; a
# frame covered by several windows gets the MEAN of its sigmoid probabilities. With a frame spacing k (a model
# trained at a lower rate than the clip's: dataset.frame_spacing) windows read every k-th frame in k
# interleaved phases, the app's layout, so every frame still gets a prediction.
import numpy as np
import torch

from .augment import full_frame_input
from .dataset import windows_for_eval


@torch.no_grad()
def predict_clip(model, clip, device, batch=4, stride=None, spacing=1):
    cfg = model.cfg
    win, fout = cfg.frames_in, cfg.frames_out
    t, h, w = len(clip), clip.frames.shape[1], clip.frames.shape[2]
    acc = np.zeros((t, h, w), np.float32)
    cnt = np.zeros(t, np.int32)
    starts = windows_for_eval(t, win, stride, spacing)
    off = (win - fout) // 2  # output k of a window = its input off + k (all of them when F_out = F_in)
    model.eval()
    for i in range(0, len(starts), batch):
        chunk = starts[i : i + batch]
        x = torch.stack([full_frame_input(clip, s, win, spacing) for s in chunk]).to(device)
        p = torch.sigmoid(model(x).float()).cpu().numpy()
        for s, ps in zip(chunk, p):
            out = slice(s + off * spacing, s + (off + fout - 1) * spacing + 1, spacing)
            acc[out] += ps
            cnt[out] += 1
    if (cnt == 0).any():
        raise RuntimeError(f"{clip.video}: frames without a prediction (window layout bug)")
    return acc / cnt[:, None, None]
