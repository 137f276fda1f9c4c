"""Residual blocks: AdainResBlk1d (predictor/decoder) and the iSTFTNet AdaINResBlock1 with Snake."""

from __future__ import annotations

import math

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


def adain_snake_conv(conv: WNConv1d, x: Tensor, norm: AdaIN1d, alpha: Tensor, style: Tensor) -> Tensor:
    """``conv(snake(norm(x)))`` for inference without padding, in as few passes over ``x`` as possible.

    With ``y = x·scale + shift`` from the AdaIN and ``z = α·y``, ``α·snake(y) = z + sin²z``; the
    remaining ``1/α`` is per input channel of the conv, so it is folded into the conv's weight.
    The fused kernels compute ``z + sin²z`` (or its int8 codes) in one pass; for int8, the
    per-channel range comes from x's range, because the function is monotone in x per channel.
    """
    if not snake_kernels.usable(x):
        scale, shift = norm.affine(x, style)
        return conv.scaled_input(snake_of(torch.addcmul(shift * alpha, x, scale * alpha)), alpha)
    int8 = conv.uses_int8(x)
    var, mean, low, high = snake_kernels.channel_moments(x, with_range=int8)
    scale, shift = norm.affine_from(var, mean, style)
    slope, offset = scale * alpha, shift * alpha
    if not int8:
        return conv.scaled_input(snake_kernels.snake_affine(x, slope, offset), alpha)
    ends = torch.stack([torch.addcmul(offset, low, slope), torch.addcmul(offset, high, slope)])
    scales = activation_scales(snake_of(ends).abs().amax(dim=(0, 1, 3)))
    return conv.from_codes(snake_kernels.snake_affine_codes(x, slope, offset, scales), scales, alpha)


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

    def forward(self, x: Tensor, style: Tensor, mask: Tensor | None = None) -> Tensor:
        fused = mask is None and not torch.is_grad_enabled()
        owned = False  # whether x is this call's own tensor, which the residual sums may then update in place
        if fused and self.convs1[0].uses_int8(x) and snake_kernels.usable(x):
            # int8 convs return time-major tensors: keep the residual in that layout too, or each
            # ``x + h`` below mixes layouts and runs as a slow transposing add.
            x, owned = x.transpose(1, 2).contiguous().transpose(1, 2), True
        for conv1, conv2, norm1, norm2, alpha1, alpha2 in zip(
            self.convs1, self.convs2, self.adain1, self.adain2, self.alpha1, self.alpha2
        ):
            if fused:
                h = adain_snake_conv(conv1, x, norm1, alpha1, style)
                h = adain_snake_conv(conv2, h, norm2, alpha2, style)
            else:
                h = conv1(zero_padding(snake(norm1(x, style, mask), alpha1), mask))
                h = conv2(zero_padding(snake(norm2(h, style, mask), alpha2), mask))
            if owned:
                x.add_(h)  # one audio-rate tensor fewer alive at a time in inference
            else:
                x, owned = x + h, fused
        return x
