"""Durations from the predictor's logits, and the token→frame alignment they imply."""

from __future__ import annotations

import torch
from torch import Tensor


def durations_from_logits(logits: Tensor, speed: Tensor, token_mask: Tensor | None) -> Tensor:
    """``[B,T,max_dur]`` logits → integer durations ``[B,T]`` (≥1 on real tokens, 0 on padding).

    ``round(Σ sigmoid / speed)`` with half-to-even rounding, clamped to ≥1 after rounding,
    as upstream does. ``speed`` is ``[B]``; ``token_mask`` is ``[B,T]`` (1 = real token).
    """
    expected = torch.sigmoid(logits).sum(dim=-1) / speed.to(logits.dtype).unsqueeze(1)
    durations = torch.round(expected).clamp(min=1).long()
    if token_mask is not None:
        durations = durations * token_mask.long()
    return durations


def alignment_matrix(durations: Tensor, frames: int) -> Tensor:
    """``[B,T]`` durations → ``[B,T,frames]`` 0/1 matrix: token i owns its run of consecutive frames."""
    ends = torch.cumsum(durations, dim=1)
    starts = ends - durations
    steps = torch.arange(frames, device=durations.device)
    owned = (steps >= starts.unsqueeze(2)) & (steps < ends.unsqueeze(2))
    return owned.float()
