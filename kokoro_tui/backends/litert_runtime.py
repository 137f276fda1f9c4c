"""Third inference backend: our LiteRT export (``kokoro convert export --to litert``) run by the
LiteRT interpreter, without torch.

The export holds the convolutional stages once per bucket length (``convert/bucket_graph.py``);
this runner stitches them with the host's numpy part (``litert_host``):

1. ``text_<T>`` on the ids padded to the smallest token bucket T: Albert and the text
   encoder's convolutions;
2. host: the duration encoder and head (→ integer durations), the text encoder's LSTM, the
   alignment (each token's features repeated for its frames), and the predictor's shared LSTM;
3. ``acoustic_<F>`` on the frames padded to the smallest frame bucket F: F0 and energy, the
   decoder and the generator → audio, cut to the valid samples.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kokoro_tui.backends.litert_host import HostKokoro
from kokoro_tui.convert.litert_io import (
    ACOUSTIC,
    ACOUSTIC_INPUTS,
    DESCRIPTION_FILE,
    EXPORT_FORMAT,
    GRAPH_FILE,
    HOST_FILE,
    TEXT,
    TEXT_INPUTS,
    bucket_for,
    buckets_of,
    signature_name,
)
from kokoro_tui.errors import KokoroError, MissingAssetError
from kokoro_tui.model.config import MAX_TOKENS, SAMPLE_RATE, SAMPLES_PER_FRAME, STAGES, STYLE_DIM

FRAMES_PER_SECOND = SAMPLE_RATE / SAMPLES_PER_FRAME


def _interpreter_class():  # noqa: ANN202 - ai_edge_litert's Interpreter, imported when a model is opened
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        raise KokoroError("the litert backend needs ai-edge-litert", hint="pip install 'kokoro-tui[litert]'") from None
    return Interpreter


def read_description(folder: Path) -> dict:
    """The export's ``export.json``, checked to be ours; a KokoroError naming what is wrong."""
    if not folder.is_dir():
        raise MissingAssetError(f"LiteRT export not found: {folder}", hint="run `kokoro convert export --to litert`")
    try:
        description = json.loads((folder / DESCRIPTION_FILE).read_text())
    except (OSError, ValueError) as error:
        raise KokoroError(f"{folder} is not a LiteRT export of ours: {error}",
                          hint="export it again with `kokoro convert export --to litert --force`") from None  # fmt: skip
    if description.get("format") != EXPORT_FORMAT:
        raise KokoroError(f"{folder} holds format {description.get('format')!r}, not {EXPORT_FORMAT!r}",
                          hint="export it again with `kokoro convert export --to litert --force`")  # fmt: skip
    return description


class LiteRTKokoro:
    """Phoneme ids + 256-d style + speed → (audio, durations), from a LiteRT export folder."""

    def __init__(self, folder: str | Path, threads: int = 2) -> None:
        self.folder = Path(folder)
        description = read_description(self.folder)
        with np.load(self.folder / HOST_FILE) as weights:
            self.host = HostKokoro(dict(weights), int(description["style_dim"]))
        self.interpreter = _interpreter_class()(model_path=str(self.folder / GRAPH_FILE), num_threads=threads)
        self.signatures = self.interpreter.get_signature_list()
        self.buckets = buckets_of(self.signatures)
        self._runners: dict[str, object] = {}
        self._lock = threading.Lock()  # one interpreter: its signature runners share tensors

    def _run(self, name: str, inputs: dict[str, np.ndarray]) -> list[np.ndarray]:
        if name not in self._runners:
            self._runners[name] = self.interpreter.get_signature_runner(name)
        outputs = self._runners[name](**inputs)  # type: ignore[operator]
        return [outputs[key] for key in sorted(self.signatures[name]["outputs"])]

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
        token_bucket = bucket_for(tokens, self.buckets[TEXT])
        if token_bucket is None:
            raise KokoroError(f"{tokens} tokens exceed the export's token buckets {self.buckets[TEXT]}")
        padded = np.zeros((1, token_bucket), dtype=np.int32)
        padded[0, 1 : tokens - 1] = ids
        with self._lock:
            d_en, convolved = self._run(signature_name(TEXT, token_bucket), dict(zip(TEXT_INPUTS, (
                padded, np.array([tokens], dtype=np.int32)))))  # fmt: skip
            prosody_style = row[self.host.style_dim :]
            d = self.host.duration_features(d_en[0, :tokens], prosody_style)
            durations = self.host.durations(d, speed)
            t_en = self.host.text_features(np.ascontiguousarray(convolved[0, :, :tokens].T))
            frames = int(durations.sum())
            frame_bucket = bucket_for(frames, self.buckets[ACOUSTIC])
            if frame_bucket is None:
                largest = max(self.buckets[ACOUSTIC])
                raise KokoroError(
                    f"this chunk needs {frames} frames ({frames / FRAMES_PER_SECOND:.0f} s); the LiteRT export's "
                    f"largest bucket is {largest} frames ({largest / FRAMES_PER_SECOND:.0f} s)",
                    hint="speak faster (--speed), or export again with a larger --frame-buckets",
                )
            prosody = np.zeros((1, self.host.prosody_width, frame_bucket), dtype=np.float32)
            prosody[0, :, :frames] = self.host.prosody(np.repeat(d, durations, axis=0)).T
            asr = np.zeros((1, t_en.shape[1], frame_bucket), dtype=np.float32)
            asr[0, :, :frames] = np.repeat(t_en, durations, axis=0).T
            audio, *curves = self._run(signature_name(ACOUSTIC, frame_bucket), dict(zip(ACOUSTIC_INPUTS, (
                prosody, asr, np.array([frames], dtype=np.int32), row.reshape(1, -1)))))  # fmt: skip
        stages = {name: curve[..., : 2 * frames].copy() for name, curve in zip(STAGES, curves)}
        return audio[0, : frames * SAMPLES_PER_FRAME].copy(), durations, stages
