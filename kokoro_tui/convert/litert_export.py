"""Our Kokoro model as a LiteRT export (a folder, ``litert_io``), through litert-torch.

litert-torch converts static shapes only and unrolls LSTMs (see ``bucket_graph``), so the graph
holds the two convolutional stages once per bucket length, all sharing one copy of the weights,
and the LSTMs' weights go to ``host.npz`` for the runner. ``--quantize int8`` then runs Google's
AI Edge Quantizer over the converted graph, dynamic-range int8 (the documented post-training path
for LiteRT models) outside ``FLOAT_SCOPES``; the host's part stays float.

Conversion is slow: litert-torch spends about a minute of CPU per signature on graph passes
whatever the bucket size, so the default buckets take 15-25 minutes on 2 cores.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from kokoro_tui.assets.progress import NullProgress, ProgressSink
from kokoro_tui.atomic import atomic_directory
from kokoro_tui.convert.bucket_graph import AcousticStage, TextStage, bucket_twin
from kokoro_tui.convert.litert_io import (
    ACOUSTIC,
    ACOUSTIC_INPUTS,
    DESCRIPTION_FILE,
    EXPORT_FORMAT,
    FRAME_BUCKETS,
    GRAPH_FILE,
    HOST_FILE,
    HOST_PREFIXES,
    QUANTIZATIONS,
    TEXT,
    TEXT_INPUTS,
    TOKEN_BUCKETS,
    signature_name,
)
from kokoro_tui.convert.onnx_graph import FLOAT_ENDS
from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import MAX_TOKENS
from kokoro_tui.model.kokoro import KokoroModel


@dataclass(frozen=True)
class LiteRTResult:
    path: Path
    quantize: str
    size_bytes: int
    seconds: float


def check_litert_options(quantize: str, token_buckets: Sequence[int], frame_buckets: Sequence[int]) -> None:
    """A KokoroError for options we cannot export, before any slow work."""
    if quantize not in QUANTIZATIONS:
        raise KokoroError(f"unknown quantization {quantize!r}", hint=f"choose {', '.join(QUANTIZATIONS)}")
    if not token_buckets or not frame_buckets or min(*token_buckets, *frame_buckets) < 2:
        raise KokoroError("buckets must be lengths of at least 2", hint="e.g. --token-buckets 64,512")
    if max(token_buckets) < MAX_TOKENS + 2:
        raise KokoroError(f"the largest token bucket must hold {MAX_TOKENS + 2} tokens (the model's limit, BOS/EOS "
                          "included)", hint=f"add {MAX_TOKENS + 2} to --token-buckets")  # fmt: skip


def litert_torch_module():  # noqa: ANN201 - the module, imported late: it pulls in JAX and the LiteRT converter
    try:
        import litert_torch
    except ImportError:
        raise KokoroError(
            "LiteRT export needs litert-torch, which is not installed here",
            hint="bash scripts/setup_litert_converter.sh, then .venv-litert/bin/kokoro convert export --to litert",
        ) from None
    return litert_torch


def _text_example(tokens: int) -> dict[str, torch.Tensor]:
    values = (torch.zeros(1, tokens, dtype=torch.int32), torch.tensor([tokens], dtype=torch.int32))
    return dict(zip(TEXT_INPUTS, values))


def _acoustic_example(model: KokoroModel, frames: int) -> dict[str, torch.Tensor]:
    config = model.config
    values = (
        torch.zeros(1, config.hidden_dim, frames),
        torch.zeros(1, config.hidden_dim, frames),
        torch.tensor([frames], dtype=torch.int32),
        torch.zeros(1, config.style_size),
    )
    return dict(zip(ACOUSTIC_INPUTS, values))


# What stays float in the int8 export, as in the ONNX one (onnx_graph.FLOAT_ENDS): the text stage, which
# decides the durations, and the generator's float ends (the harmonic source, STFT/iSTFT, conv_post, whose
# output goes through exp). Quantizing those too made the audio unusable (log-mel distance 14-23 dB, durations
# off). The converted graph names each tensor by its module path, ``Class_attribute`` per level.
FLOAT_SCOPES = rf"^(?!.*({TextStage.__name__}|_({'|'.join(FLOAT_ENDS)})[;/])).*$"


def _quantize_int8(source: Path, target: Path) -> None:
    """The AI Edge Quantizer's dynamic-range int8 (int8 weights per channel, activations quantized on the
    fly by the kernels) on every op outside ``FLOAT_SCOPES``."""
    from ai_edge_quantizer import qtyping, quantizer

    job = quantizer.Quantizer(str(source))
    job.add_dynamic_config(FLOAT_SCOPES, qtyping.TFLOperationName.ALL_SUPPORTED, num_bits=8)
    job.quantize().export_model(str(target), overwrite=True)


def host_weights(model: KokoroModel) -> dict[str, np.ndarray]:
    """The float32 parameters the runner's host part needs (``litert_io.HOST_PREFIXES``)."""
    state = model.state_dict()
    return {name: value.detach().float().cpu().numpy() for name, value in state.items() if name.startswith(HOST_PREFIXES)}


def _description(model: KokoroModel, quantize: str, token_buckets: Sequence[int], frame_buckets: Sequence[int],
                 version: str) -> dict[str, object]:  # fmt: skip
    return {
        "format": EXPORT_FORMAT, "quantize": quantize, "style_dim": model.config.style_dim,
        "token_buckets": sorted(token_buckets), "frame_buckets": sorted(frame_buckets), "litert_torch": version,
    }  # fmt: skip


def export_litert(
    model: KokoroModel,
    target: str | Path,
    quantize: str = "none",
    token_buckets: Sequence[int] = TOKEN_BUCKETS,
    frame_buckets: Sequence[int] = FRAME_BUCKETS,
    progress: ProgressSink | None = None,
) -> LiteRTResult:
    """Export ``model`` into the folder ``target`` (replaced whole, atomically); see the module docstring."""
    check_litert_options(quantize, token_buckets, frame_buckets)
    target = Path(target)
    litert_torch = litert_torch_module()
    progress = progress or NullProgress()
    signatures = len(token_buckets) + len(frame_buckets)
    task = progress.add_task(f"converting to LiteRT ({signatures} signatures, about a minute each)", total=2)
    started = time.perf_counter()
    twin = bucket_twin(model)
    text, acoustic = TextStage(twin).eval(), AcousticStage(twin).eval()
    converter = litert_torch.Converter()
    for tokens in sorted(token_buckets):
        converter.signature(signature_name(TEXT, tokens), text, sample_kwargs=_text_example(tokens))
    for frames in sorted(frame_buckets):
        converter.signature(signature_name(ACOUSTIC, frames), acoustic, sample_kwargs=_acoustic_example(model, frames))
    with torch.no_grad():
        converted = converter.convert()
    progress.advance(task)
    description = _description(model, quantize, token_buckets, frame_buckets,
                               getattr(litert_torch, "__version__", "unknown"))  # fmt: skip
    with atomic_directory(target) as folder, tempfile.TemporaryDirectory(prefix="kokoro-litert-") as work:
        graph = folder / GRAPH_FILE
        if quantize == "int8":
            converted.export(str(Path(work) / GRAPH_FILE))
            _quantize_int8(Path(work) / GRAPH_FILE, graph)
        else:
            converted.export(str(graph))
        np.savez(folder / HOST_FILE, **host_weights(model))
        (folder / DESCRIPTION_FILE).write_text(json.dumps(description, indent=2) + "\n")
    progress.advance(task)
    return LiteRTResult(target, quantize, _folder_size(target), time.perf_counter() - started)


def quantize_export(source: str | Path, target: str | Path) -> LiteRTResult:
    """An int8-weight copy of the float export folder ``source`` in ``target``, without converting again."""
    source, target = Path(source), Path(target)
    started = time.perf_counter()
    description = json.loads((source / DESCRIPTION_FILE).read_text())
    with atomic_directory(target) as folder:
        _quantize_int8(source / GRAPH_FILE, folder / GRAPH_FILE)
        shutil.copyfile(source / HOST_FILE, folder / HOST_FILE)
        (folder / DESCRIPTION_FILE).write_text(json.dumps({**description, "quantize": "int8"}, indent=2) + "\n")
    return LiteRTResult(target, "int8", _folder_size(target), time.perf_counter() - started)


def _folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir())
