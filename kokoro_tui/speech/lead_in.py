"""The silence before a streamed text's first word, cut so that speech starts sooner.

Kokoro speaks the BOS token as 0.25-0.45 s of near-silence at the start of every chunk. Between
chunks that silence is the pause a listener expects; before the first chunk of a stream it is
only waiting: a listener hears the first word that much after the first audio arrives. A stream's
first chunk therefore keeps ``KEPT_S`` of it, ending in a short fade so the cut cannot click.
``trim_tail`` cuts the silence after the last word the same way, where no chunk follows (`kokoro dub`).
The words are untouched: the cut stops at the first sample above ``ONSET_LEVEL`` of the chunk's
peak and never passes the end of the BOS token's frames.

Not generating that silence at all (the BOS token's duration clamped to 3 frames before alignment) was
tried: it saved 30 ms of a 0.53 s first chunk, and the word error rate of the first two chunks rose from
0.208 to 0.329 (pocketsphinx, 858 words, 15 paragraphs x 3 voices), since the shorter silence changes
the instance-normalised features of every frame after it.
"""

from __future__ import annotations

import numpy as np

from kokoro_tui.model.config import SAMPLE_RATE, SAMPLES_PER_FRAME

KEPT_S = 0.05  # of the lead-in kept before the first sound
ONSET_LEVEL = 0.01  # of the chunk's peak (-40 dB): quieter samples before the first word count as silence
FADE_S = 0.005  # a linear fade-in over the new first samples


def lead_in_cut(audio: np.ndarray, bos_frames: int) -> int:
    """How many samples to drop from the start of ``audio``, whose first ``bos_frames`` frames are the BOS token's."""
    level = np.abs(audio)
    peak = float(level.max()) if len(level) else 0.0
    span = min(len(audio), int(bos_frames) * SAMPLES_PER_FRAME)
    loud = np.flatnonzero(level[:span] > ONSET_LEVEL * peak)
    onset = int(loud[0]) if len(loud) else span
    return max(0, onset - round(KEPT_S * SAMPLE_RATE))


def trim_lead_in(audio: np.ndarray, bos_frames: int) -> tuple[np.ndarray, int]:
    """``audio`` without its lead-in beyond ``KEPT_S`` (see the module docstring), and how many samples went."""
    cut = lead_in_cut(audio, bos_frames)
    if cut == 0:
        return audio, 0
    trimmed = audio[cut:].copy()
    fade = _fade_length(trimmed)
    trimmed[:fade] *= np.linspace(0.0, 1.0, fade, endpoint=False, dtype=np.float32)
    return trimmed, cut


def trim_tail(audio: np.ndarray) -> np.ndarray:
    """``audio`` up to ``KEPT_S`` after its last sample above ``ONSET_LEVEL`` of its peak, fading out: the few
    tenths of a second of near-silence Kokoro ends each chunk with, cut where nothing follows (a dub's line)."""
    level = np.abs(audio)
    loud = np.flatnonzero(level > ONSET_LEVEL * float(level.max())) if len(level) else level
    if not len(loud):
        return audio
    end = int(loud[-1]) + 1 + round(KEPT_S * SAMPLE_RATE)
    if end >= len(audio):
        return audio
    trimmed = audio[:end].copy()
    fade = _fade_length(trimmed)
    trimmed[len(trimmed) - fade :] *= np.linspace(1.0, 0.0, fade, endpoint=False, dtype=np.float32)
    return trimmed


def _fade_length(audio: np.ndarray) -> int:
    return min(len(audio), round(FADE_S * SAMPLE_RATE))
