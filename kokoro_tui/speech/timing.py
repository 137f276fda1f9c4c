"""Word timestamps from the model's integer durations.

The model predicts one duration per input token, BOS and EOS included, in frames of
600 samples. A word's phonemes are a character span of the chunk's phoneme string; the
phoneme characters the vocabulary does not know never became tokens, so the span is first
mapped through the same filtering the ids went through (``PhonemeVocab.encode``'s ``token_of_char``), then shifted by one for BOS.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from kokoro_tui.model.config import SAMPLE_RATE, SAMPLES_PER_FRAME
from kokoro_tui.speech.types import WordTimestamp


class WordSpan(Protocol):
    """The part of the text front end's WordAlignment that timing needs."""

    text: str
    start_char: int
    end_char: int
    phoneme_start: int
    phoneme_end: int


def frame_edges(durations: Sequence[int] | np.ndarray) -> np.ndarray:
    """Cumulative frame count before each token, plus the total at the end."""
    return np.concatenate([[0], np.cumsum(np.asarray(durations, dtype=np.int64))])


def word_timestamps(
    words: Sequence[WordSpan],
    token_of_char: Sequence[int],
    durations: Sequence[int] | np.ndarray,
    offset_s: float = 0.0,
) -> list[WordTimestamp]:
    """Absolute start/end seconds for each word of one chunk whose audio starts at ``offset_s``."""
    edges = frame_edges(durations)
    eos = len(edges) - 2
    seconds_per_frame = SAMPLES_PER_FRAME / SAMPLE_RATE
    stamps: list[WordTimestamp] = []
    for word in words:
        tokens = [t for t in token_of_char[word.phoneme_start : word.phoneme_end] if t >= 0]
        if tokens:
            first, last = tokens[0], tokens[-1]
        else:
            # Nothing of the word reached the model: give it zero length where it would have been.
            following = [t for t in token_of_char[word.phoneme_end :] if t >= 0]
            first = following[0] if following else eos
            last = first - 1
        stamps.append(
            WordTimestamp(
                word=word.text,
                start_s=offset_s + float(edges[first]) * seconds_per_frame,
                end_s=offset_s + float(edges[last + 1]) * seconds_per_frame,
                start_char=word.start_char,
                end_char=word.end_char,
            )
        )
    return stamps
