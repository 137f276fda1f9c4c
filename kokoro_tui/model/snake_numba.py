"""The numba kernels behind ``snake_kernels``: AdaIN affine + Snake (+ int8 codes) in one pass.

They live at module level with module-level constants so numba's on-disk cache finds them
again in the next process: compiled as closures (as they were), the cache key held a
per-process object, so every run compiled them anew (1.5 s of each cold start) and left one
more cache file behind. Importing this module fails without numba; ``snake_kernels`` then
takes the torch path.
"""

from __future__ import annotations

import math
from typing import Any

import numba
import numpy as np

# Cody-Waite split of π: k·PI_HIGH is exact in float32 for the |k| < 2^12 that occur here.
_PI_HIGH = np.float32(3.140625)
_PI_LOW = np.float32(math.pi - 3.140625)
_INV_PI = np.float32(1 / math.pi)
# Taylor coefficients of sin on [-π/2, π/2] up to x^13: truncation error below float32 rounding.
_C3, _C5, _C7, _C9, _C11, _C13 = (np.float32((-1) ** i / math.factorial(2 * i + 1)) for i in range(1, 7))
_ONE = np.float32(1)
# Codes are clamped to [1, 255] around the zero code 128 (x/scale + 128.5 truncated).
_CODE_LOW, _CODE_HIGH, _ZERO_CODE = np.float32(1.0), np.float32(255.49), np.float32(128.5)


@numba.njit(inline="always", fastmath=True, cache=True)
def snake(z: Any) -> Any:
    """``z + sin²z``: sin² has period π, so reduce z by the nearest multiple of π, then an odd polynomial."""
    k = np.float32(np.rint(z * _INV_PI))
    r = (z - k * _PI_HIGH) - k * _PI_LOW
    r2 = r * r
    sine = r * (_ONE + r2 * (_C3 + r2 * (_C5 + r2 * (_C7 + r2 * (_C9 + r2 * (_C11 + r2 * _C13))))))
    return z + sine * sine


# Channel-major [B·C, L] rows (torch's default layout).
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
            code = snake(slope * x[row, t] + offset) * inv + _ZERO_CODE
            out[row, t] = np.uint8(min(max(code, _CODE_LOW), _CODE_HIGH))


# Time-major [B, L, C] (what the int8 convolutions return); per-channel values are [B, C].
@numba.njit(fastmath=True, cache=True)
def snake_frames(x: Any, a: Any, b: Any, out: Any) -> None:
    for item in range(x.shape[0]):
        for t in range(x.shape[1]):
            for c in range(x.shape[2]):
                out[item, t, c] = snake(a[item, c] * x[item, t, c] + b[item, c])


@numba.njit(fastmath=True, cache=True)
def snake_code_frames(x: Any, a: Any, b: Any, inv_scale: Any, out: Any) -> None:
    for item in range(x.shape[0]):
        for t in range(x.shape[1]):
            for c in range(x.shape[2]):
                code = snake(a[item, c] * x[item, t, c] + b[item, c]) * inv_scale[item, c] + _ZERO_CODE
                out[item, t, c] = np.uint8(min(max(code, _CODE_LOW), _CODE_HIGH))


@numba.njit(fastmath=True, cache=True)
def frame_moments(x: Any, total: Any, squares: Any, low: Any, high: Any) -> None:
    for item in range(x.shape[0]):
        for c in range(x.shape[2]):
            low[item, c] = x[item, 0, c]
            high[item, c] = x[item, 0, c]
        for t in range(x.shape[1]):
            for c in range(x.shape[2]):
                value = x[item, t, c]
                total[item, c] += value
                squares[item, c] += np.float64(value) * value
                low[item, c] = min(low[item, c], value)
                high[item, c] = max(high[item, c], value)
