"""The litert backend: our LiteRT export (``kokoro convert export --to litert``) through the LiteRT
interpreter, without torch. It runs ``--model FOLDER`` when given, else the data home's export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kokoro_tui.assets.model_store import litert_model, model_config
from kokoro_tui.home import DataHome
from kokoro_tui.text.vocab import PhonemeVocab

LITERT_THREADS = 2


class LiteRTSynthesizer:
    def __init__(self, home: DataHome, threads: int = LITERT_THREADS, model: Path | None = None) -> None:
        from kokoro_tui.backends.litert_runtime import LiteRTKokoro

        self.vocab = PhonemeVocab(model_config(home).vocab)
        self.runner = LiteRTKokoro(model or litert_model(home), threads=threads)

    def synthesize(
        self, ids: Sequence[int], style: np.ndarray, speed: float, seed: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        return self.runner.synthesize(ids, style, speed)
