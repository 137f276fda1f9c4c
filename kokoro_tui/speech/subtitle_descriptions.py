"""What hearing-impaired subtitles show but a voice-over does not say: sound descriptions and speaker labels.

SDH subtitles put sounds in brackets or parentheses ("[door slams]", "(laughing)"), mark music with notes
("♪"), and name a speaker in capitals before a colon ("JOHN: Come here."). A dub track or a reading of the
cues says only the dialogue; `kokoro dub --keep-descriptions` says everything as shown. Our inline markup in
brackets ("[pause:1s]", "[word](/IPA/)") is no description and stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from kokoro_tui.speech.subtitle_reader import SubtitleCue
from kokoro_tui.text.markup import TAGS

_DESCRIPTION = re.compile(
    rf"\[(?![^\[\]]*\]\(/)(?!\s*(?:{'|'.join(TAGS)})\s*:)[^\[\]]*\]"  # brackets that are not our markup
    r"|(?<!\])\([^()]*\)"  # parentheses, but not a pronunciation's "(/IPA/)"
)
_NOTES = re.compile(r"[\u266a\u266b\u266c]+")
# A label opens the cue or a speaker's turn ("- MARY: Hello."): capitals, then a colon and a space.
_SPEAKER = re.compile(r"(?:^|(?<=[-\u2013\u2014] ))[A-Z][A-Z0-9 .'\u2019-]{0,30}:\s+")


def dialogue(text: str) -> str:
    """``text`` without its sound descriptions, music notes and speaker labels, spaces tidied."""
    kept = _SPEAKER.sub("", _NOTES.sub(" ", _DESCRIPTION.sub(" ", text)).strip())
    return " ".join(kept.split())


def dialogue_only(cues: Iterable[SubtitleCue]) -> list[SubtitleCue]:
    """Each cue with its text's dialogue alone; a cue that held nothing else keeps its place, silent."""
    return [replace(cue, text=dialogue(cue.text)) for cue in cues]
