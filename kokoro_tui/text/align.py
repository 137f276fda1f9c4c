"""Map G2P tokens of a normalised paragraph back to spans of the original text.

Tokens that came out of one rewritten stretch ("+1 (555) 123-4567" read as several words
and commas) all map to that stretch, so they are merged into one Word: a timestamp then
covers the whole phone number, and a chunk boundary never falls inside it. A sentence-final
mark is the exception: it stays separate so the sentence still ends there.
"""

from __future__ import annotations

from collections.abc import Sequence

from kokoro_tui.text.rewrite import NormalizedText
from kokoro_tui.text.tokens import SENTENCE_END, RawToken, Word


def words_from_tokens(norm: NormalizedText, offset: int, tokens: Sequence[RawToken]) -> list[Word]:
    """Words for ``tokens`` of the paragraph that starts at ``offset`` in ``norm.text``."""
    words: list[Word] = []
    for token in tokens:
        start, end = norm.source_span(offset + token.start, offset + token.end)
        normalized = norm.text[offset + token.start : offset + token.end]
        previous = words[-1] if words else None
        # A sentence end a rule kept ("et cetera." for "etc.") stays a mark of its own.
        closes = token.is_punct and any(c in SENTENCE_END for c in normalized)
        overlaps = previous is not None and start < previous.end and previous.start < end and start < end
        if previous is not None and overlaps and not closes:
            joiner = " " if previous.space_after and previous.phonemes and token.phonemes else ""
            spoken_gap = norm.text[offset + token.start - 1 : offset + token.start].isspace()
            start, end = min(start, previous.start), max(end, previous.end)
            words[-1] = Word(
                text=norm.source[start:end],
                start=start,
                end=end,
                normalized=previous.normalized + (" " if spoken_gap else "") + normalized,
                phonemes=previous.phonemes + joiner + token.phonemes,
                space_after=token.space_after,
                is_punct=previous.is_punct and token.is_punct,
            )
            continue
        words.append(
            Word(
                text=norm.source[start:end],
                start=start,
                end=end,
                normalized=normalized,
                phonemes=token.phonemes,
                space_after=token.space_after,
                is_punct=token.is_punct,
            )
        )
    return words
