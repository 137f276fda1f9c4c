"""How much a voice's style row changes with utterance length, compared with how much voices differ.

The row is chosen by the phoneme count, so a voice is really 510 styles. If rows vary little
next to the spread between voices, a voice is well described by its summary (mean) vector.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kokoro_tui.analysis.voiceset import VoiceSet, view_slice

HALVES: tuple[str, ...] = ("decoder", "prosody")


@dataclass(frozen=True)
class HalfLengthVariation:
    """Row-vs-voice variation for one half of the style vector.

    - ``within_std``: mean over voices and dims of the std of a dim across the voice's rows.
    - ``between_std``: mean over dims of the std of the summary vectors across voices.
    - ``ratio`` = within_std / between_std (0: rows identical; 1: rows differ as much as voices).
    - ``curve[L]``: RMS distance of row L from its voice's summary, averaged over voices,
      divided by the RMS between-voice std, i.e. the same ratio as a function of length.
    """

    half: str
    within_std: float
    between_std: float
    ratio: float
    curve: np.ndarray  # [rows]


def length_variation(voices: VoiceSet) -> dict[str, HalfLengthVariation]:
    """Row-to-row variation per half (decoder, prosody)."""
    result = {}
    for half in HALVES:
        dims = view_slice(half)
        packs = voices.packs[:, :, dims]
        summaries = voices.summaries[:, dims]
        within = float(packs.std(axis=1, ddof=1).mean())
        between_per_dim = summaries.std(axis=0, ddof=1)
        between = float(between_per_dim.mean())
        rms_between = float(np.sqrt(np.mean(between_per_dim**2)))
        deviation = packs - summaries[:, None, :]
        rms_row = np.sqrt(np.mean(deviation**2, axis=2))  # [N, rows]
        result[half] = HalfLengthVariation(
            half=half,
            within_std=within,
            between_std=between,
            ratio=within / between if between > 0 else float("inf"),
            curve=rms_row.mean(axis=0) / rms_between if rms_between > 0 else np.full(packs.shape[1], np.inf),
        )
    return result
