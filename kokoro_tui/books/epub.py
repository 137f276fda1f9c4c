"""EPUB 2 and 3 books, read with the standard zipfile and lxml.

The spine gives the reading order, the table of contents (``epub_toc``) the chapter titles and
where each chapter starts: at the top of a file or at an anchor inside one, a file without an
entry continuing the chapter before it. Navigation, cover and boilerplate pages (title page,
copyright, contents, index) are left out: by their landmark or guide type, else by a short page
whose file name or contents title says what it is. A landmark of such a type that points inside a
file (``main.xhtml#toc``) leaves out the element with that id, and the whole file only if it is short.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from kokoro_tui.books.book import OPENING_TITLE, Book, Chapter, chapter, clean_text, count_words, sniff_cover
from kokoro_tui.books.epub_toc import Landmark, TocEntry, nav_document, ncx_document, resolve_href
from kokoro_tui.books.html_blocks import Block, html_blocks, parse_html
from kokoro_tui.errors import KokoroError

CONTAINER = "META-INF/container.xml"
ENCRYPTION = "META-INF/encryption.xml"
DOCUMENT_TYPES = frozenset({"application/xhtml+xml", "text/html"})
NCX_TYPE = "application/x-dtbncx+xml"
#: Landmark (EPUB 3) and guide (EPUB 2) types of pages that are not read.
SKIPPED_TYPES = frozenset(
    {"cover", "toc", "title-page", "titlepage", "copyright-page", "index", "loi", "lot", "landmarks", "page-list"}
)
#: A page whose file name or contents title says it is boilerplate is left out if it is this short.
BOILERPLATE_MAX_WORDS = 300
_BOILERPLATE_FILE = re.compile(r"(?:^|[^a-z])(?:cover|title[-_]?page|copyright|toc|contents|nav|colophon|imprint)(?:$|[^a-z])")
BOILERPLATE_TITLES = frozenset(
    {"cover", "title", "title page", "copyright", "copyright page", "contents", "table of contents", "colophon", "imprint"}
)
_XML = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
#: What zipfile raises for an archive it cannot read: bad headers or CRC, bad deflate data, cut short, unknown methods.
_ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError)
_ENCRYPTED_ENTRY = 0x1  # general purpose flag bit 0 of a zip entry


@dataclass(frozen=True)
class Item:
    path: str
    media_type: str
    properties: frozenset[str]


class Archive:
    """The EPUB's zip archive, whose damage (or a password) is one KokoroError naming the book, not a traceback."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except _ZIP_DAMAGE:
            raise KokoroError(f"{name} is not an EPUB, or is damaged (not a readable zip archive)") from None
        self.names = frozenset(self._zip.namelist())

    def damaged(self, what: str) -> KokoroError:
        return KokoroError(f"{self.name} is damaged: {what}", hint="get a fresh copy of the book")

    def read(self, path: str) -> bytes:
        """The entry ``path``, which must be in ``names``."""
        entry = self._zip.getinfo(path)
        if entry.flag_bits & _ENCRYPTED_ENTRY:
            raise KokoroError(f"{self.name} is password-protected: {path} is encrypted", hint="use a copy without one")
        try:
            return self._zip.read(entry)
        except _ZIP_DAMAGE as error:
            raise self.damaged(f"{path} cannot be read ({error or type(error).__name__})") from None

    def xml(self, path: str) -> etree._Element:
        if path not in self.names:
            raise self.damaged(f"it has no {path}")
        try:
            root = etree.fromstring(self.read(path), _XML)
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            raise self.damaged(f"its {path} is not XML")
        return root

    def close(self) -> None:
        self._zip.close()


@dataclass(frozen=True)
class Package:
    """What the OPF file says: metadata, the files by id, the reading order, where the contents and cover are."""

    title: str | None
    author: str | None
    items: dict[str, Item]
    spine: list[Item]  # linear documents in reading order
    nav: Item | None
    ncx: Item | None
    cover: Item | None
    guide: dict[str, Landmark]  # archive path -> its guide reference


def _text(root: etree._Element, tag: str) -> list[str]:
    return [text for text in (clean_text("".join(el.itertext())) for el in root.iter(tag)) if text]


def read_package(archive: Archive) -> Package:
    rootfile = archive.xml(CONTAINER).find(".//{*}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise archive.damaged(f"its {CONTAINER} names no package file")
    opf_path = rootfile.get("full-path")
    opf = archive.xml(opf_path)
    items = {
        item.get("id"): Item(
            resolve_href(opf_path, item.get("href"))[0], item.get("media-type", ""), frozenset(item.get("properties", "").split())
        )
        for item in opf.iter("{*}item")
        if item.get("id") and item.get("href")
    }
    spine_element = opf.find("{*}spine")
    refs = spine_element.iter("{*}itemref") if spine_element is not None else ()
    spine = [items[ref.get("idref")] for ref in refs if ref.get("idref") in items and ref.get("linear") != "no"]
    cover_id = next((meta.get("content") for meta in opf.iter("{*}meta") if meta.get("name") == "cover"), None)
    cover = next((item for item in items.values() if "cover-image" in item.properties), items.get(cover_id or ""))
    ncx_id = spine_element.get("toc") if spine_element is not None else None
    ncx = items.get(ncx_id or "") or next((item for item in items.values() if item.media_type == NCX_TYPE), None)
    guide: dict[str, Landmark] = {}
    for ref in opf.iter("{*}reference"):
        if ref.get("href"):
            target, fragment = resolve_href(opf_path, ref.get("href"))
            guide.setdefault(target, Landmark(ref.get("type", "").lower(), fragment))
    return Package(
        title=next(iter(_text(opf, "{*}title")), None),
        author=", ".join(_text(opf, "{*}creator")) or None,
        items=items,
        spine=spine,
        nav=next((item for item in items.values() if "nav" in item.properties), None),
        ncx=ncx,
        cover=cover,
        guide=guide,
    )


def _check_not_encrypted(archive: Archive) -> None:
    """Refuse DRM: documents listed in encryption.xml (obfuscated fonts alone are fine)."""
    if ENCRYPTION not in archive.names:
        return
    uris = [ref.get("URI", "") for ref in archive.xml(ENCRYPTION).iter("{*}CipherReference")]
    if any(uri.lower().endswith((".xhtml", ".html", ".htm", ".xml")) for uri in uris):
        raise KokoroError("the EPUB is DRM-protected: its text is encrypted", hint="use a DRM-free copy")


def _is_boilerplate(item: Item, blocks: list[Block], landmarks: dict[str, Landmark], titles: list[str]) -> bool:
    """A landmark of a skipped type leaves its whole file out; one that points inside a file only if the file is short."""
    landmark = landmarks.get(item.path, Landmark("", None))
    skipped_type = landmark.kind in SKIPPED_TYPES
    if (skipped_type and landmark.whole_file) or "nav" in item.properties:
        return True
    if sum(count_words(block.text) for block in blocks) > BOILERPLATE_MAX_WORDS:
        return False
    return skipped_type or _BOILERPLATE_FILE.search(Path(item.path).stem.lower()) is not None or any(
        title.lower() in BOILERPLATE_TITLES for title in titles
    )


class _ChapterBuilder:
    """Blocks of the spine's documents, cut into chapters where table of contents entries start."""

    def __init__(self) -> None:
        self.chapters: list[tuple[str, list[str]]] = []

    def add(self, blocks: list[Block], starts: list[TocEntry]) -> None:
        cuts: dict[int, str] = {}
        for entry in starts:
            where = 0 if entry.fragment is None else next(
                (i for i, block in enumerate(blocks) if entry.fragment in block.anchors), None
            )
            if where is not None:
                cuts.setdefault(where, entry.title)
        first = min(cuts, default=len(blocks))
        if first and blocks:
            if not self.chapters:
                heading = next((block.text for block in blocks[:first] if block.heading), OPENING_TITLE)
                self.chapters.append((heading, []))
            self.chapters[-1][1].extend(block.text for block in blocks[:first])
        bounds = sorted(cuts)
        for begin, end in zip(bounds, [*bounds[1:], len(blocks)]):
            title = cuts[begin] or next((block.text for block in blocks[begin:end] if block.heading), OPENING_TITLE)
            self.chapters.append((title, [block.text for block in blocks[begin:end]]))

    def build(self) -> list[Chapter]:
        made = (chapter(title, paragraphs) for title, paragraphs in self.chapters)
        return [c for c in made if c is not None]


def read_epub(data: bytes, name: str, warn: Callable[[str], None]) -> Book:
    """The book in EPUB ``data`` (the file called ``name``)."""
    archive = Archive(data, name)
    try:
        _check_not_encrypted(archive)
        package = read_package(archive)
        names = archive.names
        entries: list[TocEntry] = []
        landmarks = dict(package.guide)
        if package.nav is not None and package.nav.path in names:
            entries, in_nav = nav_document(archive.read(package.nav.path), package.nav.path)
            landmarks.update(in_nav)
        if not entries and package.ncx is not None and package.ncx.path in names:
            entries = ncx_document(archive.read(package.ncx.path), package.ncx.path)
        builder = _ChapterBuilder()
        for item in package.spine:
            if item.media_type not in DOCUMENT_TYPES:
                continue
            if item.path not in names:
                warn(f"{name}: the spine names {item.path}, which the archive lacks; left out")
                continue
            landmark = landmarks.get(item.path)
            # A contents list that a landmark marks inside a chapter's file (``main.xhtml#toc``) is not read.
            skipped = landmark.fragment if landmark is not None and landmark.kind in SKIPPED_TYPES else None
            blocks = html_blocks(parse_html(archive.read(item.path)), skip_id=skipped)
            # Without a table of contents, each file is a chapter named by its first heading.
            starts = [entry for entry in entries if entry.path == item.path] if entries else [TocEntry(item.path, None, "")]
            if not _is_boilerplate(item, blocks, landmarks, [entry.title for entry in starts]):
                builder.add(blocks, starts)
        cover = None
        if package.cover is not None and package.cover.path in names:
            cover = sniff_cover(archive.read(package.cover.path))
            if cover is None:
                warn(f"{name}: the cover {package.cover.path} is neither JPEG nor PNG; left out")
    finally:
        archive.close()
    return Book(package.title, package.author, tuple(builder.build()), cover)
