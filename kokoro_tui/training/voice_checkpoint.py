"""Checkpoints of a voice being made: parameters, optimiser, progress and the best voice so far.

Written atomically (a temp file renamed over the old one), so a run killed while saving still
resumes from the previous checkpoint; read with ``weights_only=True``, so a checkpoint file cannot
run code.
"""

from __future__ import annotations

import pickle
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import torch

from kokoro_tui.atomic import atomic_path
from kokoro_tui.errors import KokoroError
from kokoro_tui.training.finetune_checkpoint import read_payload

#: 2 since session 25: the offset's coefficients are in one unit on all 128 timbre axes (were spreads on 64)
CHECKPOINT_VERSION = 2
State = TypeVar("State")


def save_checkpoint(path: Path, parameters: torch.nn.Module, optimizer: torch.optim.Optimizer, state: Any) -> None:
    payload = {
        "version": CHECKPOINT_VERSION,
        "parameters": parameters.state_dict(),
        "optimizer": optimizer.state_dict(),
        "state": {key: _storable(value) for key, value in asdict(state).items()},
        "rng": torch.get_rng_state(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        torch.save(payload, tmp)


def load_checkpoint(
    path: Path, parameters: torch.nn.Module, optimizer: torch.optim.Optimizer, state_type: type[State]
) -> State:
    """Restore ``parameters`` and ``optimizer`` in place; return the saved state. A mismatch is an error."""
    try:
        payload = read_payload(path)
        if payload.get("version") != CHECKPOINT_VERSION:
            raise ValueError(f"version {payload.get('version')}, expected {CHECKPOINT_VERSION}")
        parameters.load_state_dict(payload["parameters"], strict=True)
        optimizer.load_state_dict(payload["optimizer"])
        torch.set_rng_state(payload["rng"])
        names = {field.name for field in fields(state_type)}
        state = state_type(**{key: _restored(value) for key, value in payload["state"].items() if key in names})
    except (OSError, RuntimeError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError) as error:
        raise KokoroError(
            f"cannot resume from {path}: {error}".splitlines()[0], hint="delete it to start over, or fix the run's settings"
        ) from None
    return state


def _storable(value: Any) -> Any:
    return torch.from_numpy(np.ascontiguousarray(value)) if isinstance(value, np.ndarray) else value


def _restored(value: Any) -> Any:
    return value.numpy() if isinstance(value, torch.Tensor) else value
