"""Weight-normalised convolutions stored as ``weight_g`` / ``weight_v``, as in the official checkpoint.

The effective weight ``g * v / ||v||`` is recomputed every call while gradients are
recorded (training, voice optimisation). Under ``no_grad``/``inference_mode`` it is
folded once and cached; the cache is keyed on the parameters' storage and version
counters, so loading new weights or moving the module invalidates it automatically.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from kokoro_tui.model.int8 import Int8Conv1d

# Channels whose direction vector is all zero (int8 export artefacts) fold to zero, not NaN.
_NORM_FLOOR = 1e-12


def weight_norm_parts(weight: Tensor) -> tuple[Tensor, Tensor]:
    """Split an effective weight into ``(g, v)`` with the norm taken over all dims but 0."""
    g = weight.flatten(1).norm(dim=1).view(-1, *([1] * (weight.dim() - 1)))
    return g, weight.clone()


class WeightNormed(nn.Module):
    """Shared parameter handling: ``weight_g [n,1,1]``, ``weight_v``, optional ``bias``."""

    def __init__(self, weight_shape: tuple[int, int, int], bias_size: int | None) -> None:
        super().__init__()
        v = torch.empty(weight_shape)
        if v.is_meta:  # a build before loading (see model.meta_build)
            g = torch.empty((weight_shape[0], 1, 1))
        else:
            nn.init.kaiming_uniform_(v, a=5**0.5)
            g, v = weight_norm_parts(v)
        self.weight_g = nn.Parameter(g)
        self.weight_v = nn.Parameter(v)
        if bias_size is None:
            self.register_parameter("bias", None)
        else:
            fan_in = weight_shape[1] * weight_shape[2]
            bound = 1.0 / fan_in**0.5
            self.bias = nn.Parameter(torch.empty(bias_size).uniform_(-bound, bound))
        self._cache_key: tuple[int, ...] | None = None
        self._cache: Tensor | None = None

    def compute_weight(self) -> Tensor:
        g, v = self.weight_g, self.weight_v
        norm = v.flatten(1).norm(dim=1).clamp_min(_NORM_FLOOR).view_as(g)
        return v * (g / norm)

    def weight(self) -> Tensor:
        """The effective weight; folded and cached when no gradient is being recorded."""
        if torch.is_grad_enabled():
            return self.compute_weight()
        g, v = self.weight_g, self.weight_v
        key = (g.data_ptr(), v.data_ptr(), g._version, v._version)
        if self._cache is None or key != self._cache_key:
            with torch.no_grad():
                self._cache = self.compute_weight().detach()
            self._cache_key = key
        return self._cache

    def fold(self) -> None:
        """Rewrite ``(g, v)`` as ``(‖w‖, w)`` for the effective weight ``w``, and let the cache be ``v`` itself.

        The effective weight is unchanged (``v · g/‖v‖`` with ``g = ‖v‖``), but the no-grad cache
        no longer holds a second copy of every weight-normed tensor (about 200 MB for Kokoro).
        Training after a fold still works: the gradients of ``g`` and ``v`` are those of the same
        weight, in another split.
        """
        with torch.no_grad():
            self.weight_v.copy_(self.compute_weight())
            self.weight_g.copy_(self.weight_v.flatten(1).norm(dim=1).view_as(self.weight_g))
        g, v = self.weight_g, self.weight_v
        self._cache, self._cache_key = v.detach(), (g.data_ptr(), v.data_ptr(), g._version, v._version)

    def _apply(self, fn, recurse=True):  # type: ignore[no-untyped-def]
        self._cache, self._cache_key = None, None
        return super()._apply(fn, recurse)


class WNConv1d(WeightNormed):
    """Conv1d with weight norm over the output channels (``weight_g`` is ``[C_out,1,1]``)."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        *,
        stride: int = 1,
        padding: int = 0,
        dilation: int = 1,
        bias: bool = True,
    ) -> None:
        super().__init__((out_channels, in_channels, kernel_size), out_channels if bias else None)
        self.stride, self.padding, self.dilation = stride, padding, dilation

        self.int8 = False
        # int8 convs (sharing the fp32 weight), one for plain calls and one per input divisor (Snake's α), each
        # stored with the parameter key it was built from.
        self._int8: dict[int | None, tuple[tuple[int, ...], Int8Conv1d]] = {}

    def forward(self, x: Tensor) -> Tensor:
        if self.uses_int8(x):
            return self._int8_conv(None)(x)
        return F.conv1d(x, self.weight(), self.bias, self.stride, self.padding, self.dilation)

    def scaled_input(self, x: Tensor, divisor: Tensor) -> Tensor:
        """``self(x / divisor)`` with the per-input-channel ``divisor [1,C_in,1]`` folded into the weight.

        The weight is ~k·C² values against C·L activations, so scaling it is the cheap side.
        """
        if self.uses_int8(x):
            return self._int8_conv(divisor)(x)
        weight = self.weight() / divisor.reshape(1, -1, 1)
        return F.conv1d(x, weight, self.bias, self.stride, self.padding, self.dilation)

    def from_codes(self, codes: Tensor, scales: Tensor, divisor: Tensor) -> Tensor:
        """``self(value / divisor)`` for an input given as int8 ``codes`` with per-channel ``scales``."""
        return self._int8_conv(divisor).from_codes(codes, scales)

    def uses_int8(self, x: Tensor) -> bool:
        """Whether a call on ``x`` runs the int8 convolution."""
        return self.int8 and x.device.type == "cpu" and x.dtype == torch.float32 and not torch.is_grad_enabled()

    def _int8_conv(self, divisor: Tensor | None) -> Int8Conv1d:
        """The packed int8 conv for this divisor, rebuilt whenever its fp32 sources change."""
        g, v = self.weight_g, self.weight_v
        key = (g.data_ptr(), v.data_ptr(), g._version, v._version)
        if self.bias is not None:
            key += (self.bias.data_ptr(), self.bias._version)
        slot = None
        if divisor is not None:
            slot = divisor.data_ptr()
            key += (divisor._version,)
        cached = self._int8.get(slot)
        if cached is None or cached[0] != key:
            cached = (key, Int8Conv1d(self.weight(), self.bias, self.stride, self.padding, self.dilation, divisor))
            self._int8[slot] = cached
        return cached[1]

    def _apply(self, fn, recurse=True):  # type: ignore[no-untyped-def]
        self._int8 = {}
        return super()._apply(fn, recurse)


class WNConvTranspose1d(WeightNormed):
    """ConvTranspose1d with weight norm over dim 0, i.e. the *input* channels (``weight_g`` is ``[C_in,1,1]``)."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        *,
        stride: int = 1,
        padding: int = 0,
        output_padding: int = 0,
        groups: int = 1,
    ) -> None:
        super().__init__((in_channels, out_channels // groups, kernel_size), out_channels)
        self.stride, self.padding, self.output_padding, self.groups = stride, padding, output_padding, groups

    def forward(self, x: Tensor) -> Tensor:
        return F.conv_transpose1d(
            x, self.weight(), self.bias, self.stride, self.padding, self.output_padding, self.groups
        )
