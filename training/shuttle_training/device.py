# Runs in PyTorch (training, evaluation). Device choice (--device auto: CUDA, then Apple MPS, then CPU),
# thread count, and the torchrun / DistributedDataParallel setup. Written against APIs present in both
# PyTorch 1.13 and 2.x.
import os
import sys

import torch


def set_threads(n):
    if n and n > 0:
        torch.set_num_threads(n)


def pick_device(name="auto", local_rank=0):
    if name != "auto":
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda", local_rank)
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


class Dist:
    """Single-process by default; torchrun sets WORLD_SIZE/RANK/LOCAL_RANK and we join the process group."""

    def __init__(self):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        self.enabled = self.world > 1

    def init(self, device):
        if not self.enabled:
            return
        import torch.distributed as dist

        backend = "nccl" if device.type == "cuda" else "gloo"
        if device.type == "cuda":
            torch.cuda.set_device(device)
        dist.init_process_group(backend=backend)

    @property
    def main(self):
        return self.rank == 0

    def wrap(self, model, device):
        if not self.enabled:
            return model
        from torch.nn.parallel import DistributedDataParallel as DDP

        model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model) if device.type == "cuda" else model
        return DDP(model, device_ids=[device.index] if device.type == "cuda" else None)

    def any_flag(self, flag: bool, device) -> bool:
        """True on every rank if any rank says True (used so all ranks stop at the same step)."""
        if not self.enabled:
            return flag
        import torch.distributed as dist

        t = torch.tensor([1.0 if flag else 0.0], device=device)
        dist.all_reduce(t)
        return bool(t.item() > 0)

    def mean(self, value: float, device) -> float:
        if not self.enabled:
            return value
        import torch.distributed as dist

        t = torch.tensor([value], device=device, dtype=torch.float32)
        dist.all_reduce(t)
        return float(t.item()) / self.world

    def weight_spread(self, model, device) -> dict:
        """Every rank's weights should be the same after each step (DistributedDataParallel averages the
        gradients and every rank applies the same update): the largest difference of any weight from the
        ranks' mean, for the done event. A spread above float noise means the ranks drifted apart (a layer
        outside the averaged graph, a rank-specific update), which no loss curve shows.
        {} when single-process.
        """
        if not self.enabled:
            return {}
        import torch.distributed as dist

        flat = torch.cat([p.detach().reshape(-1).float() for p in model.parameters()]).to(device)
        mean = flat.clone()
        dist.all_reduce(mean)
        spread = (flat - mean / self.world).abs().max().reshape(1)
        dist.all_reduce(spread, op=dist.ReduceOp.MAX)
        return {"ranks_weight_spread": float(spread.item())}

    def barrier(self):
        if self.enabled:
            import torch.distributed as dist

            dist.barrier()

    def close(self):
        """The end of a run. A distributed rank leaves the process at once after the group is gone: in PyTorch
        1.13 the interpreter's own teardown can deadlock there (the DDP reducer's destructor joins a gloo
        worker thread that waits for the GIL the joining thread holds; it hung 3 of 8 runs of
        tests/test_distributed.py without this, none of 16 with it). Everything the run writes is written
        by then.
        """
        if self.enabled:
            import torch.distributed as dist

            dist.destroy_process_group()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
