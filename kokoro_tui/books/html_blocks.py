"""HTML and XHTML as a flat list of text blocks (paragraphs and headings), in reading order.

EPUB chapters, HTML files and rendered Markdown all go through here. Inline markup (emphasis,
links, spans) is flattened into its block's text; scripts, styles, navigation, ruby annotations
and footnote bodies are not read aloud. Each block keeps the ``id`` anchors met since the previous
block, so a table of contents entry that points into a file (``ch.xhtml#part2``) finds its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from kokoro_tui.books.book import clean_text

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "hr li main ol p pre section table td th tr ul".split()
)
HEADING_TAGS = {f"h{level}": level for level in range(1, 7)}
SKIPPED_TAGS = frozenset("head script style nav template noscript rt rp svg math".split())
#: epub:type values (EPUB 3) and roles (DPUB-ARIA) of notes and of the marks that point to them ("thirteen.1"):
#: neither is read aloud in the middle of the text.
NOTE_TYPES = frozenset(
    "footnote endnote rearnote note footnotes endnotes rearnotes noteref doc-footnote doc-endnotes doc-noteref".split()
)
EPUB_TYPE = "epub:type"
_DECLARED_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?[\w-]+""", re.IGNORECASE)
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Block:
    text: str
    heading: int | None = None  # 1 for <h1> ... 6 for <h6>
    anchors: tuple[str, ...] = ()


def parse_html(data: bytes) -> etree._Element | None:
    """The document's root, forgiving bad markup; None for an empty one. Bytes that declare no
    charset are read as UTF-8 (what EPUB requires and the web uses), not libxml2's Latin-1."""
    declared = _DECLARED_CHARSET.search(data[:2048]) is not None
    parser = None if declared else lxml.html.HTMLParser(encoding="utf-8")
    try:
        return lxml.html.document_fromstring(data.removeprefix(_UTF8_BOM), parser=parser)
    except etree.ParserError:  # "Document is empty"
        return None


def _is_note(element: etree._Element) -> bool:
    kinds = f"{element.get(EPUB_TYPE, '')} {element.get('role', '')}".split()
    return any(kind in NOTE_TYPES for kind in kinds)


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._anchors: list[str] = []

    def flush(self, heading: int | None = None) -> None:
        text = clean_text("".join(self._text))
        self._text = []
        if text:
            self.blocks.append(Block(text, heading, tuple(self._anchors)))
            self._anchors = []

    def walk(self, element: etree._Element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else None  # None: a comment or instruction
        if tag is not None and tag not in SKIPPED_TAGS and not _is_note(element):
            if element.get("id"):
                self._anchors.append(element.get("id"))
            block = tag in BLOCK_TAGS or tag in HEADING_TAGS
            if block:
                self.flush()
            if tag == "br":
                self._text.append(" ")
            self._text.append(element.text or "")
            for child in element:
                self.walk(child)
            if block:
                self.flush(HEADING_TAGS.get(tag))
        self._text.append(element.tail or "")


def html_blocks(root: etree._Element | None) -> list[Block]:
    """The document's blocks in reading order."""
    if root is None:
        return []
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return walker.blocks
