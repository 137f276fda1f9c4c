"""Third inference backend: our LiteRT export (``kokoro convert export --to litert``) run by the
LiteRT interpreter, without torch.

The export holds the convolutional stages once per bucket length (``convert/bucket_graph.py``);
``StagedKokoro`` stitches them with the host's numpy part, each stage's input padded to the smallest
bucket that holds it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kokoro_tui.backends.litert_host import HostKokoro
from kokoro_tui.backends.staged_runner import FRAMES_PER_SECOND, StagedKokoro, read_description
from kokoro_tui.convert.litert_io import (
    ACOUSTIC,
    ACOUSTIC_INPUTS,
    EXPORT_FORMAT,
    GRAPH_FILE,
    HOST_FILE,
    TEXT,
    TEXT_INPUTS,
    bucket_for,
    buckets_of,
    signature_name,
)
from kokoro_tui.errors import KokoroError


def _interpreter_class():  # noqa: ANN202 - ai_edge_litert's Interpreter, imported when a model is opened
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        raise KokoroError("the litert backend needs ai-edge-litert", hint="pip install 'kokoro-tui[litert]'") from None
    return Interpreter


class LiteRTKokoro(StagedKokoro):
    """Phoneme ids + 256-d style + speed → (audio, durations), from a LiteRT export folder."""

    def __init__(self, folder: str | Path, threads: int = 2) -> None:
        self.folder = Path(folder)
        description = read_description(self.folder, EXPORT_FORMAT, "LiteRT", "litert")
        with np.load(self.folder / HOST_FILE) as weights:
            super().__init__(HostKokoro(dict(weights), int(description["style_dim"])))
        self.interpreter = _interpreter_class()(model_path=str(self.folder / GRAPH_FILE), num_threads=threads)
        self.signatures = self.interpreter.get_signature_list()
        self.buckets = buckets_of(self.signatures)
        self._runners: dict[str, object] = {}

    def _run(self, name: str, inputs: dict[str, np.ndarray]) -> list[np.ndarray]:
        if name not in self._runners:
            self._runners[name] = self.interpreter.get_signature_runner(name)
        outputs = self._runners[name](**inputs)  # type: ignore[operator]
        return [outputs[key] for key in sorted(self.signatures[name]["outputs"])]

    def token_length(self, tokens: int) -> int:
        bucket = bucket_for(tokens, self.buckets[TEXT])
        if bucket is None:
            raise KokoroError(f"{tokens} tokens exceed the export's token buckets {self.buckets[TEXT]}")
        return bucket

    def frame_length(self, frames: int) -> int:
        bucket = bucket_for(frames, self.buckets[ACOUSTIC])
        if bucket is None:
            largest = max(self.buckets[ACOUSTIC])
            raise KokoroError(
                f"this chunk needs {frames} frames ({frames / FRAMES_PER_SECOND:.0f} s); the LiteRT export's "
                f"largest bucket is {largest} frames ({largest / FRAMES_PER_SECOND:.0f} s)",
                hint="speak faster (--speed), or export again with a larger --frame-buckets",
            )
        return bucket

    def run_text(self, ids: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d_en, convolved = self._run(signature_name(TEXT, ids.shape[1]), dict(zip(TEXT_INPUTS, (ids, length))))
        return d_en, convolved

    def run_acoustic(self, prosody: np.ndarray, asr: np.ndarray, frames: np.ndarray,
                     style: np.ndarray) -> list[np.ndarray]:  # fmt: skip
        name = signature_name(ACOUSTIC, prosody.shape[2])
        return self._run(name, dict(zip(ACOUSTIC_INPUTS, (prosody, asr, frames, style))))
