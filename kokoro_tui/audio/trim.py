"""Cut the silence before and after speech, never the pauses inside it.

Left in, the room tone at a recording's edges is learnt as part of the voice (late starts, long
tails). The threshold is relative to the take's own loudest 10 ms, so a quiet clean take is
trimmed like a loud one, and a margin is kept either side so soft onsets and final fricatives,
which sit 30-40 dB below the vowels, survive. Only the first and last loud frames set the cut,
so a pause inside the speech, however long, stays.
"""

from __future__ import annotations

import numpy as np

FRAME_SECONDS = 0.01
TRIM_BELOW_LOUDEST_DB = 40.0
TRIM_MARGIN_SECONDS = 0.05


def trim_silence(
    audio: np.ndarray,
    rate: int,
    below_loudest_db: float = TRIM_BELOW_LOUDEST_DB,
    margin_seconds: float = TRIM_MARGIN_SECONDS,
) -> np.ndarray:
    """``audio`` [N] from its first to its last frame within ``below_loudest_db`` of the loudest, plus the margin.

    A copy, so the untrimmed buffer can be freed; empty when every sample is zero.
    """
    frame = max(1, round(rate * FRAME_SECONDS))
    starts = np.arange(0, audio.size, frame)
    if starts.size == 0:
        return audio.copy()
    lengths = np.diff(np.append(starts, audio.size))
    power = np.add.reduceat(np.square(audio, dtype=np.float64), starts) / lengths
    loudest = power.max()
    if loudest == 0.0:
        return audio[:0].copy()
    loud = np.flatnonzero(power >= loudest * 10.0 ** (-below_loudest_db / 10.0))
    margin = round(rate * margin_seconds)
    start = max(0, int(starts[loud[0]]) - margin)
    end = min(audio.size, int(starts[loud[-1]] + lengths[loud[-1]]) + margin)
    return audio[start:end].copy()
