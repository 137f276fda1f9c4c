"""A PDF's text layer, page by page, cleaned into paragraphs.

Pages come as lines laid out as on paper (pypdf's layout mode: indentation kept, a blank line
where the print leaves vertical space). Then:

- running headers and footers go: a line near the top or bottom of the page that recurs near the
  top or bottom of other pages, once its page number (if any) is set aside;
- page numbers go: a line near the edge that is only a number ("12", "- 12 -", "Page 12 of 300",
  a lowercase roman "xii");
- paragraphs end at a blank line or before an indented line; across a page break the text runs
  on unless the new page starts with an indented line, or with a line standing alone after a
  sentence ended;
- a word hyphenated across a line break is joined ("hyphen-" + "ated" is "hyphenated");
- a page in columns is read a column at a time (``pdf_columns``), each column running on from the one
  before as across a page break.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kokoro_tui.books.pdf_columns import column_pieces

#: Lines at each end of a page where running headers, footers and page numbers are looked for.
EDGE_LINES = 2
#: Extra leading spaces (in layout columns) that mark a paragraph's first line.
INDENT_COLUMNS = 2
_PAGE_NUMBER = re.compile(r"^[-–—.\s()\[\]]*(?:[Pp]age\s+)?(?:\d+|[ivxlcdm]+)(?:\s*(?:of|/)\s*\d+)?[-–—.\s()\[\]]*$")
_NUMBER = re.compile(r"\b\d+\b")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
_SOFT_HYPHEN = "\u00ad"
_SENTENCE_END = (".", "!", "?", ":", '"', "”", "’", ")")


@dataclass(frozen=True)
class PageParagraph:
    text: str
    page: int  # where it starts, counting from 0


def _edges(lines: Sequence[str]) -> list[int]:
    """Indexes of the first and last ``EDGE_LINES`` non-blank lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def page_number_offset(pages: Sequence[Sequence[str]]) -> int | None:
    """The printed page number minus the page's index, when most pages agree on one near their edges."""
    votes = Counter(
        offset
        for index, lines in enumerate(pages)
        for offset in {int(n) - index for i in _edges(lines) for n in _NUMBER.findall(lines[i])}
    )
    if not votes:
        return None
    offset, count = votes.most_common(1)[0]
    return offset if count >= max(2, len(pages) // 2) else None


def _signature(line: str, page_number: int | None) -> str:
    text = " ".join(line.split()).lower()
    return re.sub(rf"\b{page_number}\b", "#", text) if page_number is not None else text


def strip_running_lines(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    """The pages without running headers, footers and page numbers (blank lines stand in for them)."""
    offset = page_number_offset(pages)
    numbers = [None if offset is None else index + offset for index in range(len(pages))]
    seen = Counter(
        signature
        for lines, number in zip(pages, numbers)
        for signature in {_signature(lines[i], number) for i in _edges(lines)}
    )
    repeated = min(3, max(2, len(pages) // 2))
    cleaned = []
    for lines, number in zip(pages, numbers):
        drop = {
            i for i in _edges(lines)
            if _PAGE_NUMBER.match(lines[i].strip()) or (len(pages) > 1 and seen[_signature(lines[i], number)] >= repeated)
        }
        cleaned.append(["" if i in drop else line for i, line in enumerate(lines)])
    return cleaned


def join_lines(first: str, second: str) -> str:
    """Two lines of one paragraph as one: a word hyphenated across the break is joined again."""
    first, second = first.rstrip(), second.strip()
    if first.endswith(_SOFT_HYPHEN) or (_HYPHENATED.search(first) and second[:1].islower()):
        return first[:-1] + second
    return f"{first} {second}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _add_piece(paragraphs: list[PageParagraph], lines: Sequence[str], page: int) -> None:
    """The paragraphs of a run of lines (a page, or one of its columns) added to ``paragraphs``;
    the first one runs on from the last one there unless it starts anew."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return
    body = Counter(_indent(lines[i]) for i in filled).most_common(1)[0][0]
    for position, i in enumerate(filled):
        line = lines[i]
        indented = _indent(line) >= body + INDENT_COLUMNS
        if position == 0:
            alone = len(filled) == 1 or filled[1] > i + 1
            new = not paragraphs or indented or (paragraphs[-1].text.endswith(_SENTENCE_END) and alone)
        else:
            new = indented or filled[position - 1] < i - 1
        if new:
            paragraphs.append(PageParagraph(line.strip(), page))
        else:
            paragraphs[-1] = PageParagraph(join_lines(paragraphs[-1].text, line), paragraphs[-1].page)


def page_paragraphs(pages: Sequence[Sequence[str]]) -> list[PageParagraph]:
    """Paragraphs of the (cleaned) pages, in order, each with the page it starts on; a page's columns are
    read one after the other, each running on from the one before as a page does."""
    paragraphs: list[PageParagraph] = []
    for page, lines in enumerate(pages):
        for piece in column_pieces(lines):
            _add_piece(paragraphs, piece, page)
    return paragraphs
