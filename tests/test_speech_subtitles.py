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


def test_a_long_silence_ends_a_cue():
    """After a 5 s pause, the next words must not be on screen before they are said."""
    cues = group_cues(words(("Hi.", 0.1, 0.4), ("Yo.", 5.4, 5.7)))
    assert [(c.start_s, c.end_s, c.text) for c in cues] == [(0.1, 0.4, "Hi."), (5.4, 5.7, "Yo.")]


def test_vtt_escapes_what_would_read_as_markup_and_srt_keeps_the_text():
    source = "Then <b> & more --> here."
    stamps = [
        WordTimestamp("Then", 0.0, 0.2, 0, 4),
        WordTimestamp("b", 0.3, 0.4, 6, 7),
        WordTimestamp("more", 0.5, 0.7, 11, 15),
        WordTimestamp("here", 0.8, 1.0, 20, 24),
    ]
    assert to_vtt(stamps, source).split("\n")[3] == "Then &lt;b&gt; &amp; more --&gt; here."
    assert to_srt(stamps, source).split("\n")[2] == source


def test_a_cue_keeps_the_quote_that_opens_its_first_word():
    source = '"Come in," she said. "Sit—down."'
    stamps = [
        WordTimestamp("Come", 0.0, 0.2, 1, 5),
        WordTimestamp("in", 0.3, 0.4, 6, 8),
        WordTimestamp("she", 0.5, 0.6, 11, 14),
        WordTimestamp("said", 0.7, 0.8, 15, 19),
        WordTimestamp("Sit", 3.0, 3.2, 22, 25),
        WordTimestamp("down", 3.3, 3.5, 26, 30),
    ]
    assert [cue.text for cue in group_cues(stamps, source)] == ['"Come in," she said.', '"Sit—down."']
    assert [cue.text for cue in group_cues(stamps[-1:], source)] == ['down."']  # the dash closed "Sit"
