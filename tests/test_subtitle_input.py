"""Subtitle files read as a viewer reads them (speech/subtitle_reader.py), and `say --file x.srt` reading only the cue texts."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kokoro_tui.cli.main import app
from kokoro_tui.errors import KokoroError
from kokoro_tui.speech.subtitle_reader import SubtitleCue, read_subtitle_file, read_subtitles

SRT = """1
00:00:01,000 --> 00:00:02,500
<i>Hello</i> there,
<font color="#ff0000">my friend</font> &amp; you.

2
00:00:03,000 --> 00:00:04,000
{\\an8}<b>Upstairs</b> now.

3
00:00:05,000 --> 00:00:06,000
<i></i>

"""
VTT = """WEBVTT
Kind: captions
Language: en

NOTE a note the viewer never sees

STYLE
::cue { color: yellow }

intro
00:00:01.000 --> 00:00:02.000 align:start position:10% line:0
<v Roger>Welcome</v> <c.loud>home</c>,
everyone.

00:03.500 --> 00:04.250
Tom &amp; Jerry
"""
ASS = """[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100{\\p0}Second\\hline
Comment: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,a translator's note
Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,{\\i1}{\\i0}
Dialogue: 0,0:00:01.00,0:00:02.50,Default,,0,0,0,,{\\pos(10,20)\\i1}First{\\i0} line,\\Nbroken in two.
"""


def cues(text: str | bytes, suffix: str = ".srt", warnings: list[str] | None = None) -> list[SubtitleCue]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_subtitles(data, f"in{suffix}", (warnings if warnings is not None else []).append, suffix)


def test_srt_tags_are_stripped_and_a_two_line_cue_is_one_line():
    assert cues(SRT) == [
        SubtitleCue(1, 1.0, 2.5, "Hello there, my friend & you."),
        SubtitleCue(2, 3.0, 4.0, "Upstairs now."),
    ]


def test_vtt_header_notes_styles_and_cue_settings_are_not_read():
    assert cues(VTT, ".vtt") == [
        SubtitleCue(1, 1.0, 2.0, "Welcome home, everyone."),
        SubtitleCue(2, 3.5, 4.25, "Tom & Jerry"),
    ]


def test_ass_overrides_breaks_drawings_and_comments_in_time_order():
    """Numbered by their place in the file, listed by time; a drawing and the empty and comment events say nothing."""
    assert cues(ASS, ".ass") == [
        SubtitleCue(4, 1.0, 2.5, "First line, broken in two."),
        SubtitleCue(1, 5.0, 6.0, "Second line"),
    ]


def test_an_ass_file_without_styles_is_read_by_its_extension():
    without_styles = ASS.replace(ASS[ASS.index("[V4+ Styles]") : ASS.index("[Events]")], "")
    assert [cue.text for cue in cues(without_styles, ".ass")] == ["First line, broken in two.", "Second line"]


def test_a_latin1_srt_is_read_as_windows_1252_with_a_warning():
    warned: list[str] = []
    latin1 = "1\n00:00:01,000 --> 00:00:02,000\nUn café, señor.\n".encode("latin-1")
    assert [cue.text for cue in cues(latin1, warnings=warned)] == ["Un café, señor."]
    assert warned == ["in.srt is not UTF-8: read as Windows-1252"]


@pytest.mark.parametrize(
    ("data", "suffix", "message"),
    [
        (b"", ".srt", "in.srt is not a subtitle file (give an SRT, WebVTT, ASS or SSA file)"),
        (b"Just a page of prose.\nNothing timed here.\n", ".srt", "in.srt is not a subtitle file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ".txt", "in.txt is not a subtitle file"),
        (b"{1}{25}Hello\n", ".sub", "in a subtitle format not read here (microdvd)"),
        (b"1\n00:00:01,000 --> 00:00:02,000\n<i> </i>\n", ".srt", "in.srt has no cue with text to speak"),
        (ASS.replace("0:00:05.00,", "-0:00:05.00,").encode(), ".ass", "cue 1 of in.ass is timed -0:00:05.000 to 0:00:06.000"),
        (b"1\n00:00:03,000 --> 00:00:02,000\nBackwards\n", ".srt", "is timed 0:00:03.000 to 0:00:02.000"),
    ],
)
def test_what_is_no_subtitle_file_is_one_clear_error(data, suffix, message):
    with pytest.raises(KokoroError) as raised:
        cues(data, suffix)
    assert message in str(raised.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(KokoroError, match="cannot read .*gone.srt: No such file or directory"):
        read_subtitle_file(tmp_path / "gone.srt", print)


def test_say_reads_only_the_cue_texts_of_a_subtitle_file(tmp_path, monkeypatch):
    """The phonemes of `say --file x.srt` are those of its cue texts: no cue numbers, times or tags are read out."""
    monkeypatch.setenv("KOKORO_HOME", str(tmp_path / "home"))
    (tmp_path / "in.srt").write_text(SRT, encoding="utf-8")
    (tmp_path / "in.txt").write_text("Hello there, my friend & you.\nUpstairs now.\n", encoding="utf-8")
    runner = CliRunner()
    subtitles = runner.invoke(app, ["say", "--file", str(tmp_path / "in.srt"), "--phonemes", "-o", str(tmp_path / "s")])
    prose = runner.invoke(app, ["say", "--file", str(tmp_path / "in.txt"), "--phonemes", "-o", str(tmp_path / "p")])
    assert subtitles.exit_code == 0 and prose.exit_code == 0, subtitles.output + prose.output
    assert (tmp_path / "s").read_text() == (tmp_path / "p").read_text()
    assert subtitles.stderr.count("\n") == 1 and "`kokoro dub in.srt -o track.wav`" in subtitles.stderr
