"""Pronunciations the user gave (inline markup, the lexicon) laid over the G2P's words.

An override names a span of the text the front end reads and the phonemes to say for it. The G2P
still reads the whole sentence, so the words around the span keep their context (English homographs
are told apart by part of speech); then the words inside the span become one word that carries the
given phonemes, spanning them all: "[New York](/nˈuː jˈɔːɹk/)" has one timestamp over "New York".
A word the G2P read across the span's edge joins that word, so no text loses its place.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from kokoro_tui.model.config import MAX_TOKENS
from kokoro_tui.text.tokens import Word

# IPA allows a plain "g" where Kokoro's vocabulary has only "ɡ" (U+0261): the likeliest symbol a user types and the
# model lacks, so a message about it says what to write instead.
PLAIN_G, IPA_G = "g", "\u0261"


@dataclass(frozen=True)
class Override:
    """Say ``phonemes`` for ``[start, end)`` of the text. ``space_after`` says whether a space follows
    it where the text the front end reads cannot tell (markup blanked to spaces: "[x](/…/)!" has
    none); None leaves that to the G2P."""

    start: int
    end: int
    phonemes: str
    space_after: bool | None = None

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    def shifted(self, offset: int) -> Override:
        return Override(self.start + offset, self.end + offset, self.phonemes, self.space_after)


def symbol_advice(unknown: Sequence[str]) -> str:
    """What to write instead of the unknown symbols of a given pronunciation, where that is known."""
    return f"; write {IPA_G} (U+{ord(IPA_G):04X}) for {PLAIN_G}" if PLAIN_G in unknown else ""


def length_problem(phonemes: str) -> str | None:
    """Why a given pronunciation is too long for the model, or None: its phonemes are one word, which no chunk
    can split, so more symbols than one chunk holds would stop the synthesis midway."""
    if len(phonemes) <= MAX_TOKENS:
        return None
    return f"{len(phonemes)} phoneme symbols, more than the {MAX_TOKENS} the model says in one go"


def apply_overrides(words: Sequence[Word], overrides: Sequence[Override], source: str) -> list[Word]:
    """``words`` (in text order, spans into ``source``) with each override's words made one word."""
    result = list(words)
    for override in sorted(overrides, key=lambda item: item.start):
        inside = [i for i, word in enumerate(result) if override.overlaps(word.start, max(word.end, word.start + 1))]
        if inside:
            first, last = inside[0], inside[-1] + 1
            taken = result[first:last]
            start = min(override.start, taken[0].start)
            end = max(override.end, *(word.end for word in taken))
            normalized = " ".join(word.normalized for word in taken if word.normalized)
            space_after = taken[-1].space_after if override.space_after is None else override.space_after
            del result[first:last]
        else:  # the G2P made nothing of it (symbols only): the override still speaks, in its place
            start, end, normalized = override.start, override.end, ""
            space_after = True if override.space_after is None else override.space_after
            first = bisect_left([word.start for word in result], start)
        text = source[start:end]
        result.insert(first, Word(text, start, end, normalized or text, override.phonemes, space_after, False))
    return result
