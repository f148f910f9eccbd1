# Runs in pytest (CI). Puts training/ on sys.path so `shuttle_training` imports without installation, and
# builds the synthetic dataset once per session.
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import shuttle_training  # noqa: E402,F401  (first, so its OMP_WAIT_POLICY default precedes torch)
from synth import make_clip  # noqa: E402


@pytest.fixture(scope="session")
def ffmpeg():
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        pytest.skip("ffmpeg/ffprobe not on PATH")


@pytest.fixture(scope="session")
def synth_root(tmp_path_factory, ffmpeg):
    root = tmp_path_factory.mktemp("synth")
    make_clip(root, "match-a", "c001", frames=45)
    make_clip(root, "match-b", "c002", frames=36, hidden=range(5, 8), fmt="normalised")
    return root


@pytest.fixture(scope="session")
def val_root(tmp_path_factory, ffmpeg):
    """A short separate clip for evaluation during the training tests (eval runs at full 288x512)."""
    root = tmp_path_factory.mktemp("synth-val")
    make_clip(root, "match-v", "v001", frames=15, hidden=range(10, 12))
    return root


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")
