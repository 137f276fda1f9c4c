r"""Inline markup: pronunciations, pauses, voice and speed switches written into the text itself.

    [tomato](/təmˈɑːtoʊ/)    these words said as these phonemes (several words share the one IPA)
    [pause:1.5s]             silence: 1.5s, 500ms or 2 (seconds), at most a minute
    [voice:af_bella]         what follows in another voice, or a blend: [voice:af_heart:0.7,am_adam:0.3]
    [speed:1.2]              what follows at another speed
    \[pause:1s]              a backslash before the bracket: the markup it opens is text, read as written

A switch lasts until the next one or the end of the text. Markup that does not parse (an unknown tag,
a bad number, a missing bracket, a value out of range, a voice the store lacks, phonemes the model has
no symbol for) stays in the text and is read as written, with one warning naming its line: nothing is
dropped without a word. Ordinary brackets ("[sic]", "[1]", "[Note: see below]") are prose and pass
without a warning; only what looks like a tag of ours does: ``[pause:``, ``[voice:``, ``[speed:``, a
``[name:value]`` with a lower-case name and no spaces, and ``](/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kokoro_tui.text.overrides import Override, length_problem, symbol_advice
from kokoro_tui.text.vocab import PhonemeVocab

MAX_PAUSE_S = 60.0
SHOWN_CHARS = 40  # of a fragment quoted in a warning
TAGS = ("pause", "voice", "speed")

# A complete pronunciation, and nothing else: what a Markdown book must keep from becoming a link.
PRONUNCIATION = re.compile(r"\[([^\[\]\n]+)\]\(/([^/\n]+)/\)")
# Everything that looks like markup, malformed included, earliest first: an escaped bracket with the markup it
# opens, a tag of ours (closed or not), a pronunciation (closed or not), another tag-like "[name:value]", a "](/"
# with no "[" before it.
_MARKUP = re.compile(
    r"\\(?P<escaped>\[[^\[\]\n\\]*\](?:\(/[^/\n]*/\))?|[\[\]])"
    r"|\[\s*(?P<tag>(?i:pause|voice|speed))\s*:(?P<value>[^\[\]\n]*)(?P<tag_end>\])?"
    r"|\[(?P<words>[^\[\]\n]*)\]\(/(?P<ipa>[^/\n]*)(?P<ipa_end>/\))?"
    r"|\[(?P<unknown>[a-z][a-z_]*):[\w.,:+-]+\]"
    r"|\]\(/[^\s/]*(?:/\))?"
)
_PAUSE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(ms|s)?", re.IGNORECASE)
_SPEED = re.compile(r"(\d+(?:\.\d*)?|\.\d+)x?", re.IGNORECASE)


@dataclass(frozen=True)
class Spoken:
    """Text to read, ``Script.spoken[start:end]``, with the pronunciations given inside it."""

    start: int
    end: int
    overrides: tuple[Override, ...] = ()


@dataclass(frozen=True)
class Pause:
    seconds: float
    start: int  # the tag's span in the text
    end: int


@dataclass(frozen=True)
class VoiceSwitch:
    voice: str  # a spec the voice store resolves: a name, a file, a blend
    start: int
    end: int


@dataclass(frozen=True)
class SpeedSwitch:
    speed: float
    start: int
    end: int


Cue = Pause | VoiceSwitch | SpeedSwitch
Part = Spoken | Cue


@dataclass(frozen=True)
class Script:
    """The text as given, the same text with the pronunciations' brackets and phonemes blanked (what
    the front end reads, so every offset still indexes ``text``), its parts in order, and the warnings."""

    text: str
    spoken: str
    parts: tuple[Part, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class MarkupRules:
    """What a value must be to count: the speeds the pipeline takes, the voices the store has (a
    message for a spec it cannot resolve, None for a good one), the phoneme symbols the model knows."""

    speeds: tuple[float, float]
    voice_problem: Callable[[str], str | None] = field(default=lambda spec: None)
    vocab: PhonemeVocab = field(default_factory=PhonemeVocab.default)


def plain_script(text: str) -> Script:
    """``text`` read as it is written, brackets and all (``--no-markup``)."""
    return Script(text, text, (Spoken(0, len(text)),))


def _number(pattern: re.Pattern[str], value: str) -> re.Match[str] | None:
    return pattern.fullmatch(value.strip())


def _cue(match: re.Match[str], rules: MarkupRules) -> Cue | str:
    """The pause or switch of a closed tag, or what is wrong with it."""
    tag, value, start, end = match["tag"].lower(), match["value"].strip(), match.start(), match.end()
    if tag == "pause":
        found = _number(_PAUSE, value)
        if found is None:
            return f"{value!r} is not a length: write 1.5s, 500ms, or 2 for seconds"
        seconds = float(found[1]) / (1000 if (found[2] or "s").lower() == "ms" else 1)
        if seconds > MAX_PAUSE_S:
            return f"a pause is at most {MAX_PAUSE_S:g} seconds"
        return Pause(seconds, start, end)
    if tag == "speed":
        found, (low, high) = _number(_SPEED, value), rules.speeds
        if found is None or not low <= float(found[1]) <= high:
            return f"a speed is a number from {low:g} to {high:g}"
        return SpeedSwitch(float(found[1]), start, end)
    problem = rules.voice_problem(value) if value else "no voice named"
    return VoiceSwitch(value, start, end) if problem is None else problem


def _pronunciation(match: re.Match[str], rules: MarkupRules) -> Override | str:
    words, phonemes = match["words"], " ".join(match["ipa"].split())
    if not any(char.isalnum() for char in words):
        return "no word inside the brackets"
    if not phonemes:
        return "no phonemes between the slashes"
    unknown = rules.vocab.missing(phonemes)
    if unknown:
        return f"phoneme symbols the model does not know: {' '.join(unknown)}{symbol_advice(unknown)}"
    too_long = length_problem(phonemes)
    if too_long:
        return too_long
    start = match.start("words") + len(words) - len(words.lstrip())
    after = match.string[match.end() : match.end() + 1]
    return Override(start, start + len(words.strip()), phonemes, space_after=not after or after.isspace())


def _read(match: re.Match[str], rules: MarkupRules) -> Cue | Override | str:
    """What one piece of markup means, or why it is read as text."""
    if match["tag"] is not None:
        return _cue(match, rules) if match["tag_end"] else 'no closing "]" on its line'
    if match["words"] is not None:
        return _pronunciation(match, rules) if match["ipa_end"] else 'no closing "/)" on its line'
    if match["unknown"] is not None:
        return f"unknown tag {match['unknown']!r}; the tags are {', '.join(TAGS)} and [words](/phonemes/)"
    return 'a "](/" with no "[words" before it'


def parse_markup(text: str, rules: MarkupRules) -> Script:
    """``text`` cut into spoken stretches and cues; bad markup stays in the text, with a warning."""
    parts: list[Part] = []
    warnings: list[str] = []
    given: list[Override] = []
    blanks: list[tuple[int, int]] = []
    start = 0
    for match in _MARKUP.finditer(text):
        if match["escaped"]:  # the bracket is text; the backslash is not read
            blanks.append((match.start(), match.start("escaped")))
            continue
        meaning = _read(match, rules)
        if isinstance(meaning, str):
            fragment = match.group()
            shown = fragment if len(fragment) <= SHOWN_CHARS else fragment[: SHOWN_CHARS - 1] + "…"
            line = text.count("\n", 0, match.start()) + 1
            warnings.append(f'line {line}: "{shown}" is read as text ({meaning})')
        elif isinstance(meaning, Override):
            given.append(meaning)
            blanks += [(match.start(), meaning.start), (meaning.end, match.end())]
        else:
            parts.append(Spoken(start, match.start(), tuple(given)))
            parts.append(meaning)
            start, given = match.end(), []
    parts.append(Spoken(start, len(text), tuple(given)))
    pieces, position = [], 0
    for blank_start, blank_end in blanks:
        pieces += [text[position:blank_start], " " * (blank_end - blank_start)]
        position = blank_end
    pieces.append(text[position:])
    kept = tuple(part for part in parts if not isinstance(part, Spoken) or part.end > part.start)
    return Script(text, "".join(pieces), kept, tuple(warnings))
