"""Build a KokoroModel from a weights file: the one loader that inference, training and export share.

It only builds, fills (strictly: every tensor present and of the right shape) and places the
model. It leaves the module's train/eval mode to the caller and touches no process-wide
setting; inference tuning is ``kokoro_tui.model.inference.prepare_for_inference``.

The model is built on the meta device and takes the loaded tensors as its own (no random
initialisation, no second copy of the weights): a plain build then copy held the 328 MB of
weights twice at the peak and spent 0.4 s initialising weights that were overwritten.
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
    with torch.device("meta"):
        model = KokoroModel(config or KokoroConfig.default())
    strict_load(model, load_state_file(path), assign=True)
    _compute_unsaved_buffers(model)
    model = model.to(device=device, dtype=dtype)
    log.info("loaded %s in %.2f s", path.name, time.perf_counter() - started)
    return model


def _compute_unsaved_buffers(model: KokoroModel) -> None:
    """Make the buffers no checkpoint holds (they are computed, not learned) on the CPU.

    After a meta-device build they are still meta tensors: the inverse STFT's window, and
    Albert's position and token-type ids (built as transformers builds them).
    """
    generator = model.decoder.generator
    generator.window = generator.stft_window()
    embeddings = model.bert.embeddings
    positions = model.config.plbert["max_position_embeddings"]
    embeddings.position_ids = torch.arange(positions).expand((1, -1))
    embeddings.token_type_ids = torch.zeros((1, positions), dtype=torch.long)
    left = [name for name, tensor in [*model.named_parameters(), *model.named_buffers()] if tensor.is_meta]
    if left:
        raise RuntimeError(f"no value for {left} after loading: compute it in _compute_unsaved_buffers")
