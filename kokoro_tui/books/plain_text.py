"""Plain text books: paragraphs from blank lines, chapters from headings (``headings``).

Hard-wrapped lines are joined into their paragraph. A Project Gutenberg file loses its licence
header and footer (boilerplate, not the book) and lends its "Title:" and "Author:" lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from kokoro_tui.books.book import Book, clean_text
from kokoro_tui.books.headings import Paragraph, split_chapters
from kokoro_tui.text.decoding import decode_book

_GUTENBERG_START = re.compile(r"^\*\*\*\s*START OF (?:THE|THIS) PROJECT GUTENBERG.*$", re.IGNORECASE | re.MULTILINE)
_GUTENBERG_END = re.compile(r"^\*\*\*\s*END OF (?:THE|THIS) PROJECT GUTENBERG.*$", re.IGNORECASE | re.MULTILINE)
_FIELD = re.compile(r"^(Title|Author):\s*(.+)$", re.MULTILINE)


def text_paragraphs(text: str) -> list[Paragraph]:
    """Blank-line separated paragraphs, each with the number of blank lines before it."""
    paragraphs: list[Paragraph] = []
    lines: list[str] = []
    gap = 0
    for line in [*text.splitlines(), ""]:
        if line.strip():
            lines.append(line)
            continue
        if lines:
            paragraphs.append(Paragraph(clean_text(" ".join(lines)), gap))
            lines, gap = [], 0
        gap += 1
    return paragraphs


def _gutenberg(text: str) -> tuple[str, dict[str, str]]:
    """The body between Project Gutenberg's start and end marks, and the header's Title and Author;
    any other text is returned whole."""
    start = _GUTENBERG_START.search(text)
    if start is None:
        return text, {}
    end = _GUTENBERG_END.search(text, start.end())
    fields = {name.lower(): value.strip() for name, value in _FIELD.findall(text[: start.start()])}
    return text[start.end() : end.start() if end else len(text)], fields


def read_text(data: bytes, name: str, warn: Callable[[str], None]) -> Book:
    """The book in ``data``, the file called ``name`` (``decode_book``: not UTF-8 is warned about)."""
    body, fields = _gutenberg(decode_book(data, name, warn))
    title = fields.get("title")
    chapters = split_chapters(text_paragraphs(body), title or Path(name).stem)
    return Book(title, fields.get("author"), tuple(chapters))
