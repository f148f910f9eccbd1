# Runs in Python (training machines, CI). Package root of Shuttle Studio's tracker training:
# MMFNet and baselines in PyTorch, TrackNet-layout data loading, training, evaluation, ONNX export.
import os

# GNU OpenMP threads spin while waiting by default. On a shared 2-core machine (other builds running) that
# made a 2-thread forward ~7x slower than with passive waiting (measured). It must be set before torch is
# imported, which is why it lives here; an explicit setting in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
