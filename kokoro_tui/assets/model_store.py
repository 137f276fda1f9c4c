"""Find, convert and load the Kokoro weights of a data home.

The registry source only ships the int8 ONNX, so the first PyTorch load of such a home
imports it once into ``model.safetensors`` (model naming, config in the metadata) and every
later load reads that file directly.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import torch

from kokoro_tui.assets.manifest import CONFIG_NAME, ONNX_NAME, PTH_NAME, SAFETENSORS_NAME
from kokoro_tui.assets.manifest import model_dir as _manifest_model_dir
from kokoro_tui.assets.progress import NullProgress, ProgressSink
from kokoro_tui.errors import KokoroError, MissingAssetError
from kokoro_tui.home import DataHome, resolve_home
from kokoro_tui.model.config import KokoroConfig
from kokoro_tui.model.kokoro import KokoroModel

log = logging.getLogger(__name__)


def model_dir(home: DataHome) -> Path:
    """``HOME/models/kokoro-82m-v1.0``."""
    return _manifest_model_dir(home)


def model_config(home: DataHome) -> KokoroConfig:
    """The home's ``config.json`` when present (it carries the downloaded vocab), else the v1.0 default."""
    path = model_dir(home) / CONFIG_NAME
    return KokoroConfig.from_json(path) if path.is_file() else KokoroConfig.default()


def import_onnx_weights(home: DataHome, progress: ProgressSink | None = None) -> Path:
    """Import the home's int8 ONNX into ``model.safetensors`` (atomically) and keep/write ``config.json``."""
    from kokoro_tui.convert.model_layout import expected_parameters
    from kokoro_tui.convert.onnx_import import import_onnx
    from kokoro_tui.model.checkpoint import save_safetensors

    directory = model_dir(home)
    config = model_config(home)
    sink = progress or NullProgress()
    task = sink.add_task("importing ONNX weights", total=None)

    def advance(done: int, total: int) -> None:
        sink.update(task, total=total, completed=done)

    result = import_onnx(directory / ONNX_NAME, expected_parameters(config), progress=advance)
    target = directory / SAFETENSORS_NAME
    save_safetensors(result.state, target, config)
    if not (directory / CONFIG_NAME).is_file():
        config.to_json(directory / CONFIG_NAME)
    for line in result.report.lines():
        log.info("%s", line)
    return target


def ensure_torch_weights(home: DataHome, progress: ProgressSink | None = None) -> Path:
    """Path of PyTorch-loadable weights: model.safetensors, else the official .pth, else import the ONNX."""
    directory = model_dir(home)
    for name in (SAFETENSORS_NAME, PTH_NAME):
        if (directory / name).is_file():
            return directory / name
    if (directory / ONNX_NAME).is_file():
        return import_onnx_weights(home, progress)
    raise MissingAssetError(f"no Kokoro model weights in {directory}", hint="run `kokoro download`")


def resolve_device(device: str) -> torch.device:
    """``auto`` picks CUDA when available; an explicit ``cuda`` without a GPU is a user error."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        chosen = torch.device(device)
    except RuntimeError as error:
        raise KokoroError(f"unknown device {device!r}: use auto, cpu or cuda") from error
    if chosen.type == "cuda" and not torch.cuda.is_available():
        raise KokoroError(f"device {device!r} requested but CUDA is not available")
    return chosen


def load_model(
    home: DataHome | None = None, device: str = "auto", dtype: torch.dtype = torch.float32
) -> KokoroModel:
    """The Kokoro model with the home's weights, in eval mode on ``device``; logs the load time."""
    from kokoro_tui.model.allocator import bound_kernel_caches, keep_freed_memory
    from kokoro_tui.model.checkpoint import load_state_file, strict_load

    keep_freed_memory()
    bound_kernel_caches()
    home = home or resolve_home()
    started = time.perf_counter()
    weights = ensure_torch_weights(home)
    model = KokoroModel(model_config(home))
    strict_load(model, load_state_file(weights))
    model = model.to(device=resolve_device(device), dtype=dtype).eval()
    log.info("loaded %s in %.2f s", weights.name, time.perf_counter() - started)
    return model
