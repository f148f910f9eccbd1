# Runs in PyTorch (training, export, evaluation). Checkpoints carry the architecture name and resolved config
# so evaluation and export rebuild the identical network without extra flags. Writes are atomic.
import os

import torch

from .models import build_model, config_dict


def save_atomic(obj, path):
    """torch.save through a temporary file, so a crash mid-write never leaves half a checkpoint at path."""
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def save(path, model, **extra):
    save_atomic(
        {"arch": model.arch_name, "config": config_dict(model), "model": model.state_dict(), **extra}, path
    )


def load_model(path, device="cpu"):
    ck = torch.load(path, map_location="cpu")  # plain types only, so PyTorch >= 2.6's weights_only load works
    model = build_model(ck["arch"], ck["config"])
    model.arch_name = ck["arch"]
    model.load_state_dict(ck["model"])
    return model.to(device).eval(), ck
