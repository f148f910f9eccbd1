# Runs in PyTorch + onnx (adaptation). Writes the adapted model as the app loads it: OUT.onnx with export.py's
# contract metadata plus what it was adapted from and on and its held-back F1, and OUT.pt beside it (the
# checkpoint a later adaptation starts from). Each file is written under a temporary name and renamed, the
# .pt first, so an OUT.onnx on disk always has its .pt.
import copy
import os

from . import checkpoint
from .adapt_data import BAD_WRITE, AdaptError
from .export import contract_metadata, export


def check_writable(out, run_dir):
    """Refuse at once (not after the budget) when the outputs cannot be written."""
    for d in (os.path.dirname(os.path.abspath(out)), run_dir):
        try:
            os.makedirs(d, exist_ok=True)
            probe = os.path.join(d, f".adapt-write-test-{os.getpid()}")
            with open(probe, "w") as f:
                f.write("")
            os.remove(probe)
        except OSError as e:
            raise AdaptError(BAD_WRITE, f"cannot write into {d}: {e}")
    if not out.lower().endswith(".onnx"):
        raise AdaptError(BAD_WRITE, f"--out {out} must name an .onnx file")


def adapted_metadata(model, base, manifest, n_frames, minutes, f1, f1_before, threshold=None):
    """threshold: the detection threshold chosen on the held-back rows (the base model's by default)."""
    threshold = base.threshold if threshold is None else threshold
    clips = ",".join(f"{c.get('match', '')}/{c.get('clip', '')}" for c in manifest["clips"])
    root = os.path.basename(os.path.normpath(str(manifest.get("root") or "")))
    on = f"{root}: {clips}" if root else clips
    trained_on = f"{base.trained_on} + adapted on {on}" if base.trained_on else f"adapted on {on}"
    meta = contract_metadata(
        model, base.arch, trained_on, f1, threshold, stride=base.stride, train_fps=base.train_fps
    )
    meta.update(
        {
            "shuttle.adapted_from": os.path.basename(base.path),
            "shuttle.adapted_on": on,
            "shuttle.adapt_frames": n_frames,
            "shuttle.adapt_minutes": f"{minutes:.2f}",
            "shuttle.heldback_f1": "" if f1 is None else f"{f1:.4f}",
            "shuttle.heldback_f1_before": "" if f1_before is None else f"{f1_before:.4f}",
            "shuttle.base_threshold": f"{base.threshold:g}",
        }
    )
    return meta


def write_model(model, out, meta, base):
    """OUT.pt then OUT.onnx; raises AdaptError(5) when either cannot be written."""
    model = copy.deepcopy(model).cpu().eval()
    model.arch_name = base.arch
    pt = os.path.splitext(out)[0] + ".pt"
    try:
        checkpoint.save(
            pt,
            model,
            trained_on=meta["shuttle.trained_on"],
            train_fps=base.train_fps,
            val={
                "threshold": float(meta["shuttle.threshold"]),
                "stride": base.stride,
                "f1": _num(meta["shuttle.heldback_f1"]),
            },
            adapt={k: v for k, v in meta.items() if "adapt" in k or "heldback" in k},
        )
        export(model, out, meta)
    except OSError as e:
        raise AdaptError(BAD_WRITE, f"cannot write the adapted model {out}: {e}")
    return pt


def _num(text):
    return float(text) if text else None
