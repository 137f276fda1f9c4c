"""Fine-tuning checkpoints: everything a run needs to continue as if it had never stopped.

A checkpoint holds the network and the learned voice, the optimiser and scheduler, every random
generator (python, numpy, torch CPU and CUDA) and the data position (epoch, batches done). Batch
windows and decoder noise are drawn from generators seeded by the step number, so a resumed run
repeats the uninterrupted run's numbers exactly; a test holds it to that.

Files are written atomically (temp file, rename), read with ``weights_only=True`` (a checkpoint
cannot run code), and loaded strictly: a missing or unexpected tensor, or a run with other
settings, is an error that names the difference, never a silent partial load.
"""

from __future__ import annotations

import pickle
import random
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from kokoro_tui.atomic import atomic_path
from kokoro_tui.errors import KokoroError
from kokoro_tui.model.checkpoint import strict_load

CHECKPOINT_VERSION = 1
CHECKPOINT_DIR = "checkpoints"
_NAME = re.compile(r"^step-(\d{7})\.pt$")


@dataclass(frozen=True)
class Progress:
    """Where the run stands: optimiser steps taken, and the batches of the current epoch already used."""

    step: int = 0
    epoch: int = 0
    batches_in_epoch: int = 0


def checkpoint_path(output: Path, step: int) -> Path:
    return output / CHECKPOINT_DIR / f"step-{step:07d}.pt"


def _checkpoints(output: Path) -> list[Path]:
    """The run's checkpoints, oldest step first."""
    found = [(int(match.group(1)), path) for path in (output / CHECKPOINT_DIR).glob("step-*.pt") if (match := _NAME.match(path.name))]
    return [path for _, path in sorted(found)]


def latest_checkpoint(output: Path) -> Path | None:
    """The checkpoint with the highest step in ``output``, or None."""
    found = _checkpoints(output)
    return found[-1] if found else None


class NotACheckpointError(KokoroError):
    """A file torch reads that no training run wrote: a voice pack's ``.pt`` (a bare tensor) or a model's
    weights (a dict without our ``version``) load without error, then fail on their first key."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is not a kokoro training checkpoint")


def read_payload(path: Path) -> dict[str, Any]:
    """The saved dict of a checkpoint, read so that it cannot run code; NotACheckpointError for anything else."""
    payload = torch.load(path, map_location="cpu", weights_only=True)
    if not isinstance(payload, dict) or "version" not in payload:
        raise NotACheckpointError(path)
    return payload


def _rng_states() -> dict[str, Any]:
    _, keys, position, has_gauss, gauss = np.random.get_state()
    states: dict[str, Any] = {
        "python": random.getstate(),
        "numpy": (torch.from_numpy(keys.astype(np.int64)), int(position), int(has_gauss), float(gauss)),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        states["cuda"] = torch.cuda.get_rng_state_all()
    return states


def _restore_rng(states: dict[str, Any]) -> None:
    random.setstate(states["python"])
    keys, position, has_gauss, gauss = states["numpy"]
    np.random.set_state(("MT19937", keys.numpy().astype(np.uint32), position, has_gauss, gauss))
    torch.set_rng_state(states["torch"])
    if "cuda" in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states["cuda"])


def save_checkpoint(
    path: Path,
    net: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    progress: Progress,
    settings: dict[str, Any],
) -> None:
    """Write the run's whole state to ``path`` atomically."""
    payload = {
        "version": CHECKPOINT_VERSION,
        "net": net.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "progress": asdict(progress),
        "settings": settings,
        "rng": _rng_states(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        torch.save(payload, tmp)


def load_checkpoint(
    path: Path,
    net: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    settings: dict[str, Any],
) -> Progress:
    """Restore everything from ``path`` in place and return the progress; KokoroError if it does not fit this run."""
    try:
        payload = read_payload(path)
        if payload.get("version") != CHECKPOINT_VERSION:
            raise ValueError(f"checkpoint version {payload.get('version')}, expected {CHECKPOINT_VERSION}")
        changed = sorted(key for key in settings if payload["settings"].get(key) != settings[key])
        if changed:
            details = ", ".join(f"{key} {payload['settings'].get(key)!r} → {settings[key]!r}" for key in changed)
            raise ValueError(f"the run's settings changed: {details}")
        strict_load(net, payload["net"])
        optimizer.load_state_dict(payload["optimizer"])
        scheduler.load_state_dict(payload["scheduler"])
        _restore_rng(payload["rng"])
        return Progress(**payload["progress"])
    except NotACheckpointError:
        raise
    except (KokoroError, OSError, RuntimeError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError) as error:
        message = error.args[0] if isinstance(error, KokoroError) else str(error).splitlines()[0]
        raise KokoroError(
            f"cannot resume from {path}: {message}",
            hint="resume with the run's own settings, or start a new --output",
        ) from None


def prune_checkpoints(output: Path, keep: int) -> None:
    """Delete all but the ``keep`` newest checkpoints (a full one is about 1 GB with its optimiser).

    The newest is always kept (``keep`` below 1 keeps it alone): the run log and Ctrl-C point at it.
    """
    for path in _checkpoints(output)[: -max(keep, 1)]:
        path.unlink(missing_ok=True)
