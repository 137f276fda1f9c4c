"""Our Kokoro model as an ONNX file: any length up to 510 phonemes, fp32, fp16 or int8, our audio level.

The graph is traced from ``onnx_graph.ExportedKokoro`` (the plain float torch path, no noise)
by torch's TorchScript exporter. Inputs ``input_ids`` int64 [1, T] (0 pads included), ``style``
float32 [1, 256], ``speed`` float32 [1]; outputs ``audio`` float32 [N] and ``durations`` int64
[T], then the stages the parity check compares (``onnx_io``). Every file carries the
``onnx_io.EXPORT_MARK`` metadata with its dtype.

Opset: 13 by default, the lowest this graph exports at. 12 and 11 fail because torch's exporter
writes ``repeat_interleave`` along a dimension of unknown length only from 13 (the upsampling
shortcut of ``AdainResBlk1d`` and the harmonic source's frame-to-sample step use it); 10 has no
``Round`` (the durations); 9 has no dynamic ``Slice``. The STFT and iSTFT do not set the floor:
they are convolutions here (``stft_convs``), where ONNX's own ``STFT`` op would need opset 17
and it has no inverse op at all.
"""

from __future__ import annotations

import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import onnx
import torch

import kokoro_tui
from kokoro_tui.assets.progress import NullProgress, ProgressSink
from kokoro_tui.atomic import atomic_path, check_writable
from kokoro_tui.convert.onnx_graph import ExportedKokoro
from kokoro_tui.convert.onnx_int8 import to_int8
from kokoro_tui.convert.onnx_io import AUDIO, DTYPES, DURATIONS, EXPORT_MARK, INPUT_IDS, INPUT_NAMES, OUTPUT_NAMES
from kokoro_tui.errors import KokoroError
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.model.stages import ENERGY, F0, FEATURES

DEFAULT_OPSET = 13
# The newest opset the TorchScript exporter writes.
MAX_OPSET = 20
# Phoneme ids of the tracing example; any ids trace the same graph (no Python branch reads them).
_EXAMPLE_IDS = (50, 83, 54, 57, 16, 65, 87, 54, 46)
_PACKAGE = str(Path(kokoro_tui.__file__).parent)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    dtype: str
    opset: int
    size_bytes: int
    seconds: float


def check_export_options(dtype: str, opset: int) -> None:
    """A KokoroError for a dtype or opset we cannot write, before any slow work."""
    if dtype not in DTYPES:
        raise KokoroError(f"unknown dtype {dtype!r}", hint=f"choose {', '.join(DTYPES)}")
    if not DEFAULT_OPSET <= opset <= MAX_OPSET:
        raise KokoroError(
            f"opset {opset} is not supported", hint=f"use {DEFAULT_OPSET} to {MAX_OPSET}; below {DEFAULT_OPSET} "
            "torch cannot export the variable-length upsampling"
        )  # fmt: skip


def trace(model: KokoroModel, path: Path, opset: int, *, half: bool = False) -> None:
    """Write the fp32 (or, with ``half``, the fp16) graph of ``model`` to ``path``; a trace that would
    freeze a value is an error."""
    twin = ExportedKokoro(model, half=half)
    ids = torch.tensor([[0, *_EXAMPLE_IDS, 0]], dtype=torch.long)
    style = torch.zeros(1, model.config.style_size)
    speed = torch.ones(1)
    with torch.no_grad(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # recorded, not shown: the exporter's notices are not the user's
        torch.onnx.export(
            twin, (ids, style, speed), str(path), input_names=list(INPUT_NAMES), output_names=list(OUTPUT_NAMES),
            dynamic_axes={INPUT_IDS: {1: "tokens"}, AUDIO: {0: "samples"}, DURATIONS: {0: "tokens"},
                          F0: {0: "curve_frames"}, ENERGY: {0: "curve_frames"}, FEATURES: {1: "curve_frames"}},
            opset_version=opset, dynamo=False, external_data=False, do_constant_folding=True,
        )  # fmt: skip
    # torch's own modules convert static sizes to Python values (harmless); ours must not convert any.
    frozen = [w for w in caught if issubclass(w.category, torch.jit.TracerWarning) and w.filename.startswith(_PACKAGE)]
    if frozen:
        where = f"{frozen[0].filename}:{frozen[0].lineno}"
        raise RuntimeError(f"the ONNX trace froze a value at {where}: {frozen[0].message}")


def mark(model: onnx.ModelProto, dtype: str) -> onnx.ModelProto:
    """Tag ``model`` as our export of ``dtype`` (what the onnx backend reads to pick the interface)."""
    del model.metadata_props[:]
    onnx.helper.set_model_props(model, {EXPORT_MARK: dtype})
    model.producer_name = "kokoro-tui"
    return model


def export_onnx(
    model: KokoroModel,
    target: str | Path,
    dtype: str = "fp32",
    opset: int = DEFAULT_OPSET,
    progress: ProgressSink | None = None,
) -> ExportResult:
    """Export ``model`` to ``target`` (written atomically) in ``dtype``; see the module docstring."""
    check_export_options(dtype, opset)
    target = Path(target)
    check_writable(target)
    progress = progress or NullProgress()
    task = progress.add_task(f"exporting {dtype} ONNX", total=3)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kokoro-onnx-") as work:
        traced = Path(work) / "traced.onnx"
        trace(model, traced, opset, half=dtype == "fp16")
        progress.advance(task)
        if dtype == "int8":
            quantised = Path(work) / "int8.onnx"
            to_int8(traced, quantised)
            traced = quantised
        # Typed value_info on every edge: without it onnxruntime 1.32's NCHWc layout pass crashed
        # (SIGSEGV) when opening the fp16 graph with the default optimisation level.
        graph = onnx.shape_inference.infer_shapes(onnx.load(str(traced)))
        progress.advance(task)
        with atomic_path(target) as out:
            onnx.save(mark(graph, dtype), str(out))
        progress.advance(task)
    return ExportResult(target, dtype, opset, target.stat().st_size, time.perf_counter() - started)
