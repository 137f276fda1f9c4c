"""Every way to run the network, behind one registry that `say`, the dashboard and the server read.

A synthesizer takes phoneme ids + a style row + a speed and returns numpy audio and integer
durations (BOS/EOS included). ``torch`` runs our KokoroModel (CPU or CUDA, seedable noise in
the harmonic source); ``onnx`` runs an ONNX export through onnxruntime, without torch: the data
home's own export (``kokoro convert export --to onnx``) once there is one, else the public int8 export;
``litert`` runs our LiteRT export (a folder, ``kokoro convert export --to litert``) through the LiteRT
interpreter, and ``tf`` our TensorFlow SavedModel (``--to tf``) through TensorFlow, also without torch.

A backend name may carry a model file, ``onnx:/path/kokoro-int8.onnx`` (``backend_spec``): the
form in which a ``Pipeline``, the speech worker and the synthesizer cache pass it along unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from kokoro_tui.errors import KokoroError
from kokoro_tui.home import DataHome
from kokoro_tui.model.device import check_device
from kokoro_tui.text.vocab import PhonemeVocab

PRECISIONS = ("auto", "fp32", "int8")
# Between a backend's name and its model file in a backend spec.
MODEL_SEPARATOR = ":"


class Synthesizer(Protocol):
    vocab: PhonemeVocab

    def synthesize(
        self, ids: Sequence[int], style: np.ndarray, speed: float, seed: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Audio (float32, 24 kHz) and per-token durations incl. BOS/EOS, in 600-sample frames."""
        ...


@dataclass(frozen=True)
class Backend:
    name: str
    summary: str  # one line for --help and the dashboard
    load: Callable[[DataHome, str, str], Synthesizer]  # (home, device, resolved precision)
    devices: tuple[str, ...]  # the devices it can run on besides "auto"
    int8_on_cpu: bool  # whether precision "auto" means int8 convolutions on the CPU
    load_file: Callable[[DataHome, str, str, Path], Synthesizer] | None = None  # the same with a model file


def backend_spec(backend: str, model: str | Path | None) -> str:
    """``backend`` with ``model`` attached (``onnx:/abs/kokoro-int8.onnx``), or ``backend`` when there is none."""
    return backend if model is None else f"{backend}{MODEL_SEPARATOR}{Path(model).absolute()}"


def split_spec(spec: str) -> tuple[str, Path | None]:
    """``(backend name, model file or None)`` from a backend spec."""
    name, separator, model = spec.partition(MODEL_SEPARATOR)
    return name, Path(model) if separator else None


def _load_torch(home: DataHome, device: str, precision: str) -> Synthesizer:
    from kokoro_tui.backends.torch_synthesizer import TorchSynthesizer

    return TorchSynthesizer(home, device, precision)


def _load_torch_file(home: DataHome, device: str, precision: str, model: Path) -> Synthesizer:
    from kokoro_tui.backends.torch_synthesizer import TorchSynthesizer

    return TorchSynthesizer(home, device, precision, weights=model)


def _load_litert(home: DataHome, device: str, precision: str) -> Synthesizer:
    from kokoro_tui.backends.litert_synthesizer import LiteRTSynthesizer

    return LiteRTSynthesizer(home)


def _load_litert_file(home: DataHome, device: str, precision: str, model: Path) -> Synthesizer:
    from kokoro_tui.backends.litert_synthesizer import LiteRTSynthesizer

    return LiteRTSynthesizer(home, model=model)


def _load_tf(home: DataHome, device: str, precision: str) -> Synthesizer:
    from kokoro_tui.backends.tf_synthesizer import TFSynthesizer

    return TFSynthesizer(home)


def _load_tf_file(home: DataHome, device: str, precision: str, model: Path) -> Synthesizer:
    from kokoro_tui.backends.tf_synthesizer import TFSynthesizer

    return TFSynthesizer(home, model=model)


def _load_onnx(home: DataHome, device: str, precision: str) -> Synthesizer:
    from kokoro_tui.backends.onnx_synthesizer import OnnxSynthesizer

    return OnnxSynthesizer(home)


def _load_onnx_file(home: DataHome, device: str, precision: str, model: Path) -> Synthesizer:
    from kokoro_tui.backends.onnx_synthesizer import OnnxSynthesizer

    return OnnxSynthesizer(home, model=model)


BACKENDS: dict[str, Backend] = {
    backend.name: backend
    for backend in (
        Backend("torch", "our PyTorch Kokoro (CPU or CUDA); --model takes fine-tuned weights", _load_torch,
                ("cpu", "cuda"), True, _load_torch_file),
        Backend("onnx", "onnxruntime on an ONNX export: the home's own, else the public int8 (CPU)", _load_onnx,
                ("cpu",), False, _load_onnx_file),
        Backend("litert", "the LiteRT interpreter on our LiteRT export (CPU; kokoro convert export --to litert)",
                _load_litert, ("cpu",), False, _load_litert_file),
        Backend("tf", "TensorFlow on our SavedModel export (CPU; kokoro convert export --to tf, needs TensorFlow)",
                _load_tf, ("cpu",), False, _load_tf_file),
    )
}


def backend_named(spec: str) -> Backend:
    """The registered backend a spec names; a KokoroError listing the choices otherwise."""
    name, _ = split_spec(spec)
    try:
        return BACKENDS[name]
    except KeyError:
        raise KokoroError(f"unknown backend {name!r}", hint=f"choose {' or '.join(BACKENDS)}") from None


def check_options(backend: str, device: str, precision: str) -> None:
    """Reject an unknown backend, device or precision, or a combination that cannot run, before any load."""
    chosen = backend_named(backend)
    name, model = split_spec(backend)
    if model is not None and chosen.load_file is None:
        raise KokoroError(f"the {name} backend takes no model file")
    if model is not None and not model.exists():
        raise KokoroError(f"model file not found: {model}")
    check_device(device)
    if device != "auto" and device not in chosen.devices:
        raise KokoroError(f"the {name} backend runs on the CPU only", hint="use --backend torch for CUDA")
    if precision not in PRECISIONS:
        raise KokoroError(f"unknown precision {precision!r}", hint="choose auto, fp32 or int8")
    if precision == "int8" and not chosen.int8_on_cpu:
        raise KokoroError(
            "precision int8 applies to the torch backend", hint="the onnx backend runs at its export's own dtype"
        )
    if precision == "int8" and device == "cuda":
        raise KokoroError("precision int8 runs on the CPU only", hint="use --device cpu, or fp32 on CUDA")


def resolve_precision(precision: str, backend: str, device: str) -> str:
    """``auto`` is int8 convolutions for the torch backend on the CPU (where oneDNN has them), else fp32.

    Measured (benchmarks/speed.py, 2 CPU threads): int8 is 2.3x our fp32 and 2.75x onnxruntime on
    the 2-core Intel machine (1.7x and 1.95x on the AMD one); with ``--quality``, its log-mel distance
    to our fp32 audio is 0.57 dB (the ONNX export's: 2.21 dB) and its WER equals fp32's.
    """
    check_options(backend, device, precision)
    if precision != "auto":
        return precision
    if not backend_named(backend).int8_on_cpu:
        return "fp32"
    from kokoro_tui.model.device import resolve_device
    from kokoro_tui.model.int8 import int8_available

    return "int8" if resolve_device(device).type == "cpu" and int8_available() else "fp32"


def load_synthesizer(backend: str, device: str, home: DataHome, precision: str = "auto") -> Synthesizer:
    """One loaded model per (backend, device, home, precision) per process.

    Pipelines differ by voice, language and speed only; sharing the synthesizer means a new
    voice in the dashboard, or a second Pipeline in a script, costs no model reload.
    """
    return _load_synthesizer(backend, device, home, resolve_precision(precision, backend, device))


@functools.lru_cache(maxsize=2)
def _load_synthesizer(backend: str, device: str, home: DataHome, precision: str) -> Synthesizer:
    chosen, (_, model) = backend_named(backend), split_spec(backend)
    if model is None:
        return chosen.load(home, device, precision)
    assert chosen.load_file is not None  # check_options refused a model file for this backend
    return chosen.load_file(home, device, precision, model)
