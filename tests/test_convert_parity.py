"""Our model on the imported weights speaks like onnxruntime on the same int8 ONNX (a subset of
benchmarks/parity.py; full figures in benchmarks/parity.md).

Needs the real export and voices: $KOKORO_TEST_ONNX + $KOKORO_TEST_VOICES, else the session
data home (`real_home`). Fails, never skips, when they are missing.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from kokoro_tui.evaluation.intelligibility import Recogniser, word_error_rate
from kokoro_tui.evaluation.spectral import mel_agreement

REPO = Path(__file__).resolve().parents[1]
# (voice, sentence index): one US female, one US male, one GB female voice.
CASES = (("af_heart", 0), ("am_adam", 1), ("bf_emma", 2))


def _load_benchmark() -> ModuleType:
    """benchmarks/parity.py as a module (registered first: its dataclasses look themselves up)."""
    name = "kokoro_parity_benchmark"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / "parity.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def assets(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    onnx_override, voices_override = os.environ.get("KOKORO_TEST_ONNX"), os.environ.get("KOKORO_TEST_VOICES")
    if onnx_override and voices_override:
        onnx_path, voices = Path(onnx_override), Path(voices_override)
    else:
        from kokoro_tui.assets.manifest import ONNX_NAME, model_dir

        home = request.getfixturevalue("real_home")
        onnx_path, voices = model_dir(home) / ONNX_NAME, home.voices
    missing = [str(onnx_path)] if not onnx_path.is_file() else []
    for voice, _ in CASES:
        try:
            _load_benchmark().voice_file(voices, voice)
        except FileNotFoundError as error:
            missing.append(str(error))
    if missing:
        pytest.fail(f"real assets missing: {', '.join(missing)} (set KOKORO_TEST_ONNX and KOKORO_TEST_VOICES, or use real_home)")
    return onnx_path, voices


@pytest.fixture(scope="module")
def rows(assets: tuple[Path, Path]) -> list:
    from kokoro_tui.voices.formats import read_voice_file

    parity = _load_benchmark()
    onnx_path, voices = assets
    model, backend = parity.load_models(onnx_path, threads=1)
    recogniser = Recogniser()
    return [
        parity.compare(
            model, backend, parity.SENTENCES[i], voice, read_voice_file(parity.voice_file(voices, voice)), recogniser, i
        )
        for voice, i in CASES
    ]


def test_durations_agree_token_by_token(rows: list) -> None:
    # Full benchmark (36 utterances): 100 % of tokens within ±1 frame, 97.2 % identical (int8 Albert drift).
    for row in rows:
        assert row.durations_within_1 == 1.0, row
    assert statistics.fmean(r.durations_equal for r in rows) >= 0.9


def test_total_length_matches(rows: list) -> None:
    # Full benchmark: ratios 0.971-1.025; these three cases measured 1.000, 1.000, 0.992.
    for row in rows:
        assert 0.96 <= row.length_ratio <= 1.04, row


def test_spectra_agree_after_level_normalisation(rows: list) -> None:
    # Full benchmark: log-mel r mean 0.970 (min 0.880 where a shifted token misaligns the rest),
    # DTW distance 1.46-2.65 dB; these three cases measured r 0.998, 0.997, 0.973 and DTW 1.57, 1.62, 2.35 dB.
    for row in rows:
        assert row.mel_correlation >= 0.85, row
        assert row.mel_distance_dtw_db <= 3.5, row
    assert statistics.fmean(r.mel_correlation for r in rows) >= 0.93


def test_both_are_intelligible_to_pocketsphinx(rows: list) -> None:
    # Full benchmark: mean WER ours 0.053, ONNX 0.065; these three cases measured 0/0, 0/0, 0.11/0.11.
    ours = statistics.fmean(r.wer_ours for r in rows)
    onnx = statistics.fmean(r.wer_onnx for r in rows)
    assert ours <= 0.3 and ours <= onnx + 0.15, (ours, onnx)


def test_metrics_detect_a_mismatch() -> None:
    """The measures are not vacuous: different speech scores far worse than the parity pairs."""
    parity = _load_benchmark()
    rng = np.random.default_rng(0)
    t = np.arange(24_000) / 24_000
    tone = np.sin(2 * np.pi * 220 * t) * (t < 0.5)
    noise = rng.standard_normal(24_000) * (t >= 0.5)
    agreement = mel_agreement(tone, noise)
    assert agreement.correlation < 0.8 and agreement.dtw_distance_db > 5.0
    assert word_error_rate("the cat sat", "the bat sat down") == pytest.approx(2 / 3)
    assert parity.style_row(np.arange(510 * 256, dtype=np.float32).reshape(510, 1, 256), "abc")[0] == 2 * 256
