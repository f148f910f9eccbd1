# Runs in Python (the studio's Train tab and `shuttle-studio adapt` spawn it). Adapts a tracker to a user's
# camera from the sparse labels in a manifest (see README.md, "Adapting to a new camera"): the base model's
# held-back F1 first, then fine-tuning on crops around labelled shuttles, around confusers and at random,
# scored on a fixed subset of the held-back rows to stop early, all inside a wall-clock budget that covers
# decoding, the baseline and the export. The best model is scored on every held-back row and written as
# OUT.onnx + OUT.pt. JSON lines on stdout; SIGTERM or SIGINT stops and exports the best model so far.
# CLI: python -m shuttle_training.adapt --manifest M --base BASE.pt --minutes M --out OUT.onnx --run-dir D
import argparse
import contextlib
import copy
import hashlib
import json
import math
import os
import random
import sys
import time

import torch

from .adapt_data import BAD_MANIFEST, AdaptError, load_base, load_clip, read_manifest
from .adapt_eval import (
    Stopped,
    affordable,
    best_threshold,
    f1_of,
    label_frames,
    mine_confusers,
    sample_frames,
)
from .adapt_eval import score, score_at, seconds_per_window, subset, windows_needed
from .adapt_export import adapted_metadata, check_writable, write_model
from .adapt_replay import load_replay
from .adapt_samples import Recipe, Sampler, freeze, l2sp_penalty, masked_loss
from .checkpoint import save_atomic
from .device import set_threads
from .parent_watch import exit_with_parent
from .progress import Progress
from .run_control import StopRequest, lr_at
from .weight_average import WeightAverage

EXPORT_RESERVE_S = 20.0  # ONNX export and the two writes, with margin
# Warm-up share of the learning-rate schedule: a fine-tune from a trained model, short, with few labels.
WARMUP = 0.05
SUBSET_CAP = 96  # held-back frames of the frequent evaluations
EVAL_SHARE = 0.2  # of the budget for scoring the base model (and again the result) on held-back rows
SUBSET_SHARE = 0.05  # of the budget for one of the frequent evaluations
# The subset keeps at least this many frames however long scoring them takes: a subset cut to 29 frames under
# load stopped a run that was 9 points above the base on every held-back row (training/RESULTS.md, round 2).
MIN_SUBSET = 64
# Detection thresholds tried on the held-back rows (with the base model's own): an adapted model's
# probabilities move, and on a new camera its best threshold is rarely the base's (RESULTS.md, round 3).
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
MINE_FRAMES = (32, 8)  # labelled frames searched for confusers at the start, and more after each evaluation
MAX_CONFUSERS = 256


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description="Adapt a tracker to a new camera from a manifest of labels.")
    ap.add_argument("--manifest", required=True, help="JSON written by the app (version 1)")
    ap.add_argument("--base", required=True, help="checkpoint to start from (.pt, or an .onnx with its .pt)")
    ap.add_argument("--minutes", type=float, required=True, help="wall-clock budget, everything included")
    ap.add_argument("--out", required=True, help="OUT.onnx (OUT.pt is written beside it)")
    ap.add_argument("--run-dir", required=True, help="frame cache and checkpoints (last.pt, best.pt)")
    ap.add_argument("--resume", action="store_true", help="continue from RUN_DIR/last.pt")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    # The recipe (defaults are the measured one, training/RESULTS.md) and test hooks.
    r = Recipe()
    ap.add_argument("--crop", default=f"{r.crop_h}x{r.crop_w}", help="training crop HxW")
    ap.add_argument("--batch", type=int, default=r.batch)
    ap.add_argument("--lr", type=float, default=r.lr)
    ap.add_argument("--freeze", default=r.freeze, choices=["none", "bn", "stem", "heads"])
    ap.add_argument("--confuser-p", type=float, default=r.confuser_p)
    ap.add_argument("--replay", default=None, help="TrackNet-layout folder mixed into the batches (replay)")
    ap.add_argument("--replay-p", type=float, default=r.replay_p, help="share of samples from --replay")
    ap.add_argument("--l2sp", type=float, default=r.l2sp, help="weight of sum (w - w_base)^2 in the loss")
    ap.add_argument(
        "--ema", type=float, default=r.ema, help="decay of the weight average that is scored (0: off)"
    )
    ap.add_argument("--eval-every", type=float, default=90.0, help="seconds of training between evaluations")
    ap.add_argument("--eval-steps", type=int, default=0, help="evaluate every N steps instead (tests)")
    ap.add_argument("--max-steps", type=int, default=0, help="stop training after N steps in all (tests)")
    ap.add_argument("--patience", type=int, default=3, help="evaluations worse than the best before stopping")
    return ap.parse_args(argv)


def manifest_key(manifest, base_path):
    """What a run folder's checkpoints belong to: the rows, the videos and the base model."""
    rows = [(c["video"], sorted(c["train"].items()), sorted(c["held"].items())) for c in manifest["clips"]]
    return hashlib.sha1(json.dumps([rows, os.path.abspath(base_path)]).encode()).hexdigest()[:16]


def save_state(path, model, opt, state, average=None):
    ck = {"model": model.state_dict(), "optimizer": opt.state_dict(), "state": state}
    ck["average"] = average.state_dict() if average else None
    save_atomic(ck, path)


def main(argv=None):
    a = parse_args(argv)
    # A second signal must not cut the export short: after the studio's Stop, a studio that quits closes our
    # stdin and parent_watch signals once more, and the user still wants the best model so far on disk.
    log, stop = Progress(), StopRequest(second_means_now=False)
    exit_with_parent()  # a killed studio closes our stdin: stop as on its Stop
    try:
        run(a, log, stop, time.time())
    except AdaptError as e:
        log.emit("error", message=str(e), code=e.code)
        sys.exit(e.code)
    finally:
        stop.restore()


def run(a, log, stop, t_start):
    set_threads(a.threads)
    try:
        ch, cw = (int(v) for v in a.crop.lower().split("x"))
    except ValueError:
        raise AdaptError(BAD_MANIFEST, f"--crop {a.crop!r} is not HxW")
    if not a.minutes > 0 or ch < 32 or cw < 32 or a.batch < 1:
        raise AdaptError(BAD_MANIFEST, "--minutes must be above 0, --crop at least 32x32, --batch at least 1")
    if not 0 <= a.replay_p <= 1 or a.l2sp < 0 or not 0 <= a.ema < 1:
        raise AdaptError(
            BAD_MANIFEST, "--replay-p and --ema must be within 0..1 (--ema below 1), --l2sp at least 0"
        )
    recipe = Recipe(crop_h=ch, crop_w=cw, batch=a.batch, lr=a.lr, freeze=a.freeze, confuser_p=a.confuser_p)
    recipe.replay_p, recipe.l2sp, recipe.ema = a.replay_p, a.l2sp, a.ema
    check_writable(a.out, a.run_dir)
    manifest = read_manifest(a.manifest)
    base = load_base(a.base)
    model, cfg = base.model, base.model.cfg
    used = [c for c in manifest["clips"] if c["train"] or c["held"]]
    clips = [load_clip(c, base, os.path.join(a.run_dir, "cache"), cfg.frames_in) for c in used]
    held_clips = [c for c in clips if c.held]
    n_train = sum(len(c["train"]) for c in used)
    n_held = sum(len(c.held) for c in clips)
    replay = load_replay(a.replay, base, os.path.join(a.run_dir, "cache"), cfg.frames_in) if a.replay else []

    early = False
    last_path, best_path = os.path.join(a.run_dir, "last.pt"), os.path.join(a.run_dir, "best.pt")
    key = manifest_key(manifest, base.path)
    base_weights = copy.deepcopy(model.state_dict())
    params = freeze(model, recipe.freeze)
    anchor = {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}
    opt = torch.optim.AdamW(params, lr=recipe.lr, weight_decay=1e-4)
    average = WeightAverage(model, recipe.ema) if recipe.ema > 0 else None
    state = dict(key=key, step=0, elapsed=0.0, baseline=None, best_f1=None, best_step=0, bad=0, history=[])
    state["best_threshold"] = base.threshold
    if a.resume and os.path.exists(last_path):
        try:
            ck = torch.load(last_path, map_location="cpu")
            why = None if ck["state"].get("key") == key else "belongs to other labels or another base model"
        except Exception as e:  # unreadable: start over rather than refuse the run
            why = f"cannot be read ({e})"
        if why:
            log.emit("warning", file=last_path, message=f"{why}; starting over")
        else:
            model.load_state_dict(ck["model"])
            opt.load_state_dict(ck["optimizer"])
            if average and ck.get("average"):
                average.load_state_dict(ck["average"])
            state = ck["state"]
            state.setdefault(
                "best_threshold", base.threshold
            )  # a run folder from before thresholds were tried
    t0 = t_start - state["elapsed"]  # a resumed run spends what is left of the budget
    budget = a.minutes * 60.0

    def elapsed():
        return time.time() - t0

    rng = random.Random(a.seed * 7919 + state["step"])
    torch.manual_seed(a.seed * 7919 + state["step"])
    log.emit(
        "start",
        train_frames=n_train,
        held_frames=n_held,
        budget_s=round(budget, 1),
        resumed_at_step=state["step"],
        clips=[{"clip": c.name, "frames": len(c), "fps": c.fps, "spacing": c.spacing} for c in clips],
        threshold=base.threshold,
        window_stride=base.stride,
        replay_frames=sum(int((c.tvis >= 0).sum()) for c in replay),
    )

    # The held-back rows scored before and after (all of them when the budget affords it) and the subset of
    # those that the frequent evaluations use; chosen once per run folder from the speed measured now.
    if state["baseline"] is None:
        spw = seconds_per_window(model, held_clips[0], base.stride)
        scored = affordable(model, held_clips, base.stride, EVAL_SHARE * budget, spw)
        few = subset(held_clips, SUBSET_CAP, scored)
        sub = affordable(model, held_clips, base.stride, SUBSET_SHARE * budget, spw, few, least=MIN_SUBSET)
        state["scored"] = {k: sorted(v) for k, v in scored.items()}
        state["sub"] = {k: sorted(v) for k, v in sub.items()}
    scored = {k: set(v) for k, v in state["scored"].items()}
    sub = {k: set(v) for k, v in state["sub"].items()}
    n_scored, n_sub = sum(len(v) for v in scored.values()), sum(len(v) for v in sub.values())

    def frames_full(c):
        return scored[c.name]

    def frames_sub(c):
        return sub[c.name]

    thresholds = sorted(set(THRESHOLDS) | {base.threshold})

    def export_best(f1, f1_before, frames, stopped, kept_base=False, threshold=None):
        threshold = base.threshold if kept_base or threshold is None else threshold
        if kept_base:
            model.load_state_dict(base_weights)
        else:
            model.load_state_dict(torch.load(best_path, map_location="cpu")["model"])
        meta = adapted_metadata(model, base, manifest, n_train, elapsed() / 60, f1, f1_before, threshold)
        write_model(model, a.out, meta, base)
        log.emit(
            "exported",
            file=a.out,
            f1=f1,
            f1_before=f1_before,
            stopped=stopped,
            early_stopped=early,
            heldback_frames=frames,
            kept_base=kept_base,
            threshold=threshold,
            best_step=state["best_step"],
            elapsed_s=round(elapsed(), 1),
        )

    # 1. The base model on the held-back rows, the way the app runs it (once per run folder).
    if state["baseline"] is None:
        t_ev = time.time()
        try:
            full, part = score(model, held_clips, frames_full, base.threshold, base.stride, stop, frames_sub)
        except Stopped:
            return export_best(None, None, 0, True, kept_base=True)
        windows = sum(windows_needed(model, c, scored[c.name], base.stride) for c in held_clips)
        state["s_per_window"] = (time.time() - t_ev) / max(1, windows)
        state["baseline"] = dict(full=f1_of(full)[0], subset=f1_of(part)[0], counts=full.summary())
        state["best_f1"] = state["baseline"]["subset"]
        model.arch_name = base.arch
        save_atomic({"model": model.state_dict(), "state": dict(step=0)}, best_path)
        state["elapsed"] = elapsed()
        save_state(last_path, model, opt, state)
    bl = state["baseline"]
    log.emit("baseline", f1=bl["full"], subset_f1=bl["subset"], frames=n_scored, subset_frames=n_sub)

    spw = state["s_per_window"]
    cost_sub = spw * sum(windows_needed(model, c, sub[c.name], base.stride) for c in held_clips)
    cost_full = spw * sum(windows_needed(model, c, scored[c.name], base.stride) for c in held_clips)
    cost_full = 0.0 if n_sub == n_scored else cost_full
    reserve = EXPORT_RESERVE_S + cost_full

    # 2. Fine-tune, evaluating on the subset every so often; stop early when it stops improving.
    sampler = Sampler(clips, cfg, recipe, rng, replay)
    mine = [c for c in clips if (c.tvis >= 0).any()]

    def remine(n):
        """The base model's confusers first; after each evaluation, those of the model being trained."""
        try:
            for c in mine:
                frames = sample_frames(label_frames(c), max(1, n // len(mine)), rng)
                found = mine_confusers(model, c, frames, base.threshold, cfg.frames_in, stop)
                sampler.confusers += [(c, f, x, y) for f, x, y in found]
        except Stopped:
            pass
        sampler.confusers = sampler.confusers[-MAX_CONFUSERS:]
        freeze(model, recipe.freeze)

    if recipe.confuser_p > 0 and elapsed() + reserve + 2 * cost_sub < budget:
        remine(MINE_FRAMES[0])

    def evaluate():
        # The weight average where there is one: it is what is scored, kept as best and exported.
        with average.applied(model) if average else contextlib.nullcontext():
            f1, thr = best_threshold(
                score_at(model, held_clips, frames_sub, thresholds, base.stride, stop)[0], base.threshold
            )
            # A tie keeps the later weights (trained longer, no worse here) without counting against patience:
            # on a few dozen frames F1 moves in coarse steps, and only a drop says training went astray.
            if f1 >= state["best_f1"]:
                state["bad"] = 0 if f1 > state["best_f1"] else state["bad"]
                state["best_f1"], state["best_step"], state["best_threshold"] = f1, state["step"], thr
                save_atomic({"model": model.state_dict(), "state": dict(step=state["step"])}, best_path)
            else:
                state["bad"] += 1
        state["history"].append(dict(step=state["step"], f1=f1, elapsed_s=round(elapsed(), 1)))
        state["elapsed"] = elapsed()
        save_state(last_path, model, opt, state, average)
        log.emit(
            "eval",
            step=state["step"],
            f1=f1,
            best_f1=state["best_f1"],
            threshold=thr,
            elapsed_s=round(elapsed(), 1),
            frames=n_sub,
            confusers=len(sampler.confusers),
        )
        freeze(model, recipe.freeze)

    model.deep_supervision = recipe.deep_supervision > 0
    t_train0, last_emit, last_eval_step = elapsed(), 0.0, state["step"]
    next_eval = elapsed() + a.eval_every
    try:
        while not stop():
            el = elapsed()
            if el + reserve + cost_sub >= budget or (a.max_steps and state["step"] >= a.max_steps):
                break
            progress = (el - t_train0) / max(1.0, budget - reserve - cost_sub - t_train0)
            lr = lr_at(recipe.lr, progress, WARMUP)
            for g in opt.param_groups:
                g["lr"] = lr
            x, y, m = sampler.batch()
            loss = masked_loss(model(x), y, m, recipe.pos_weight, recipe.deep_supervision)
            if recipe.l2sp > 0:
                loss = loss + recipe.l2sp * l2sp_penalty(model, anchor)
            if not math.isfinite(loss.item()):
                log.emit("warning", file=a.manifest, message=f"the loss diverged at step {state['step']}")
                break
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            state["step"] += 1
            if average:
                average.update(model, state["step"])
            if time.time() - last_emit >= 1.0:
                last_emit = time.time()
                log.emit(
                    "step",
                    step=state["step"],
                    loss=float(loss.item()),
                    elapsed_s=round(el, 1),
                    budget_s=round(budget, 1),
                    lr=lr,
                )
            due = state["step"] % a.eval_steps == 0 if a.eval_steps else elapsed() >= next_eval
            if due:
                evaluate()
                last_eval_step = state["step"]
                next_eval = elapsed() + a.eval_every
                if state["bad"] >= a.patience:
                    early = True
                    break
                if recipe.confuser_p > 0:
                    remine(MINE_FRAMES[1])
        if not stop() and state["step"] > last_eval_step:
            evaluate()
    except Stopped:
        pass
    model.deep_supervision = False

    # 3. The best model on every held-back row (the subset chose it), then the export.
    if stop() or state["best_step"] == 0 or n_sub == n_scored:
        stopped = stop()
        if state["best_step"] == 0:
            return export_best(bl["full"], bl["full"], n_scored, stopped, kept_base=True)
        thr = state["best_threshold"]
        if n_sub == n_scored:
            return export_best(state["best_f1"], bl["full"], n_scored, stopped, threshold=thr)
        return export_best(state["best_f1"], bl["subset"], n_sub, stopped, threshold=thr)
    best = torch.load(best_path, map_location="cpu")
    model.load_state_dict(best["model"])
    try:
        f1, thr = best_threshold(
            score_at(model, held_clips, frames_full, thresholds, base.stride, stop)[0], base.threshold
        )
    except Stopped:
        return export_best(state["best_f1"], bl["subset"], n_sub, True, threshold=state["best_threshold"])
    if f1 < bl["full"]:  # never hand back a model worse on the user's own held-back labels
        return export_best(bl["full"], bl["full"], n_scored, False, kept_base=True)
    return export_best(f1, bl["full"], n_scored, False, threshold=thr)


if __name__ == "__main__":
    main()
