"""`kokoro book` on awkward input: damaged archives, files without their extension, EPUB markup that
places chapters and notes, and text that is not UTF-8. Reading only: nothing here is spoken."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from test_books import EPUB_TITLES, PDF_TITLES, make_epub, make_pdf, titles, xhtml
from typer.testing import CliRunner

from kokoro_tui.books.headings import is_heading
from kokoro_tui.books.html_blocks import html_blocks, parse_html
from kokoro_tui.books.reader import read_book
from kokoro_tui.cli.main import app
from kokoro_tui.errors import KokoroError
from kokoro_tui.text.decoding import decode_bytes

FLIPS = 150
FRENCH = "Café au lait, naïve façade — “quoted” déjà vu."


def deflated(path: Path) -> Path:
    """``path``'s EPUB written again with its entries deflated (but the mimetype), as real EPUBs are."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            archive.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return path


def small_epub(path: Path, docs: dict[str, str], toc: list[tuple[str, str]], *, landmarks=(), guide=()) -> Path:
    """An EPUB 3 of ``docs`` (file name -> body) in spine order, its contents ``toc`` (title, href), its
    ``landmarks`` nav and its EPUB 2 ``guide``, each a list of (type, href)."""
    links = "".join(f'<li><a href="{href}">{title}</a></li>' for title, href in toc)
    marks = "".join(f'<li><a epub:type="{kind}" href="{href}">{kind}</a></li>' for kind, href in landmarks)
    nav = f'<nav epub:type="toc"><ol>{links}</ol></nav><nav epub:type="landmarks"><ol>{marks}</ol></nav>'
    manifest = '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
    manifest += "".join(f'<item id="d{n}" href="{name}" media-type="application/xhtml+xml"/>' for n, name in enumerate(docs))
    spine = "".join(f'<itemref idref="d{n}"/>' for n in range(len(docs)))
    references = "".join(f'<reference type="{kind}" href="{href}"/>' for kind, href in guide)
    opf = (
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>Small</dc:title></metadata><manifest>{manifest}</manifest><spine>{spine}</spine>"
        f"<guide>{references}</guide></package>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("META-INF/container.xml", container("content.opf"))
        archive.writestr("content.opf", opf)
        archive.writestr("nav.xhtml", xhtml(nav))
        for name, body in docs.items():
            archive.writestr(name, xhtml(body))
    return path


def container(opf: str) -> str:
    return (
        '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        f'<rootfiles><rootfile full-path="{opf}"/></rootfiles></container>'
    )


def texts(body: str) -> list[str]:
    return [block.text for block in html_blocks(parse_html(xhtml(body).encode()))]


# Damaged files: one line, never a traceback.


@pytest.mark.parametrize("kind", ["epub", "pdf"])
def test_a_book_with_flipped_bytes_is_read_or_refused_in_one_line(tmp_path, kind):
    source = deflated(make_epub(tmp_path / "b.epub")) if kind == "epub" else make_pdf(tmp_path / "b.pdf", bookmarks=True)
    data = source.read_bytes()
    rng = random.Random(20240531)
    refused = 0
    for _ in range(FLIPS):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        source.write_bytes(bytes(damaged))
        try:
            read_book(source, lambda message: None)
        except KokoroError as error:
            refused += 1
            assert "\n" not in str(error) and source.name in str(error)
    assert refused > FLIPS // 10  # the flips did reach what matters


def rewritten(path: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path) as source:
        entries = [(info, replace.get(info.filename, source.read(info))) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return path


def entry_offsets(data: bytes, name: str) -> tuple[int, int]:
    """(where the entry's compressed data starts, where its central directory record starts)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entry, directory = archive.getinfo(name), archive.start_dir
    return entry.header_offset + 30 + len(entry.filename), data.index(name.encode(), directory) - 46  # no extra fields


def assert_one_line_error(source: Path, expected: str) -> None:
    result = CliRunner().invoke(app, ["book", str(source), "--list-chapters"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith(f"error: {source.name} {expected}") and result.stderr.count("\n") == 1


@pytest.mark.parametrize(("damage", "expected"), [
    ("deflate", "is damaged: OEBPS/content.opf cannot be read (Error -3 while decompressing data"),
    ("crc", "is damaged: OEBPS/content.opf cannot be read (Bad CRC-32"),
    ("password", "is password-protected: OEBPS/content.opf is encrypted"),
])
def test_a_damaged_zip_entry_is_one_line_naming_the_book(tmp_path, damage, expected):
    source = deflated(make_epub(tmp_path / "b.epub"))
    data = bytearray(source.read_bytes())
    compressed, central = entry_offsets(bytes(data), "OEBPS/content.opf")
    if damage == "deflate":
        data[compressed] = 0xFF  # a block of the reserved type
    elif damage == "crc":
        data[central + 16] ^= 1
    else:
        data[central + 8] |= 1  # general purpose flag bit 0: encrypted
    source.write_bytes(bytes(data))
    assert_one_line_error(source, expected)


@pytest.mark.parametrize("name", ["META-INF/container.xml", "OEBPS/content.opf"])
def test_an_empty_container_or_package_file_is_one_line(tmp_path, name):
    source = rewritten(make_epub(tmp_path / "b.epub"), {name: b""})
    assert_one_line_error(source, f"is damaged: its {name} is not XML")


def test_an_empty_ncx_leaves_each_file_a_chapter(tmp_path):
    source = rewritten(make_epub(tmp_path / "b.epub", nav=False), {"OEBPS/toc.ncx": b""})
    assert titles(read_book(source, pytest.fail))[:2] == EPUB_TITLES[:2]


# What kind of file: the bytes decide when the extension cannot.


@pytest.mark.parametrize("name", ["book", "book.txt", "book.md"])
def test_an_epub_or_pdf_without_its_extension_is_read_by_its_first_bytes(tmp_path, name):
    epub = tmp_path / name
    epub.write_bytes(make_epub(tmp_path / "b.epub").read_bytes())
    assert titles(read_book(epub, pytest.fail)) == EPUB_TITLES
    pdf = tmp_path / f"pdf-{name}"
    pdf.write_bytes(make_pdf(tmp_path / "b.pdf", bookmarks=True).read_bytes())
    assert titles(read_book(pdf, pytest.fail)) == PDF_TITLES


def test_binary_data_is_refused_not_spoken(tmp_path):
    archive = tmp_path / "notes"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.txt", "Not a book.")
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00 some words")
    for path in (archive, blob):
        with pytest.raises(KokoroError, match=f"{path.name} is binary data, not a text book"):
            read_book(path, pytest.fail)


# EPUB markup: where chapters start, what is boilerplate, what is a note.

CHAPTER_ONE = " ".join(["It was the best of times, it was the worst of times."] * 30)  # over the boilerplate length


@pytest.mark.parametrize("where", ["landmarks", "guide"])
def test_a_landmark_pointing_inside_a_file_leaves_out_that_element_and_the_rest_of_the_file_in(tmp_path, where):
    docs = {
        "front.xhtml": '<div id="toc"><p><a href="main.xhtml#c1">Chapter I</a></p></div>',
        "main.xhtml": (
            '<div><section id="toc"><h2>Contents</h2><ol><li><a href="#c1">Chapter I</a></li></ol></section>Epigraph.</div>'
            f'<h1 id="c1">Chapter I</h1><p>{CHAPTER_ONE}</p>'
        ),
        "copy.xhtml": "<p>All rights reserved.</p>",
    }
    marks = [("toc", "front.xhtml#toc"), ("toc", "main.xhtml#toc"), ("copyright-page", "copy.xhtml")]
    source = small_epub(tmp_path / "b.epub", docs, [("Chapter I", "main.xhtml#c1")], **{where: marks})
    book = read_book(source, pytest.fail)
    # Chapter I is kept, the inline list before it is not read (what follows the list is); the short contents
    # page and the copyright page stay out.
    assert titles(book) == ["Opening", "Chapter I"] and book.chapters[1].paragraphs == ("Chapter I", CHAPTER_ONE)
    assert book.chapters[0].paragraphs == ("Epigraph.",)


def test_a_chapter_starts_at_its_heading_and_at_a_named_anchor(tmp_path):
    body = (
        '<h2 id="c1">One</h2><div><p>First words.</p>Last words of chapter one.<h2 id="c2">Two</h2><p>Second words.</p>'
        '<a name="c3"></a><h2>Three</h2><p>Third words.</p></div>'
    )
    toc = [("One", "main.xhtml#c1"), ("Two", "main.xhtml#c2"), ("Three", "main.xhtml#c3")]
    book = read_book(small_epub(tmp_path / "b.epub", {"main.xhtml": body}, toc), pytest.fail)
    assert [chapter.paragraphs for chapter in book.chapters] == [
        ("One", "First words.", "Last words of chapter one."), ("Two", "Second words."), ("Three", "Third words.")
    ]


def test_note_marks_without_epub_type_are_not_read():
    body = (
        '<p>The clocks struck thirteen.<sup><a href="#fn1" id="r1">1</a></sup> Then<a href="notes.xhtml#n2">[2]</a> '
        'more<a href="#fn3"><sup>†</sup></a> and<sup><a href="#fn4">*</a></sup>. Area x<sup>2</sup>, see '
        '<a href="#c2">chapter two</a> or <a href="other.xhtml">3</a>.</p>'
    )
    assert texts(body) == ["The clocks struck thirteen. Then more and. Area x2, see chapter two or 3."]


# Plain-text headings.

GUTENBERG_WITH_CONTENTS = """Title: Tiny Tale
Author: Some Body

*** START OF THE PROJECT GUTENBERG EBOOK TINY ***

TINY TALE

Contents

 CHAPTER I.

 Down the Rabbit-Hole

 CHAPTER II.    The Pool of Tears

 CHAPTER III.   A Caucus-Race


CHAPTER I.
Down the Rabbit-Hole


Alice was beginning to get very tired of sitting by her sister on the bank.

Part I liked best was the ending.

CHAPTER II.

The Pool of Tears

"Curiouser and curiouser!" cried Alice.

Book did well in the end.

CHAPTER III.
A Caucus-Race

They were indeed a queer-looking party that assembled on the bank.

*** END OF THE PROJECT GUTENBERG EBOOK TINY ***
"""


def test_a_contents_list_and_sentences_opening_like_headings_make_no_chapters(tmp_path):
    path = tmp_path / "tale.txt"
    path.write_text(GUTENBERG_WITH_CONTENTS, encoding="utf-8")
    book = read_book(path, pytest.fail)
    assert titles(book) == [
        "Tiny Tale", "CHAPTER I. Down the Rabbit-Hole", "CHAPTER II. The Pool of Tears", "CHAPTER III. A Caucus-Race"
    ]
    assert book.chapters[0].paragraphs == (  # the contents list stays in the front matter, read as it stands
        "TINY TALE", "Contents", "CHAPTER I.", "Down the Rabbit-Hole", "CHAPTER II. The Pool of Tears",
        "CHAPTER III. A Caucus-Race",
    )
    assert book.chapters[1].paragraphs[-1] == "Part I liked best was the ending."
    assert book.chapters[2].paragraphs[-1] == "Book did well in the end."


@pytest.mark.parametrize(("text", "heading"), [
    ("CHAPTER 1. Loomings.", True), ("Chapter 3. Mr. Bennet Calls", True), ("Part Two: The Return", True),
    ("Book the First", True), ("Prologue", True), ("Chapter XIV", True),
    ("Chapter xiv", False), ("Book did well.", False), ("Part I liked it", False), ("Chapter I'm in", False),
    ("Chapter 12 was long. We slept.", False), ("Chapter 3. The rain fell. We ran", False),
    ("Introduction to the theory of heat", False),
])
def test_a_heading_stands_alone_and_its_roman_numeral_is_in_capitals(text, heading):
    assert is_heading(text) is heading


# Text that is not UTF-8.


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_a_byte_order_mark_names_the_encoding(tmp_path, encoding):
    text = "\ufeff" + FRENCH if encoding == "utf-16-be" else FRENCH  # the BE codec writes no mark of its own
    path = tmp_path / "book.txt"
    path.write_bytes(text.encode(encoding))
    assert read_book(path, pytest.fail).chapters[0].paragraphs == (FRENCH,)
    assert decode_bytes(text.encode(encoding)) == (FRENCH, 0)  # `kokoro say --file` and stdin too


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_windows_1252_is_read_as_such_with_one_warning(tmp_path, suffix):
    path = tmp_path / f"book{suffix}"
    path.write_bytes(f"<p>{FRENCH}</p>".encode("cp1252") if suffix == ".html" else FRENCH.encode("cp1252"))
    warned: list[str] = []
    assert read_book(path, warned.append).chapters[0].paragraphs == (FRENCH,)
    assert warned == ([] if suffix == ".html" else [f"{path.name} is not UTF-8: read as Windows-1252"])


def test_bytes_neither_utf8_nor_windows_1252_are_replaced_and_counted(tmp_path):
    path = tmp_path / "book.txt"
    path.write_bytes(b"Caf\xe9 \x81 au lait.")  # 0x81: undefined in Windows-1252
    warned: list[str] = []
    assert read_book(path, warned.append).chapters[0].paragraphs == ("Caf\ufffd \ufffd au lait.",)
    assert warned == ["2 invalid UTF-8 bytes in book.txt replaced by U+FFFD (not spoken)"]


def test_only_a_real_declaration_names_the_charset(tmp_path):
    markdown = tmp_path / "book.md"
    markdown.write_text(f"Send `Content-Type: text/html; charset=utf-8` or write encoding=latin-1. {FRENCH}\n", encoding="utf-8")
    assert FRENCH in read_book(markdown, pytest.fail).chapters[0].text
    html = tmp_path / "book.html"
    html.write_bytes(f'<html><head><meta charset="windows-1252"></head><body><p>{FRENCH}</p></body></html>'.encode("cp1252"))
    assert read_book(html, pytest.fail).chapters[0].paragraphs == (FRENCH,)
    legacy = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><p>{FRENCH[:24]}</p>'
    html.write_bytes(legacy.encode("latin-1"))
    assert read_book(html, pytest.fail).chapters[0].paragraphs == (FRENCH[:24],)
