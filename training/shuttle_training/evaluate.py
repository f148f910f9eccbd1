# Runs in Python (after or during training). Evaluates a model on a TrackNet-layout root with the TrackNet
# metrics at two tolerances: "tracknet" (4 px at 512x288, scaled to the video: 10 px at 1280x720) and
# "strict" (4 px at the video's own resolution). CLI: python -m shuttle_training.evaluate --checkpoint ...
import argparse
import json
import sys

from .checkpoint import load_model
from .dataset import frame_spacing, load_root
from .device import pick_device, set_threads
from .metrics import Counts
from .postprocess import detect_video
from .predict import predict_clip


def evaluate_clips(model, clips, device, thresholds=(0.5,), stride=None, train_fps=None):
    """-> {threshold: {"tracknet": summary, "strict": summary}}. With the model's training frame rate, each
    clip's windows are spaced as the app spaces them (dataset.frame_spacing)."""
    if not clips:
        raise ValueError("evaluation set is empty: no usable clip (see the warnings above)")
    res = {th: (Counts(), Counts()) for th in thresholds}
    for clip in clips:
        probs = predict_clip(model, clip, device, stride=stride, spacing=frame_spacing(clip.fps, train_fps))
        tol, strict = clip.lb.tolerance(4.0), 4.0
        for f in range(len(clip)):
            for th in thresholds:
                d = detect_video(probs[f], clip.lb, th)
                res[th][0].add(d, clip.vis[f], clip.xy[f], tol)
                res[th][1].add(d, clip.vis[f], clip.xy[f], strict)
    return {th: {"tracknet": a.summary(), "strict": b.summary()} for th, (a, b) in res.items()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--root", required=True, help="TrackNet-layout folder to evaluate on")
    ap.add_argument("--cache", default="runs/cache")
    ap.add_argument("--thresholds", default="0.5", help="comma list; tune on TRAIN, report on val")
    ap.add_argument(
        "--max-clips", type=int, default=0, help="evaluate an evenly spaced subset of clips (0 = all)"
    )
    ap.add_argument(
        "--stride", type=int, help="frames between windows (default frames_in; 1 = temporal ensemble)"
    )
    ap.add_argument("--device", default="auto")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(argv)
    set_threads(a.threads)
    device = pick_device(a.device)
    model, meta = load_model(a.checkpoint, device)

    def warn(f, m):
        print(json.dumps({"event": "warning", "file": str(f), "message": m}), flush=True)

    clips = load_root(a.root, a.cache, model.cfg.frames_in, model.cfg.background, warn=warn)
    if a.max_clips and len(clips) > a.max_clips:
        clips = [clips[round(i * (len(clips) - 1) / max(1, a.max_clips - 1))] for i in range(a.max_clips)]
    try:
        res = evaluate_clips(
            model, clips, device, [float(t) for t in a.thresholds.split(",")], a.stride, meta.get("train_fps")
        )
    except ValueError as e:
        sys.exit(f"error: {a.root}: {e}")
    for th, r in res.items():
        print(
            json.dumps(
                {
                    "event": "eval",
                    "root": a.root,
                    "clips": [c.name for c in clips],
                    "threshold": th,
                    "stride": a.stride or model.cfg.frames_in,
                    **r,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
