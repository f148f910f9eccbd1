# Runs in Python with onnxruntime (a GPU machine; Debian has no onnxruntime for Python, so not in CI).
# Checks an ONNX tracker on onnxruntime's CUDA provider against its CPU provider: the same windows through
# both, the largest difference of the heatmap probabilities, and windows/s of each. The app runs
# onnxruntime-node, whose CUDA files are the same libraries; this is the check that a machine's CUDA setup
# gives the CPU's answers.
#   python -m shuttle_training.provider_check MODEL.onnx [--windows 30] [--batch 1]
import argparse
import json
import time

import numpy as np


def run(session, x, windows, batch):
    name = session.get_inputs()[0].name
    outs, times = [], []
    session.run(None, {name: x[:batch]})  # warm-up: CUDA allocates and picks kernels on the first run
    for i in range(0, windows, batch):
        t = time.perf_counter()
        outs.append(session.run(None, {name: x[i : i + batch]})[0])
        times.append(time.perf_counter() - t)
    return np.concatenate(outs), batch / float(np.median(times))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("model")
    ap.add_argument("--windows", type=int, default=30)
    ap.add_argument("--batch", type=int, default=1)
    a = ap.parse_args(argv)
    import onnxruntime as ort

    available = ort.get_available_providers()
    cpu = ort.InferenceSession(a.model, providers=["CPUExecutionProvider"])
    shape = [d if isinstance(d, int) else a.batch for d in cpu.get_inputs()[0].shape]
    rng = np.random.default_rng(0)
    # Frames are 0..1 RGB; uniform noise exercises every path of the network as well as footage does.
    x = rng.random([a.windows] + shape[1:], dtype=np.float32)
    y_cpu, fps_cpu = run(cpu, x, a.windows, a.batch)
    report = {"model": a.model, "providers": available, "cpu_windows_per_s": round(fps_cpu, 2)}
    if "CUDAExecutionProvider" in available:
        cuda = ort.InferenceSession(a.model, providers=["CUDAExecutionProvider", "CPUExecutionProvider"])
        y_cuda, fps_cuda = run(cuda, x, a.windows, a.batch)
        p_cpu, p_cuda = 1 / (1 + np.exp(-y_cpu)), 1 / (1 + np.exp(-y_cuda))
        report.update(
            cuda_windows_per_s=round(fps_cuda, 2),
            cuda_used=cuda.get_providers()[0] == "CUDAExecutionProvider",
            max_prob_diff=float(np.abs(p_cpu - p_cuda).max()),
            mean_prob_diff=float(np.abs(p_cpu - p_cuda).mean()),
        )
    else:
        report["cuda_problem"] = "onnxruntime here has no CUDAExecutionProvider (install onnxruntime-gpu)"
    print(json.dumps(report))
    return 0 if report.get("cuda_used") and report["max_prob_diff"] < 1e-2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
