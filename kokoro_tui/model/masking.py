"""Length masks for right-padded batches.

Every module takes an optional ``mask`` (``[B,1,L]`` float, 1 on valid steps). ``None``
means "no padding" and selects the cheaper unmasked path used for single utterances.
"""

from __future__ import annotations

import torch
from torch import Tensor


def length_mask(lengths: Tensor, size: int) -> Tensor:
    """``[B,1,size]`` float mask, 1 where the step index is below the item's length."""
    steps = torch.arange(size, device=lengths.device)
    return (steps[None, :] < lengths[:, None]).unsqueeze(1).float()


def zero_padding(x: Tensor, mask: Tensor | None) -> Tensor:
    """Zero the padded steps so a convolution sees the same zeros as an unbatched call."""
    return x if mask is None else x * mask.to(x.dtype)
