"""Which torch device a user's ``--device`` choice means: the one place that decides it.

The names are checked without importing torch, so the CLI and the onnx backend (which never
needs torch) can validate them cheaply; torch is only asked when a device must be chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kokoro_tui.errors import KokoroError

if TYPE_CHECKING:
    import torch

DEVICES = ("auto", "cpu", "cuda")
#: Training also runs on Apple GPUs, with PyTorch's CPU fallback for the few operators MPS lacks
#: (set by ``kokoro train`` as PYTORCH_ENABLE_MPS_FALLBACK=1 before torch loads).
TRAINING_DEVICES = (*DEVICES, "mps")
#: The fix for a device torch cannot see, for the command line and for Python callers.
_USE_CPU = 'use --device cpu, or device="cpu" from Python'


def check_device(name: str, choices: tuple[str, ...] = DEVICES) -> None:
    """A KokoroError naming the valid choices unless ``name`` is one of ``choices``."""
    if name not in choices:
        raise KokoroError(f"unknown device {name!r}", hint=f"choose {', '.join(choices[:-1])} or {choices[-1]}")


def resolve_device(name: str, choices: tuple[str, ...] = DEVICES) -> torch.device:
    """``auto`` picks CUDA when torch sees a GPU; an explicit ``cuda`` or ``mps`` without one is a user error."""
    check_device(name, choices)
    import torch

    if name == "cpu":
        return torch.device("cpu")
    if name == "mps":
        if not torch.backends.mps.is_available():
            raise KokoroError("device mps was asked for, but torch sees no Apple GPU", hint=_USE_CPU)
        return torch.device("mps")
    if torch.cuda.is_available():
        return torch.device("cuda")
    if name == "cuda":
        raise KokoroError("device cuda was asked for, but torch sees no CUDA GPU", hint=_USE_CPU)
    return torch.device("cpu")
