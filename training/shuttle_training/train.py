# Runs in PyTorch (a workstation CPU, one GPU, or several GPUs via torchrun). Trains a tracker on one or more
# TrackNet-layout roots, evaluates on a val root after each epoch, keeps the best checkpoint by val F1, and
# streams JSON-lines progress on stdout. CLI: python -m shuttle_training.train --help
import argparse
import contextlib
import os
import random
import sys
import time

import numpy as np
import torch

from . import checkpoint
from .augment_options import add_augment_args, augment_config, check_augment_args, mine_args
from .batches import batch_stream
from .dataset import load_root
from .device import Dist, pick_device, set_threads
from .evaluate import evaluate_clips
from .hard_negatives import HardNegativeSampler
from .loss import deep_supervised_loss, make_loss
from .models import build_model
from .parent_watch import exit_with_parent
from .progress import Progress
from .run_control import StopRequest, lr_at

# Warm-up share of the learning-rate schedule (run_control.lr_at).
WARMUP = 0.03


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description="Train a shuttlecock heatmap tracker.")
    ap.add_argument(
        "--arch", default="mmfnet-small", help="mmfnet-{tiny,small,full}, tracknet-unet, tracknetv3"
    )
    ap.add_argument("--width", type=int, help="tracknet-unet: channels of the first level")
    ap.add_argument("--frames", type=int, default=3, help="frames in = frames out")
    ap.add_argument(
        "--max-spacing",
        type=int,
        default=1,
        help="also sample windows of every k-th frame, k drawn from 1..N (the clips as if recorded at"
        " 1/k of their rate), so the model holds up when the app spaces a faster video's frames",
    )
    ap.add_argument("--background", action="store_true", help="add the clip's median frame as input")
    ap.add_argument("--motion", type=int, choices=[0, 1], help="in-graph difference channels (arch default)")
    ap.add_argument(
        "--train",
        action="append",
        required=True,
        metavar="ROOT[=WEIGHT]",
        help="training root; repeat to mix roots, sampled with the given weights (default 1)",
    )
    ap.add_argument("--val", required=True, help="validation root or match folder (never trained on)")
    ap.add_argument(
        "--exclude-match",
        action="append",
        default=[],
        metavar="NAME",
        help="leave this match out of the training roots (e.g. the one --val points at); repeatable",
    )
    ap.add_argument("--out", required=True, help="run folder for checkpoints (e.g. runs/<name>)")
    ap.add_argument("--cache", default="runs/cache", help="decoded-frame cache folder")
    ap.add_argument("--crop", default="192x320", help="training crop HxW (multiples of 32)")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--steps-per-epoch", type=int, default=0, help="0 = one pass over the training windows")
    ap.add_argument(
        "--minutes",
        type=float,
        default=0,
        help="wall-clock budget; 0 = none. The run stops at the"
        " first step past it, then evaluates and saves once more.",
    )
    ap.add_argument("--loss", default="wbce", choices=["wbce", "focal"])
    ap.add_argument("--pos-weight", type=float, default=30.0, help="wbce: weight of shuttle pixels")
    ap.add_argument("--deep-supervision", type=float, default=0.5, help="aux loss weight (MMFNet); 0 = off")
    ap.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    ap.add_argument(
        "--init",
        metavar="CHECKPOINT",
        help="fine-tune: start from this checkpoint's weights with a fresh optimizer and schedule; the"
        " network's configuration (frames, background) is the checkpoint's. Ignored when --resume finds"
        " OUT/last.pt",
    )
    ap.add_argument("--device", default="auto")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--workers",
        type=int,
        default=0,
        help="data-loading processes (for a GPU); 0 = in the training process, reproducible on resume",
    )
    ap.add_argument("--bf16", action="store_true", help="CUDA: bfloat16 autocast for the forward pass")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--log-every", type=int, default=20)
    ap.add_argument("--eval-every", type=int, default=1, help="evaluate every N epochs")
    ap.add_argument(
        "--eval-stride",
        type=int,
        help="window stride of the val evaluation: the one the model will"
        " run with (default frames in: no overlap; 1 = the temporal ensemble the bundled model uses)",
    )
    ap.add_argument(
        "--thresholds",
        default="0.5",
        help="comma list: each evaluation scores every threshold and"
        " keeps the best TrackNet F1; the checkpoint records it (export's default --threshold)",
    )
    add_augment_args(ap)
    a = ap.parse_args(argv)
    check_augment_args(ap, a)
    return a


def parse_thresholds(text):
    try:
        ths = sorted({float(t) for t in text.split(",")})
    except ValueError:
        sys.exit(f"error: --thresholds {text!r} is not a comma list of numbers")
    if not ths or not all(0 < t < 1 for t in ths):
        sys.exit(f"error: --thresholds {text!r}: every threshold must lie inside (0, 1)")
    return ths


def operating_point(results, stride):
    """{threshold: {"tracknet", "strict"}} -> the threshold with the best TrackNet F1 (ties: the lower one),
    as one result that says which threshold and window stride it was measured at. Model selection and export
    both use it, so the F1 a model is chosen on is the F1 it ships with."""
    th = max(sorted(results), key=lambda t: results[t]["tracknet"]["f1"])
    return dict(results[th], threshold=th, stride=stride)


def parse_roots(specs):
    out = []
    for s in specs:
        root, _, w = s.partition("=")
        out.append((root, float(w) if w else 1.0))
    return out


class Sampler:
    """Draws (clip, window start, spacing): a root by weight, then a window uniformly among that root's
    windows, then a frame spacing uniformly from 1..max_spacing among those the clip is long enough for (a
    window of spacing k spans (window - 1) * k + 1 frames; its start is moved back to fit when needed)."""

    def __init__(self, roots, window, rng, max_spacing=1):
        if max_spacing < 1:
            raise ValueError(f"--max-spacing must be 1 or more, not {max_spacing}")
        self.rng, self.window, self.max_spacing = rng, window, max_spacing
        self.roots = [(clips, w, np.cumsum([len(c) - window + 1 for c in clips])) for clips, w in roots]
        self.weights = [w for _, w, _ in self.roots]

    def __len__(self):
        return int(sum(cs[-1] for _, _, cs in self.roots))

    def draw(self):
        clips, _, cs = self.rng.choices(self.roots, weights=self.weights)[0]
        k = self.rng.randrange(int(cs[-1]))
        i = int(np.searchsorted(cs, k, side="right"))
        clip, start = clips[i], k - (int(cs[i - 1]) if i else 0)
        fits = max(1, min(self.max_spacing, (len(clip) - 1) // max(1, self.window - 1)))
        spacing = self.rng.randint(1, fits) if fits > 1 else 1
        return clip, min(start, len(clip) - 1 - (self.window - 1) * spacing), spacing


def read_init_checkpoint(path, a):
    """The checkpoint to fine-tune from. Its network configuration wins over --frames/--background (a model
    fine-tuned from the default must keep the default's input), but not over a different --arch."""
    try:
        ck = torch.load(path, map_location="cpu")
    except (OSError, RuntimeError) as err:
        sys.exit(f"error: --init {path} cannot be read: {err}")
    if ck.get("arch") != a.arch:
        sys.exit(f"error: --init {path} holds a {ck.get('arch')} model, not {a.arch}")
    a.frames, a.background = ck["config"]["frames_in"], bool(ck["config"].get("background"))
    return ck


def main(argv=None):
    a = parse_args(argv)
    stop_signal = StopRequest()
    exit_with_parent()
    dist = Dist()
    set_threads(a.threads)
    device = pick_device(a.device, dist.local_rank)
    dist.init(device)
    log = Progress(enabled=dist.main)
    rng = random.Random(a.seed * 1000 + dist.rank)
    torch.manual_seed(a.seed * 1000 + dist.rank)
    os.makedirs(a.out, exist_ok=True)

    ch, cw = (int(v) for v in a.crop.lower().split("x"))
    last_path, best_path = os.path.join(a.out, "last.pt"), os.path.join(a.out, "best.pt")
    # A resumed run and a fine-tune take the network's configuration from their checkpoint.
    resume = torch.load(last_path, map_location="cpu") if a.resume and os.path.exists(last_path) else None
    init = read_init_checkpoint(a.init, a) if a.init and resume is None else None
    if resume is not None:
        a.frames, a.background = resume["config"]["frames_in"], bool(resume["config"].get("background"))
        model = build_model(resume["arch"], resume["config"])
    elif init is not None:
        model = build_model(init["arch"], init["config"])
        model.load_state_dict(init["model"])
        log.emit("init", checkpoint=a.init, val=init.get("val"), frames=a.frames, background=a.background)
    else:
        model = build_model(
            a.arch,
            frames_in=a.frames,
            frames_out=a.frames,
            background=a.background,
            width=a.width,
            motion=None if a.motion is None else bool(a.motion),
        )
    model.arch_name = a.arch
    model.deep_supervision = a.deep_supervision > 0
    model.to(device)

    roots = []
    for root, w in parse_roots(a.train):
        clips = load_root(root, a.cache, a.frames, a.background, warn=log.warn, exclude=a.exclude_match)
        if not clips:
            sys.exit(f"error: training root {root} has no usable clip (see warnings)")
        roots.append((clips, w))
    val = load_root(a.val, a.cache, a.frames, a.background, warn=log.warn) if dist.main else []
    if dist.main and not val:
        sys.exit(
            f"error: validation root {a.val} has no usable clip (see warnings); refusing to train without"
            " a val set"
        )
    sampler = HardNegativeSampler(Sampler(roots, a.frames, rng, a.max_spacing), a.hard_negatives)
    # The rate the model's motion cues are learnt at (exported as shuttle.train_fps): the training clips' own,
    # their median when roots mix rates. Spaced samples only teach it slower rates on top.
    rates = sorted(c.fps for clips, _ in roots for c in clips if c.fps)
    train_fps = round(float(rates[len(rates) // 2]), 3) if rates else None
    steps_per_epoch = a.steps_per_epoch or max(1, len(sampler) // (a.batch * dist.world))
    total_steps = steps_per_epoch * a.epochs

    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    state = dict(epoch=0, step=0, elapsed=0.0, best_f1=-1.0, best_epoch=-1, history=[])
    if resume is not None:
        ck = resume
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        state.update(ck["state"])
        rng.seed(a.seed * 1000 + dist.rank + 7919 * state["step"])  # fresh, reproducible stream after resume
    ddp_model = dist.wrap(model, device)
    aug = augment_config(a, ch, cw)
    log.emit(
        "start",
        arch=a.arch,
        config=vars(model.cfg) if hasattr(model.cfg, "__dict__") else None,
        params=sum(p.numel() for p in model.parameters()),
        train_windows=len(sampler),
        val_clips=len(val),
        steps_per_epoch=steps_per_epoch,
        device=str(device),
        world=dist.world,
        resumed_at_step=state["step"],
    )

    loss_fn = make_loss(a.loss, a.pos_weight)
    batches = batch_stream(
        sampler,
        a.batch,
        a.frames,
        aug,
        rng,
        a.background,
        workers=a.workers,
        seed=a.seed * 1000 + dist.rank + 7919 * state["step"],
        pin=device.type == "cuda",
    )
    use_bf16 = a.bf16 and device.type == "cuda"
    thresholds = parse_thresholds(a.thresholds)
    eval_stride = a.eval_stride or a.frames
    if not 1 <= eval_stride <= a.frames:
        sys.exit(f"error: --eval-stride must be 1 to {a.frames} (the frames in a window), not {eval_stride}")
    budget = a.minutes * 60
    t0 = time.time() - state["elapsed"]
    stop = False
    while state["epoch"] < a.epochs and not stop:
        sampler.maybe_refresh(state["epoch"], a.hard_mine_every, model, device, log, **mine_args(a))
        ddp_model.train()
        ep_loss, n = 0.0, 0
        t_ep = time.time()
        for i in range(steps_per_epoch):
            elapsed = time.time() - t0
            stop = dist.any_flag((budget > 0 and elapsed >= budget) or stop_signal.requested, device)
            if stop:
                break
            progress = max(state["step"] / total_steps, elapsed / budget if budget else 0.0)
            lr = lr_at(a.lr, progress, WARMUP)
            for g in opt.param_groups:
                g["lr"] = lr
            x, y = next(batches)
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            with torch.autocast(
                device_type="cuda", dtype=torch.bfloat16
            ) if use_bf16 else contextlib.nullcontext():
                out = ddp_model(x)
            out = [o.float() for o in out] if isinstance(out, (list, tuple)) else out.float()
            loss = deep_supervised_loss(out, y, a.deep_supervision, loss_fn)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            state["step"] += 1
            ep_loss += loss.item()
            n += 1
            if state["step"] % a.log_every == 0:
                log.emit(
                    "step",
                    epoch=state["epoch"],
                    step=state["step"],
                    loss=dist.mean(loss.item(), device),
                    lr=lr,
                    elapsed_s=round(time.time() - t0, 1),
                    samples_per_s=round(n * a.batch * dist.world / (time.time() - t_ep), 2),
                )
        if n == 0 and stop and state["history"]:
            break  # budget ran out exactly at an epoch boundary that was already evaluated
        state["epoch"] += 1
        state["elapsed"] = time.time() - t0
        log.emit(
            "epoch",
            epoch=state["epoch"],
            steps=n,
            loss=ep_loss / max(1, n),
            elapsed_s=round(state["elapsed"], 1),
        )
        if dist.main and (state["epoch"] % a.eval_every == 0 or stop or state["epoch"] == a.epochs):
            t_ev = time.time()
            res = operating_point(
                evaluate_clips(model, val, device, thresholds, a.eval_stride, train_fps), eval_stride
            )
            model.train()
            f1 = res["tracknet"]["f1"]
            best = f1 > state["best_f1"]
            if best:
                state["best_f1"], state["best_epoch"] = f1, state["epoch"]
            state["history"].append(
                {
                    "epoch": state["epoch"],
                    "step": state["step"],
                    "elapsed_s": round(time.time() - t0, 1),
                    **res,
                }
            )
            log.emit(
                "eval",
                epoch=state["epoch"],
                step=state["step"],
                best=best,
                eval_s=round(time.time() - t_ev, 1),
                **res,
            )
            state["elapsed"] = time.time() - t0
            meta = dict(state=state, args=vars(a), val=res, train_fps=train_fps)
            if best:
                checkpoint.save(best_path, model, **meta)
            checkpoint.save(last_path, model, optimizer=opt.state_dict(), **meta)
        dist.barrier()
    spread = dist.weight_spread(model, device)  # a collective: every rank takes part
    if dist.main:
        log.emit(
            "done",
            best_f1=state["best_f1"],
            best_epoch=state["best_epoch"],
            checkpoint=best_path,
            steps=state["step"],
            elapsed_s=round(time.time() - t0, 1),
            **spread,
        )
    dist.close()


if __name__ == "__main__":
    main()
