"""One entry for every input format: the reader is chosen by the file's extension, and by its first
bytes when the extension is missing or could be wrong (an EPUB or PDF saved without one, or as .txt)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kokoro_tui.books.book import Book
from kokoro_tui.errors import KokoroError, path_error
from kokoro_tui.text.decoding import unicode_encoding

Reader = Callable[[bytes, str, Callable[[str], None]], Book]

EPUB, PDF = ".epub", ".pdf"
PDF_MAGIC = b"%PDF"
ZIP_MAGIC = b"PK\x03\x04"
#: An EPUB's first zip entry is "mimetype", stored, holding this: it sits within its first bytes.
EPUB_MIMETYPE = b"application/epub+zip"
#: Bytes looked at for the EPUB mimetype, and for a NUL byte, which text never has outside UTF-16 and UTF-32.
SNIFF_BYTES = 8192
FORMATS_HINT = "kokoro reads .epub, .pdf, .md, .html and .txt books"


def _reader(suffix: str) -> Reader | None:
    """The reader for a file extension; imported here so that a plain text book loads neither lxml nor pypdf."""
    if suffix == EPUB:
        from kokoro_tui.books.epub import read_epub

        return read_epub
    if suffix == PDF:
        from kokoro_tui.books.pdf import read_pdf

        return read_pdf
    if suffix in (".md", ".markdown"):
        from kokoro_tui.books.markup import read_markdown

        return read_markdown
    if suffix in (".html", ".htm", ".xhtml"):
        from kokoro_tui.books.markup import read_html

        return read_html
    if suffix in (".txt", ".text", ""):
        from kokoro_tui.books.plain_text import read_text

        return read_text
    return None


def _kind(suffix: str, data: bytes) -> str:
    """The extension that ``data`` is read by: its own, unless that is not .epub or .pdf and the bytes are one."""
    if suffix in (EPUB, PDF):
        return suffix
    if data.startswith(PDF_MAGIC):
        return PDF
    if data.startswith(ZIP_MAGIC) and EPUB_MIMETYPE in data[:SNIFF_BYTES]:
        return EPUB
    return suffix


def read_book(path: Path, warn: Callable[[str], None]) -> Book:
    """The book in ``path``; a file with no chapter text is a KokoroError."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise path_error("read", path, error) from error
    kind = _kind(path.suffix.lower(), data)
    reader = _reader(kind)
    if reader is None:
        raise KokoroError(f"cannot tell what kind of book {path.name} is", hint=FORMATS_HINT)
    if kind not in (EPUB, PDF) and b"\0" in data[:SNIFF_BYTES] and unicode_encoding(data) is None:
        raise KokoroError(f"{path.name} is binary data, not a text book", hint=FORMATS_HINT)
    book = reader(data, path.name, warn)
    if not book.chapters:
        raise KokoroError(f"found no text to read in {path.name}")
    return book
