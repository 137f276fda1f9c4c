"""Subtitle files in: SRT, WebVTT and ASS/SSA, as each cue's times and its text as a viewer reads it.

pysubs2 parses the formats into one event model (SRT's and WebVTT's ``<i>``-style tags become ASS
overrides, other tags are dropped); what is left to do here is what a viewer sees of an event: no
override blocks ``{...}``, no ASS drawing (``{\\p1}m 0 0 l ...``, shapes, not words), a line break
(``\\N``) or hard space (``\\h``) read as a space, HTML entities of SRT and WebVTT (``&amp;``) as the
character. Comments and cues left empty are skipped, and so is an event that repeats one before it, times
and text (an ASS typesetter's layers: an outline under its fill, said once). The cues come in time order (an
ASS file often lists its events by style), each numbered by its place in the file for messages. A WebVTT
file's NOTE, STYLE and REGION blocks and its cue identifiers are not text (``_vtt_cue_blocks``).

The bytes are decoded as a book file is (``text.decoding.decode_book``): UTF-8, else Windows-1252
with a warning, since subtitles from Windows tools are often Latin-1; and UTF-16 with or without a
byte-order mark, which some Windows subtitle editors write.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kokoro_tui.errors import KokoroError, path_error
from kokoro_tui.text.decoding import decode_book

# pysubs2's format identifiers of the formats read, each by its file extension.
FORMATS_BY_SUFFIX = {".srt": "srt", ".vtt": "vtt", ".ass": "ass", ".ssa": "ssa"}
FORMAT_NAMES = "SRT, WebVTT, ASS or SSA"
_HTML_FORMATS = {"srt", "vtt"}  # whose text may hold entities such as &amp;
_OVERRIDE = re.compile(r"\{[^}]*\}")
_DRAWING = re.compile(r"\\p(\d+)")  # \p1 starts drawing mode, \p0 ends it (\pos and \pbo are not this)
_BREAKS = re.compile(r"\\[Nnh]")
_VTT_TIMING = "-->"  # only a WebVTT cue's block has a line with it


@dataclass(frozen=True)
class SubtitleCue:
    """One cue to speak: its start and end in seconds and its text as shown, one line.
    ``number`` is its place among the file's events (1 for the first), to name it in messages."""

    number: int
    start_s: float
    end_s: float
    text: str


def is_subtitle_path(path: Path) -> bool:
    """Whether ``path``'s extension names a subtitle format this module reads."""
    return path.suffix.lower() in FORMATS_BY_SUFFIX


def clock(seconds: float) -> str:
    """``0:01:02.300``: a time in a subtitle file, as messages name it."""
    sign, millis = ("-" if seconds < 0 else ""), round(abs(seconds) * 1000)
    minutes, millis = divmod(millis, 60_000)
    hours, minutes = divmod(minutes, 60)
    return f"{sign}{hours}:{minutes:02d}:{millis / 1000:06.3f}"


def shown_text(raw: str, entities: bool) -> str:
    """An event's text as a viewer reads it, on one line (see the module docstring); ``entities``:
    HTML entities are decoded too."""
    pieces, drawing, at = [], False, 0
    for block in _OVERRIDE.finditer(raw):
        if not drawing:
            pieces.append(raw[at : block.start()])
        for scale in _DRAWING.findall(block.group()):
            drawing = int(scale) > 0
        at = block.end()
    if not drawing:
        pieces.append(raw[at:])
    text = _BREAKS.sub(" ", "".join(pieces))
    return " ".join((html.unescape(text) if entities else text).split())


def _vtt_cue_blocks(text: str) -> str:
    """A WebVTT file as its cue blocks alone, each from its timing line. pysubs2 reads WebVTT as SRT, taking every
    line up to the next timing line as the cue's text, so a NOTE block or the next cue's identifier after a cue
    would be spoken as part of it; in WebVTT a blank line ends every block."""
    cues: list[str] = []
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            block.append(line)
            continue
        timing = next((index for index, each in enumerate(block) if _VTT_TIMING in each), None)
        if timing is not None:
            cues.append("\n".join(block[timing:]))
        block = []
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


def _format_of(text: str, source: str, suffix: str) -> tuple[str, bool]:
    """pysubs2's identifier for ``text``, and whether its content said so: else the file's extension says
    (an ASS file without a styles section is not recognised by content). A format not read here is refused."""
    from pysubs2.exceptions import FormatAutodetectionError
    from pysubs2.formats import autodetect_format

    try:
        found, detected = autodetect_format(text), True
    except FormatAutodetectionError:
        found, detected = FORMATS_BY_SUFFIX.get(suffix), False
    if found is None:
        raise _not_subtitles(source)
    if found not in FORMATS_BY_SUFFIX.values():
        raise KokoroError(f"{source} is in a subtitle format not read here ({found})",
                          hint=f"convert it to {FORMAT_NAMES} first")
    return found, detected


def _not_subtitles(source: str) -> KokoroError:
    return KokoroError(f"{source} is not a subtitle file", hint=f"give an {FORMAT_NAMES} file")


def read_subtitles(data: bytes, source: str, warn: Callable[[str], None], suffix: str = "") -> list[SubtitleCue]:
    """The cues with text of the subtitle file ``source`` whose bytes are ``data``, in time order.

    ``suffix`` (``.srt``...) is the format to read when the content does not say. A file that is no
    subtitle file, a format not read here, no cue with text, or a time before zero is a KokoroError.
    """
    import pysubs2

    text = decode_book(data, source, warn)
    fmt, detected = _format_of(text, source, suffix.lower())
    if fmt == "vtt":
        text = _vtt_cue_blocks(text)
    try:
        with warnings.catch_warnings():  # pysubs2 warns of each field it cannot parse, then uses a default
            warnings.simplefilter("ignore")
            events = pysubs2.SSAFile.from_string(text, format_=fmt).events
    except (pysubs2.Pysubs2Error, ValueError, LookupError) as error:
        raise KokoroError(f"cannot read {source} as {fmt.upper()}: {error}") from None
    if not events and not detected:  # no cue at all where only the extension named the format
        raise _not_subtitles(source)
    cues: list[SubtitleCue] = []
    seen: set[tuple[int, int, str]] = set()  # each event's times (ms) and text
    for number, event in enumerate(events, 1):
        spoken = "" if event.is_comment else shown_text(event.text, fmt in _HTML_FORMATS)
        if not spoken or (event.start, event.end, spoken) in seen:
            continue
        seen.add((event.start, event.end, spoken))
        cue = SubtitleCue(number, event.start / 1000, event.end / 1000, spoken)
        if cue.start_s < 0 or cue.end_s < cue.start_s:
            raise KokoroError(f"cue {number} of {source} is timed {clock(cue.start_s)} to {clock(cue.end_s)}",
                              hint="a cue must start at 0 or later and end no earlier than it starts")
        cues.append(cue)
    if not cues:
        raise KokoroError(f"{source} has no cue with text to speak")
    return sorted(cues, key=lambda cue: cue.start_s)


def read_subtitle_file(path: Path, warn: Callable[[str], None]) -> list[SubtitleCue]:
    """``read_subtitles`` of the file at ``path``; a file that cannot be read is a KokoroError naming it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise path_error("read", path, error) from None
    return read_subtitles(data, str(path), warn, path.suffix)
