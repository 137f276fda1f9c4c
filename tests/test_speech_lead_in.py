"""The lead-in cut of a stream's first chunk: only silence goes, never past the BOS token, no click."""

from __future__ import annotations

import numpy as np

from kokoro_tui.model.config import SAMPLE_RATE, SAMPLES_PER_FRAME
from kokoro_tui.speech.lead_in import FADE_S, KEPT_S, ONSET_LEVEL, lead_in_cut, trim_lead_in

KEPT = round(KEPT_S * SAMPLE_RATE)


def tone_from(onset_s: float, total_s: float = 1.0, hiss: float = 0.0) -> np.ndarray:
    """Silence (or ``hiss``, relative to the tone's peak of 0.5) until ``onset_s``, then a 200 Hz tone."""
    n, onset = round(total_s * SAMPLE_RATE), round(onset_s * SAMPLE_RATE)
    audio = np.full(n, hiss * 0.5, np.float32) * np.sign(np.sin(np.arange(n)))
    audio[onset:] = 0.5 * np.sin(np.arange(n - onset) * 2 * np.pi * 200 / SAMPLE_RATE + np.pi / 2)
    return audio.astype(np.float32)


def test_the_silence_before_the_first_sound_goes_but_kept_s_of_it() -> None:
    audio = tone_from(0.35, hiss=ONSET_LEVEL / 2)  # hiss under the onset level counts as silence
    bos_frames = 16  # 0.4 s: the onset lies inside the BOS token's frames
    cut = lead_in_cut(audio, bos_frames)
    assert cut == round(0.35 * SAMPLE_RATE) - KEPT
    trimmed, removed = trim_lead_in(audio, bos_frames)
    assert removed == cut and len(trimmed) == len(audio) - cut
    np.testing.assert_array_equal(trimmed[KEPT:], audio[cut + KEPT :])  # the sound itself is untouched


def test_the_cut_never_passes_the_bos_token() -> None:
    audio = tone_from(0.6)
    assert lead_in_cut(audio, 8) == 8 * SAMPLES_PER_FRAME - KEPT


def test_sound_from_the_start_or_a_short_lead_in_is_kept_whole() -> None:
    assert trim_lead_in(tone_from(0.0), 16)[1] == 0
    audio = tone_from(KEPT_S / 2)
    trimmed, removed = trim_lead_in(audio, 16)
    assert removed == 0 and trimmed is audio


def test_the_new_start_fades_in_from_zero() -> None:
    audio = tone_from(0.3, hiss=ONSET_LEVEL / 2)
    trimmed, _ = trim_lead_in(audio, 16)
    fade = round(FADE_S * SAMPLE_RATE)
    assert trimmed[0] == 0.0
    assert np.all(np.abs(trimmed[:fade]) <= np.abs(audio[-len(trimmed) :][:fade]) + 1e-9)
