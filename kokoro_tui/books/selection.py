"""Which chapters to speak: ``--chapters 3-7``, ``1,3,5-6`` or ``4-`` (to the end), counted from 1."""

from __future__ import annotations

import re

from kokoro_tui.errors import KokoroError

_PART = re.compile(r"^\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?$")
SPEC_HINT = "use chapter numbers from --list-chapters, e.g. 3-7 or 1,3,5-6"


def select_chapters(spec: str | None, count: int) -> list[int]:
    """Indexes (from 0, ascending, each once) of the chapters ``spec`` names; all of them for None."""
    if spec is None:
        return list(range(count))
    chosen: set[int] = set()
    for part in spec.split(","):
        match = _PART.match(part)
        if match is None:
            raise KokoroError(f"cannot read the chapter range {part.strip()!r}", hint=SPEC_HINT)
        first = int(match[1])
        last = (int(match[3]) if match[3] else count) if match[2] else first
        if match[3] and first > last:  # "7-3": a typo, not chapters the book lacks
            raise KokoroError(f"the chapter range {part.strip()} runs backwards", hint=f"write it {last}-{first}")
        if not 1 <= first <= last <= count:
            raise KokoroError(f"no chapters {part.strip()} in a book of {count}", hint=SPEC_HINT)
        chosen.update(range(first - 1, last))
    return sorted(chosen)
