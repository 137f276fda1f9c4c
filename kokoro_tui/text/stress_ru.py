"""Where a Russian word's stress comes from, in order of trust.

1. A mark in the text: U+0301 or U+0300 after the vowel, or ``+`` before it (the convention
   of Russian TTS corpora such as RUSLAN and festvox-ru).
2. The user's lexicon (``ru_stress.tsv`` in the data home, or a path), then the built-in one.
   A lexicon entry also restores ё ("еще" is said "ещё").
3. The guesser of ``stress_guess_ru``: ё, prefixes, stems and endings learned from the lexicons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kokoro_tui.text.lexicon_ru import Entry, builtin, key, split_marks
from kokoro_tui.text.stress_guess_ru import Source, StressGuesser


@dataclass(frozen=True)
class Stressed:
    """A word as it is said (lower case, ё restored), its stressed vowel (0-based) and why."""

    spelling: str
    stress: int
    source: Source


class StressReader:
    """Stress for words; ``user`` entries win over the built-in lexicon (``lexicon``, for tests)."""

    def __init__(self, user: Mapping[str, Entry] | None = None, lexicon: Mapping[str, Entry] | None = None) -> None:
        self._lexicons = ((dict(user or {}), Source.USER), (builtin() if lexicon is None else lexicon, Source.LEXICON))
        merged = {**self._lexicons[1][0], **self._lexicons[0][0]}
        self._guesser = StressGuesser(merged)

    def __call__(self, word: str) -> Stressed:
        """The stress of one word: letters only, any case, marks allowed."""
        plain, marked = split_marks(word.lower())
        if marked is not None:
            return Stressed(plain, marked, Source.MARK)
        for lexicon, source in self._lexicons:
            entry = lexicon.get(key(plain))
            # A written ё is a different word from a listed one without it ("всё" is not "все").
            if entry is not None and ("ё" not in plain or entry.spelling == plain):
                return Stressed(entry.spelling, entry.stress, source)
        stress, source = self._guesser.guess(plain)
        return Stressed(plain, stress, source)
