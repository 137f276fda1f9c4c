"""One training process among several: torchrun's environment read once, the process group joined once.

``torchrun --nproc_per_node N -m kokoro_tui train model ...`` (or across nodes with
``--nnodes``/``--rdzv-endpoint``) starts N copies of the same command. Each reads ``RANK``,
``WORLD_SIZE`` and ``LOCAL_RANK``, joins the group (NCCL on GPUs, gloo on CPUs), trains on its
share of every epoch and averages gradients with the others through DistributedDataParallel.
Rank 0 alone writes the log, checkpoints, samples and results. Without torchrun, a run is a
group of one and no process group is created.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

import torch

#: How long a collective waits for the slowest process. Before the first step of a run on a new
#: corpus, rank 0 alone extracts every item's features (an alignment and a pitch track each: hours
#: for a big corpus) while the others wait at a barrier; torch's default (10 minutes with NCCL,
#: 30 with gloo) aborted them. torchrun stops the others as soon as one process dies, so this long
#: wait only delays noticing a process that hangs.
GROUP_TIMEOUT = timedelta(hours=12)
T = TypeVar("T")


@dataclass(frozen=True)
class Processes:
    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world > 1

    def barrier(self) -> None:
        if self.distributed:
            torch.distributed.barrier()

    def from_main(self, value: T) -> T:
        """Rank 0's ``value``, in every process: what only rank 0 can know (the checkpoints are its to write,
        on its own disk when the nodes share none) every process must follow."""
        if not self.distributed:
            return value
        box = [value]
        torch.distributed.broadcast_object_list(box, src=0)
        return box[0]


def _from_environment() -> Processes:
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return Processes()
    return Processes(int(os.environ["RANK"]), world, int(os.environ.get("LOCAL_RANK", "0")))


@contextmanager
def process_group(device: torch.device) -> Iterator[Processes]:
    """This process's place in the run; the group is joined on entry and left on exit."""
    processes = _from_environment()
    if not processes.distributed or torch.distributed.is_initialized():
        yield processes
        return
    backend = "nccl" if device.type == "cuda" else "gloo"
    if device.type == "cuda":
        torch.cuda.set_device(processes.local_rank)
    torch.distributed.init_process_group(backend, rank=processes.rank, world_size=processes.world, timeout=GROUP_TIMEOUT)
    try:
        yield processes
    finally:
        torch.distributed.destroy_process_group()


def process_device(device: torch.device, processes: Processes) -> torch.device:
    """Each process of a multi-GPU run drives the GPU of its local rank."""
    if device.type == "cuda" and processes.distributed:
        return torch.device("cuda", processes.local_rank)
    return device


def replica_spread(module: torch.nn.Module, processes: Processes) -> float:
    """The largest difference between processes in any parameter's sum: 0.0 while the replicas agree.

    DistributedDataParallel keeps them equal by construction; this checks that it did (a replica
    that drifted trains on, silently, into a different model).
    """
    if not processes.distributed:
        return 0.0
    sums = torch.stack([parameter.detach().double().sum() for parameter in module.parameters()])
    high, low = sums.clone(), sums.clone()
    torch.distributed.all_reduce(high, op=torch.distributed.ReduceOp.MAX)
    torch.distributed.all_reduce(low, op=torch.distributed.ReduceOp.MIN)
    return float((high - low).abs().max())
