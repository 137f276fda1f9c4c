"""The onnx backend: an ONNX export through onnxruntime, level-matched to the torch backend.

It runs ``--model FILE`` when given, else the data home's own export (``kokoro convert export --to onnx``)
once there is one, else the public int8 export. Our exports come out at the torch level. The
public export's inverse STFT skips part of the window normalisation: its interior samples come
out exactly 1.5x louder than ``torch.istft`` and its first 10 samples are divided by near-zero
window sums (clicks). For that export the adapter divides by 1.5 and silences those samples,
then fades in over 1 ms, so both backends play at the same level without a click. No torch is
imported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kokoro_tui.assets.model_store import model_config, onnx_model
from kokoro_tui.errors import MissingAssetError
from kokoro_tui.home import DataHome
from kokoro_tui.text.vocab import PhonemeVocab

ONNX_GAIN = 1.5
ONNX_BAD_START = 10
ONNX_FADE_IN = 14
ONNX_THREADS = 2


def correct_onnx_audio(audio: np.ndarray) -> np.ndarray:
    """Undo the export's 1.5x gain and its exploded first samples (see module docstring)."""
    fixed = np.asarray(audio, dtype=np.float32).reshape(-1) / ONNX_GAIN
    fixed[:ONNX_BAD_START] = 0.0
    ramp_end = min(len(fixed), ONNX_BAD_START + ONNX_FADE_IN)
    if ramp_end > ONNX_BAD_START:
        fixed[ONNX_BAD_START:ramp_end] *= np.linspace(0.0, 1.0, ramp_end - ONNX_BAD_START, dtype=np.float32)
    return fixed


class OnnxSynthesizer:
    def __init__(self, home: DataHome, threads: int = ONNX_THREADS, model: Path | None = None) -> None:
        from kokoro_tui.backends.onnx_runtime import OnnxKokoro

        onnx_path = model or onnx_model(home)
        if not onnx_path.is_file():
            raise MissingAssetError(f"{onnx_path} is missing", hint=None if model else "run `kokoro download`")
        self.vocab = PhonemeVocab(model_config(home).vocab)
        self.session = OnnxKokoro(onnx_path, threads=threads)

    def synthesize(
        self, ids: Sequence[int], style: np.ndarray, speed: float, seed: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        style_row = np.asarray(style, dtype=np.float32).reshape(1, -1)
        audio, durations = self.session.synthesize(list(ids), style_row, speed)
        if self.session.public_export:
            audio = correct_onnx_audio(audio)
        return audio, np.asarray(durations, dtype=np.int64).reshape(-1)
