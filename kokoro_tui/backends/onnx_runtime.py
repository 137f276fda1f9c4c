"""Second inference backend: an ONNX export of Kokoro run by onnxruntime.

Two interfaces are understood. Our own exports (``kokoro convert export --to onnx``, marked with
``onnx_io.EXPORT_MARK``) take ``input_ids`` and output audio at our level and the durations.
The public int8 export takes ``tokens`` and outputs audio only; its raw audio is NOT
level-matched to our PyTorch model (its inverse STFT is 1.5x louder in the interior and
over-amplifies the first 10 samples, architecture.md §5.6; ``public_export`` tells the caller
to correct it), and here we add what it lacks, the per-token integer durations for timestamps.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import onnx
import onnxruntime as ort

from kokoro_tui.backends.duration_output import DURATION_OUTPUT, with_duration_output
from kokoro_tui.convert.onnx_io import AUDIO, EXPORT_MARK, INPUT_IDS, feeds
from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import MAX_TOKENS, STYLE_DIM

# The public export's ids input.
PUBLIC_IDS = "tokens"


class SessionSource(NamedTuple):
    """What to open a session on: our export's path, or the public export's patched bytes."""

    model: str | bytes
    public_export: bool


_source_cache: dict[tuple[str, int, int], SessionSource] = {}
_cache_lock = threading.Lock()


def session_source(path: Path) -> SessionSource:
    """Our export as it is, or the public one with the duration output added; decided (and the
    surgery run) once per file version."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise KokoroError(f"ONNX model not found: {path}") from None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _cache_lock:
        if key not in _source_cache:
            try:
                model = onnx.load(str(path))
            except Exception as error:
                raise KokoroError(f"cannot read ONNX model {path}: {error}") from error
            if any(prop.key == EXPORT_MARK for prop in model.metadata_props):
                _source_cache[key] = SessionSource(str(path), False)
            else:
                _source_cache[key] = SessionSource(with_duration_output(model).SerializeToString(), True)
        return _source_cache[key]


class OnnxKokoro:
    """Kokoro via onnxruntime: phoneme ids + 256-d style + speed -> (audio, durations).

    ``public_export`` is True for the public int8 export, whose audio the caller must level-correct.
    """

    def __init__(self, path: str | Path, threads: int = 2, *, vocab_size: int = 178) -> None:
        if threads < 1:
            raise KokoroError(f"threads must be >= 1, got {threads}")
        self.path = Path(path)
        self.vocab_size = vocab_size
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        source = session_source(self.path)
        self.public_export = source.public_export
        self.session = ort.InferenceSession(source.model, sess_options=options, providers=["CPUExecutionProvider"])

    def synthesize(
        self, ids: Sequence[int], style: np.ndarray, speed: float = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Speak phoneme ``ids`` (without the 0 pads, which are added here).

        Returns audio float32 [600·sum(durations)] at 24 kHz and int64 durations
        [len(ids) + 2] in 600-sample units, BOS and EOS pads included.
        """
        ids = self._checked(ids)
        style_row = np.asarray(style, dtype=np.float32).reshape(-1)
        if style_row.shape != (STYLE_DIM,):
            raise KokoroError(f"style must have {STYLE_DIM} values, got {style_row.size}")
        if not speed > 0:
            raise KokoroError(f"speed must be positive, got {speed}")
        inputs = feeds(ids, style_row, speed)
        if self.public_export:
            inputs = {PUBLIC_IDS if name == INPUT_IDS else name: value for name, value in inputs.items()}
        audio, durations = self.session.run([AUDIO, DURATION_OUTPUT], inputs)
        return audio.astype(np.float32, copy=False), durations.astype(np.int64, copy=False)

    def _checked(self, ids: Sequence[int]) -> list[int]:
        ids = [int(i) for i in ids]
        if not ids:
            raise KokoroError("nothing to speak: no phoneme ids")
        if len(ids) > MAX_TOKENS:
            raise KokoroError(f"too many phonemes: {len(ids)} > {MAX_TOKENS}; split the text")
        if min(ids) < 1 or max(ids) >= self.vocab_size:
            raise KokoroError(f"phoneme ids must lie in 1..{self.vocab_size - 1}")
        return ids
