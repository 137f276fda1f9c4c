"""Decoder: aligned text features + F0/N curves + timbre style → generator input, then audio."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from kokoro_tui.model.config import SAMPLE_RATE, KokoroConfig
from kokoro_tui.model.generator import Generator
from kokoro_tui.model.masking import zero_padding
from kokoro_tui.model.resblocks import AdainResBlk1d
from kokoro_tui.model.weight_norm import WNConv1d


class Decoder(nn.Module):
    """``encode`` + four ``decode`` blocks (the last upsamples ×2) re-fed with the skip features.

    Widths follow upstream (1024 / 64 / 512 at v1.0), written as 2·hidden, hidden/8 and the
    generator's initial channel count so that the tiny test config shrinks consistently.
    """

    def __init__(self, config: KokoroConfig) -> None:
        super().__init__()
        dim_in, style = config.hidden_dim, config.style_dim
        inner, skip = 2 * dim_in, dim_in // 8
        out = config.istftnet["upsample_initial_channel"]
        self.encode = AdainResBlk1d(dim_in + 2, inner, style)
        self.decode = nn.ModuleList(
            [
                AdainResBlk1d(inner + 2 + skip, inner, style),
                AdainResBlk1d(inner + 2 + skip, inner, style),
                AdainResBlk1d(inner + 2 + skip, inner, style),
                AdainResBlk1d(inner + 2 + skip, out, style, upsample=True),
            ]
        )
        self.F0_conv = WNConv1d(1, 1, 3, stride=2, padding=1)
        self.N_conv = WNConv1d(1, 1, 3, stride=2, padding=1)
        self.asr_res = nn.Sequential(WNConv1d(dim_in, skip, 1))
        self.generator = Generator(style, config.istftnet, SAMPLE_RATE)

    def forward(
        self,
        asr: Tensor,
        f0: Tensor,
        energy: Tensor,
        style: Tensor,
        frame_lengths: Tensor | None = None,
        mask: Tensor | None = None,
        mask2: Tensor | None = None,
        *,
        noise: bool = True,
        generator: torch.Generator | None = None,
    ) -> Tensor:
        """``asr [B,C,F]``, ``f0``/``energy [B,2F]``, ``style [B,S]`` → audio ``[B, 2F·300]``."""
        x = self.features(asr, f0, energy, style, mask, mask2)
        f0_lengths = None if frame_lengths is None else 2 * frame_lengths
        return self.generator(x, style, f0, f0_lengths, noise=noise, generator=generator)

    def features(
        self, asr: Tensor, f0: Tensor, energy: Tensor, style: Tensor, mask: Tensor | None = None,
        mask2: Tensor | None = None,
    ) -> Tensor:
        """The generator's input ``[B, C, 2F]`` (what the parity check calls the decoder's features)."""
        f0_down = self.F0_conv(zero_padding(f0.unsqueeze(1), mask2))
        energy_down = self.N_conv(zero_padding(energy.unsqueeze(1), mask2))
        x = self.encode(torch.cat([asr, f0_down, energy_down], dim=1), style, mask)
        skip = self.asr_res(asr)
        for block in self.decode:
            x = torch.cat([x, skip, f0_down, energy_down], dim=1)
            x = block(x, style, mask, mask2 if block.upsample else mask)
        return x
