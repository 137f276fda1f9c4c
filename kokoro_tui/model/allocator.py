"""Keep large freed CPU buffers for reuse instead of handing them back to the kernel.

The generator's activations are tens of MB each (128 channels × 4,800 steps per second of
audio). glibc serves blocks that large with a fresh ``mmap`` and unmaps them on free, so
every intermediate tensor pays one page fault per 4 KiB on first touch. Measured on the
14 s benchmark passage (2 threads): that was a third of the int8 synthesis time (6.26 s →
4.12 s) and a quarter of fp32 (8.5 s → 6.3 s). Raising glibc's mmap and trim thresholds
keeps those blocks in the heap, where the next tensor of the same size reuses them: the
in-process counterpart of running PyTorch under jemalloc or tcmalloc. The price is that
the process keeps its peak heap instead of shrinking after a long passage.

The second setting sizes oneDNN's caches of compiled convolution kernels, which are keyed by
tensor shape. The int8 convolutions run in tiles of fixed lengths (``int8._TILE``), so their
kernels are a fixed set; the fp32 ones still see a new length with every chunk. Both caches
(oneDNN's primitive cache and PyTorch's ideep LRU) defaulted to 1,024 entries when the int8
kernels were built per chunk length: streaming a 15,000-character text then grew the resident set
by 510 MiB, and a cap of 64 stopped that but evicted the int8 kernels within every forward pass.
With tiles, 256 primitives and 1,024 ideep entries keep every int8 kernel hot: streaming the
50,000-character benchmark (673 chunks) grew RSS by 1.1 MiB from 10 % of the text to its end,
and a warm pipeline on varied text ran 4.1-5.1x real time against 3.5-4.5x with 256/256.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os

log = logging.getLogger(__name__)

# From glibc's <malloc.h>.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Blocks up to this size come from (and return to) the heap; larger ones still get mmap.
_THRESHOLD_BYTES = 1 << 30
# Compiled-kernel cache sizes; the environment variables are read when the first kernel is made,
# so a user's own setting wins and ours only applies before the first convolution.
_KERNEL_CACHE_ENTRIES = {"ONEDNN_PRIMITIVE_CACHE_CAPACITY": "256", "LRU_CACHE_CAPACITY": "1024"}


def bound_kernel_caches() -> None:
    """Size oneDNN's shape-keyed kernel caches unless the user set them (call before the first conv)."""
    for variable, entries in _KERNEL_CACHE_ENTRIES.items():
        os.environ.setdefault(variable, entries)


@functools.cache
def keep_freed_memory() -> bool:
    """Set the thresholds once per process; False (and nothing changed) off glibc."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl, macOS, Windows: no mallopt, nothing to tune
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    done = bool(mallopt(_M_MMAP_THRESHOLD, _THRESHOLD_BYTES)) and bool(mallopt(_M_TRIM_THRESHOLD, _THRESHOLD_BYTES))
    log.debug("glibc mmap/trim thresholds raised to %d bytes: %s", _THRESHOLD_BYTES, done)
    return done
