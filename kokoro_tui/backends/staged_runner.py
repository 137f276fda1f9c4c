"""What the LiteRT and TensorFlow exports share when they speak: two graph stages stitched by the host.

Both exports hold the model's convolutional stages (``convert/bucket_graph.py``) and leave the LSTMs
and per-token layers to numpy (``litert_host``). A runner subclass says how a stage is called and how
long its inputs must be (a LiteRT bucket, or the exact length for a runtime with dynamic shapes):

1. the text stage on the ids, padded to ``token_length``: Albert and the text encoder's convolutions;
2. the host: the duration encoder and head (→ integer durations), the text encoder's LSTM, the
   alignment (each token's features repeated for its frames), and the predictor's shared LSTM;
3. the acoustic stage on the frames, padded to ``frame_length``: F0 and energy, the decoder and the
   generator → audio, cut to the valid samples.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kokoro_tui.assets.model_store import model_config
from kokoro_tui.backends.litert_host import HostKokoro
from kokoro_tui.convert.litert_io import DESCRIPTION_FILE
from kokoro_tui.errors import KokoroError, MissingAssetError
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import MAX_TOKENS, SAMPLE_RATE, SAMPLES_PER_FRAME, STAGES, STYLE_DIM
from kokoro_tui.text.vocab import PhonemeVocab

FRAMES_PER_SECOND = SAMPLE_RATE / SAMPLES_PER_FRAME


def read_description(folder: Path, export_format: str, label: str, target: str) -> dict:
    """The export's ``export.json``, checked to be ours and of ``export_format``; a KokoroError naming what
    is wrong. ``label`` names the export for the user (LiteRT), ``target`` is its `--to` value (litert)."""
    if not folder.is_dir():
        raise MissingAssetError(f"{label} export not found: {folder}",
                                hint=f"run `kokoro convert export --to {target}`")  # fmt: skip
    again = f"export it again with `kokoro convert export --to {target} --force`"
    try:
        description = json.loads((folder / DESCRIPTION_FILE).read_text())
    except (OSError, ValueError) as error:
        raise KokoroError(f"{folder} is not a {label} export of ours: {error}", hint=again) from None
    if description.get("format") != export_format:
        raise KokoroError(f"{folder} holds format {description.get('format')!r}, not {export_format!r}", hint=again)
    return description


class StagedKokoro:
    """Phoneme ids + 256-d style + speed → (audio, durations), from an export's two stages and ``host``."""

    def __init__(self, host: HostKokoro) -> None:
        self.host = host
        self._lock = threading.Lock()  # one graph runtime: its stage calls may share buffers

    def token_length(self, tokens: int) -> int:
        """The text stage's input length for ``tokens`` ids (BOS/EOS included); a KokoroError if none holds them."""
        return tokens

    def frame_length(self, frames: int) -> int:
        """The acoustic stage's input length for ``frames`` frames; a KokoroError if none holds them."""
        return frames

    def run_text(self, ids: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``ids [1,T]`` int32, ``length [1]`` int32 → ``(d_en [1,T,H], convolved [1,H,T])``."""
        raise NotImplementedError

    def run_acoustic(self, prosody: np.ndarray, asr: np.ndarray, frames: np.ndarray,
                     style: np.ndarray) -> list[np.ndarray]:  # fmt: skip
        """→ ``[audio [1, 600·F], *stages]`` (``config.STAGES``, where the export returns them)."""
        raise NotImplementedError

    def synthesize(self, ids: Sequence[int], style: np.ndarray, speed: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """Audio float32 [600·Σ durations] at 24 kHz and int64 durations [len(ids)+2], BOS/EOS included."""
        audio, durations, _ = self.synthesize_stages(ids, style, speed)
        return audio, durations

    def synthesize_stages(
        self, ids: Sequence[int], style: np.ndarray, speed: float = 1.0
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """``synthesize``, plus the stages the export returns (``config.STAGES``, cut to the valid
        frames), for the parity check."""
        ids = [int(i) for i in ids]
        if not ids or len(ids) > MAX_TOKENS:
            raise KokoroError(f"phoneme count must be 1..{MAX_TOKENS}, got {len(ids)}; split the text")
        row = np.asarray(style, dtype=np.float32).reshape(-1)
        if row.shape != (STYLE_DIM,):
            raise KokoroError(f"style must have {STYLE_DIM} values, got {row.size}")
        if not speed > 0:
            raise KokoroError(f"speed must be positive, got {speed}")
        tokens = len(ids) + 2
        padded = np.zeros((1, self.token_length(tokens)), dtype=np.int32)
        padded[0, 1 : tokens - 1] = ids
        with self._lock:
            d_en, convolved = self.run_text(padded, np.array([tokens], dtype=np.int32))
            d = self.host.duration_features(d_en[0, :tokens], row[self.host.style_dim :])
            durations = self.host.durations(d, speed)
            t_en = self.host.text_features(np.ascontiguousarray(convolved[0, :, :tokens].T))
            frames = int(durations.sum())
            length = self.frame_length(frames)
            prosody = np.zeros((1, self.host.prosody_width, length), dtype=np.float32)
            prosody[0, :, :frames] = self.host.prosody(np.repeat(d, durations, axis=0)).T
            asr = np.zeros((1, t_en.shape[1], length), dtype=np.float32)
            asr[0, :, :frames] = np.repeat(t_en, durations, axis=0).T
            audio, *curves = self.run_acoustic(prosody, asr, np.array([frames], dtype=np.int32), row.reshape(1, -1))
        stages = {name: curve[..., : 2 * frames].copy() for name, curve in zip(STAGES, curves)}
        return audio[0, : frames * SAMPLES_PER_FRAME].copy(), durations, stages


class StagedSynthesizer:
    """A ``backends.registry`` synthesizer over a staged export: the home's phoneme vocabulary, and no
    source noise to seed (the exports' harmonic source is deterministic)."""

    def __init__(self, home: DataHome, runner: StagedKokoro) -> None:
        self.vocab = PhonemeVocab(model_config(home).vocab)
        self.runner = runner

    def synthesize(
        self, ids: Sequence[int], style: np.ndarray, speed: float, seed: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        return self.runner.synthesize(ids, style, speed)
