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

Used only without gradients, on float32 CPU tensors stored channel-major (torch's default) or
time-major (what oneDNN's int8 convolutions return); anything else (and a machine without
numba) takes the torch path, which computes the same function.
"""

from __future__ import annotations

import functools
import threading
from types import ModuleType

import numpy as np
import torch
from torch import Tensor

from kokoro_tui.model.adain import time_var_mean


@functools.cache
def _compiled() -> ModuleType | None:
    """The numba kernels (``snake_numba``, compiled once and cached on disk by numba), or None without numba."""
    try:
        from kokoro_tui.model import snake_numba
    except ImportError:
        return None
    return snake_numba


def available() -> bool:
    return _compiled() is not None


def preload() -> threading.Thread | None:
    """Start loading numba and the kernels' cached machine code in a thread; None if already loaded.

    Both take about 0.9 s of a cold start (numba's import, then its CPU target's set-up when the
    first kernel loads from the cache). Started before the model loads, most of it runs on the
    other core while this one reads the weights and runs the text side, which release the GIL.
    Results do not depend on it: the synthesis waits for the kernels where it first needs them.
    """
    if _compiled.cache_info().currsize:
        return None
    thread = threading.Thread(target=_load_kernels, name="kokoro-numba-kernels", daemon=True)
    thread.start()
    return thread


def _load_kernels() -> None:
    """Call each kernel once on a tiny input of every layout the synthesis uses: the signatures it will call."""
    if _compiled() is None:
        return
    x = torch.zeros(1, 2, 4)
    a, b, scales = torch.ones(1, 2, 1), torch.zeros(1, 2, 1), torch.ones(2)
    for layout in (x, x.transpose(1, 2).contiguous().transpose(1, 2)):
        snake_affine(layout, a, b)
        snake_affine_codes(layout, a, b, scales)
        channel_moments(layout, with_range=True)


def time_major(x: Tensor) -> bool:
    """``x [B,C,L]`` stored frame by frame (channels-last), as oneDNN's int8 convolutions return it."""
    return x.transpose(1, 2).is_contiguous() and not x.is_contiguous()


def usable(x: Tensor) -> bool:
    """Whether ``x`` can take the fused kernels (and numba is installed)."""
    return (
        x.device.type == "cpu" and x.dtype == torch.float32 and x.dim() == 3
        and (x.is_contiguous() or time_major(x)) and not torch.is_grad_enabled() and available()
    )


def _per_channel(t: Tensor, batch: int, channels: int) -> np.ndarray:
    """A ``[B,C,1]``-broadcastable tensor as a float32 ``[B, C]`` array."""
    return np.ascontiguousarray(t.expand(batch, channels, 1).reshape(batch, channels).numpy(), dtype=np.float32)


def channel_moments(x: Tensor, *, with_range: bool) -> tuple[Tensor, Tensor, Tensor | None, Tensor | None]:
    """Biased variance, mean and (``with_range``) min and max over time, each ``[B,C,1]``.

    One pass for time-major ``x``; torch reductions (which read channel rows fast) otherwise.
    """
    if not time_major(x):
        var, mean = time_var_mean(x)
        if not with_range:
            return var, mean, None, None
        return var, mean, x.amin(dim=2, keepdim=True), x.amax(dim=2, keepdim=True)
    batch, channels, length = x.shape
    total, squares = np.zeros((batch, channels)), np.zeros((batch, channels))
    low, high = np.empty((batch, channels), np.float32), np.empty((batch, channels), np.float32)
    _compiled().frame_moments(x.transpose(1, 2).numpy(), total, squares, low, high)
    mean = total / length
    var = np.maximum(squares / length - mean * mean, 0.0)  # float64 sums: no cancellation to fear
    as_tensor = lambda array: torch.from_numpy(np.asarray(array, np.float32)).view(batch, channels, 1)  # noqa: E731
    return as_tensor(var), as_tensor(mean), as_tensor(low), as_tensor(high)


def _like(x: Tensor, dtype: torch.dtype) -> Tensor:
    """An empty tensor shaped and laid out like ``x`` (channel-major or time-major)."""
    if time_major(x):
        return torch.empty(x.shape[0], x.shape[2], x.shape[1], dtype=dtype).transpose(1, 2)
    return torch.empty(x.shape, dtype=dtype)


def snake_affine(x: Tensor, a: Tensor, b: Tensor) -> Tensor:
    """``z + sin²z`` with ``z = a·x + b``; ``x [B,C,L]``, ``a``/``b`` broadcastable to ``[B,C,1]``."""
    kernels = _compiled()
    batch, channels, length = x.shape
    out = _like(x, torch.float32)
    slope, offset = _per_channel(a, batch, channels), _per_channel(b, batch, channels)
    if time_major(x):
        kernels.snake_frames(x.transpose(1, 2).numpy(), slope, offset, out.transpose(1, 2).numpy())
    else:
        kernels.snake_rows(x.view(-1, length).numpy(), slope.reshape(-1), offset.reshape(-1), out.view(-1, length).numpy())
    return out


def snake_affine_codes(x: Tensor, a: Tensor, b: Tensor, scales: Tensor) -> Tensor:
    """uint8 codes of ``snake_affine(x, a, b)`` with per-channel ``scales [C]``: value ≈ (code − 128)·scale.

    The codes keep ``x``'s layout; time-major codes are what the int8 convolution reads natively.
    """
    kernels = _compiled()
    batch, channels, length = x.shape
    codes = _like(x, torch.uint8)
    slope, offset = _per_channel(a, batch, channels), _per_channel(b, batch, channels)
    inverse = _per_channel(scales.reciprocal().view(1, -1, 1), batch, channels)
    if time_major(x):
        kernels.snake_code_frames(x.transpose(1, 2).numpy(), slope, offset, inverse, codes.transpose(1, 2).numpy())
    else:
        kernels.snake_code_rows(
            x.view(-1, length).numpy(), slope.reshape(-1), offset.reshape(-1), inverse.reshape(-1),
            codes.view(-1, length).numpy(),
        )
    return codes
