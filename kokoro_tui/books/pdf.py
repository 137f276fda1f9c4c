"""PDF books with a text layer, read with pypdf (pure Python, maintained by the PDF community).

The text comes through ``pdf_layout`` (running headers, footers and page numbers removed,
columns read one after the other, hyphenation joined, paragraphs found). Chapters come from the
PDF's bookmarks where it has them, each starting at its title on its page; else from headings in
the text (``headings``).
A scan without a text layer is refused with a hint, as is a PDF that needs a password.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from kokoro_tui.books.book import Book, clean_text
from kokoro_tui.books.headings import Paragraph, chapters_at, split_chapters
from kokoro_tui.books.pdf_layout import PageParagraph, page_paragraphs, strip_running_lines
from kokoro_tui.errors import KokoroError

#: What pypdf raises besides its own errors on a damaged file: it follows object references it does not check
#: (None where an object should be), and a flipped filter name is an unknown one.
_PDF_DAMAGE = (
    AttributeError, KeyError, TypeError, ValueError, IndexError, NotImplementedError, RecursionError, zlib.error, struct.error
)


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def _bookmarks(reader) -> list[tuple[str, int]]:
    """(title, page index) of the top level of the outline, or of the level under a lone top entry (the book's title)."""
    level = reader.outline
    while sum(not isinstance(entry, list) for entry in level) == 1 and any(isinstance(entry, list) for entry in level):
        level = next(entry for entry in level if isinstance(entry, list))
    marks = []
    for entry in level:
        if isinstance(entry, list):
            continue
        page = reader.get_destination_page_number(entry)
        if page is not None and clean_text(str(entry.title or "")):
            marks.append((clean_text(str(entry.title)), page))
    return marks


def _starts(paragraphs: Sequence[PageParagraph], marks: Sequence[tuple[str, int]]) -> list[tuple[int, str]]:
    """Where each bookmark's chapter starts: the paragraph on its page that begins with its title,
    else the page's first paragraph; bookmarks out of reading order are dropped."""
    starts: list[tuple[int, str]] = []
    for title, page in marks:
        after = starts[-1][0] + 1 if starts else 0
        on_page = [i for i in range(after, len(paragraphs)) if paragraphs[i].page == page]
        titled = [i for i in on_page if _key(paragraphs[i].text).startswith(_key(title))]
        later = next((i for i in range(after, len(paragraphs)) if paragraphs[i].page >= page), None)
        where = titled[0] if titled else on_page[0] if on_page else later
        if where is not None:
            starts.append((where, title))
    return starts


def read_pdf(data: bytes, name: str, warn: Callable[[str], None]) -> Book:
    """The book in PDF ``data`` (the file called ``name``)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise KokoroError(f"{name} needs a password", hint="save a copy without one")
        pages = [(page.extract_text(extraction_mode="layout") or "").splitlines() for page in reader.pages]
        marks = _bookmarks(reader)
        info = reader.metadata
        title = clean_text(str(info.title or "")) if info else ""
        author = clean_text(str(info.author or "")) if info else ""
    except (PyPdfError, *_PDF_DAMAGE) as error:
        raise KokoroError(f"cannot read {name}: not a PDF, or a damaged one ({error or type(error).__name__})") from None
    if not any(line.strip() for lines in pages for line in lines):
        raise KokoroError(f"{name} has no text layer (a scan?)", hint="run OCR on it first, e.g. ocrmypdf")
    paragraphs = page_paragraphs(strip_running_lines(pages))
    opening = title or Path(name).stem
    texts = [p.text for p in paragraphs]
    starts = _starts(paragraphs, marks)
    chapters = chapters_at(texts, starts, opening) if starts else split_chapters([Paragraph(t) for t in texts], opening)
    return Book(title or None, author or None, tuple(chapters))
