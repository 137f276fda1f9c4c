"""The rendered chapters laid end to end, as one audiobook file plays them.

A chapter pause follows every chapter but the last and belongs to it: a chapter mark runs from
the chapter's first sample to the next chapter's first. So the file's length is exactly the sum
of its parts and pauses, and its word times and text spans are the chapters' own, shifted.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kokoro_tui.books.book import PARAGRAPH_BREAK
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech.types import WordTimestamp

# A word as a reader counts it: letters or digits, with inner apostrophes ("didn't", "Alice's").
_WORD = re.compile(r"\w+(?:['’]\w+)*")
#: Samples read from a chapter file at a time: memory stays flat however long the chapter.
READ_BLOCK = 10 * SAMPLE_RATE


@dataclass(frozen=True)
class Part:
    """One rendered chapter: its number in the book (from 1), title and text, its audio file (``samples``
    long) and word timings."""

    number: int
    title: str
    text: str
    audio: Path
    samples: int
    words: tuple[WordTimestamp, ...]


@dataclass(frozen=True)
class Placed:
    part: Part
    start: int  # samples from the start of the file
    end: int  # where the next chapter starts (or the file ends): after this chapter's pause


def place(parts: Sequence[Part], pause_samples: int) -> list[Placed]:
    placed, start = [], 0
    for n, part in enumerate(parts):
        end = start + part.samples + (pause_samples if n < len(parts) - 1 else 0)
        placed.append(Placed(part, start, end))
        start = end
    return placed


def audio_blocks(placed: Sequence[Placed]) -> Iterator[np.ndarray]:
    """The file's samples, a block at a time: each chapter's audio, then silence up to the next."""
    import soundfile

    for item in placed:
        read = 0
        for block in soundfile.blocks(item.part.audio, blocksize=READ_BLOCK, dtype="float32"):
            read += len(block)
            yield block
        if read != item.part.samples:
            raise RuntimeError(f"{item.part.audio} holds {read} samples, its record says {item.part.samples}")
        gap = item.end - item.start - read
        if gap:
            yield np.zeros(gap, dtype=np.float32)


def shift_words(words: Iterable[WordTimestamp], seconds: float, chars: int) -> list[WordTimestamp]:
    """``words`` later by ``seconds``, their spans ``chars`` further on: a piece's timings placed in a whole."""
    return [
        dataclasses.replace(
            word, start_s=word.start_s + seconds, end_s=word.end_s + seconds,
            start_char=word.start_char + chars, end_char=word.end_char + chars,
        )
        for word in words
    ]


def book_words(placed: Sequence[Placed]) -> tuple[list[WordTimestamp], str]:
    """Every word with its time in the file and its span in the chapters' texts joined by a blank line (also returned)."""
    words: list[WordTimestamp] = []
    offset = 0
    for item in placed:
        words.extend(shift_words(item.part.words, item.start / SAMPLE_RATE, offset))
        offset += len(item.part.text) + len(PARAGRAPH_BREAK)
    return words, PARAGRAPH_BREAK.join(item.part.text for item in placed)


def untimed_words(text: str, words: Iterable[WordTimestamp]) -> list[str]:
    """The words of ``text`` that no timed word's span touches: what a listener would never hear.

    Empty for a whole chapter is the promise that nothing of the book was dropped on the way.
    """
    timed = np.zeros(len(text) + 1, dtype=bool)
    for word in words:
        timed[word.start_char : word.end_char] = True
    return [match.group() for match in _WORD.finditer(text) if not timed[match.start() : match.end()].any()]
