"""Optional int8 convolutions for CPU inference, with float outputs (oneDNN ``qconv1d_pointwise``).

Weights are symmetric per output channel, taken from the folded weight-norm weight.
Activations are quantised per call and per input channel to uint8. The convolution
accumulates in int32 and writes fp32 directly: unlike fbgemm's ``conv1d_dynamic``, whose
output is requantised to 8 bits with the *input's* scale (clipping and rounding every
layer's result), the only rounding here is at the two inputs. Only used when no gradient
is recorded; training and voice optimisation always run fp32. Parameters and the state
dict are untouched.
"""

from __future__ import annotations

import torch
from torch import Tensor

_ACTIVATION_LEVELS = 127.0  # codes 128 ± 127
_ZERO_CODE = 128
# Weights use 7 bits (±63). Without AVX-512 VNNI, oneDNN multiplies uint8 by int8 with
# vpmaddubsw, which saturates each pair of products at int16: with ±127 weights and codes
# near 128 that pair sum overflows often (measured: 5 % conv error instead of 1 %).
_WEIGHT_LEVELS = 63.0
_TINY_RANGE = 1e-8
# Output positions per oneDNN call. oneDNN builds a kernel for every input shape, and for an
# input with a zero point that build takes time (and cache memory) in proportion to the length:
# about 70 µs per position on the 2-core AVX2 machine, 50-400 ms per convolution at the lengths of
# one chunk, several times the convolution itself. Every chunk of a text has its own length, so
# each paid it afresh. Cut into tiles of a few fixed lengths, the shapes repeat and the kernels
# stay cached; 2,048 positions is also the fastest length per sample once built (measured:
# 0.96 ms per 1,000 positions at 2,048, 1.55 at 16,384, 64 channels, kernel 11, dilation 5).
# What is left after the last whole tile runs in tiles of 1,024 and 512, so that at most 511 positions
# are computed and thrown away, not up to 2,047: the generator's first stage (256 channels, 20 positions
# per 25 ms frame) otherwise spent a third of its time on padding in a 1.7 s chunk. Per position, a
# 256-channel tile of 512 costs 3 % more than one of 2,048, a 128-channel one 15 %.
_TILES = (2048, 1024, 512)


def int8_available() -> bool:
    """True when this torch build has oneDNN and its quantised conv ops."""
    return torch.backends.mkldnn.is_available() and hasattr(torch.ops.onednn, "qconv1d_pointwise")


def quantize_activation(x: Tensor) -> tuple[Tensor, Tensor]:
    """``x [B,C,L]`` → (uint8 codes centred on 128, per-channel scales ``[C]``): ``x ≈ (codes-128)·scale``.

    Symmetric per channel so that real zero is code 128 in every channel, which is what the
    convolution's zero padding stands for.
    """
    # Separate amin and amax are vectorised; aminmax(dim=...) is ~15x slower on CPU.
    scales = activation_scales(torch.maximum(x.amin(dim=(0, 2)).neg_(), x.amax(dim=(0, 2))))
    # x/scale + 128.5 lies in [1.5, 255.5]: truncation then rounds half up inside uint8.
    codes = torch.addcmul(torch.tensor(_ZERO_CODE + 0.5), x, scales.reciprocal().view(1, -1, 1))
    return codes.to(torch.uint8), scales


class Int8Conv1d:
    """An int8 version of one conv1d (weight ``[C_out, C_in, k]``, float bias).

    Per-call, per-input-channel activation scales are folded into the weight before it is
    quantised per output channel: the activations' channels span ranges tens of times apart
    (a few Snake channels reach ±50 where most stay within ±5), which a single per-tensor
    scale would crush. Re-quantising and re-packing the weights at every call cost about 70-80 ms
    per chunk on the 2-core CPU, whatever its length (a third of the int8 work of a 1 s chunk, a few
    per cent of a 20 s one); quantising from a per-channel-pair table of tap peaks in one pass over
    the weight brought that to about 65 ms on the AMD machine, of which oneDNN's packing is 55.
    Packing once instead, with calibrated per-channel ratios and a per-call gain, was measured and
    dropped: against fp32 the audio's SNR fell from 21.2 to 16.2 dB (17 chunks x 7 voices, the best
    of three calibrations) for 2 % less time on varied text.
    """

    def __init__(
        self, weight: Tensor, bias: Tensor | None, stride: int, padding: int, dilation: int,
        divisor: Tensor | None = None,
    ) -> None:
        """``divisor [1,C_in,1]``: convolve ``x / divisor``. It is applied to the weight at each call, so that
        the conv holds the caller's weight itself and not a scaled copy of it (54 MiB for Kokoro's generator)."""
        self.weight = weight.detach().float().cpu()
        self.divisor = None if divisor is None else divisor.detach().reshape(-1)
        # |weight| at its largest over the kernel taps, per (output, input) channel: the per-call weight
        # scales come from this [C_out, C_in] table instead of a pass over the whole weight.
        self.tap_peaks = self.weight.abs().amax(dim=2)
        self.out_zero_points = torch.zeros(self.weight.shape[0], dtype=torch.long)
        self.bias = None if bias is None else bias.detach().float().cpu()
        self.stride, self.padding, self.dilation = [stride], [padding], [dilation]

    def __call__(self, x: Tensor) -> Tensor:
        return self.from_codes(*quantize_activation(x))

    def from_codes(self, codes: Tensor, scales: Tensor) -> Tensor:
        """The conv of an input already quantised to ``codes`` (uint8, zero code 128) with per-channel ``scales``."""
        weight_codes, weight_scales = self.quantize_weight(scales)
        if self.stride != [1]:
            packed = self._pack(weight_codes, weight_scales, self.padding)
            return self._convolve(codes, packed, weight_scales, self.padding)
        return self._tiled(codes, weight_codes, weight_scales)

    def quantize_weight(self, scales: Tensor) -> tuple[Tensor, Tensor]:
        """int8 codes and per-output-channel scales of the weight with the input's ``scales [C_in]`` folded in."""
        factors = scales if self.divisor is None else scales / self.divisor
        weight_scales = (self.tap_peaks * factors.abs()).amax(dim=1).clamp_min_(_TINY_RANGE) / _WEIGHT_LEVELS
        # One pass over the weight: each (output, input) channel pair is scaled by a single factor.
        steps = (factors.view(1, -1) / weight_scales.view(-1, 1)).unsqueeze(2)
        return (self.weight * steps).round_().to(torch.int8), weight_scales

    def _tiled(self, codes: Tensor, weight_codes: Tensor, weight_scales: Tensor) -> Tensor:
        """The stride-1 convolution computed tile by tile over time (see ``_TILES``), bit for bit the same.

        The input is copied once into a time-major buffer whose margins hold the zero code, so
        each tile reads its own halo and the convolutions run unpadded on equal shapes.
        """
        batch, channels, length = codes.shape
        reach = self.dilation[0] * (weight_codes.shape[2] - 1)
        out_length = length + 2 * self.padding[0] - reach
        tiles = tile_lengths(out_length)
        padded = codes.new_full((batch, sum(tiles) + reach, channels), _ZERO_CODE).transpose(1, 2)
        padded[:, :, self.padding[0] : self.padding[0] + length] = codes
        packed = self._pack(weight_codes, weight_scales, [0])
        out = torch.empty((batch, out_length, weight_codes.shape[0])).transpose(1, 2)
        start = 0
        for tile in tiles:
            part = self._convolve(padded[:, :, start : start + tile + reach], packed, weight_scales, [0])
            kept = min(tile, out_length - start)
            out[:, :, start : start + kept] = part[:, :, :kept]
            start += tile
        return out

    def _pack(self, weight_codes: Tensor, weight_scales: Tensor, padding: list[int]) -> Tensor:
        """The weight in oneDNN's packed layout for convolutions with this ``padding``."""
        return torch.ops.onednn.qconv_prepack(
            weight_codes, weight_scales, 1.0, _ZERO_CODE, self.stride, padding, self.dilation, 1, None
        )

    def _convolve(self, codes: Tensor, packed: Tensor, weight_scales: Tensor, padding: list[int]) -> Tensor:
        """One oneDNN call: uint8 ``codes`` (zero code 128) ⊛ the ``packed`` int8 weight, float output."""
        return torch.ops.onednn.qconv1d_pointwise(
            codes, 1.0, _ZERO_CODE, packed, weight_scales, self.out_zero_points, self.bias,
            self.stride, padding, self.dilation, 1, 1.0, 0, torch.float32, "none", [], "",
        )


def tile_lengths(out_length: int) -> list[int]:
    """Tile lengths from ``_TILES`` that cover ``out_length`` output positions with under 512 to spare."""
    tiles, left = [], out_length
    for tile in _TILES:
        while left > tile - _TILES[-1]:  # a tile this long would leave 512 or more unused
            tiles.append(tile)
            left -= tile
    return tiles


def activation_scales(bound: Tensor) -> Tensor:
    """Per-channel activation scales for values within ``±bound [C]`` (the codes' step size)."""
    return bound.clamp_min(_TINY_RANGE) / _ACTIVATION_LEVELS
