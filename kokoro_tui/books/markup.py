"""HTML and Markdown books: headings make the chapters.

The chapters open at the headings of the highest level that occurs at least twice (so a lone
``<h1>`` above many ``<h2>`` is the book's title, not a one-chapter book); deeper headings stay
inside their chapter and are read as paragraphs. Markdown is rendered to HTML by markdown-it (the
CommonMark reference design) and read the same way, except that a pronunciation of our inline
markup, ``[tomato](/təmˈɑːtoʊ/)``, stays text for the speech pipeline instead of becoming a link.
A site's own link, ``[About us](/about-us/)``, stays a link whose text is read: its path is all URL
characters, and some of them are no phoneme symbol. Anything else stays ours, and the markup obeys
it or warns (``[Gandalf](/gændɑlf/)`` has the plain "g" Kokoro writes as "ɡ").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from kokoro_tui.books.book import Book, Chapter, chapter, clean_text
from kokoro_tui.books.headings import chapters_at
from kokoro_tui.books.html_blocks import Block, html_blocks, parse_html
from kokoro_tui.text.decoding import decode_book
from kokoro_tui.text.markup import PRONUNCIATION, MarkupRules, parse_markup


def chapters_from_blocks(blocks: Sequence[Block], opening_title: str) -> tuple[str | None, list[Chapter]]:
    """(the book title if a lone heading above the chapter level gives one, the chapters)."""
    levels = Counter(block.heading for block in blocks if block.heading)
    if not levels:
        made = chapter(opening_title, [block.text for block in blocks])
        return None, [made] if made else []
    level = min((lvl for lvl, count in levels.items() if count >= 2), default=min(levels))
    above = [block for block in blocks if block.heading and block.heading < level]
    title = above[0].text if len(above) == 1 else None
    kept = [block for block in blocks if not (title and block is above[0])]
    starts = [(i, block.text) for i, block in enumerate(kept) if block.heading == level]
    return title, chapters_at([block.text for block in kept], starts, title or opening_title)


def read_html(data: bytes, name: str, warn: Callable[[str], None]) -> Book:
    """An HTML file: the title from ``<title>`` (else a lone top heading), the author from ``<meta name="author">``."""
    root = parse_html(data)
    if root is None:
        return Book(None, None, ())
    heading_title, chapters = chapters_from_blocks(html_blocks(root), Path(name).stem)
    title = clean_text(root.findtext(".//title") or "")
    author = clean_text(" ".join(root.xpath("//meta[@name='author']/@content")))
    return Book(title or heading_title, author or None, tuple(chapters))


# A pronunciation is read alone here, so no switch is in it and the speeds it would check do not matter.
_PRONUNCIATION_RULES = MarkupRules(speeds=(0.0, 0.0))
_URL_PATH = re.compile(r"[\w\-.~!$&'()*+,;=:@%]+", re.ASCII)


def _kept_from_markdown(found: re.Match[str]) -> str:
    """A pronunciation, its brackets escaped so that Markdown keeps them as text; a site's own link as it was."""
    if _URL_PATH.fullmatch(found[2]) and parse_markup(found.group(), _PRONUNCIATION_RULES).warnings:
        return found.group()
    return f"\\[{found[1]}\\](/{found[2]}/)"


def read_markdown(data: bytes, name: str, warn: Callable[[str], None]) -> Book:
    from markdown_it import MarkdownIt

    text = decode_book(data, name, warn)
    source = PRONUNCIATION.sub(_kept_from_markdown, text)
    rendered = MarkdownIt("commonmark").enable("table").render(source)
    title, chapters = chapters_from_blocks(html_blocks(parse_html(rendered.encode("utf-8"))), Path(name).stem)
    return Book(title, None, tuple(chapters))
