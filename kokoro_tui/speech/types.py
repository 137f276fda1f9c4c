"""What the pipeline hands out: chunks while streaming, one Speech at the end.

Times are seconds from the start of the whole output, and character spans index the
original input, so a caller can highlight words while audio plays without any bookkeeping.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kokoro_tui.model.config import SAMPLE_RATE


@dataclass(frozen=True)
class WordTimestamp:
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


@dataclass(frozen=True)
class SpeechChunk:
    index: int
    text: str
    phonemes: str
    audio: np.ndarray  # float32 mono at SAMPLE_RATE
    start_s: float
    timestamps: list[WordTimestamp] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return len(self.audio) / SAMPLE_RATE


@dataclass(frozen=True)
class Speech:
    audio: np.ndarray
    timestamps: list[WordTimestamp]
    phonemes: list[str]

    @property
    def duration_s(self) -> float:
        return len(self.audio) / SAMPLE_RATE
