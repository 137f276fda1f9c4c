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
tensor shape. The int8 convolutions run in tiles of fixed lengths (``int8._TILES``), so their
kernels are a fixed set; the fp32 ones still see a new length with every chunk. Both caches
(oneDNN's primitive cache and PyTorch's ideep LRU) defaulted to 1,024 entries when the int8
kernels were built per chunk length: streaming a 15,000-character text then grew the resident set
by 510 MiB, and a cap of 64 stopped that but evicted the int8 kernels within every forward pass.
With tiles, 256 primitives and 1,024 ideep entries keep every int8 kernel hot: streaming the
50,000-character benchmark (673 chunks) grew RSS by 1.1 MiB from 10 % of the text to its end,
and a warm pipeline on varied text ran 4.1-5.1x real time against 3.5-4.5x with 256/256.

Kept blocks are what the next tensors of one utterance reuse; across utterances they pile up. The
heap keeps the high-water mark of every chunk so far, and fragments, because torch asks for
64-byte-aligned blocks, which glibc carves with a margin that an exactly-sized freed block cannot
give: a book's RSS settled at 2.07 GB while 0.45 GB of its heap was in use. So between utterances
the synthesizer hands the free pages back (``return_freed_memory``): on the same book the RSS after
each chunk stayed at 1.10-1.15 GB. Each utterance then faults its working set in once (about
90,000 pages for 17 s of audio, 0.1 s of a 3.2 s synthesis), not once per tensor as untuned.
"""

from __future__ import annotations

import ctypes
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
def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (it has ``mallopt`` and ``malloc_trim``), else None.

    Looked up among the symbols the interpreter already has loaded, not with ``ctypes.util.find_library``,
    which runs ``ldconfig`` in a subprocess: a fork of a process that holds the model (about 0.75 GB)."""
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
    except (OSError, AttributeError, TypeError):  # musl, macOS, Windows: nothing to tune
        return None
    return libc


@functools.cache
def keep_freed_memory() -> bool:
    """Set the thresholds once per process; False (and nothing changed) off glibc."""
    libc = _glibc()
    if libc is None:
        return False
    done = bool(libc.mallopt(_M_MMAP_THRESHOLD, _THRESHOLD_BYTES)) and bool(libc.mallopt(_M_TRIM_THRESHOLD, _THRESHOLD_BYTES))
    log.debug("glibc mmap/trim thresholds raised to %d bytes: %s", _THRESHOLD_BYTES, done)
    return done


def return_freed_memory() -> bool:
    """Between utterances: give the heap's free pages back to the kernel (glibc ``malloc_trim``).

    Every time, not above some amount of free heap: glibc counts returned pages as free still, so
    how much of the free heap is resident cannot be read. Tunes the process first if nothing did
    (a no-op after ``keep_freed_memory``); off glibc it does nothing. True when pages were returned.
    """
    if not keep_freed_memory():
        return False
    return bool(_glibc().malloc_trim(0))  # type: ignore[union-attr]  (keep_freed_memory found glibc)
