"""Timestamp files: JSON (one entry per word), SRT and WebVTT (words grouped into cues).

Cues stay short enough to read at a glance: at most ``MAX_CUE_SECONDS`` long and
``MAX_CUE_CHARS`` characters, the usual broadcast line length. A silence longer than
``MAX_GAP_SECONDS`` (a markup pause, a slow speed) ends a cue, so that no text is shown before
it is said nor left on screen through the silence.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kokoro_tui.atomic import atomic_write_text
from kokoro_tui.errors import KokoroError
from kokoro_tui.speech.types import WordTimestamp

MAX_CUE_SECONDS = 7.0
MAX_CUE_CHARS = 42
MAX_GAP_SECONDS = 1.0  # longer than the silence between two sentences at normal speed
# What WebVTT cue text must escape: "<" and "&" start tags and entities, ">" ends "-->".
VTT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Stands in a source text for a character no cue shows (markup), so that the words' spans still index it.
HIDDEN = "\0"


@dataclass(frozen=True)
class Cue:
    start_s: float
    end_s: float
    text: str


def group_cues(
    words: Sequence[WordTimestamp],
    source: str | None = None,
    max_seconds: float = MAX_CUE_SECONDS,
    max_chars: int = MAX_CUE_CHARS,
    max_gap: float = MAX_GAP_SECONDS,
) -> list[Cue]:
    """Greedy grouping: a word starts a new cue when adding it would break a limit, or after a long silence.

    With the original ``source`` text, a cue shows it as written (punctuation included, ``HIDDEN``
    characters left out); without it, the words joined by spaces.
    """
    cues: list[Cue] = []
    current: list[WordTimestamp] = []
    for word in words:
        if current:
            text = _cue_text([*current, word], source)
            too_long = len(text) > max_chars or word.end_s - current[0].start_s > max_seconds
            if too_long or word.start_s - current[-1].end_s > max_gap:
                cues.append(_cue(current, source))
                current = []
        current.append(word)
    if current:
        cues.append(_cue(current, source))
    return cues


def _glued(char: str) -> bool:
    """Whether ``char`` sticks to the word beside it: punctuation, a quote, a bracket, hidden markup."""
    return not char.isspace() and not char.isalnum()


def _opening(source: str, start: int) -> int:
    """Where the word at ``start`` begins with the punctuation that opens it (a quote, a bracket), when that
    stands after a space: punctuation between two words (``one—two``) closes the word before it."""
    begin = start
    while begin > 0 and _glued(source[begin - 1]):
        begin -= 1
    return begin if begin == 0 or source[begin - 1].isspace() else start


def _cue_text(words: list[WordTimestamp], source: str | None) -> str:
    if source is None:
        return " ".join(w.word for w in words)
    end = words[-1].end_char
    while end < len(source) and _glued(source[end]):
        end += 1  # keep the punctuation that closes the last word
    return " ".join(source[_opening(source, words[0].start_char) : end].replace(HIDDEN, "").split())


def _cue(words: list[WordTimestamp], source: str | None) -> Cue:
    return Cue(words[0].start_s, max(w.end_s for w in words), _cue_text(words, source))


def _clock(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def to_json(words: Sequence[WordTimestamp], source: str | None = None) -> str:
    """One entry per word; ``source`` is not needed, each entry carries its character span."""
    return json.dumps([w.to_dict() for w in words], ensure_ascii=False, indent=1) + "\n"


def to_srt(words: Sequence[WordTimestamp], source: str | None = None) -> str:
    blocks = [
        f"{n}\n{_clock(c.start_s, ',')} --> {_clock(c.end_s, ',')}\n{c.text}\n"
        for n, c in enumerate(group_cues(words, source), start=1)
    ]
    return "\n".join(blocks)


def to_vtt(words: Sequence[WordTimestamp], source: str | None = None) -> str:
    blocks = [
        f"{_clock(c.start_s, '.')} --> {_clock(c.end_s, '.')}\n{c.text.translate(VTT_ESCAPES)}\n"
        for c in group_cues(words, source)
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


WRITERS = {".json": to_json, ".srt": to_srt, ".vtt": to_vtt}


def check_timestamp_path(path: Path) -> None:
    """Refuse an unknown extension before any audio is synthesised."""
    if path.suffix.lower() not in WRITERS:
        raise KokoroError(
            f"cannot tell the timestamp format of {path.name!r}", hint="use a .json, .srt or .vtt file name"
        )


def write_timestamps(path: Path, words: Sequence[WordTimestamp], source: str | None = None) -> None:
    """Write ``words`` in the format named by the file extension, atomically; ``source`` is the
    original text the words' character spans index (used for cue text)."""
    check_timestamp_path(path)
    atomic_write_text(path, WRITERS[path.suffix.lower()](words, source))
