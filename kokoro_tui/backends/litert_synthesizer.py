"""The litert backend: our LiteRT export (``kokoro convert export --to litert``) through the LiteRT
interpreter, without torch. It runs ``--model FOLDER`` when given, else the data home's export."""

from __future__ import annotations

from pathlib import Path

from kokoro_tui.assets.model_store import litert_model
from kokoro_tui.backends.staged_runner import StagedSynthesizer
from kokoro_tui.home import DataHome

LITERT_THREADS = 2


class LiteRTSynthesizer(StagedSynthesizer):
    def __init__(self, home: DataHome, threads: int = LITERT_THREADS, model: Path | None = None) -> None:
        from kokoro_tui.backends.litert_runtime import LiteRTKokoro

        super().__init__(home, LiteRTKokoro(model or litert_model(home), threads=threads))
