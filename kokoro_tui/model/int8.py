"""Optional int8 convolutions for CPU inference (fbgemm dynamic quantisation).

Weights are quantised per output channel (symmetric int8) from the folded weight-norm
weight; activations are quantised per call, per tensor, like the public int8 ONNX export.
About twice the fp32 convolution throughput on AVX2 CPUs, at a small audio error (measure
it with ``benchmarks/speed.py``). Only used when no gradient is recorded; training and
voice optimisation always run the fp32 path. The parameters and state dict are untouched.
"""

from __future__ import annotations

import warnings

import torch
from torch import Tensor, nn

# Convs left in fp32: conv_post feeds exp() (errors become gain errors); 1-channel F0/N convs gain nothing.
REDUCE_RANGE = False
_KEEP_FP32 = ("conv_post", "F0_conv", "N_conv")


def int8_available() -> bool:
    """True when this torch build has the x86/fbgemm quantised conv kernels."""
    return "fbgemm" in torch.backends.quantized.supported_engines or "x86" in torch.backends.quantized.supported_engines


def pack_conv1d(weight: Tensor, bias: Tensor | None, stride: int, padding: int, dilation: int) -> object:
    """Per-channel int8 weight packed for ``quantized.conv1d_dynamic``."""
    w = weight.detach().float().cpu()
    scales = (w.abs().flatten(1).amax(dim=1) / 127.0).clamp_min(1e-12).double()
    zero_points = torch.zeros(w.shape[0], dtype=torch.long)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qweight = torch.quantize_per_channel(w, scales, zero_points, axis=0, dtype=torch.qint8)
        b = None if bias is None else bias.detach().float().cpu()
        return torch.ops.quantized.conv1d_prepack(qweight, b, [stride], [padding], [dilation], 1)


def run_conv1d(x: Tensor, packed: object) -> Tensor:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch.ops.quantized.conv1d_dynamic(x, packed, REDUCE_RANGE)


def use_int8_convs(model: nn.Module, enabled: bool = True) -> int:
    """Switch the decoder's weight-normed convs to int8 inference (or back); returns how many switched.

    Raises ``RuntimeError`` on a build without fbgemm; CPU only (CUDA tensors keep fp32).
    """
    from kokoro_tui.model.weight_norm import WNConv1d

    if enabled and not int8_available():
        raise RuntimeError("this torch build has no fbgemm int8 kernels")
    count = 0
    for name, module in model.named_modules():
        if isinstance(module, WNConv1d) and name.startswith("decoder.") and not name.endswith(_KEEP_FP32):
            module.int8 = enabled
            count += 1
    return count
