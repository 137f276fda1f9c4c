"""ASS karaoke subtitles: the file read back as libass reads it (a small reader here), by libav through PyAV,
and written by `kokoro say --timestamps x.ass` and `kokoro book --subtitles ass`.

A line must show its cue (the same grouping and text as SRT/WebVTT) from its start to its end, and its ``\\k``
durations must add up to exactly that, or the sweep runs ahead of the voice or behind it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile
from test_speech_pipeline import install_fakes
from tiny_models import one_thread_tiny_home
from typer.testing import CliRunner

from kokoro_tui.cli.main import app
from kokoro_tui.home import ENV_VAR, DataHome
from kokoro_tui.speech.subtitles import HIDDEN, group_cues, write_timestamps
from kokoro_tui.speech.types import WordTimestamp

CLOCK = re.compile(r"(\d+):(\d\d):(\d\d)\.(\d\d)")
KARAOKE = re.compile(r"\\(kf|k)(\d+)")
# What libass reads after a backslash as one character (\N, \n and \h are never written); the zero-width space
# that keeps a backslash literal is invisible.
ESCAPED = {"{": "{", "}": "}", "\u200b": "\\"}
FAST = ["--device", "cpu", "--precision", "fp32"]
WIDE = {"COLUMNS": "250"}  # each option's help on one line
BOOK = "# Tiny\n\n## One\n\nThe first {chapter} has a C:\\new path.\n\n## Two\n\nThe second chapter is short.\n"


@dataclass
class Syllable:
    tag: str  # "kf" for a word's sweep, "k" for the silence before a word or at the end
    centis: int
    text: str  # as the player shows it


@dataclass
class Line:
    start: int  # centiseconds
    end: int
    style: str
    syllables: list[Syllable]

    @property
    def shown(self) -> str:
        return "".join(s.text for s in self.syllables)


@dataclass
class Ass:
    sections: dict[str, list[str]]
    lines: list[Line]

    def info(self, section: str) -> dict[str, str]:
        return dict(entry.split(": ", 1) for entry in self.sections[section] if not entry.startswith(";"))


def centis(clock: str) -> int:
    hours, minutes, seconds, hundredths = map(int, CLOCK.fullmatch(clock).groups())
    return ((hours * 60 + minutes) * 60 + seconds) * 100 + hundredths


def syllables(text: str) -> list[Syllable]:
    """Text as libass shows it, cut into karaoke syllables: an override block runs from "{" to "}"; a backslash
    before "{" or "}" is that character, any other backslash is itself. Only karaoke tags may be in the blocks."""
    out: list[Syllable] = []
    at = 0
    while at < len(text):
        if text[at] == "{":
            close = text.index("}", at)
            tags = KARAOKE.findall(text[at + 1 : close])
            assert "".join(f"\\{tag}{value}" for tag, value in tags) == text[at + 1 : close], text
            out.extend(Syllable(tag, int(value), "") for tag, value in tags)
            at = close + 1
            continue
        assert out, f"text before the first karaoke tag: {text!r}"
        if text[at] == "\\" and text[at + 1 : at + 2] in ESCAPED:
            out[-1].text += ESCAPED[text[at + 1]]
            at += 2
        else:
            assert text[at] != "\\" or text[at + 1 : at + 2] not in ("N", "n", "h"), text
            out[-1].text += text[at]
            at += 1
    return out


def parse_ass(text: str) -> Ass:
    assert "\r" not in text and "\0" not in text
    sections: dict[str, list[str]] = {}
    current = None
    for row in text.splitlines():
        if row.startswith("[") and row.endswith("]"):
            current = sections.setdefault(row[1:-1], [])
        elif row:
            assert current is not None, row
            current.append(row)
    fields = [name.strip() for name in sections["Events"][0].removeprefix("Format: ").split(",")]
    lines = []
    for row in sections["Events"][1:]:
        kind, _, values = row.partition(": ")
        assert kind == "Dialogue", row
        event = dict(zip(fields, values.split(",", len(fields) - 1)))
        lines.append(Line(centis(event["Start"]), centis(event["End"]), event["Style"], syllables(event["Text"])))
    return Ass(sections, lines)


def srt_cues(path: Path) -> list[tuple[float, str]]:
    """(start in centiseconds, text) of each cue of an SRT file."""
    cues = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        _, times, text = block.split("\n")
        hours, minutes, seconds, millis = map(int, re.split(r"[:,]", times.split(" --> ")[0]))
        cues.append(((((hours * 60 + minutes) * 60 + seconds) * 1000 + millis) / 10, text))
    return cues


def written(tmp_path: Path, words: Sequence[WordTimestamp], source: str | None = None) -> Ass:
    path = tmp_path / "t.ass"
    write_timestamps(path, words, source)
    return parse_ass(path.read_text(encoding="utf-8"))


def spaced(*items: tuple[str, float, float]) -> tuple[list[WordTimestamp], str]:
    """Words in a text where one space separates them, and that text."""
    words, pos = [], 0
    for text, start, end in items:
        words.append(WordTimestamp(text, start, end, pos, pos + len(text)))
        pos += len(text) + 1
    return words, " ".join(text for text, _, _ in items)


def check_karaoke(line: Line, words: Sequence[WordTimestamp]) -> None:
    """The sweeps and silences fill the line exactly, each word's sweep starts and ends on its rounded times,
    and each word is in its own sweep, in order."""
    assert sum(s.centis for s in line.syllables) == line.end - line.start
    assert line.end > line.start
    sweeps, at = [], line.start
    for syllable in line.syllables:
        if syllable.tag == "kf":
            sweeps.append((at, at + syllable.centis, syllable.text))
        else:
            assert syllable.text == ""  # a silence shows nothing
        at += syllable.centis
    assert len(sweeps) == len(words)
    for (start, end, text), word in zip(sweeps, words):
        assert (start, end) == (round(word.start_s * 100), round(word.end_s * 100))
        assert word.word in text


def test_sections_style_and_one_line_per_cue(tmp_path):
    many, source = spaced(*[(f"word{i:02d}", 0.3 * i + 0.05, 0.3 * i + 0.27) for i in range(20)])
    ass = written(tmp_path, many, source)
    assert list(ass.sections) == ["Script Info", "V4+ Styles", "Events"]
    info = ass.info("Script Info")
    assert info["ScriptType"] == "v4.00+" and info["ScaledBorderAndShadow"] == "yes" and "WrapStyle" in info
    assert int(info["PlayResX"]) > 0 and int(info["PlayResY"]) > 0
    fields = [name.strip() for name in ass.sections["V4+ Styles"][0].removeprefix("Format: ").split(",")]
    styles = [dict(zip(fields, row.removeprefix("Style: ").split(","))) for row in ass.sections["V4+ Styles"][1:]]
    assert len(fields) == 23 and len(styles) == 1 and len(styles[0]) == 23
    style = styles[0]
    assert style["Alignment"] == "2" and float(style["Outline"]) > 0  # bottom centre, outlined
    assert style["PrimaryColour"] != style["SecondaryColour"]  # the sweep shows
    cues = group_cues(many, source)
    assert len(cues) > 1 and len(ass.lines) == len(cues)
    for line, cue in zip(ass.lines, cues):
        assert line.style == style["Name"]
        assert (line.start, line.end) == (round(cue.start_s * 100), round(cue.end_s * 100))
        assert line.shown == cue.text
        check_karaoke(line, cue.words)


def test_times_are_h_mm_ss_cc_past_an_hour(tmp_path):
    words, source = spaced(("late", 3723.254, 3724.5))
    path = tmp_path / "t.ass"
    write_timestamps(path, words, source)
    assert path.read_text().splitlines()[-1] == r"Dialogue: 0,1:02:03.25,1:02:04.50,Default,,0,0,0,,{\kf125}late"


def test_gaps_are_silent_syllables_and_the_text_keeps_its_punctuation(tmp_path):
    source = '"Hello,"  she said; then—  (soft) went on.'
    words = [
        WordTimestamp("Hello", 0.104, 0.5, 1, 6),
        WordTimestamp("she", 0.62, 0.8, 10, 13),
        WordTimestamp("said", 0.8, 1.106, 14, 18),
        WordTimestamp("then", 1.3, 1.5, 20, 24),
        WordTimestamp("soft", 1.9, 2.4, 28, 32),
        WordTimestamp("went", 2.4, 2.6, 34, 38),
        WordTimestamp("on", 2.65, 2.9, 39, 41),
    ]
    [line] = written(tmp_path, words, source).lines
    assert line.shown == '"Hello," she said; then— (soft) went on.' == group_cues(words, source)[0].text
    assert [(s.tag, s.text) for s in line.syllables] == [
        ("kf", '"Hello," '), ("k", ""), ("kf", "she "), ("kf", "said; "), ("k", ""), ("kf", "then— "), ("k", ""),
        ("kf", "(soft) "), ("kf", "went "), ("k", ""), ("kf", "on."),
    ]
    check_karaoke(line, words)


def test_rounding_never_breaks_order_or_sums(tmp_path):
    """Times off the centisecond grid, words a few milliseconds long and cues a few milliseconds apart: every
    line lasts, none overlaps the next, sums stay exact and no word's sweep drifts from its own time."""
    rng = np.random.default_rng(3)
    items, at = [], 0.0
    for n in range(300):
        at += float(rng.choice([0.0, 0.004, 0.013, 0.3, 1.2]))  # no gap, tiny gaps, a cue-ending silence
        length = float(rng.choice([0.003, 0.006, 0.0149, 0.155, 0.4]))
        items.append((f"w{n}", at, at + length))
        at += length
    words, source = spaced(*items)
    ass = written(tmp_path, words, source)
    cues = group_cues(words, source)
    assert len(ass.lines) == len(cues)
    for line, after in zip(ass.lines, ass.lines[1:]):
        assert line.end <= after.start
    for line, cue in zip(ass.lines, cues):
        assert line.end > line.start and sum(s.centis for s in line.syllables) == line.end - line.start
        assert line.shown == cue.text
        starts = [line.start + sum(s.centis for s in line.syllables[:i]) for i, s in enumerate(line.syllables)]
        sweeps = [start for start, s in zip(starts, line.syllables) if s.tag == "kf"]
        assert len(sweeps) == len(cue.words)
        assert all(abs(start - word.start_s * 100) <= 1 for start, word in zip(sweeps, cue.words))


def test_braces_and_backslashes_are_shown_not_obeyed(tmp_path):
    r"""``{\b1}`` would turn bold, ``\N`` break the line, and a backslash that ends a word would escape the next
    word's ``{``: each must reach the screen as typed."""
    source = r"Say {\b1} and C:\New\ x\Ny }{ done\ next"
    words = [WordTimestamp(w, 0.2 * i, 0.2 * i + 0.15, source.index(w), source.index(w) + len(w))
             for i, w in enumerate(["Say", "b1", "and", "New", r"x\Ny", "done", "next"])]
    path = tmp_path / "t.ass"
    write_timestamps(path, words, source)
    [line] = parse_ass(path.read_text()).lines
    assert line.shown == source == group_cues(words, source)[0].text
    check_karaoke(line, words)
    assert "\\{\\\u200bb1\\}" in path.read_text() and "x\\\u200bNy" in path.read_text()


def test_hidden_markup_and_newlines_leave_no_trace(tmp_path):
    source = f"One{HIDDEN * 9}\n two.{HIDDEN * 4}\n\nThree   four."
    words = [WordTimestamp(w, 0.3 * i, 0.3 * i + 0.2, source.index(w), source.index(w) + len(w))
             for i, w in enumerate(["One", "two", "Three", "four"])]
    [line] = written(tmp_path, words, source).lines
    assert line.shown == "One two. Three four." == group_cues(words, source)[0].text
    check_karaoke(line, words)


def test_without_the_source_the_words_are_shown(tmp_path):
    words, _ = spaced(("Hi", 0.0, 0.2), ("there", 0.25, 0.6))
    [line] = written(tmp_path, words).lines
    assert [s.text for s in line.syllables] == ["Hi ", "", "there"]


def test_libav_reads_every_line_at_its_time(tmp_path):
    """libavformat's ASS demuxer and libavcodec's decoder (what ffmpeg and players built on it read)."""
    many, source = spaced(*[(f"{{w{i}}}\\", 0.45 * i + 0.013, 0.45 * i + 0.4) for i in range(40)])
    path = tmp_path / "t.ass"
    write_timestamps(path, many, source)
    ours = parse_ass(path.read_text())
    texts = [row.split(",", 9)[9] for row in ours.sections["Events"][1:]]
    events = []
    with av.open(str(path)) as container:
        assert container.format.name == "ass"
        stream = container.streams.subtitles[0]
        assert stream.codec_context.name == "ssa" and stream.time_base == Fraction(1, 100)
        assert b"Style: Default," in stream.codec_context.extradata
        for packet in container.demux(stream):
            for subtitle in packet.decode():
                events.append((packet.pts, packet.duration, subtitle.ass.decode().split(",", 8)[8]))
    assert len(ours.lines) > 3
    assert events == [(line.start, line.end - line.start, text) for line, text in zip(ours.lines, texts)]


@pytest.fixture
def fakes(monkeypatch, tmp_path):
    monkeypatch.setenv("KOKORO_HOME", str(tmp_path / "home"))
    return install_fakes(monkeypatch.setattr)


def say(*args: str):
    return CliRunner().invoke(app, ["say", *args])


def test_say_writes_ass_with_the_cues_of_srt(fakes, tmp_path):
    text = "Hello there. [pause:3s] This is [a test](/ə tˈɛst/)! {Last} one."
    for name in ("t.ass", "t.srt"):
        result = say(text, "-o", str(tmp_path / "a.wav"), "--timestamps", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    srt = srt_cues(tmp_path / "t.srt")
    ass = parse_ass((tmp_path / "t.ass").read_text())
    assert [line.shown for line in ass.lines] == [text for _, text in srt]
    assert [text for _, text in srt] == ["Hello there.", "This is a test! {Last} one."]
    assert [line.start for line in ass.lines] == pytest.approx([start for start, _ in srt], abs=1)
    assert all(sum(s.centis for s in line.syllables) == line.end - line.start for line in ass.lines)
    assert ass.lines[-1].end <= soundfile.info(str(tmp_path / "a.wav")).duration * 100 + 1


def test_say_names_ass_when_the_extension_is_unknown(fakes, tmp_path):
    result = say("Hi.", "-o", str(tmp_path / "a.wav"), "--timestamps", str(tmp_path / "t.ssa"))
    assert result.exit_code == 2 and ".ass" in result.stderr
    assert ".vtt or .ass (karaoke)" in CliRunner().invoke(app, ["say", "--help"], env=WIDE).stdout


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataHome]:
    yield from one_thread_tiny_home(tmp_path_factory.mktemp("ass-book") / "home")


def book(*args: str):
    return CliRunner().invoke(app, ["book", *args, *FAST])


def test_book_writes_ass_beside_each_chapter_file_and_the_m4b(home, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(home.root))
    source = tmp_path / "tiny.md"
    source.write_text(BOOK)
    parts = tmp_path / "parts"
    for fmt in ("ass", "srt"):  # the second run reuses every chapter
        done = book(str(source), "--split-chapters", "--format", "wav", "--subtitles", fmt, "-o", str(parts))
        assert done.exit_code == 0, done.output
    assert sorted(path.name for path in parts.iterdir()) == [
        "01 - One.ass", "01 - One.srt", "01 - One.wav", "02 - Two.ass", "02 - Two.srt", "02 - Two.wav",
    ]
    for name in ("01 - One", "02 - Two"):
        ass = parse_ass((parts / f"{name}.ass").read_text())
        srt = srt_cues(parts / f"{name}.srt")
        assert [line.shown for line in ass.lines] == [text for _, text in srt]
        assert [line.start for line in ass.lines] == pytest.approx([start for start, _ in srt], abs=1)
        assert all(sum(s.centis for s in line.syllables) == line.end - line.start for line in ass.lines)
        assert ass.lines[-1].end <= soundfile.info(str(parts / f"{name}.wav")).duration * 100 + 1
        with av.open(str(parts / f"{name}.ass")) as container:
            starts = [packet.pts for packet in container.demux() if packet.size]
        assert starts == [line.start for line in ass.lines]
    assert "{chapter} has a C:\\new path." in parse_ass((parts / "01 - One.ass").read_text()).lines[-1].shown
    output = tmp_path / "tiny.m4b"
    done = book(str(source), "--subtitles", "ass", "-o", str(output))
    assert done.exit_code == 0, done.output
    assert sorted(path.name for path in tmp_path.iterdir() if path.is_file()) == ["tiny.ass", "tiny.m4b", "tiny.md"]
    whole = parse_ass(output.with_suffix(".ass").read_text())
    assert whole.lines[-1].shown.endswith("The second chapter is short.")
    with av.open(str(output)) as m4b:
        assert whole.lines[-1].end <= m4b.duration / 10_000 + 1  # microseconds


def test_book_names_ass_among_the_subtitle_formats(home, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(home.root))
    source = tmp_path / "tiny.md"
    source.write_text(BOOK)
    refused = book(str(source), "--subtitles", "ssa", "-o", str(tmp_path / "x.m4b"))
    assert refused.exit_code == 2 and "use srt, vtt, ass" in refused.stderr
    assert "srt, vtt or ass (karaoke) subtitles" in CliRunner().invoke(app, ["book", "--help"], env=WIDE).stdout
