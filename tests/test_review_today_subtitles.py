"""Subtitle files as real films ship them, read for `kokoro dub` (speech/subtitle_reader.py): a WebVTT file's notes
and cue identifiers between cues, and an ASS file's layers repeating one line."""

from __future__ import annotations

from kokoro_tui.speech.subtitle_reader import SubtitleCue, read_subtitles

# Notes and identifiers after the first cue: pysubs2 alone reads them as the text of the cue before.
VTT = """WEBVTT

intro
00:01.000 --> 00:02.000
Hello.

scene-2
00:03.000 --> 00:04.000
Second line.

NOTE the director wants this
line to be quieter

00:05.000 --> 00:06.000 line:0
Third line.

NOTE trailing note
"""
ASS_HEAD = """[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1
Style: Sign,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
"""
# A typesetter's sign: a blurred outline on layer 0 under its fill on layer 1, the same words at the same time.
ASS_EVENTS = """Dialogue: 0,0:00:01.00,0:00:03.00,Sign,,0,0,0,,{\\blur3\\bord4\\pos(960,100)}Tokyo Station
Dialogue: 1,0:00:01.00,0:00:03.00,Sign,,0,0,0,,{\\bord0\\pos(960,100)}Tokyo Station
Dialogue: 0,0:00:02.00,0:00:04.00,Default,,0,0,0,,We're here.
Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,We're here.
"""


def read(text: str, suffix: str) -> list[SubtitleCue]:
    return read_subtitles(text.encode("utf-8"), f"film{suffix}", [].append, suffix)


def test_vtt_notes_and_identifiers_between_cues_are_not_spoken():
    expected = [
        SubtitleCue(1, 1.0, 2.0, "Hello."),
        SubtitleCue(2, 3.0, 4.0, "Second line."),
        SubtitleCue(3, 5.0, 6.0, "Third line."),
    ]
    assert read(VTT, ".vtt") == expected
    assert read(VTT.replace("\n", "\r\n"), ".vtt") == expected  # Windows line endings alike


def test_an_ass_line_repeated_on_another_layer_is_spoken_once():
    """The same words at the same time are one line however many layers draw it; at another time they are said again."""
    assert read(ASS_HEAD + ASS_EVENTS, ".ass") == [
        SubtitleCue(1, 1.0, 3.0, "Tokyo Station"),
        SubtitleCue(3, 2.0, 4.0, "We're here."),
        SubtitleCue(4, 5.0, 6.0, "We're here."),
    ]
