"""Second inference backend: the int8 ONNX export run by onnxruntime.

Returns the export's raw audio, which is NOT level-matched to our PyTorch model: the
export's inverse STFT is 1.5x louder in the interior and over-amplifies the first 10
samples (architecture.md §5.6). The speech pipeline normalises levels; here we only add
what the export lacks, the per-token integer durations needed for timestamps.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

from kokoro_tui.backends.duration_output import DURATION_OUTPUT, with_duration_output
from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import MAX_TOKENS, STYLE_DIM

_patched_cache: dict[tuple[str, int, int], bytes] = {}
_cache_lock = threading.Lock()


def patched_model_bytes(path: Path) -> bytes:
    """The export with the duration output added, serialised; surgery runs once per file version."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise KokoroError(f"ONNX model not found: {path}") from None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _cache_lock:
        if key not in _patched_cache:
            try:
                model = onnx.load(str(path))
            except Exception as error:
                raise KokoroError(f"cannot read ONNX model {path}: {error}") from error
            _patched_cache[key] = with_duration_output(model).SerializeToString()
        return _patched_cache[key]


class OnnxKokoro:
    """Kokoro via onnxruntime: phoneme ids + 256-d style + speed -> (audio, durations)."""

    def __init__(self, path: str | Path, threads: int = 2, *, vocab_size: int = 178) -> None:
        if threads < 1:
            raise KokoroError(f"threads must be >= 1, got {threads}")
        self.path = Path(path)
        self.vocab_size = vocab_size
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            patched_model_bytes(self.path), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def synthesize(
        self, ids: Sequence[int], style: np.ndarray, speed: float = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Speak phoneme ``ids`` (without the 0 pads, which are added here).

        Returns audio float32 [600·sum(durations)] at 24 kHz and int64 durations
        [len(ids) + 2] in 600-sample units, BOS and EOS pads included.
        """
        tokens = self._tokens(ids)
        style_row = np.asarray(style, dtype=np.float32).reshape(-1)
        if style_row.shape != (STYLE_DIM,):
            raise KokoroError(f"style must have {STYLE_DIM} values, got {style_row.size}")
        if not speed > 0:
            raise KokoroError(f"speed must be positive, got {speed}")
        audio, durations = self.session.run(
            ["audio", DURATION_OUTPUT],
            {
                "tokens": tokens,
                "style": style_row[None, :],
                "speed": np.array([speed], dtype=np.float32),
            },
        )
        return audio.astype(np.float32, copy=False), durations.astype(np.int64, copy=False)

    def _tokens(self, ids: Sequence[int]) -> np.ndarray:
        ids = [int(i) for i in ids]
        if not ids:
            raise KokoroError("nothing to speak: no phoneme ids")
        if len(ids) > MAX_TOKENS:
            raise KokoroError(f"too many phonemes: {len(ids)} > {MAX_TOKENS}; split the text")
        if min(ids) < 1 or max(ids) >= self.vocab_size:
            raise KokoroError(f"phoneme ids must lie in 1..{self.vocab_size - 1}")
        return np.array([[0, *ids, 0]], dtype=np.int64)
