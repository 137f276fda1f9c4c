"""HTML and XHTML as a flat list of text blocks (paragraphs and headings), in reading order.

EPUB chapters, HTML files and rendered Markdown all go through here. Inline markup (emphasis,
links, spans) is flattened into its block's text; scripts, styles, navigation, ruby annotations,
footnotes and the marks pointing to them are not read aloud. Each block keeps the anchors (``id``,
and ``name`` of ``<a>``) met since the previous block, so a table of contents entry that points
into a file (``ch.xhtml#part2``) finds its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from kokoro_tui.books.book import clean_text
from kokoro_tui.text.decoding import UTF8, book_encoding, decode_bytes

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
#: The text of a note mark that no epub:type or role marks (most EPUB 2 books): 1 to 3 digits or a few note
#: symbols, perhaps in brackets; it is one only inside a link to an anchor (``<sup><a href="#fn1">1</a></sup>``).
_NOTE_MARK = re.compile(r"[\[(]?(?:\d{1,3}|[*†‡§¶]{1,3})[\])]?")
NOTE_MARK_TAGS = frozenset({"a", "sup"})
# A charset the document itself declares: an XML declaration at its very start, or a <meta charset> or
# <meta http-equiv content="...; charset=..."> tag (not "charset=" in the prose of a page about HTML).
_DECLARED_CHARSET = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*\bencoding\s*=" rb"|<meta\s[^>]*\bcharset\s*=", re.IGNORECASE
)
#: Bytes looked at for a declared charset, which sits at the top of the document.
CHARSET_SNIFF_BYTES = 2048
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Block:
    text: str
    heading: int | None = None  # 1 for <h1> ... 6 for <h6>
    anchors: tuple[str, ...] = ()


def parse_html(data: bytes) -> etree._Element | None:
    """The document's root, forgiving bad markup; None for an empty one. Bytes that declare no
    charset are read as a book file is (``book_encoding``: UTF-8, what EPUB requires and the web
    uses, else Windows-1252 if they read cleanly as that), not as libxml2's Latin-1."""
    if _DECLARED_CHARSET.search(data[:CHARSET_SNIFF_BYTES]):
        parser, data = None, data.removeprefix(_UTF8_BOM)
    else:
        parser, data = lxml.html.HTMLParser(encoding=UTF8), decode_bytes(data, book_encoding(data)).text.encode(UTF8)
    try:
        return lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError):  # "Document is empty", or nothing libxml2 can take for HTML
        return None


def _is_note(element: etree._Element, tag: str) -> bool:
    """A note, or a mark pointing to one: by its epub:type or role, else by being a link (or a superscript
    holding one) to an anchor whose text is a note mark."""
    kinds = f"{element.get(EPUB_TYPE, '')} {element.get('role', '')}".split()
    if any(kind in NOTE_TYPES for kind in kinds):
        return True
    return (
        tag in NOTE_MARK_TAGS
        and _NOTE_MARK.fullmatch(clean_text(element.text_content())) is not None
        and any("#" in link.get("href", "") for link in element.iter("a"))
    )


class _Walker:
    def __init__(self, skip_id: str | None) -> None:
        self.skip_id = skip_id
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
        skipped = self.skip_id is not None and element.get("id") == self.skip_id
        if tag is not None and tag not in SKIPPED_TAGS and not skipped and not _is_note(element, tag):
            block = tag in BLOCK_TAGS or tag in HEADING_TAGS
            if block:
                self.flush()  # before the anchor: the text before a block that starts a chapter ends the one before
            anchor = element.get("id") or (element.get("name") if tag == "a" else None)  # <a name>: HTML 4's anchor
            if anchor:
                self._anchors.append(anchor)
            if tag == "br":
                self._text.append(" ")
            self._text.append(element.text or "")
            for child in element:
                self.walk(child)
            if block:
                self.flush(HEADING_TAGS.get(tag))
        self._text.append(element.tail or "")


def html_blocks(root: etree._Element | None, skip_id: str | None = None) -> list[Block]:
    """The document's blocks in reading order, less the element whose id is ``skip_id`` (with all it holds)."""
    if root is None:
        return []
    walker = _Walker(skip_id)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return walker.blocks
