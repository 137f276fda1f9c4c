"""One fine-tuning optimiser step, and the optimiser it steps: shared by `kokoro train model` and the GPU check.

Kept apart from the job (data, checkpoints, logs) so that a benchmark can time exactly the step the
command takes, on a synthetic batch, without a corpus or a data home.
"""

from __future__ import annotations

from contextlib import nullcontext

import torch
from torch import Tensor, nn

from kokoro_tui.training.finetune_batch import Batch
from kokoro_tui.training.finetune_net import FinetuneNet, LossWeights

#: AdamW's betas, as StyleTTS2's second stage; no weight decay on a pretrained network.
BETAS = (0.9, 0.99)


def make_optimizer(net: FinetuneNet, learning_rate: float, voice_learning_rate: float) -> torch.optim.AdamW:
    """AdamW over the trained model parameters and the voice offset, each with its own learning rate."""
    trained = [p for p in net.model.parameters() if p.requires_grad]
    return torch.optim.AdamW(
        [{"params": trained, "lr": learning_rate}, {"params": [net.voice_offset], "lr": voice_learning_rate}],
        betas=BETAS, weight_decay=0.0,
    )


def train_step(
    wrapped: nn.Module, batch: Batch, weights: LossWeights, optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler, grad_clip: float, generator: torch.Generator,
) -> dict[str, Tensor]:
    """Forward (bf16 autocast on CUDA), backward, clipped update; returns the loss terms.

    ``wrapped`` is the ``FinetuneNet`` itself or its DistributedDataParallel wrapper; ``batch`` is on
    the network's device already.
    """
    device = batch.input_ids.device
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else nullcontext()
    with autocast:
        terms = wrapped(batch, weights, generator)
    optimizer.zero_grad(set_to_none=True)
    terms["total"].backward()
    torch.nn.utils.clip_grad_norm_([p for group in optimizer.param_groups for p in group["params"]], grad_clip)
    optimizer.step()
    scheduler.step()
    return terms
