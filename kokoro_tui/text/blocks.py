"""Cut a long paragraph into blocks the G2P takes one at a time, at sentence ends where possible.

spaCy refuses a document over 1,000,000 characters and its memory grows with the document, and
a whole long paragraph tagged at once delays the first audio by its whole tagging time. Blocks
of a few thousand characters cut after a sentence end lose nothing: tagging and chunking both
work sentence by sentence. A sentence longer than a block is cut at its last space, and a run
with no space at all (a pasted hash, a hostile input) at the block size itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

BLOCK_CHARS = 2_000
# A sentence end: . ! ? … (or the CJK ones) and any closing quotes or brackets, then a space,
# or a CJK end mark on its own (those languages do not put spaces between sentences).
_SENTENCE_BREAK = re.compile(r"[.!?…]+[\"'”’)\]»]*\s+|[。！？]+[”’」』）]*\s*")
_SPACE = re.compile(r"\s+")


def _last_break(window: str, pattern: re.Pattern[str]) -> int | None:
    """End of the last match of ``pattern`` that leaves something after it in ``window``."""
    ends = [match.end() for match in pattern.finditer(window) if match.end() < len(window)]
    return ends[-1] if ends else None


def _cut(text: str, start: int, limit: int) -> int:
    """End of the block starting at ``start``: after the last sentence end, else space, within ``limit``."""
    window = text[start : start + limit]
    for pattern in (_SENTENCE_BREAK, _SPACE):
        end = _last_break(window, pattern)
        if end is not None:
            return start + end
    return start + limit


def blocks(text: str, limit: int = BLOCK_CHARS, first_limit: int | None = None) -> Iterator[tuple[int, str]]:
    """``(offset, block)`` pieces covering ``text`` in order, each at most ``limit`` characters.

    ``first_limit`` ends the first block after the last sentence that ends within it (when one
    does), so that a streaming reader tags and speaks the opening sentences without waiting for
    the tagging of the rest of a long paragraph.
    """
    if limit < 1 or (first_limit is not None and first_limit < 1):
        raise ValueError("limits must be positive")
    start = 0
    if first_limit is not None and len(text) > first_limit:
        end = _last_break(text[:first_limit], _SENTENCE_BREAK)
        if end is not None:
            yield 0, text[:end]
            start = end
    while len(text) - start > limit:
        end = _cut(text, start, limit)
        yield start, text[start:end]
        start = end
    if start < len(text):
        yield start, text[start:]
