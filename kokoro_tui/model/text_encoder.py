"""Acoustic text encoder: embedding → 3× (WN conv, channel LayerNorm, LeakyReLU) → BiLSTM."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from kokoro_tui.model.lstm import BiLSTM
from kokoro_tui.model.masking import zero_padding
from kokoro_tui.model.meta_build import embedding
from kokoro_tui.model.weight_norm import WNConv1d


class ChannelLayerNorm(nn.Module):
    """LayerNorm over the channel axis of ``[B,C,T]``; parameters named ``gamma``/``beta`` as stored."""

    def __init__(self, channels: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.eps = eps
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x: Tensor) -> Tensor:
        y = F.layer_norm(x.transpose(1, 2), (x.shape[1],), self.gamma, self.beta, self.eps)
        return y.transpose(1, 2)


class LeakyReLU(nn.Module):
    """Parameter-free slot kept so conv/norm indices inside each ``cnn`` stage match the checkpoint."""

    def forward(self, x: Tensor) -> Tensor:
        return F.leaky_relu(x, 0.2)


class TextEncoder(nn.Module):
    """Token ids → ``[B,C,T]`` acoustic text features (``t_en``)."""

    def __init__(self, channels: int, kernel_size: int, depth: int, n_symbols: int) -> None:
        super().__init__()
        self.embedding = embedding(n_symbols, channels)
        padding = (kernel_size - 1) // 2
        self.cnn = nn.ModuleList(
            nn.Sequential(WNConv1d(channels, channels, kernel_size, padding=padding), ChannelLayerNorm(channels), LeakyReLU())
            for _ in range(depth)
        )
        self.lstm = BiLSTM(channels, channels // 2)

    def forward(self, ids: Tensor, lengths: Tensor | None, mask: Tensor | None) -> Tensor:
        """``ids [B,T]``, ``mask [B,1,T]`` → ``[B,C,T]`` (padded steps zero)."""
        x = zero_padding(self.embedding(ids).transpose(1, 2), mask)
        for stage in self.cnn:
            x = zero_padding(stage(x), mask)
        return self.lstm.run(x.transpose(1, 2), lengths).transpose(1, 2)
