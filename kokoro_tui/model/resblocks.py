"""Residual blocks: AdainResBlk1d (predictor/decoder) and the iSTFTNet AdaINResBlock1 with Snake."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from kokoro_tui.model import snake_kernels
from kokoro_tui.model.adain import AdaIN1d
from kokoro_tui.model.int8 import activation_scales
from kokoro_tui.model.masking import zero_padding
from kokoro_tui.model.weight_norm import WNConv1d, WNConvTranspose1d

_INV_SQRT2 = 1.0 / math.sqrt(2.0)


class AdainResBlk1d(nn.Module):
    """Two AdaIN→LeakyReLU→conv(k3) stages plus a shortcut; optional ×2 time upsampling.

    With ``upsample`` the residual path doubles its length by a depthwise transposed
    conv (``pool``) and the shortcut by nearest-neighbour repetition. A ``mask`` given to
    an upsampling block must already be at the doubled rate of the output.
    """

    def __init__(self, dim_in: int, dim_out: int, style_dim: int, *, upsample: bool = False) -> None:
        super().__init__()
        self.upsample = upsample
        self.norm1 = AdaIN1d(style_dim, dim_in)
        self.conv1 = WNConv1d(dim_in, dim_out, 3, padding=1)
        self.norm2 = AdaIN1d(style_dim, dim_out)
        self.conv2 = WNConv1d(dim_out, dim_out, 3, padding=1)
        if dim_in != dim_out:
            self.conv1x1 = WNConv1d(dim_in, dim_out, 1, bias=False)
        if upsample:
            self.pool = WNConvTranspose1d(
                dim_in, dim_in, 3, stride=2, padding=1, output_padding=1, groups=dim_in
            )

    def forward(
        self, x: Tensor, style: Tensor, mask_in: Tensor | None = None, mask_out: Tensor | None = None
    ) -> Tensor:
        """``mask_in`` marks valid input steps, ``mask_out`` valid output steps (equal unless upsampling)."""
        if not self.upsample:
            mask_out = mask_in
        h = F.leaky_relu(self.norm1(x, style, mask_in), 0.2)
        if self.upsample:
            h = self.pool(zero_padding(h, mask_in))
        h = self.conv1(zero_padding(h, mask_out))
        h = F.leaky_relu(self.norm2(h, style, mask_out), 0.2)
        h = self.conv2(zero_padding(h, mask_out))
        shortcut = x
        if self.upsample:
            shortcut = torch.repeat_interleave(shortcut, 2, dim=2)
        if hasattr(self, "conv1x1"):
            shortcut = self.conv1x1(shortcut)
        return (h + shortcut) * _INV_SQRT2


def snake(x: Tensor, alpha: Tensor) -> Tensor:
    """Snake activation ``x + sin²(αx)/α`` (per-channel α)."""
    return x + torch.sin(alpha * x).pow(2) / alpha


def snake_of(z: Tensor) -> Tensor:
    """``z + sin²z``, in place: α·snake(y) written in ``z = α·y``; non-decreasing in z (derivative 1 + sin 2z)."""
    sine = torch.sin(z)
    return z.addcmul_(sine, sine)


def adain_snake_input(conv: WNConv1d, x: Tensor, norm: AdaIN1d, alpha: Tensor, style: Tensor) -> Callable[[], Tensor]:
    """``conv(snake(norm(x)))`` for inference without padding, in as few passes over ``x`` as possible,
    returned as a call that runs the convolution.

    With ``y = x·scale + shift`` from the AdaIN and ``z = α·y``, ``α·snake(y) = z + sin²z``; the
    remaining ``1/α`` is per input channel of the conv, so it is folded into the conv's weight.
    The fused kernels compute ``z + sin²z`` (or its int8 codes) in one pass; for int8, the
    per-channel range comes from x's range, because the function is monotone in x per channel.
    The call holds the conv's input but not ``x``, so a caller that drops ``x`` before calling
    frees it before the conv's output is allocated: at the generator's audio rate that is one
    full-length float tensor fewer alive at the peak.
    """
    if not snake_kernels.usable(x):
        scale, shift = norm.affine(x, style)
        return partial(conv.scaled_input, snake_of(torch.addcmul(shift * alpha, x, scale * alpha)), alpha)
    int8 = conv.uses_int8(x)
    var, mean, low, high = snake_kernels.channel_moments(x, with_range=int8)
    scale, shift = norm.affine_from(var, mean, style)
    slope, offset = scale * alpha, shift * alpha
    if not int8:
        return partial(conv.scaled_input, snake_kernels.snake_affine(x, slope, offset), alpha)
    ends = torch.stack([torch.addcmul(offset, low, slope), torch.addcmul(offset, high, slope)])
    scales = activation_scales(snake_of(ends).abs().amax(dim=(0, 1, 3)))
    return partial(conv.from_codes, snake_kernels.snake_affine_codes(x, slope, offset, scales), scales, alpha)


class AdaINResBlock1(nn.Module):
    """iSTFTNet multi-receptive-field block: three dilated (AdaIN→Snake→conv)×2 residual units."""

    def __init__(self, channels: int, kernel_size: int, dilations: list[int], style_dim: int) -> None:
        super().__init__()
        self.convs1 = nn.ModuleList(
            WNConv1d(channels, channels, kernel_size, dilation=d, padding=d * (kernel_size - 1) // 2)
            for d in dilations
        )
        self.convs2 = nn.ModuleList(
            WNConv1d(channels, channels, kernel_size, padding=(kernel_size - 1) // 2) for _ in dilations
        )
        self.adain1 = nn.ModuleList(AdaIN1d(style_dim, channels) for _ in dilations)
        self.adain2 = nn.ModuleList(AdaIN1d(style_dim, channels) for _ in dilations)
        self.alpha1 = nn.ParameterList(nn.Parameter(torch.ones(1, channels, 1)) for _ in dilations)
        self.alpha2 = nn.ParameterList(nn.Parameter(torch.ones(1, channels, 1)) for _ in dilations)

    def forward(self, x: Tensor, style: Tensor, mask: Tensor | None = None, *, consume: bool = False) -> Tensor:
        """``consume``: the caller gives ``x`` up, so inference may sum into it instead of into a copy."""
        fused = mask is None and not torch.is_grad_enabled()
        owned = fused and consume  # whether the residual sums may update x in place
        if owned:
            x = self.inference_layout(x)
        elif fused and self._sums_time_major(x):
            x, owned = _time_major(x), True
        for unit in range(len(self.convs1)):
            h = self._fused_unit(unit, x, style) if fused else self._unit(unit, x, style, mask)
            if owned:
                x.add_(h)  # one audio-rate tensor fewer alive at a time in inference
            else:
                x, owned = x + h, fused
        return x

    def inference_layout(self, x: Tensor) -> Tensor:
        """``x`` in the layout this block sums in during inference, copied only if it is not in it already.

        A caller that hands the result over with ``consume=True`` saves the block its own copy.
        """
        return _time_major(x) if self._sums_time_major(x) and not snake_kernels.time_major(x) else x

    def _sums_time_major(self, x: Tensor) -> bool:
        # int8 convs return time-major tensors: the residual is kept in that layout too, or each
        # ``x + h`` mixes layouts and runs as a slow transposing add.
        return self.convs1[0].uses_int8(x) and snake_kernels.usable(x)

    def _unit(self, unit: int, x: Tensor, style: Tensor, mask: Tensor | None) -> Tensor:
        """One residual unit's branch, ``conv2(snake(norm2(conv1(snake(norm1(x))))))``, padding kept at zero."""
        h = self.convs1[unit](zero_padding(snake(self.adain1[unit](x, style, mask), self.alpha1[unit]), mask))
        return self.convs2[unit](zero_padding(snake(self.adain2[unit](h, style, mask), self.alpha2[unit]), mask))

    def _fused_unit(self, unit: int, x: Tensor, style: Tensor) -> Tensor:
        """One residual unit's branch for inference; its first conv's output is freed before the second's is made."""
        h = adain_snake_input(self.convs1[unit], x, self.adain1[unit], self.alpha1[unit], style)()
        convolve = adain_snake_input(self.convs2[unit], h, self.adain2[unit], self.alpha2[unit], style)
        del h
        return convolve()


def _time_major(x: Tensor) -> Tensor:
    """A copy of ``[B,C,L]`` ``x`` stored time-major (channels contiguous per step), same shape; always a
    new tensor, even when ``x`` is time-major already (``contiguous()`` would return ``x`` itself)."""
    return x.transpose(1, 2).clone(memory_format=torch.contiguous_format).transpose(1, 2)
