# Runs in PyTorch. Model registry: a name ("mmfnet-small", "tracknet-unet", ...) plus overrides -> nn.Module.
# The name and the resolved config are stored in checkpoints so export rebuilds exactly the same network.
import dataclasses

from . import mmfnet, unet

ARCHS = {f"mmfnet-{k}": ("mmfnet", v) for k, v in mmfnet.CONFIGS.items()}
ARCHS.update({k: ("unet", v) for k, v in unet.CONFIGS.items()})


def resolve_config(arch: str, **overrides):
    """Config of a named architecture with non-None overrides applied (frames_in, background, width...)."""
    if arch not in ARCHS:
        raise ValueError(f"unknown architecture {arch!r}; choose one of {', '.join(sorted(ARCHS))}")
    family, base = ARCHS[arch]
    valid = {f.name for f in dataclasses.fields(base)}
    bad = [k for k, v in overrides.items() if v is not None and k not in valid]
    if bad:
        raise ValueError(f"{arch} has no option(s) {bad}")
    cfg = dataclasses.replace(base, **{k: v for k, v in overrides.items() if v is not None})
    return family, cfg


def build_model(arch: str, config: dict = None, **overrides):
    """Build from a name and either a stored config dict (checkpoint) or overrides (command line)."""
    family, cfg = resolve_config(arch, **overrides)
    if config:
        cfg = type(cfg)(**{k: tuple(v) if isinstance(v, list) else v for k, v in config.items()})
    return mmfnet.MMFNet(cfg) if family == "mmfnet" else unet.TrackNetUNet(cfg)


def config_dict(model) -> dict:
    return dataclasses.asdict(model.cfg)
