# Runs in PyTorch (after training). A weight average ("model soup") of checkpoints of one network: every
# floating-point tensor of their state dicts (weights and BatchNorm statistics) averaged with the given
# weights, integer tensors (BatchNorm's step counters) taken from the first. Averaging only makes sense for
# models that share an ancestry (fine-tuned from one parent), so the architectures and configs must match.
# CLI: python -m shuttle_training.soup A.pt B.pt --out soup.pt [--weights 0.5,0.5]
import argparse
import json

import torch

from .checkpoint import save_atomic


def parse_weights(text, count):
    """ "0.5,0.5" -> [0.5, 0.5]; None -> equal weights. Positive, one per checkpoint, summing to 1."""
    if text is None:
        return [1.0 / count] * count
    try:
        weights = [float(w) for w in text.split(",")]
    except ValueError:
        raise ValueError(f"--weights must be numbers separated by commas, not {text!r}") from None
    if len(weights) != count:
        raise ValueError(f"--weights gives {len(weights)} weights for {count} checkpoints")
    if any(not w > 0 for w in weights):
        raise ValueError(f"every weight must be positive: {text}")
    if abs(sum(weights) - 1) > 1e-6:
        raise ValueError(f"the weights must sum to 1, not {sum(weights):g}")
    return weights


def average_state_dicts(states, weights):
    first = states[0]
    for i, s in enumerate(states[1:], 2):
        if s.keys() != first.keys():
            missing = sorted(first.keys() ^ s.keys())[:3]
            raise ValueError(f"checkpoint {i} has other tensors than the first (for example {missing})")
    out = {}
    for name, t in first.items():
        for i, s in enumerate(states[1:], 2):
            if s[name].shape != t.shape or s[name].dtype != t.dtype:
                raise ValueError(
                    f"checkpoint {i}'s {name} is {tuple(s[name].shape)}, the first's {tuple(t.shape)}"
                )
        if t.is_floating_point():
            out[name] = sum(w * s[name].double() for w, s in zip(weights, states)).to(t.dtype)
        else:
            out[name] = t.clone()
    return out


def load_checkpoint(path):
    try:
        ck = torch.load(path, map_location="cpu")
    except Exception as e:  # a missing file, a truncated download, something else than a checkpoint
        raise ValueError(f"cannot read the checkpoint {path}: {e}") from None
    if not isinstance(ck, dict) or not {"arch", "config", "model"} <= ck.keys():
        raise ValueError(f"{path} is not a training checkpoint (no arch, config and model)")
    return ck


def soup(paths, weights):
    """-> the averaged checkpoint dict: the first parent's architecture, config, training arguments and frame
    rate (so export names the same training data), the averaged weights, and where they came from."""
    cks = [load_checkpoint(p) for p in paths]
    first = cks[0]
    for p, ck in zip(paths[1:], cks[1:]):
        if ck["arch"] != first["arch"] or ck["config"] != first["config"]:
            raise ValueError(
                f"{p} is a {ck['arch']} {ck['config']}, {paths[0]} a {first['arch']} {first['config']}"
            )
        if ck.get("train_fps") != first.get("train_fps"):
            raise ValueError(
                f"{p} was trained at {ck.get('train_fps')} frames/s, {paths[0]} at {first.get('train_fps')}"
            )
    out = {k: first[k] for k in ("arch", "config", "args", "train_fps") if k in first}
    out["model"] = average_state_dicts([ck["model"] for ck in cks], weights)
    out["soup"] = {"parents": list(paths), "weights": weights}
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Average the weights of checkpoints of one network (a model soup)."
    )
    ap.add_argument("checkpoints", nargs="+", help="two or more .pt checkpoints of the same architecture")
    ap.add_argument("--out", required=True, help="the averaged checkpoint (.pt), written atomically")
    ap.add_argument("--weights", help="comma-separated weights summing to 1 (default: equal)")
    a = ap.parse_args(argv)
    if len(a.checkpoints) < 2:
        ap.error("give at least two checkpoints to average")
    try:
        ck = soup(a.checkpoints, parse_weights(a.weights, len(a.checkpoints)))
    except ValueError as e:
        ap.error(str(e))
    save_atomic(ck, a.out)
    print(json.dumps({"event": "soup", "out": a.out, **ck["soup"]}))


if __name__ == "__main__":
    main()
