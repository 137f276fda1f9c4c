"""Columns of a PDF page, found in its layout text so that they are read one after the other.

pypdf's layout mode prints a page as it looks: two columns come side by side, each printed line of
the left column followed by the line beside it in the right one. So the page is searched for a
gutter: a band of ``MIN_GUTTER`` layout columns that is blank on a run of lines, with text on both
sides on ``MIN_COLUMN_LINES`` of them or more, each side ``MIN_COLUMN_WIDTH`` wide or more. The run
ends at a line across the band, a title, an abstract, a caption or a footnote over the whole width,
which is read where it stands; a lone line across it between lines that are clear of it is a
column's line that pypdf set too wide. The run's left side is read, then its right side (split
again where it holds a third column), then the lines below.

The rules keep a single column whole: spaces that line up by chance inside a paragraph have no
blank line (or the page's edge) above and below them, as a run must; and a band with narrow text
beside it (the page numbers of a table of contents, a poem's half-lines or line numbers, a
glossary's terms) is a table, read best across.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

#: Blank layout columns that part two columns of text (a real gutter is wider: pypdf sets text tighter than its print).
MIN_GUTTER = 3
#: Lines with text on both sides of a gutter, so that a few spaces lined up by chance do not split a page.
MIN_COLUMN_LINES = 4
#: Layout columns a column of text spans at least (a column of prose holds 30 or more letters a line).
MIN_COLUMN_WIDTH = 25
#: Lines of text in a run for each line in it that crosses the band between lines that do not: a column's line
#: that pypdf set wider than it prints (small or narrow letters) runs into the gutter.
LINES_PER_OVERRUN = 10
_GAP = re.compile(rf" {{{MIN_GUTTER},}}")
_BLANKS = re.compile(r" +")


@dataclass(frozen=True)
class _Gutter:
    start: int  # the run's first line
    end: int  # after its last line
    cut: int  # the layout column where the right side starts
    both: int  # lines with text on both sides
    filled: int  # lines with text
    overruns: frozenset[int]  # lines across the band

    @property
    def rank(self) -> tuple[int, int, int]:
        """Better gutters part more lines, and cross fewer: a column's ragged edge is no gutter."""
        return self.both, self.filled, -len(self.overruns)


def _span(line: str) -> tuple[int, int]:
    """Where ``line``'s text starts and ends (a blank line's start is past its end)."""
    return len(line) - len(line.lstrip()), len(line.rstrip())


def _gaps(line: str) -> set[int]:
    """The columns before ``line``'s end where a gutter may start: ``MIN_GUTTER`` blanks from there."""
    return {c for gap in _GAP.finditer(line.rstrip()) for c in range(gap.start(), gap.end() - MIN_GUTTER + 1)}


def _runs(blocked: Sequence[bool], filled: Sequence[bool]) -> Iterator[tuple[int, int]]:
    """(first, after last) of each run of lines between blocked ones, trimmed to stand apart from them: a blank
    line or the page's edge above and below (spaces that line up by chance inside a paragraph have neither)."""
    edges = [-1, *(i for i, block in enumerate(blocked) if block), len(blocked)]
    for above, below in zip(edges, edges[1:]):
        blanks = [i for i in range(above + 1, below) if not filled[i]]
        top = 0 if above < 0 else blanks[0] if blanks else below
        bottom = len(blocked) if below == len(blocked) else blanks[-1] if blanks else above
        text = [i for i in range(top, bottom) if filled[i]]
        if text:
            yield text[0], text[-1] + 1


def _gutter_at(lines: Sequence[str], spans: Sequence[tuple[int, int]], band: int, start: int, end: int,
               overruns: frozenset[int]) -> _Gutter | None:
    """The gutter at column ``band`` of lines ``start:end`` (blank there but for ``overruns``), if its sides
    are columns."""
    clear = [i for i in range(start, end) if spans[i][1] and i not in overruns]
    crossing = overruns.intersection(range(start, end))
    both = sum(spans[i][0] < band < spans[i][1] for i in clear)
    if both < MIN_COLUMN_LINES or len(crossing) * LINES_PER_OVERRUN > len(clear) + len(crossing):
        return None
    left = [i for i in clear if spans[i][0] < band]
    right = [i for i in clear if spans[i][1] > band]
    cut = min(len(lines[i]) - len(lines[i][band:].lstrip()) for i in right)
    left_width = max(len(lines[i][:band].rstrip()) for i in left) - min(spans[i][0] for i in left)
    right_width = max(spans[i][1] for i in right) - cut
    beside = all(spans[i][0] < band and spans[i][1] > cut for i in crossing)  # no line of one side alone
    if min(left_width, right_width) < MIN_COLUMN_WIDTH or not beside:
        return None
    return _Gutter(start, end, cut, both, len(clear) + len(crossing), frozenset(crossing))


def _gutter(lines: Sequence[str]) -> _Gutter | None:
    """The page's best gutter (the leftmost of equals), if any."""
    spans = [_span(line) for line in lines]
    filled = [end > 0 for _, end in spans]
    gaps = [_gaps(line) for line in lines]
    best = None
    for band in range(1, max(map(len, lines), default=0)):
        open_ = [band >= end or band in gap for (_, end), gap in zip(spans, gaps)]
        if sum(blank and lead < band < end for blank, (lead, end) in zip(open_, spans)) < MIN_COLUMN_LINES:
            continue  # too few lines beside it on the whole page
        text = [fill and blank for fill, blank in zip(filled, open_)]  # a line of text clear of the band
        overruns = frozenset(i for i in range(1, len(lines) - 1) if not open_[i] and text[i - 1] and text[i + 1])
        blocked = [not blank and i not in overruns for i, blank in enumerate(open_)]
        for start, end in _runs(blocked, filled):
            found = _gutter_at(lines, spans, band, start, end, overruns)
            if found and (best is None or found.rank > best.rank):
                best = found
    return best


def _parted(line: str, cut: int) -> tuple[str, str]:
    """A line across the gutter, parted at the blank that ends nearest to where the right side starts: pypdf
    pads a column's line up to the next column's text, and leaves no blank at all if it ran past it."""
    lead, end = _span(line)
    blanks = [blank.span() for blank in _BLANKS.finditer(line, lead, end)]
    start, stop = min(blanks, key=lambda blank: abs(blank[1] - cut), default=(cut, cut))
    return line[:start].rstrip(), line[stop:].strip()


def column_pieces(lines: Sequence[str]) -> list[list[str]]:
    """A page's lines in reading order, in pieces: a new piece starts at the top of each column after the
    first, and the lines of a piece follow each other on the page (a blank line is a gap there)."""
    gutter = _gutter(lines)
    if gutter is None:
        return [list(lines)]
    cut = gutter.cut
    sides = [
        _parted(lines[i], cut) if i in gutter.overruns else (lines[i][:cut].rstrip(), lines[i][cut:].rstrip())
        for i in range(gutter.start, gutter.end)
    ]
    before = column_pieces(lines[:gutter.start])
    left = column_pieces([left for left, _ in sides])
    right = column_pieces([right for _, right in sides])
    after = column_pieces(lines[gutter.end:])
    return [*before[:-1], before[-1] + left[0], *left[1:], *right[:-1], right[-1] + after[0], *after[1:]]
