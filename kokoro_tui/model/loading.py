"""Build a KokoroModel from a weights file: the one loader that inference, training and export share.

It only builds, fills (strictly: every tensor present and of the right shape) and places the
model. It leaves the module's train/eval mode to the caller and touches no process-wide
setting; inference tuning is ``kokoro_tui.model.inference.prepare_for_inference``.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import torch

from kokoro_tui.model.checkpoint import load_state_file, read_safetensors_config, strict_load
from kokoro_tui.model.config import KokoroConfig
from kokoro_tui.model.kokoro import KokoroModel

log = logging.getLogger(__name__)


def load_model(
    weights: str | os.PathLike[str],
    config: KokoroConfig | None = None,
    device: str | torch.device = "cpu",
    dtype: torch.dtype = torch.float32,
) -> KokoroModel:
    """The model with ``weights`` (official ``.pth``, a flat state dict, or our ``.safetensors``).

    ``config`` defaults to the one stored in a safetensors file's metadata, else Kokoro v1.0's.
    ``device`` is a torch device (resolve a user's "auto" with ``model.device.resolve_device``).
    """
    started = time.perf_counter()
    path = Path(weights)
    if config is None and path.suffix == ".safetensors" and path.is_file():
        config = read_safetensors_config(path)
    model = KokoroModel(config or KokoroConfig.default())
    strict_load(model, load_state_file(path))
    model = model.to(device=device, dtype=dtype)
    log.info("loaded %s in %.2f s", path.name, time.perf_counter() - started)
    return model
