"""The shared speech measures on signals whose right answers are known."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from kokoro_tui.evaluation.intelligibility import resample_24k_to_16k, word_error_rate
from kokoro_tui.evaluation.spectral import dtw_mean_cost, level_normalise, log_mel_db, mel_agreement, rms

RATE = 24_000


def htk_mel(hz: float) -> float:
    return 2595.0 * np.log10(1.0 + hz / 700.0)


def tone(hz: float, seconds: float = 1.0, rate: int = RATE, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return amplitude * np.sin(2 * np.pi * hz * t)


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [
        ("the cat sat", "the cat sat", 0.0),
        ("The cat sat.", "the CAT, sat", 0.0),  # case and punctuation do not count
        ("the cat sat", "the bat sat", 1 / 3),  # substitution
        ("the cat sat", "the cat sat down", 1 / 3),  # insertion
        ("the cat sat", "the sat", 1 / 3),  # deletion
        ("the cat sat", "the bat sat down", 2 / 3),
        ("the cat sat", "", 1.0),  # nothing recognised: every word deleted
        ("", "", 0.0),
    ],
)
def test_word_error_rate_counts_edits(reference: str, hypothesis: str, expected: float) -> None:
    assert word_error_rate(reference, hypothesis) == pytest.approx(expected)


def test_resampler_keeps_frequency_level_and_duration() -> None:
    source = tone(440.0)
    out = resample_24k_to_16k(source)
    assert out.dtype == np.float32 and out.size == 16_000  # 2/3 of 24,000
    assert resample_24k_to_16k(source[:301]).size == 201  # ceil(2 * 301 / 3)
    middle = out[400:-400]  # away from the filter's edge transients
    spectrum = np.abs(np.fft.rfft(middle * np.hanning(middle.size)))
    peak_hz = np.argmax(spectrum) * 16_000 / middle.size
    assert abs(peak_hz - 440.0) < 2.0
    assert rms(middle) == pytest.approx(0.5 / np.sqrt(2), rel=0.01)


def test_resampler_removes_what_16k_cannot_hold() -> None:
    """A 10 kHz tone would alias to 6 kHz after naive decimation; the low-pass removes it."""
    out = resample_24k_to_16k(tone(10_000.0))
    assert rms(out[400:-400]) < 0.01 * rms(tone(10_000.0))


def test_log_mel_of_a_tone_peaks_in_its_band() -> None:
    mel = log_mel_db(tone(1_000.0))
    assert mel.shape == (80, 1 + RATE // 240)
    centres = np.linspace(0.0, htk_mel(RATE / 2), 82)[1:-1]  # 80 filters' centres, evenly spaced in mel
    expected_band = int(np.argmin(np.abs(centres - htk_mel(1_000.0))))
    loudest = np.bincount(np.argmax(mel[:, 5:-5], axis=0)).argmax()
    assert abs(int(loudest) - expected_band) <= 1


def test_log_mel_floors_silence() -> None:
    assert np.all(log_mel_db(np.zeros(RATE // 10)) == pytest.approx(-100.0))


def test_dtw_cost_is_zero_only_for_the_same_signal() -> None:
    speech_like = tone(300.0) * (np.arange(RATE) < RATE // 2) + tone(2_000.0) * (np.arange(RATE) >= RATE // 2)
    same = mel_agreement(speech_like, speech_like)
    assert same.distance_db == 0.0 and same.dtw_distance_db == 0.0 and same.correlation == pytest.approx(1.0)
    shifted = mel_agreement(speech_like, np.roll(speech_like, RATE // 10))
    assert shifted.distance_db > 0.0 and 0.0 < shifted.dtw_distance_db < shifted.distance_db
    different = mel_agreement(speech_like, tone(5_000.0))
    assert different.dtw_distance_db > shifted.dtw_distance_db


def test_dtw_mean_cost_follows_the_cheapest_path() -> None:
    assert dtw_mean_cost(np.zeros((4, 6))) == 0.0
    cost = np.ones((3, 3)) - np.eye(3)  # the diagonal is free
    assert dtw_mean_cost(cost) == 0.0
    assert dtw_mean_cost(np.full((2, 3), 2.0)) == pytest.approx(2.0)


def test_level_normalisation_ignores_gain() -> None:
    signal = tone(440.0) + 0.1 * np.random.default_rng(0).standard_normal(RATE)
    assert rms(level_normalise(signal)) == pytest.approx(1.0)
    np.testing.assert_allclose(level_normalise(0.01 * signal), level_normalise(3.0 * signal), rtol=1e-9)
    quiet = mel_agreement(signal, 0.05 * signal)
    assert quiet.distance_db == pytest.approx(0.0, abs=1e-9) and quiet.dtw_distance_db == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_array_equal(level_normalise(np.zeros(10)), np.zeros(10))


def test_evaluation_does_not_import_torch() -> None:
    code = (
        "import sys\n"
        "import kokoro_tui.evaluation.intelligibility, kokoro_tui.evaluation.spectral\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_recogniser_names_the_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    from kokoro_tui.errors import KokoroError
    from kokoro_tui.evaluation.intelligibility import Recogniser

    monkeypatch.setitem(sys.modules, "pocketsphinx", None)  # makes `import pocketsphinx` raise ImportError
    with pytest.raises(KokoroError, match="pocketsphinx"):
        Recogniser()
