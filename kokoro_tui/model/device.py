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


def check_device(name: str) -> None:
    """A KokoroError naming the valid choices unless ``name`` is one of ``DEVICES``."""
    if name not in DEVICES:
        raise KokoroError(f"unknown device {name!r}", hint="choose auto, cpu or cuda")


def resolve_device(name: str) -> torch.device:
    """``auto`` picks CUDA when torch sees a GPU; an explicit ``cuda`` without one is a user error."""
    check_device(name)
    import torch

    if name == "cpu":
        return torch.device("cpu")
    if torch.cuda.is_available():
        return torch.device("cuda")
    if name == "cuda":
        raise KokoroError("--device cuda was requested but torch sees no CUDA GPU", hint="use --device cpu")
    return torch.device("cpu")
