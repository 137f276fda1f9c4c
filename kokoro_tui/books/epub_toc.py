"""An EPUB's table of contents and landmarks: the EPUB 3 navigation document or the EPUB 2 NCX.

Entries come in reading order, nested ones included (a part, then its chapters), each as the
archive path it points to, the fragment inside that file if any, and its title.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from kokoro_tui.books.book import clean_text
from kokoro_tui.books.html_blocks import EPUB_TYPE, parse_html


@dataclass(frozen=True)
class TocEntry:
    path: str
    fragment: str | None
    title: str


@dataclass(frozen=True)
class Landmark:
    """A landmark's (or guide reference's) type, and the anchor it names inside its file if any
    (``main.xhtml#toc``: a contents list above the chapter that the rest of the file holds)."""

    kind: str
    fragment: str | None

    @property
    def whole_file(self) -> bool:
        return self.fragment is None


def resolve_href(base: str, href: str) -> tuple[str, str | None]:
    """(archive path, fragment) of ``href`` written in the file ``base``."""
    target, _, fragment = href.partition("#")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(target))) if target else base
    return path, unquote(fragment) or None


def _types(element: etree._Element) -> list[str]:
    return f"{element.get(EPUB_TYPE, '')} {element.get('role', '')}".split()


def _links(nav: etree._Element, base: str) -> list[tuple[str, str | None, str, list[str]]]:
    return [
        (*resolve_href(base, link.get("href")), clean_text(link.text_content()), _types(link))
        for link in nav.iter("a")
        if link.get("href")
    ]


def nav_document(data: bytes, path: str) -> tuple[list[TocEntry], dict[str, Landmark]]:
    """(the entries of the ``toc`` nav, archive path -> the first landmark of the ``landmarks`` nav there)."""
    root = parse_html(data)
    navs = list(root.iter("nav")) if root is not None else []
    toc = next((nav for nav in navs if {"toc", "doc-toc"} & set(_types(nav))), navs[0] if navs else None)
    entries = [TocEntry(target, fragment, title) for target, fragment, title, _ in _links(toc, path)] if toc is not None else []
    landmarks: dict[str, Landmark] = {}
    for nav in navs:
        if "landmarks" in _types(nav):
            for target, fragment, _, kinds in _links(nav, path):
                landmarks.setdefault(target, Landmark(kinds[0] if kinds else "", fragment))
    return entries, landmarks


def ncx_document(data: bytes, path: str) -> list[TocEntry]:
    """The navPoints of an EPUB 2 NCX, in document order; none for an NCX that is not XML."""
    try:
        root = etree.fromstring(data, etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:  # empty or not XML at all: no entries, so each file is a chapter
        root = None
    entries = []
    for point in root.iter("{*}navPoint") if root is not None else ():
        content = point.find("{*}content")
        if content is None or not content.get("src"):
            continue
        label = point.find("{*}navLabel")
        title = clean_text("".join(label.itertext())) if label is not None else ""
        entries.append(TocEntry(*resolve_href(path, content.get("src")), title))
    return entries
