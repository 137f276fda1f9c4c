"""Timestamp files: JSON (one entry per word), SRT, WebVTT and ASS (words grouped into cues).

Cues stay short enough to read at a glance: at most ``MAX_CUE_SECONDS`` long and
``MAX_CUE_CHARS`` characters, the usual broadcast line length. A silence longer than
``MAX_GAP_SECONDS`` (a markup pause, a slow speed) ends a cue, so that no text is shown before
it is said nor left on screen through the silence.

ASS (Advanced SubStation Alpha, what abogen writes) adds karaoke: libass players (mpv, VLC, ffmpeg's
subtitles filter) sweep each word in the highlight colour while it is said. Its times are centiseconds.
"""

from __future__ import annotations

import json
import re
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
_SPACES = re.compile(r"\s+")
# What ASS text must escape (libass's reading): "{" and "}" open and close override blocks, and a backslash
# before N, n, h, "{" or "}" (the next word's block included) is an escape; a zero-width space after each
# backslash keeps it literal, as libass's authors advise, since ASS has no escape for it.
ASS_ESCAPES = str.maketrans({"\\": "\\\u200b", "{": "\\{", "}": "\\}"})
# One readable style: white words turn gold as they are said (colours are &HAABBGGRR), a black outline and a
# soft shadow, bottom centre (alignment 2) on a 1080p canvas that players scale to the picture.
ASS_STYLE = {
    "Name": "Default", "Fontname": "Arial", "Fontsize": "64", "PrimaryColour": "&H0000D7FF",
    "SecondaryColour": "&H00FFFFFF", "OutlineColour": "&H00000000", "BackColour": "&H80000000", "Bold": "0",
    "Italic": "0", "Underline": "0", "StrikeOut": "0", "ScaleX": "100", "ScaleY": "100", "Spacing": "0", "Angle": "0",
    "BorderStyle": "1", "Outline": "3", "Shadow": "1", "Alignment": "2", "MarginL": "80", "MarginR": "80",
    "MarginV": "60", "Encoding": "1",
}
ASS_HEADER = f"""[Script Info]
ScriptType: v4.00+
PlayResX: 1920
PlayResY: 1080
WrapStyle: 0
ScaledBorderAndShadow: yes

[V4+ Styles]
Format: {", ".join(ASS_STYLE)}
Style: {",".join(ASS_STYLE.values())}

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
"""


@dataclass(frozen=True)
class Cue:
    start_s: float
    end_s: float
    text: str
    words: tuple[WordTimestamp, ...]


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


def _span(words: Sequence[WordTimestamp], source: str) -> tuple[int, int]:
    """Where the cue of ``words`` lies in ``source``: the first word's opening punctuation to the last's closing."""
    end = words[-1].end_char
    while end < len(source) and _glued(source[end]):
        end += 1  # keep the punctuation that closes the last word
    return _opening(source, words[0].start_char), end


def _shown(raw: str) -> str:
    """``raw`` as a cue shows it from its start: without hidden markup, each run of spaces one space."""
    return _SPACES.sub(" ", raw.replace(HIDDEN, "")).lstrip()


def _cue_text(words: Sequence[WordTimestamp], source: str | None) -> str:
    if source is None:
        return " ".join(w.word for w in words)
    begin, end = _span(words, source)
    return _shown(source[begin:end]).rstrip()


def _word_pieces(cue: Cue, source: str | None) -> list[str]:
    """``cue.text`` cut before each of its words (with the punctuation that opens it), so that karaoke can time
    each piece by its word and the pieces still join into exactly the text the other formats show."""
    cuts = [0]
    if source is None:
        for word in cue.words[:-1]:
            cuts.append(cuts[-1] + len(word.word) + 1)
    else:
        begin, end = _span(cue.words, source)
        for word in cue.words[1:]:
            at = min(max(_opening(source, word.start_char), begin), end)
            cuts.append(min(max(len(_shown(source[begin:at])), cuts[-1]), len(cue.text)))
    cuts.append(len(cue.text))
    return [cue.text[a:b] for a, b in zip(cuts, cuts[1:])]


def _cue(words: list[WordTimestamp], source: str | None) -> Cue:
    return Cue(words[0].start_s, max(w.end_s for w in words), _cue_text(words, source), tuple(words))


def _clock(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _centis(seconds: float) -> int:
    return max(0, round(seconds * 100))


def _ass_clock(centis: int) -> str:
    hours, centis = divmod(centis, 360_000)
    minutes, centis = divmod(centis, 6000)
    secs, centis = divmod(centis, 100)
    return f"{hours}:{minutes:02d}:{secs:02d}.{centis:02d}"


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


def _karaoke(cue: Cue, source: str | None, start: int, end: int) -> str:
    """The cue's text with a ``\\kf`` sweep before each word, in centiseconds from ``start`` to ``end``.

    Each word's times are rounded where they fall on the line, and its sweep runs between those rounded times,
    so that the durations add up to the line's and no word drifts from the audio; the silence before a word is
    an empty ``\\k`` syllable (its time passes with nothing to sweep), and so is the line's end after its words.
    """
    parts, at = [], start
    for word, piece in zip(cue.words, _word_pieces(cue, source)):
        said = min(max(_centis(word.start_s), at), end)
        done = min(max(_centis(word.end_s), said), end)
        if said > at:
            parts.append(f"{{\\k{said - at}}}")
        parts.append(f"{{\\kf{done - said}}}{piece.translate(ASS_ESCAPES)}")
        at = done
    if end > at:
        parts.append(f"{{\\k{end - at}}}")
    return "".join(parts)


def to_ass(words: Sequence[WordTimestamp], source: str | None = None) -> str:
    """One karaoke line per cue. Rounded to centiseconds, a line still lasts at least one and starts no
    earlier than the one before it ends, so that two lines never share the screen."""
    lines, shown_until = [], 0
    for cue in group_cues(words, source):
        start = max(_centis(cue.start_s), shown_until)
        end = max(_centis(cue.end_s), start + 1)
        times = f"{_ass_clock(start)},{_ass_clock(end)}"
        lines.append(f"Dialogue: 0,{times},{ASS_STYLE['Name']},,0,0,0,,{_karaoke(cue, source, start, end)}\n")
        shown_until = end
    return ASS_HEADER + "".join(lines)


WRITERS = {".json": to_json, ".srt": to_srt, ".vtt": to_vtt, ".ass": to_ass}


def check_timestamp_path(path: Path) -> None:
    """Refuse an unknown extension before any audio is synthesised."""
    if path.suffix.lower() not in WRITERS:
        raise KokoroError(
            f"cannot tell the timestamp format of {path.name!r}", hint="use a .json, .srt, .vtt or .ass file name"
        )


def write_timestamps(path: Path, words: Sequence[WordTimestamp], source: str | None = None) -> None:
    """Write ``words`` in the format named by the file extension, atomically; ``source`` is the
    original text the words' character spans index (used for cue text)."""
    check_timestamp_path(path)
    atomic_write_text(path, WRITERS[path.suffix.lower()](words, source))
