"""Sample-rate conversion of recordings to the model's rate, in numpy, by libsoxr.

A user's recordings come at whatever rate their recorder used (16, 22.05, 44.1, 48 kHz) and the
model hears only ``SAMPLE_RATE``. soxr's HQ preset is a linear-phase filter with 20-bit precision,
so the error it adds sits below the 16-bit PCM most recordings arrive in, at a small fraction of a
second per minute of audio.
"""

from __future__ import annotations

import numpy as np
import soxr

from kokoro_tui.model.config import SAMPLE_RATE


def resample(audio: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Mono ``audio`` [N] at ``rate`` Hz as float32 at ``target`` Hz (the same samples when the rates agree)."""
    samples = np.asarray(audio, dtype=np.float32)
    if rate == target:
        return samples
    return soxr.resample(samples, rate, target, quality="HQ")
