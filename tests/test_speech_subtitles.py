"""JSON/SRT/VTT timestamp writers and cue grouping."""

from __future__ import annotations

import json

import pytest

from kokoro_tui.errors import KokoroError
from kokoro_tui.speech.subtitles import group_cues, to_srt, to_vtt, write_timestamps
from kokoro_tui.speech.types import WordTimestamp


def words(*items: tuple[str, float, float]) -> list[WordTimestamp]:
    out, pos = [], 0
    for text, start, end in items:
        out.append(WordTimestamp(text, start, end, pos, pos + len(text)))
        pos += len(text) + 1
    return out


def test_srt_format():
    srt = to_srt(words(("Hello", 0.1, 0.5), ("there", 0.55, 1.0)))
    assert srt == "1\n00:00:00,100 --> 00:00:01,000\nHello there\n"


def test_vtt_format_and_hours():
    vtt = to_vtt(words(("late", 3723.25, 3724.5)))
    assert vtt == "WEBVTT\n\n01:02:03.250 --> 01:02:04.500\nlate\n"


def test_cues_respect_char_limit():
    many = words(*[(f"word{i:02d}", i * 0.3, i * 0.3 + 0.25) for i in range(20)])
    cues = group_cues(many)
    assert len(cues) > 1
    assert all(len(c.text) <= 42 for c in cues)
    assert " ".join(c.text for c in cues) == " ".join(w.word for w in many)


def test_cues_respect_time_limit():
    slow = words(*[("a", i * 2.0, i * 2.0 + 1.5) for i in range(6)])
    cues = group_cues(slow)
    assert all(c.end_s - c.start_s <= 7.0 for c in cues)
    assert len(cues) == 2


def test_srt_numbering_and_blank_lines():
    many = words(*[(f"word{i:02d}", i * 0.3, i * 0.3 + 0.25) for i in range(20)])
    blocks = to_srt(many).strip().split("\n\n")
    assert [b.split("\n")[0] for b in blocks] == [str(n) for n in range(1, len(blocks) + 1)]


def test_write_timestamps_picks_writer_by_extension(tmp_path):
    stamps = words(("Hi", 0.0, 0.2))
    write_timestamps(tmp_path / "t.json", stamps)
    write_timestamps(tmp_path / "t.srt", stamps)
    write_timestamps(tmp_path / "t.VTT", stamps)
    assert json.loads((tmp_path / "t.json").read_text()) == [
        {"word": "Hi", "start": 0.0, "end": 0.2, "start_char": 0, "end_char": 2}
    ]
    assert (tmp_path / "t.srt").read_text().startswith("1\n")
    assert (tmp_path / "t.VTT").read_text().startswith("WEBVTT")
    with pytest.raises(KokoroError, match="timestamp format"):
        write_timestamps(tmp_path / "t.txt", stamps)


def test_cues_show_the_original_text_with_punctuation():
    source = "Hello,  there! How are you?"
    stamps = [
        WordTimestamp("Hello", 0.0, 0.4, 0, 5),
        WordTimestamp("there", 0.5, 0.9, 8, 13),
        WordTimestamp("How", 1.2, 1.4, 15, 18),
    ]
    assert to_srt(stamps, source).split("\n")[2] == "Hello, there! How"
    assert to_vtt(stamps).split("\n")[3] == "Hello there How"
