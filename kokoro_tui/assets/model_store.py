"""Make sure a data home has PyTorch-loadable Kokoro weights, and say where they and the config are.

The registry source only ships the int8 ONNX, so the first PyTorch use of such a home imports
it once into ``model.safetensors`` (model naming, config in the metadata) and every later
use reads that file directly. Building the model from these files is ``kokoro_tui.model.loading``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kokoro_tui.assets.manifest import CONFIG_NAME, ONNX_NAME, PTH_NAME, SAFETENSORS_NAME
from kokoro_tui.assets.manifest import model_dir as _manifest_model_dir
from kokoro_tui.assets.progress import ProgressSink
from kokoro_tui.errors import MissingAssetError
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import KokoroConfig

log = logging.getLogger(__name__)

EXPORT_NAME = "kokoro-{dtype}.onnx"
# Which of our exports the onnx backend prefers when several are present: closest to torch first,
# which on onnxruntime's CPU kernels is also fastest (benchmarks/conversion.md).
EXPORT_PREFERENCE = ("fp32", "fp16", "int8")
# The LiteRT export is a folder (litert_io): the graph, the host's weights and a description.
LITERT_NAME = "kokoro-litert-{quantize}"
LITERT_PREFERENCE = ("none", "int8")
# The TensorFlow export is a SavedModel folder (tf_io) with the host's weights and a description beside it.
TF_NAME = "kokoro-tf"


def model_dir(home: DataHome) -> Path:
    """``HOME/models/kokoro-82m-v1.0``."""
    return _manifest_model_dir(home)


def onnx_export_path(home: DataHome, dtype: str) -> Path:
    """Where `kokoro convert export --to onnx` writes by default: ``<model dir>/kokoro-<dtype>.onnx``."""
    return model_dir(home) / EXPORT_NAME.format(dtype=dtype)


def onnx_model(home: DataHome) -> Path:
    """The ONNX file the onnx backend runs by default: the home's own export (the first of
    ``EXPORT_PREFERENCE`` present), else the public int8 export."""
    for dtype in EXPORT_PREFERENCE:
        if onnx_export_path(home, dtype).is_file():
            return onnx_export_path(home, dtype)
    return model_dir(home) / ONNX_NAME


def litert_export_path(home: DataHome, quantize: str) -> Path:
    """Where `kokoro convert export --to litert` writes by default: ``<model dir>/kokoro-litert-<none|int8>``."""
    return model_dir(home) / LITERT_NAME.format(quantize=quantize)


def tf_export_path(home: DataHome) -> Path:
    """Where `kokoro convert export --to tf` writes by default: ``<model dir>/kokoro-tf``."""
    return model_dir(home) / TF_NAME


def litert_model(home: DataHome) -> Path:
    """The LiteRT export the litert backend runs by default: the float one, else the int8 one."""
    for quantize in LITERT_PREFERENCE:
        if litert_export_path(home, quantize).is_dir():
            return litert_export_path(home, quantize)
    return litert_export_path(home, LITERT_PREFERENCE[0])


def model_config(home: DataHome) -> KokoroConfig:
    """The home's ``config.json`` when present (it carries the downloaded vocab), else the v1.0 default."""
    path = model_dir(home) / CONFIG_NAME
    return KokoroConfig.from_json(path) if path.is_file() else KokoroConfig.default()


def import_onnx_weights(home: DataHome, progress: ProgressSink | None = None) -> Path:
    """Import the home's int8 ONNX into ``model.safetensors`` (atomically) and keep/write ``config.json``."""
    from kokoro_tui.convert.onnx_to_torch import onnx_to_safetensors

    directory = model_dir(home)
    target, report = onnx_to_safetensors(directory / ONNX_NAME, directory, model_config(home), progress)
    for line in report.lines():
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
