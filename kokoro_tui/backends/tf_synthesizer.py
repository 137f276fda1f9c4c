"""The tf backend: our TensorFlow SavedModel export (``kokoro convert export --to tf``) through
TensorFlow, without torch. It runs ``--model FOLDER`` when given, else the data home's export."""

from __future__ import annotations

from pathlib import Path

from kokoro_tui.assets.model_store import tf_export_path
from kokoro_tui.backends.staged_runner import StagedSynthesizer
from kokoro_tui.home import DataHome


class TFSynthesizer(StagedSynthesizer):
    def __init__(self, home: DataHome, model: Path | None = None) -> None:
        from kokoro_tui.backends.tf_runtime import TFKokoro

        super().__init__(home, TFKokoro(model or tf_export_path(home)))
