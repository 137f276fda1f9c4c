"""Hearing-impaired subtitles' additions left out of speech (speech/subtitle_descriptions.py), markup kept."""

from __future__ import annotations

import pytest

from kokoro_tui.speech.subtitle_descriptions import dialogue, dialogue_only
from kokoro_tui.speech.subtitle_reader import SubtitleCue


@pytest.mark.parametrize(
    ("shown", "said"),
    [
        ("[DOOR SLAMS] Who is there?", "Who is there?"),
        ("JOHN: Come here. (laughing)", "Come here."),
        ("- MARY: Hi. - TOM O'NEIL: Hello.", "- Hi. - Hello."),
        ("\u266a Happy birthday \u266a", "Happy birthday"),
        ("\u266a \u266a", ""),
        ("(sighs)", ""),
        ("Say [tomato](/təmˈAtO/) [pause:1s] now.", "Say [tomato](/təmˈAtO/) [pause:1s] now."),
        ("[voice:am_adam] Come in.", "[voice:am_adam] Come in."),
        ("It is 10:30 now.", "It is 10:30 now."),
        ("Dr. Who: the film", "Dr. Who: the film"),  # not capitals: no label
    ],
)
def test_only_the_dialogue_is_said(shown: str, said: str) -> None:
    assert dialogue(shown) == said


def test_a_cue_of_sounds_alone_keeps_its_place_silent() -> None:
    cues = [SubtitleCue(1, 0.0, 1.0, "[thunder]"), SubtitleCue(2, 1.0, 2.0, "NARRATOR: It rained.")]
    assert [(cue.number, cue.text) for cue in dialogue_only(cues)] == [(1, ""), (2, "It rained.")]
