"""What the pipeline hands out: chunks while streaming, one Speech at the end.

Times are seconds from the start of the whole output, and character spans index the
original input, so a caller can highlight words while audio plays without any bookkeeping.
Chunk and Speech compare by identity (``eq=False``): a field-wise ``==`` would compare their
numpy audio, which raises instead of answering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from kokoro_tui.model.config import SAMPLE_RATE


@dataclass(frozen=True)
class WordTimestamp:
    """One spoken word: seconds from the start of the output, and its ``[start_char, end_char)`` in the input."""

    word: str
    start_s: float
    end_s: float
    start_char: int
    end_char: int

    def to_dict(self) -> dict[str, object]:
        return {
            "word": self.word,
            "start": round(self.start_s, 3),
            "end": round(self.end_s, 3),
            "start_char": self.start_char,
            "end_char": self.end_char,
        }


@dataclass(frozen=True, eq=False)
class SpeechChunk:
    """One synthesised piece of the text (a sentence or a few, or a markup pause with no words).

    ``audio`` is float32 mono at ``sample_rate``; ``start_s`` is where it starts in the whole output.
    """

    sample_rate: ClassVar[int] = SAMPLE_RATE

    index: int
    text: str
    phonemes: str
    audio: np.ndarray
    start_s: float
    timestamps: list[WordTimestamp] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return len(self.audio) / SAMPLE_RATE


@dataclass(frozen=True, eq=False)
class Speech:
    """A whole text spoken: float32 mono ``audio`` at ``sample_rate``, every word's timestamps, each
    chunk's phonemes. ``soundfile.write(path, speech.audio, speech.sample_rate)`` saves it."""

    sample_rate: ClassVar[int] = SAMPLE_RATE

    audio: np.ndarray
    timestamps: list[WordTimestamp]
    phonemes: list[str]

    @property
    def duration_s(self) -> float:
        return len(self.audio) / SAMPLE_RATE
