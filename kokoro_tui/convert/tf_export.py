"""Our Kokoro model as a TensorFlow SavedModel (a folder, ``tf_io``), through nobuco.

nobuco converts a PyTorch module to Keras op by op while running it, and checks every converted
op's output against torch's as it goes; unlike onnx2tf it does not guess channel orders from a
graph (onnx2tf converted Albert wrongly: benchmarks/conversion.md). The SavedModel holds the two
stages of the LiteRT export (``convert/bucket_graph.py``), but with their lengths dynamic, so the
runner (``backends/tf_runtime``) feeds each chunk at its own length, with no buckets; the LSTMs run
on the host as for LiteRT (``host.npz``).

For nobuco the twin differs from the LiteRT one in one module: Albert's embeddings take their
token types and positions from the ids rather than slicing buffers, because nobuco folds a slice of
a buffer into a constant of the traced length (the same values either way).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor, nn

from kokoro_tui.assets.progress import NullProgress, ProgressSink
from kokoro_tui.atomic import atomic_directory
from kokoro_tui.convert.bucket_graph import AcousticStage, TextStage, bucket_twin
from kokoro_tui.convert.litert_export import host_weights
from kokoro_tui.convert.litert_io import ACOUSTIC, ACOUSTIC_INPUTS, DESCRIPTION_FILE, HOST_FILE, TEXT, TEXT_INPUTS
from kokoro_tui.convert.nobuco_ops import load_nobuco
from kokoro_tui.convert.onnx_graph import swap_modules
from kokoro_tui.convert.tf_io import ACOUSTIC_OUTPUTS, EXPORT_FORMAT, TEXT_OUTPUTS
from kokoro_tui.errors import KokoroError
from kokoro_tui.model.albert import AlbertEmbeddings
from kokoro_tui.model.kokoro import KokoroModel

# The lengths the stages are traced at; the SavedModel takes any length.
_EXAMPLE_TOKENS, _EXAMPLE_FRAMES = 40, 32
# The largest difference nobuco tolerates between a converted op and torch before it flags it.
_OP_TOLERANCE = 1e-4
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class TFResult:
    path: Path
    size_bytes: int
    seconds: float


class ShapeFreeEmbeddings(nn.Module):
    """``AlbertEmbeddings`` with token types and positions made from the ids (see the module docstring)."""

    def __init__(self, original: AlbertEmbeddings) -> None:
        super().__init__()
        self.word_embeddings = original.word_embeddings
        self.position_embeddings = original.position_embeddings
        self.token_type_embeddings = original.token_type_embeddings
        self.LayerNorm = original.LayerNorm

    def forward(self, input_ids: Tensor) -> Tensor:
        positions = torch.ones_like(input_ids).cumsum(dim=1) - 1
        embedded = self.word_embeddings(input_ids) + self.token_type_embeddings(torch.zeros_like(input_ids))
        return self.LayerNorm(embedded + self.position_embeddings(positions))


def tf_twin(model: KokoroModel) -> KokoroModel:
    """The LiteRT stages' twin of ``model`` with ``ShapeFreeEmbeddings`` (the caller's model is left as it was)."""
    twin = bucket_twin(model)
    swap_modules(twin, {AlbertEmbeddings: ShapeFreeEmbeddings})
    return twin


def _convert(nobuco, stage: nn.Module, args: list[Tensor], free_axes: list[tuple[int | None, ...]],  # noqa: ANN001
             names: tuple[str, ...]):  # noqa: ANN202 - a Keras model, from the optional TensorFlow
    """One stage as a Keras model. nobuco's trace of every op (stdout) and its progress bars (stderr) are
    not the user's: they are kept for the error if it fails, and our own progress bar stands for them."""
    trace = io.StringIO()
    try:
        with contextlib.redirect_stdout(trace), contextlib.redirect_stderr(trace), torch.no_grad():
            return nobuco.pytorch_to_keras(
                stage, args=args, input_shapes=dict(zip(args, free_axes)), input_names=dict(zip(args, names)),
                inputs_channel_order=nobuco.ChannelOrder.PYTORCH, outputs_channel_order=nobuco.ChannelOrder.PYTORCH,
                trace_shape=True, validation_tolerance=_OP_TOLERANCE,
            )  # fmt: skip
    except Exception as error:  # noqa: BLE001 - nobuco raises plain Exceptions; its trace says where
        lines = _ANSI.sub("", trace.getvalue()).splitlines()
        where = [line.strip() for line in lines if "Unimplemented" in line or "Failed conversion" in line][:3]
        raise KokoroError(f"nobuco could not convert the {type(stage).__name__}: {error}",
                          hint="; ".join(where) or "run with a newer nobuco, or report it") from None  # fmt: skip


def export_tf(model: KokoroModel, target: str | Path, progress: ProgressSink | None = None) -> TFResult:
    """Export ``model`` into the SavedModel folder ``target`` (replaced whole, atomically); see the module docstring."""
    nobuco = load_nobuco()
    import tensorflow as tf

    target = Path(target)
    progress = progress or NullProgress()
    task = progress.add_task("converting to TensorFlow (2 stages)", total=3)
    started = time.perf_counter()
    twin = tf_twin(model)
    config = model.config
    ids = torch.zeros(1, _EXAMPLE_TOKENS, dtype=torch.int32)
    text = _convert(nobuco, TextStage(twin).eval(), [ids, torch.tensor([_EXAMPLE_TOKENS], dtype=torch.int32)],
                    [(1, None), (1,)], TEXT_INPUTS)  # fmt: skip
    progress.advance(task)
    frames = torch.zeros(1, config.hidden_dim, _EXAMPLE_FRAMES)
    acoustic = _convert(
        nobuco, AcousticStage(twin).eval(),
        [frames, frames.clone(), torch.tensor([_EXAMPLE_FRAMES], dtype=torch.int32), torch.zeros(1, config.style_size)],
        [(1, config.hidden_dim, None), (1, config.hidden_dim, None), (1,), (1, config.style_size)], ACOUSTIC_INPUTS,
    )  # fmt: skip
    progress.advance(task)

    module = tf.Module()
    module.text, module.acoustic = text, acoustic
    channels = config.hidden_dim

    @tf.function(input_signature=[tf.TensorSpec([1, None], tf.int32, TEXT_INPUTS[0]),
                                  tf.TensorSpec([1], tf.int32, TEXT_INPUTS[1])])  # fmt: skip
    def text_signature(input_ids: tf.Tensor, length: tf.Tensor) -> dict[str, tf.Tensor]:
        return dict(zip(TEXT_OUTPUTS, module.text([input_ids, length])))

    @tf.function(input_signature=[tf.TensorSpec([1, channels, None], tf.float32, ACOUSTIC_INPUTS[0]),
                                  tf.TensorSpec([1, channels, None], tf.float32, ACOUSTIC_INPUTS[1]),
                                  tf.TensorSpec([1], tf.int32, ACOUSTIC_INPUTS[2]),
                                  tf.TensorSpec([1, config.style_size], tf.float32, ACOUSTIC_INPUTS[3])])  # fmt: skip
    def acoustic_signature(prosody: tf.Tensor, asr: tf.Tensor, frames: tf.Tensor,
                           style: tf.Tensor) -> dict[str, tf.Tensor]:  # fmt: skip
        return dict(zip(ACOUSTIC_OUTPUTS, module.acoustic([prosody, asr, frames, style])))

    description = {"format": EXPORT_FORMAT, "style_dim": config.style_dim, "tensorflow": tf.__version__,
                   "nobuco": getattr(nobuco, "__version__", "unknown")}  # fmt: skip
    with atomic_directory(target) as folder:
        tf.saved_model.save(module, str(folder), signatures={TEXT: text_signature, ACOUSTIC: acoustic_signature})
        np.savez(folder / HOST_FILE, **host_weights(model))
        (folder / DESCRIPTION_FILE).write_text(json.dumps(description, indent=2) + "\n")
    progress.advance(task)
    size = sum(path.stat().st_size for path in target.rglob("*") if path.is_file())
    return TFResult(target, size, time.perf_counter() - started)
