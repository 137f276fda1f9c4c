"""The generator's STFT and inverse STFT written as (transposed) convolutions, for ONNX export.

``torch.stft``/``torch.istft`` have no ONNX form at the low opsets we target (ONNX ``STFT`` is
opset 17 and there is no inverse op at all), and a hand-written inverse is where the public
export went wrong: it normalised by a fixed 20-sample window sum, so its interior is 1.5x too
loud and its first samples explode. Here the window-square envelope is overlap-added from the
actual frame count at run time, exactly as ``torch.istft`` divides by it, so the level is ours.
Both are Conv / ConvTranspose plus elementwise ops (the phase from Atan and Where), which every
opset has.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

_ROUNDING = 1e-12


def _dft_basis(n_fft: int, window: Tensor) -> tuple[Tensor, Tensor]:
    """``(cos, sin)`` ``[bins, n_fft]`` DFT rows of the one-sided spectrum, windowed, in float64."""
    bins = n_fft // 2 + 1
    turns = torch.outer(torch.arange(bins), torch.arange(n_fft)) % n_fft  # exact, before any rounding
    angles = 2 * math.pi * turns.to(torch.float64) / n_fft
    windowed = window.to(torch.float64)
    cos, sin = torch.cos(angles), torch.sin(angles)
    # sin(π·n) is ~1e-16, not 0: snap, so the DC and Nyquist bins are exactly real, as an FFT makes them.
    cos[cos.abs() < _ROUNDING] = 0.0
    sin[sin.abs() < _ROUNDING] = 0.0
    return cos * windowed, sin * windowed


def phase_of(real: Tensor, imag: Tensor) -> Tensor:
    """``atan2(imag, real)`` from Atan and Where, as ``torch.angle`` returns it (0 at the origin).

    The exporter's own atan2 is ``atan(imag / real)`` corrected by quadrant: NaN at the origin, and
    -π where torch gives +π (imag = 0, real < 0). Both occur here: the DC and Nyquist bins are real,
    and unvoiced excitation is constant, so most of its bins are (near) zero.
    """
    safe = torch.where(real == 0, torch.ones_like(real), real)
    base = torch.atan(imag / safe)
    upper = torch.where(imag >= 0, base + math.pi, base - math.pi)
    half = torch.where(imag >= 0, torch.full_like(real, math.pi / 2), torch.full_like(real, -math.pi / 2))
    axis = torch.where(imag == 0, torch.zeros_like(real), half)
    return torch.where(real > 0, base, torch.where(real < 0, upper, axis))


class ConvSTFT(nn.Module):
    """``torch.stft(center=True, pad_mode="reflect", onesided)`` → magnitude ‖ phase, as the generator takes it."""

    def __init__(self, n_fft: int, hop: int, window: Tensor) -> None:
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        cos, sin = _dft_basis(n_fft, window)
        self.register_buffer("basis", torch.cat([cos, -sin]).unsqueeze(1).float(), persistent=False)

    def forward(self, audio: Tensor) -> Tensor:
        """``[1, N]`` → ``[1, n_fft+2, N/hop+1]``."""
        padded = F.pad(audio.unsqueeze(1), (self.n_fft // 2, self.n_fft // 2), mode="reflect")
        real, imag = F.conv1d(padded, self.basis, stride=self.hop).chunk(2, dim=1)
        return torch.cat([torch.sqrt(real * real + imag * imag), phase_of(real, imag)], dim=1)


class ConvISTFT(nn.Module):
    """The generator's last step: ``conv_post`` output (log-magnitude ‖ phase argument) → audio.

    ``torch.istft(polar(exp(m), sin(p)), center=True, length=(frames-1)·hop)``, as ``Generator._istft``.
    """

    def __init__(self, n_fft: int, hop: int, window: Tensor) -> None:
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        cos, sin = _dft_basis(n_fft, window)
        # irfft weights: the DC and Nyquist bins count once, every other bin twice (its mirror).
        weights = torch.full((n_fft // 2 + 1, 1), 2.0, dtype=torch.float64)
        weights[0] = weights[-1] = 1.0
        synthesis = torch.cat([cos * weights, -sin * weights]) / n_fft
        self.register_buffer("basis", synthesis.unsqueeze(1).float(), persistent=False)
        self.register_buffer("window_square", (window.to(torch.float64) ** 2).view(1, 1, -1).float(), persistent=False)

    def forward(self, post: Tensor) -> Tensor:
        """``[1, n_fft+2, frames]`` → audio ``[1, (frames-1)·hop]``."""
        bins = self.n_fft // 2 + 1
        magnitude, phase = torch.exp(post[:, :bins]), torch.sin(post[:, bins:])
        spectrum = torch.cat([magnitude * torch.cos(phase), magnitude * torch.sin(phase)], dim=1)
        summed = F.conv_transpose1d(spectrum, self.basis, stride=self.hop)
        frames = torch.ones_like(post[:, :1])
        envelope = F.conv_transpose1d(frames, self.window_square, stride=self.hop)
        edge = self.n_fft // 2
        return summed[:, 0, edge:-edge] / envelope[:, 0, edge:-edge]
