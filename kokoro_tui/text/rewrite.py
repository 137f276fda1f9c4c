"""Rewrite text into what a reader says, remembering where every spoken character came from.

The result is a list of pieces that cover the original text in order. A verbatim piece is a
stretch copied unchanged, so each of its characters maps to one original character; a spoken
piece replaces a stretch ("$3.50" -> "three dollars and fifty cents") and every character of
it maps to the whole replaced stretch. Word timestamps can then point at the original text.
"""

from __future__ import annotations

import heapq
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

Speaker = Callable[[re.Match[str]], "str | None"]


@dataclass(frozen=True)
class Piece:
    """``text`` is spoken for the original span ``[start, end)``."""

    text: str
    start: int
    end: int
    verbatim: bool


@dataclass(frozen=True)
class Rule:
    """A pattern and how to say what it matched; ``speak`` returns None to leave the match alone."""

    name: str
    pattern: re.Pattern[str]
    speak: Speaker


class NormalizedText:
    """The spoken text and, per spoken character, the original span it stands for."""

    def __init__(self, source: str, pieces: Sequence[Piece]) -> None:
        self.source = source
        self.pieces = list(pieces)
        self.text = "".join(piece.text for piece in self.pieces)
        self._starts = array("q")
        self._ends = array("q")
        for piece in self.pieces:
            if piece.verbatim:
                self._starts.extend(range(piece.start, piece.end))
                self._ends.extend(range(piece.start + 1, piece.end + 1))
            else:
                self._starts.extend([piece.start] * len(piece.text))
                self._ends.extend([piece.end] * len(piece.text))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Original span covered by the spoken characters ``[start, end)``."""
        if end <= start:
            at = self._starts[start] if start < len(self._starts) else len(self.source)
            return at, at
        return min(self._starts[start:end]), max(self._ends[start:end])


def alternation(forms: Iterable[str]) -> str:
    """``forms`` as one regex alternation of literals, longest first, so that "km/h" wins over "km"."""
    return "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))


def rewrite(text: str, rules: Sequence[Rule]) -> NormalizedText:
    """Apply ``rules`` left to right; at one position the earliest rule in the list wins.

    Each rule's next match waits in a heap ordered by (start, rule index), so a step costs the
    logarithm of the number of rules, not the number: the English rules are many, and a book has
    a step at every space the whitespace rule declines.
    """
    pieces: list[Piece] = []
    waiting: list[tuple[int, int, re.Match[str]]] = []
    for index, rule in enumerate(rules):
        _queue(waiting, index, rule.pattern.search(text))
    position = 0
    while waiting:
        start, index, match = heapq.heappop(waiting)
        if start < position:  # overtaken by a rewrite that ended past its start: look again from there
            _queue(waiting, index, rules[index].pattern.search(text, position))
            continue
        spoken = rules[index].speak(match)
        if spoken is None or match.end() == start:
            _queue(waiting, index, rules[index].pattern.search(text, start + 1))
            continue
        if start > position:
            pieces.append(Piece(text[position:start], position, start, verbatim=True))
        pieces.append(Piece(spoken, start, match.end(), verbatim=False))
        position = match.end()
        _queue(waiting, index, rules[index].pattern.search(text, position))
    if position < len(text):
        pieces.append(Piece(text[position:], position, len(text), verbatim=True))
    return NormalizedText(text, pieces)


def _queue(waiting: list[tuple[int, int, re.Match[str]]], index: int, match: re.Match[str] | None) -> None:
    """Put rule ``index``'s next match in line; (start, index) is unique, so matches are never compared."""
    if match is not None:
        heapq.heappush(waiting, (match.start(), index, match))
