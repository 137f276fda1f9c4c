"""The two acoustic backends behind one small interface: phoneme ids + style + speed in,
numpy audio + integer durations (BOS/EOS included) out.

``torch`` runs our KokoroModel (noise in the harmonic source, seedable, CPU or CUDA).
``onnx`` runs the public int8 export through onnxruntime. That export's inverse STFT skips
part of the window normalisation: its interior samples come out exactly 1.5x louder than
``torch.istft`` and its first 10 samples are divided by near-zero window sums (clicks).
The adapter divides by 1.5 and silences those samples, then fades in over 1 ms, so both
backends play at the same level without a click.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

from kokoro_tui.errors import KokoroError, MissingAssetError
from kokoro_tui.home import DataHome

BACKENDS = ("torch", "onnx")
DEVICES = ("auto", "cpu", "cuda")
PRECISIONS = ("auto", "fp32", "int8")
ONNX_GAIN = 1.5
ONNX_BAD_START = 10
ONNX_FADE_IN = 14


class Synthesizer(Protocol):
    vocab: Mapping[str, int]

    def synthesize(
        self, ids: Sequence[int], style: np.ndarray, speed: float, seed: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Audio (float32, 24 kHz) and per-token durations incl. BOS/EOS, in 600-sample frames."""
        ...


def resolve_device(device: str) -> str:
    """``auto`` picks CUDA when torch sees a GPU; an explicit ``cuda`` without one is a user error."""
    if device not in DEVICES:
        raise KokoroError(f"unknown device {device!r}", hint="choose auto, cpu or cuda")
    if device == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if device == "cuda":
        raise KokoroError("--device cuda was requested but torch sees no CUDA GPU", hint="use --device cpu")
    return "cpu"


def check_precision(precision: str, backend: str, device: str) -> None:
    """``int8`` (int8 decoder convolutions, see ``kokoro_tui.model.int8``) exists for the torch backend on CPU only."""
    if precision not in PRECISIONS:
        raise KokoroError(f"unknown precision {precision!r}", hint="choose auto, fp32 or int8")
    if precision == "int8" and backend != "torch":
        raise KokoroError("precision int8 applies to the torch backend", hint="the onnx export is int8 already")
    if precision == "int8" and device == "cuda":
        raise KokoroError("precision int8 runs on the CPU only", hint="use --device cpu, or fp32 on CUDA")


def resolve_precision(precision: str, backend: str, device: str) -> str:
    """``auto`` is int8 convolutions for the torch backend on the CPU (where oneDNN has them), else fp32.

    Measured (benchmarks/speed.py --quality, 2 CPU threads): int8 is 1.7x our fp32 and 1.95x
    onnxruntime, its log-mel distance to our fp32 audio 0.57 dB (the ONNX export's: 2.21 dB), and
    its WER equal to fp32's.
    """
    check_precision(precision, backend, device)
    if precision != "auto":
        return precision
    if backend != "torch" or resolve_device(device) != "cpu":
        return "fp32"
    from kokoro_tui.model.int8 import int8_available

    return "int8" if int8_available() else "fp32"


class TorchSynthesizer:
    def __init__(self, home: DataHome, device: str, precision: str = "fp32") -> None:
        from kokoro_tui.assets.model_store import load_model

        check_precision(precision, "torch", device)
        self.device = "cpu" if precision == "int8" else resolve_device(device)
        self.model = load_model(home, device=self.device)
        self.vocab = self.model.config.vocab
        if precision == "int8":
            from kokoro_tui.model.int8 import int8_available, use_int8_convs

            if not int8_available():
                raise KokoroError("this torch build has no oneDNN int8 convolutions", hint="use precision fp32")
            use_int8_convs(self.model)

    def synthesize(
        self, ids: Sequence[int], style: np.ndarray, speed: float, seed: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        import torch

        style_tensor = torch.from_numpy(np.ascontiguousarray(style, dtype=np.float32)).to(self.device)
        result = self.model.synthesize(list(ids), style_tensor, speed, noise=True, seed=seed)
        audio = result.audio.detach().float().cpu().numpy().reshape(-1)
        return audio, result.durations.detach().cpu().numpy().reshape(-1).astype(np.int64)


def correct_onnx_audio(audio: np.ndarray) -> np.ndarray:
    """Undo the export's 1.5x gain and its exploded first samples (see module docstring)."""
    fixed = np.asarray(audio, dtype=np.float32).reshape(-1) / ONNX_GAIN
    fixed[:ONNX_BAD_START] = 0.0
    ramp_end = min(len(fixed), ONNX_BAD_START + ONNX_FADE_IN)
    if ramp_end > ONNX_BAD_START:
        fixed[ONNX_BAD_START:ramp_end] *= np.linspace(0.0, 1.0, ramp_end - ONNX_BAD_START, dtype=np.float32)
    return fixed


class OnnxSynthesizer:
    def __init__(self, home: DataHome, device: str, threads: int = 2) -> None:
        # Deliberately not through model_store, which imports torch: this backend runs without it.
        from kokoro_tui.assets.manifest import CONFIG_NAME, ONNX_NAME, model_dir
        from kokoro_tui.backends.onnx_runtime import OnnxKokoro
        from kokoro_tui.model.config import KokoroConfig

        if device == "cuda":
            raise KokoroError("the onnx backend runs on the CPU only", hint="use --backend torch for CUDA")
        onnx_path, config_path = model_dir(home) / ONNX_NAME, model_dir(home) / CONFIG_NAME
        if not onnx_path.is_file():
            raise MissingAssetError(f"{onnx_path} is missing", hint="run `kokoro download`")
        config = KokoroConfig.from_json(config_path) if config_path.is_file() else KokoroConfig.default()
        self.vocab = config.vocab
        self.session = OnnxKokoro(onnx_path, threads=threads)

    def synthesize(
        self, ids: Sequence[int], style: np.ndarray, speed: float, seed: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        style_row = np.asarray(style, dtype=np.float32).reshape(1, -1)
        audio, durations = self.session.synthesize(list(ids), style_row, speed)
        return correct_onnx_audio(audio), np.asarray(durations, dtype=np.int64).reshape(-1)


def load_synthesizer(backend: str, device: str, home: DataHome, precision: str = "auto") -> Synthesizer:
    """One loaded model per (backend, device, home, precision) per process.

    Pipelines differ by voice, language and speed only; sharing the synthesizer means a new
    voice in the dashboard, or a second Pipeline in a script, costs no model reload.
    """
    return _load_synthesizer(backend, device, home, resolve_precision(precision, backend, device))


@functools.lru_cache(maxsize=2)
def _load_synthesizer(backend: str, device: str, home: DataHome, precision: str) -> Synthesizer:
    if backend == "torch":
        return TorchSynthesizer(home, device, precision)
    if backend == "onnx":
        return OnnxSynthesizer(home, device)
    raise KokoroError(f"unknown backend {backend!r}", hint="choose torch or onnx")
