"""The onnxruntime backend speaks and reports integer durations that tile the audio exactly.

Needs the real export: $KOKORO_TEST_ONNX, else the session data home (`real_home`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest

from kokoro_tui.backends.duration_output import DURATION_OUTPUT, find_duration_tensor, with_duration_output
from kokoro_tui.backends.onnx_runtime import OnnxKokoro
from kokoro_tui.convert.graph_index import GraphIndex
from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import DEFAULT_VOCAB, SAMPLES_PER_FRAME

PHONEMES = "hˈɛloʊ wˈɜɹld, ðɪs ɪz ɐ tˈɛst."


@pytest.fixture(scope="module")
def backend(real_onnx: Path) -> OnnxKokoro:
    return OnnxKokoro(real_onnx, threads=1)


@pytest.fixture(scope="module")
def style() -> np.ndarray:
    rng = np.random.default_rng(3)
    return (0.15 * rng.standard_normal(256)).astype(np.float32)


def _ids(text: str) -> list[int]:
    return [DEFAULT_VOCAB[c] for c in text if c in DEFAULT_VOCAB]


def test_durations_tile_the_audio(backend: OnnxKokoro, style: np.ndarray) -> None:
    ids = _ids(PHONEMES)
    audio, durations = backend.synthesize(ids, style)
    assert audio.dtype == np.float32 and audio.ndim == 1 and np.isfinite(audio).all()
    assert durations.dtype == np.int64 and durations.shape == (len(ids) + 2,)
    assert (durations >= 1).all()
    assert int(durations.sum()) * SAMPLES_PER_FRAME == audio.size
    assert np.abs(audio).max() > 0.01  # speech, not silence


def test_speed_shortens_durations(backend: OnnxKokoro, style: np.ndarray) -> None:
    ids = _ids(PHONEMES)
    slow_audio, slow = backend.synthesize(ids, style, speed=0.8)
    fast_audio, fast = backend.synthesize(ids, style[None, :], speed=1.6)
    assert fast.sum() < slow.sum() and (fast <= slow).all()
    assert int(fast.sum()) * SAMPLES_PER_FRAME == fast_audio.size
    assert int(slow.sum()) * SAMPLES_PER_FRAME == slow_audio.size


def test_duration_tensor_is_found_by_following_the_graph(real_onnx: Path) -> None:
    model = onnx.load(str(real_onnx))
    source = find_duration_tensor(GraphIndex(model))
    producer = next(n for n in model.graph.node if source in n.output)
    assert producer.op_type == "Cast"
    patched = with_duration_output(model)
    assert [o.name for o in patched.graph.output] == ["audio", DURATION_OUTPUT]
    assert [o.name for o in model.graph.output] == ["audio"]  # the original is left untouched


@pytest.mark.parametrize(
    ("ids", "style_size", "speed", "message"),
    [
        ([], 256, 1.0, "no phoneme ids"),
        ([43] * 511, 256, 1.0, "too many phonemes"),
        ([43, 178], 256, 1.0, "phoneme ids must lie"),
        ([43, 0], 256, 1.0, "phoneme ids must lie"),
        ([43], 128, 1.0, "style must have 256"),
        ([43], 256, 0.0, "speed must be positive"),
    ],
)
def test_bad_inputs_are_user_errors(backend: OnnxKokoro, ids: list[int], style_size: int, speed: float, message: str) -> None:
    with pytest.raises(KokoroError, match=message):
        backend.synthesize(ids, np.zeros(style_size, np.float32), speed)


def test_bad_thread_count_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KokoroError, match="threads"):
        OnnxKokoro(tmp_path / "x.onnx", threads=0)
    with pytest.raises(KokoroError, match="not found"):
        OnnxKokoro(tmp_path / "x.onnx")
