"""What every reader returns: a book as titled chapters of paragraphs, with its metadata."""

from __future__ import annotations

from dataclasses import dataclass

#: The title of text that comes before a book's first chapter heading, when the book has no title.
OPENING_TITLE = "Opening"
#: Paragraphs are joined by this in a chapter's text, which word timings' character spans index.
PARAGRAPH_BREAK = "\n\n"


def clean_text(text: str) -> str:
    """Runs of whitespace (line breaks, tabs, no-break spaces) as single spaces, trimmed."""
    return " ".join(text.split())


def count_words(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class Chapter:
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return PARAGRAPH_BREAK.join(self.paragraphs)

    @property
    def words(self) -> int:
        return sum(count_words(paragraph) for paragraph in self.paragraphs)


@dataclass(frozen=True)
class Cover:
    """A cover picture as its file's bytes; ``kind`` is ``jpeg`` or ``png``, the two an M4B carries."""

    data: bytes
    kind: str


@dataclass(frozen=True)
class Book:
    title: str | None
    author: str | None
    chapters: tuple[Chapter, ...]
    cover: Cover | None = None


def sniff_cover(data: bytes) -> Cover | None:
    """``data`` as a Cover if it is a JPEG or PNG file, else None."""
    if data.startswith(b"\xff\xd8\xff"):
        return Cover(data, "jpeg")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Cover(data, "png")
    return None


def chapter(title: str, paragraphs: list[str]) -> Chapter | None:
    """A Chapter of the non-empty cleaned paragraphs, or None when none is left."""
    kept = tuple(text for text in (clean_text(p) for p in paragraphs) if text)
    return Chapter(clean_text(title) or OPENING_TITLE, kept) if kept else None
