"""Chapters of text without markup (plain text, a PDF without bookmarks), found by their headings.

A heading is a short paragraph that opens with "Chapter 12", "CHAPTER IV.", "Part Two", "Book the
First" or a word such as "Prologue". Without any, a short paragraph after a long gap (three or more
blank lines, as Project Gutenberg's texts set chapters) opens a section. Without either, the text is
one chapter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kokoro_tui.books.book import Chapter, chapter, count_words

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "first second third fourth fifth sixth seventh eighth ninth tenth last"
).split()
_NUMBER = rf"(?:\d+|[ivxlcdm]+|(?:the\s+)?(?:{'|'.join(_NUMBER_WORDS)})(?:-[a-z]+)?)"
_HEADING = re.compile(
    rf"^(?:(?:chapter|part|book)\s+{_NUMBER}\b|(?:prologue|epilogue|preface|foreword|introduction|afterword|interlude)\b)",
    re.IGNORECASE,
)
MAX_HEADING_WORDS = 12
#: A short line right after a heading is its subtitle ("CHAPTER I." then "Down the Rabbit-Hole").
MAX_SUBTITLE_WORDS = 8
#: Blank lines before a paragraph that make it a section title when the text has no headings.
SECTION_GAP = 3


@dataclass(frozen=True)
class Paragraph:
    text: str
    gap: int = 1  # blank lines before it


def is_heading(text: str) -> bool:
    return count_words(text) <= MAX_HEADING_WORDS and _HEADING.match(text) is not None


def _is_subtitle(text: str) -> bool:
    return count_words(text) <= MAX_SUBTITLE_WORDS and not text.rstrip().endswith((".", "!", "?")) and not is_heading(text)


def heading_title(texts: Sequence[str], start: int, end: int) -> str:
    """The title of the chapter whose heading is ``texts[start]``: the heading, and its subtitle if one follows."""
    title = texts[start].strip()
    if start + 1 < end and _is_subtitle(texts[start + 1]):
        joiner = " " if title.endswith((".", ":", "-", "—")) else ": "
        title = f"{title}{joiner}{texts[start + 1].strip()}"
    return title


def chapters_at(texts: Sequence[str], starts: Sequence[tuple[int, str]], opening_title: str) -> list[Chapter]:
    """Chapters that begin at the paragraphs ``starts`` (index, title) and run to the next; the text
    before the first one is an opening chapter named ``opening_title``. Empty chapters are dropped."""
    bounds = [(0, opening_title), *starts] if not starts or starts[0][0] > 0 else list(starts)
    found = []
    for (begin, title), (end, _) in zip(bounds, [*bounds[1:], (len(texts), "")]):
        made = chapter(title, list(texts[begin:end]))
        if made is not None:
            found.append(made)
    return found


def split_chapters(paragraphs: Sequence[Paragraph], opening_title: str) -> list[Chapter]:
    """Chapters at the headings, else at the long gaps, else one chapter named ``opening_title``."""
    texts = [p.text for p in paragraphs]
    heads = [i for i, text in enumerate(texts) if is_heading(text)]
    if not heads:
        heads = [i for i, p in enumerate(paragraphs) if i and p.gap >= SECTION_GAP and count_words(p.text) <= MAX_SUBTITLE_WORDS]
    ends = [*heads[1:], len(texts)]
    return chapters_at(texts, [(i, heading_title(texts, i, end)) for i, end in zip(heads, ends)], opening_title)
