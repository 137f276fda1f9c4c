"""Chunking for input that is already phonemes (``kokoro say --ipa``).

The phoneme string is its own text: a word is a run of non-space characters, and its
phoneme span is its place in the chunk's phonemes, where words stand one space apart (a tab
or a run of spaces is one space token, as the G2P writes it; a control character is no
symbol at all, so it must not glue two words together). A line is never packed with the next:
`kokoro phonemize` prints one chunk a line, so its output is spoken in the chunks the text
would have been. Within a line, chunks break after a sentence end (. ! ?) where possible so
prosody restarts where a reader would pause.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import MAX_TOKENS

_WORD = re.compile(r"\S+")
_LINE = re.compile(r"[^\n]+")
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


def _pieces(text: str, line: re.Match[str], max_tokens: int) -> list[tuple[int, int]]:
    """Word spans of one line of ``text``, a word longer than a whole chunk cut into chunk-sized pieces."""
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text, line.start(), line.end()):
        for start in range(match.start(), match.end(), max_tokens):
            spans.append((start, min(start + max_tokens, match.end())))
    return spans


def phoneme_chunks(text: str, max_tokens: int = MAX_TOKENS) -> Iterator[PhonemeChunk]:
    """Greedy chunks of at most ``max_tokens`` characters (an upper bound on their token count), each within a line."""
    lines = [spans for line in _LINE.finditer(text) if (spans := _pieces(text, line, max_tokens))]
    if not lines:
        raise KokoroError("the input is empty")
    for spans in lines:
        yield from _packed(text, spans, max_tokens)


def _packed(text: str, spans: list[tuple[int, int]], max_tokens: int) -> Iterator[PhonemeChunk]:
    """The words of one line packed into chunks."""
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
    """The chunk of these word spans: its words one space apart (the pieces of a cut word none)."""
    words: list[PhonemeWord] = []
    phonemes: list[str] = []
    length = 0
    for index, (start, end) in enumerate(spans):
        if index and start > spans[index - 1][1]:
            phonemes.append(" ")
            length += 1
        words.append(PhonemeWord(text[start:end], start, end, length, length + end - start))
        phonemes.append(text[start:end])
        length += end - start
    return PhonemeChunk(text[spans[0][0] : spans[-1][1]], "".join(phonemes), words)
