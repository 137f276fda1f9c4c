"""Harmonic-plus-noise excitation (SineGen + SourceModuleHnNSF) driving the iSTFTNet generator.

The only randomness in the whole network is the Gaussian noise added here; a seeded
``torch.Generator`` makes it reproducible and ``noise=False`` removes it (as the ONNX export does).
The upstream random initial phase is not drawn: its ×1/300 linear resampling never reads it.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

SINE_AMPLITUDE = 0.1
VOICED_NOISE_STD = 0.003
UNVOICED_NOISE_STD = SINE_AMPLITUDE / 3
VOICED_THRESHOLD_HZ = 10.0


class SourceModuleHnNSF(nn.Module):
    """F0 curve → one excitation channel: ``tanh(l_linear(harmonic sines · voicing + noise))``.

    The generator computes the source without gradient, as upstream does, so ``l_linear`` is
    frozen: it can never learn, and a trainable parameter without a gradient would stop
    DistributedDataParallel.
    """

    def __init__(self, sample_rate: int, upsample_scale: int, harmonics: int = 9) -> None:
        super().__init__()
        self.sample_rate = sample_rate
        self.upsample_scale = upsample_scale
        self.harmonics = harmonics
        self.l_linear = nn.Linear(harmonics, 1)
        self.l_linear.requires_grad_(False)

    def sine_waves(self, f0: Tensor) -> tuple[Tensor, Tensor]:
        """``f0 [B,L]`` Hz at frame rate → ``(sines [B,L·up,H], voiced [B,L·up,1])``.

        Phase is accumulated at frame rate, scaled, and linearly interpolated to the sample
        rate, reproducing upstream's phase exactly (not a per-sample cumulative sum).
        """
        multiples = torch.arange(1, self.harmonics + 1, device=f0.device, dtype=f0.dtype)
        cycles = torch.remainder(f0.unsqueeze(2) * multiples / self.sample_rate, 1.0)
        phase = torch.cumsum(cycles, dim=1) * (2 * math.pi * self.upsample_scale)
        phase = F.interpolate(phase.transpose(1, 2), scale_factor=float(self.upsample_scale), mode="linear")
        sines = SINE_AMPLITUDE * torch.sin(phase.transpose(1, 2))
        f0_samples = torch.repeat_interleave(f0, self.upsample_scale, dim=1).unsqueeze(2)
        voiced = (f0_samples > VOICED_THRESHOLD_HZ).to(f0.dtype)
        return sines, voiced

    def forward(self, f0: Tensor, *, noise: bool = True, generator: torch.Generator | None = None) -> Tensor:
        """``f0 [B,L]`` → excitation ``[B,L·up]``."""
        sines, voiced = self.sine_waves(f0)
        excitation = sines * voiced
        if noise:
            std = voiced * VOICED_NOISE_STD + (1 - voiced) * UNVOICED_NOISE_STD
            gaussian = torch.randn(sines.shape, generator=generator, device=sines.device, dtype=sines.dtype)
            excitation = excitation + std * gaussian
        return torch.tanh(self.l_linear(excitation)).squeeze(2)
