"""One entry for every input format: the reader is chosen by the file's extension."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kokoro_tui.books.book import Book
from kokoro_tui.errors import KokoroError, path_error

Reader = Callable[[bytes, str, Callable[[str], None]], Book]


def _reader(suffix: str) -> Reader | None:
    """The reader for a file extension; imported here so that a plain text book loads neither lxml nor pypdf."""
    if suffix == ".epub":
        from kokoro_tui.books.epub import read_epub

        return read_epub
    if suffix == ".pdf":
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


FORMATS_HINT = "kokoro reads .epub, .pdf, .md, .html and .txt books"


def read_book(path: Path, warn: Callable[[str], None]) -> Book:
    """The book in ``path``; a file with no chapter text is a KokoroError."""
    reader = _reader(path.suffix.lower())
    if reader is None:
        raise KokoroError(f"cannot tell what kind of book {path.name} is", hint=FORMATS_HINT)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise path_error("read", path, error) from error
    book = reader(data, path.name, warn)
    if not book.chapters:
        raise KokoroError(f"found no text to read in {path.name}")
    return book
