"""Chunking for input that is already phonemes (``kokoro say --ipa``).

The phoneme string is its own text: a word is a run of non-space characters, and its
phoneme span is its character span relative to the chunk. Chunks break after a sentence
end (. ! ?) where possible so prosody restarts where a reader would pause.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import MAX_TOKENS

_WORD = re.compile(r"\S+")
_SENTENCE_END = (".", "!", "?", "…")


@dataclass(frozen=True)
class PhonemeWord:
    text: str
    start_char: int
    end_char: int
    phoneme_start: int
    phoneme_end: int


@dataclass(frozen=True)
class PhonemeChunk:
    text: str
    phonemes: str
    words: list[PhonemeWord]


def _pieces(text: str, max_tokens: int) -> list[tuple[int, int]]:
    """Word spans of ``text``, a word longer than a whole chunk cut into chunk-sized pieces."""
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        for start in range(match.start(), match.end(), max_tokens):
            spans.append((start, min(start + max_tokens, match.end())))
    return spans


def phoneme_chunks(text: str, max_tokens: int = MAX_TOKENS) -> Iterator[PhonemeChunk]:
    """Greedy chunks of at most ``max_tokens`` characters (an upper bound on their token count)."""
    spans = _pieces(text, max_tokens)
    if not spans:
        raise KokoroError("the input is empty")
    first = 0
    while first < len(spans):
        last = first
        while last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= max_tokens:
            last += 1
        if last + 1 < len(spans):
            sentence_ends = [i for i in range(first, last) if text[spans[i][0] : spans[i][1]].endswith(_SENTENCE_END)]
            if sentence_ends:
                last = sentence_ends[-1]
        yield _chunk(text, spans[first : last + 1])
        first = last + 1


def _chunk(text: str, spans: list[tuple[int, int]]) -> PhonemeChunk:
    base, end = spans[0][0], spans[-1][1]
    words = [PhonemeWord(text[s:e], s, e, s - base, e - base) for s, e in spans]
    return PhonemeChunk(text[base:end], text[base:end], words)
