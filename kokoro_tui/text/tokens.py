"""What G2P hands the chunker: words with phonemes and the original span they were read from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

SENTENCE_END = frozenset(".!?")
CLAUSE_END = frozenset(",;:—…")


@dataclass(frozen=True)
class RawToken:
    """A G2P backend's output for ``[start, end)`` of the spoken block it was given."""

    start: int
    end: int
    phonemes: str
    space_after: bool
    is_punct: bool


@dataclass(frozen=True)
class Word:
    """A spoken unit: a word (or a whole rewritten token like "$3.50") or a punctuation mark.

    ``start``/``end`` index the ORIGINAL text; ``normalized`` is what was read.
    """

    text: str
    start: int
    end: int
    normalized: str
    phonemes: str
    space_after: bool
    is_punct: bool

    @property
    def ends_sentence(self) -> bool:
        return self.is_punct and any(c in SENTENCE_END for c in self.normalized)

    @property
    def ends_clause(self) -> bool:
        return self.is_punct and any(c in CLAUSE_END for c in self.normalized)


class G2P(Protocol):
    """Phonemes for one paragraph of normalised text; offsets index that paragraph."""

    def __call__(self, text: str) -> list[RawToken]: ...
