"""Fused AdaIN-affine + Snake kernels for CPU inference, compiled with numba.

In the generator every conv input is ``α·snake(AdaIN(x))`` = ``z + sin²z`` with ``z = a·x + b``
per channel. As separate torch ops (affine, sin, square-add, and for int8 the quantisation)
that is about nine passes over activations of tens of MB, and it was most of the generator's
time once its convolutions ran in int8. These kernels make it one read and one write, with a
branch-free sine the compiler vectorises. Measured on a [128, 68401] activation (the 4,800 Hz
stage): torch ops on 2 threads 28 ms, fused 1.7 ms on 2 threads; error against ``torch.sin``
≤ 2e-6 absolute. The kernels run on one thread: a second OpenMP pool (numba's) beside torch's
made the whole synthesis slower whenever another process held a core (fp32 on a loaded
machine: 1.88 s with two numba threads, 1.17 s with one, 2.27 s with torch ops).

Used only without gradients, on contiguous float32 CPU tensors; anything else (and a machine
without numba) takes the torch path, which computes the same function.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import torch
from torch import Tensor

# Cody-Waite split of π: k·PI_HIGH is exact in float32 for the |k| < 2^12 that occur here.
_PI_HIGH = 3.140625
_PI_LOW = math.pi - _PI_HIGH
# Taylor coefficients of sin on [-π/2, π/2] up to x^13: truncation error below float32 rounding.
_SIN_COEFFS = tuple((-1) ** i / math.factorial(2 * i + 1) for i in range(1, 7))
# Codes are clamped to [1, 255] around the zero code 128 (x/scale + 128.5 truncated).
_CODE_LOW, _CODE_HIGH = 1.0, 255.49


@functools.cache
def _compiled() -> Any | None:
    """The numba kernels (compiled once, cached on disk by numba), or None without numba."""
    try:
        import numba
    except ImportError:
        return None
    return _build(numba)


def available() -> bool:
    return _compiled() is not None


def _build(numba: Any) -> Any:
    pi_high, pi_low, inv_pi = np.float32(_PI_HIGH), np.float32(_PI_LOW), np.float32(1 / math.pi)
    c3, c5, c7, c9, c11, c13 = (np.float32(c) for c in _SIN_COEFFS)
    one, code_low, code_high, zero_code = np.float32(1), np.float32(_CODE_LOW), np.float32(_CODE_HIGH), np.float32(128.5)

    @numba.njit(inline="always", fastmath=True)
    def snake(z: Any) -> Any:
        # sin² has period π: reduce z by the nearest multiple of π, then an odd polynomial.
        k = np.float32(np.rint(z * inv_pi))
        r = (z - k * pi_high) - k * pi_low
        r2 = r * r
        sine = r * (one + r2 * (c3 + r2 * (c5 + r2 * (c7 + r2 * (c9 + r2 * (c11 + r2 * c13))))))
        return z + sine * sine

    @numba.njit(fastmath=True, cache=True)
    def snake_rows(x: Any, a: Any, b: Any, out: Any) -> None:
        for row in range(x.shape[0]):
            slope, offset = a[row], b[row]
            for t in range(x.shape[1]):
                out[row, t] = snake(slope * x[row, t] + offset)

    @numba.njit(fastmath=True, cache=True)
    def snake_code_rows(x: Any, a: Any, b: Any, inv_scale: Any, out: Any) -> None:
        for row in range(x.shape[0]):
            slope, offset, inv = a[row], b[row], inv_scale[row]
            for t in range(x.shape[1]):
                code = snake(slope * x[row, t] + offset) * inv + zero_code
                out[row, t] = np.uint8(min(max(code, code_low), code_high))

    return snake_rows, snake_code_rows


def usable(x: Tensor) -> bool:
    """Whether ``x`` can take the fused kernels (and numba is installed)."""
    return (
        x.device.type == "cpu" and x.dtype == torch.float32 and x.is_contiguous()
        and not torch.is_grad_enabled() and available()
    )


def _rows(t: Tensor, batch: int, channels: int) -> np.ndarray:
    return np.ascontiguousarray(t.expand(batch, channels, 1).reshape(-1).numpy(), dtype=np.float32)


def snake_affine(x: Tensor, a: Tensor, b: Tensor) -> Tensor:
    """``z + sin²z`` with ``z = a·x + b``; ``x [B,C,L]``, ``a``/``b`` broadcastable to ``[B,C,1]``."""
    snake_rows, _ = _compiled()
    batch, channels, length = x.shape
    out = torch.empty_like(x)
    snake_rows(x.view(-1, length).numpy(), _rows(a, batch, channels), _rows(b, batch, channels), out.view(-1, length).numpy())
    return out


def snake_affine_codes(x: Tensor, a: Tensor, b: Tensor, scales: Tensor) -> Tensor:
    """uint8 codes of ``snake_affine(x, a, b)`` with per-channel ``scales [C]``: value ≈ (code − 128)·scale."""
    _, snake_code_rows = _compiled()
    batch, channels, length = x.shape
    codes = torch.empty(x.shape, dtype=torch.uint8)
    inverse = scales.reciprocal().view(1, -1, 1)
    snake_code_rows(
        x.view(-1, length).numpy(), _rows(a, batch, channels), _rows(b, batch, channels),
        _rows(inverse, batch, channels), codes.view(-1, length).numpy(),
    )
    return codes
