"""`kokoro dub`: speech placed at subtitle cue times (speech/dubbing.py) on an exact fake speaker, and the command
end to end on the tiny model."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from tiny_models import one_thread_tiny_home
from typer.testing import CliRunner

from kokoro_tui.cli.main import app
from kokoro_tui.errors import KokoroError, NothingToSayError
from kokoro_tui.home import ENV_VAR, DataHome
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech import dubbing
from kokoro_tui.speech.dubbing import dub
from kokoro_tui.speech.pipeline import Pipeline
from kokoro_tui.speech.subtitle_reader import SubtitleCue
from kokoro_tui.speech.types import SpeechChunk, WordTimestamp

SAMPLES_PER_CHAR = 240  # the fake speaks 0.01 s per character at speed 1
FAST = ["--device", "cpu", "--precision", "fp32"]


class FakeSpeaker:
    """A pipeline whose speech is exactly ``SAMPLES_PER_CHAR / speed`` samples a character, loud from its first
    sample, each word timed where its characters fall. "♪" alone has nothing to say."""

    def __init__(self, speed: float = 1.0) -> None:
        self.speed = speed
        self.calls: list[tuple[str, float]] = []

    def stream(self, text: str, *, speed: float | None = None) -> Iterator[SpeechChunk]:
        speed = self.speed if speed is None else speed
        self.calls.append((text, speed))
        if text == "♪":
            raise NothingToSayError("the input has nothing to speak")
        per_char = SAMPLES_PER_CHAR / speed / SAMPLE_RATE
        stamps = [WordTimestamp(m.group(), m.start() * per_char, m.end() * per_char, m.start(), m.end())
                  for m in re.finditer(r"\w+", text)]
        yield SpeechChunk(0, text, "", np.full(round(len(text) * SAMPLES_PER_CHAR / speed), 0.5, np.float32),
                          0.0, stamps)

    def shown_text(self, text: str) -> str:
        return text


def cue(number: int, start: float, end: float, chars: int) -> SubtitleCue:
    """A cue whose text has ``chars`` characters (so ``chars / 100`` seconds of fake speech at speed 1)."""
    return SubtitleCue(number, start, end, "x" * chars)


def at(seconds: float) -> int:
    return round(seconds * SAMPLE_RATE)


def test_each_cue_starts_at_its_time_and_the_track_ends_with_the_last_cue():
    cues = [cue(1, 1.0, 2.0, 50), cue(2, 3.0, 4.0, 80), cue(3, 6.0, 7.5, 100)]
    track = dub(cues, FakeSpeaker())
    assert [placed.start for placed in track.placed] == [at(1.0), at(3.0), at(6.0)]
    assert [placed.speed for placed in track.placed] == [1.0, 1.0, 1.0]  # shorter than their slots: not slowed
    assert len(track.audio) == at(7.5)
    for placed in track.placed:
        assert not track.audio[placed.start - placed.silence : placed.start].any()
        assert (track.audio[placed.start : placed.end] == 0.5).all()
    assert track.report.lines() == []


def test_a_cue_too_long_for_its_slot_is_spoken_faster_to_fit():
    cues = [cue(1, 0.0, 1.0, 150), cue(2, 1.2, 2.0, 20)]  # 1.5 s of speech before the next cue at 1.2 s
    speaker = FakeSpeaker()
    first, second = dub(cues, speaker).placed
    assert 1.25 <= first.speed <= 1.5 and first.end <= at(1.2)
    assert [speed for _, speed in speaker.calls[:2]] == [1.0, first.speed]  # fitted at the second try
    assert second.start == at(1.2) and second.speed == 1.0
    assert speaker.speed == 1.0  # the speaker's own speed is back


def test_a_cue_that_cannot_fit_runs_late_and_the_next_waits_for_it():
    cues = [cue(1, 0.0, 0.9, 200), cue(2, 1.0, 1.2, 20), cue(3, 1.4, 2.0, 10), cue(4, 5.0, 5.5, 10)]
    track = dub(cues, FakeSpeaker(), max_speedup=1.5)
    first, second, third, fourth = track.placed
    assert first.speed == 1.5 and first.end == round(200 * SAMPLES_PER_CHAR / 1.5) and first.overran
    assert second.start == first.end and second.late_s == pytest.approx(1 / 3, abs=1e-4)  # right after: never over it
    assert second.speed == 1.5 and second.overran  # catching up, as fast as allowed
    assert third.start == second.end and 0 < third.late_s < second.late_s and not third.overran
    assert fourth.start == at(5.0) and fourth.late_s == 0
    assert all(earlier.end <= later.start for earlier, later in zip(track.placed, track.placed[1:]))
    report = track.report
    assert (report.overran, report.late, report.latest) == (2, 2, second)
    assert "2 cues overran even at speed 1.50" in report.lines()
    assert "2 cues started late, at worst by 0.33 s (cue 2 at 0:00:01.000)" in report.lines()


def test_the_last_cue_fits_its_own_end():
    track = dub([cue(1, 0.0, 1.0, 140)], FakeSpeaker())
    (only,) = track.placed
    assert 1.4 <= only.speed <= 1.5 and only.end <= at(1.0) and len(track.audio) == at(1.0)


def test_overlapping_cues_are_spoken_one_after_the_other():
    cues = [cue(2, 2.0, 4.0, 50), cue(1, 1.0, 3.0, 150)]  # listed out of order; the second starts while the first shows
    first, second = (track := dub(cues, FakeSpeaker())).placed
    assert first.cue.number == 1 and first.start == at(1.0) and first.speed == 1.0  # its slot runs to its end, 3.0 s
    assert second.start == first.end == at(2.5) and second.overlapped
    assert track.report.overlapped == 1 and track.report.late == 1
    assert "1 cue overlapping an earlier cue in the input, spoken after it" in track.report.lines()
    assert len(track.audio) == at(4.0)


def test_each_cue_inside_a_long_one_counts_as_overlapping():
    cues = [cue(1, 0.0, 10.0, 10), cue(2, 2.0, 3.0, 10), cue(3, 4.0, 5.0, 10)]  # both inside the first cue's time
    track = dub(cues, FakeSpeaker())
    assert [placed.overlapped for placed in track.placed] == [False, True, True]
    assert track.report.overlapped == 2


def test_the_base_speed_is_kept_and_the_speed_up_is_relative_to_it():
    cues = [cue(1, 0.0, 0.5, 100), cue(2, 0.5, 2.0, 100)]  # at speed 2 the first needs 0.5 s: it fits
    speaker = FakeSpeaker(speed=2.0)
    first, second = dub(cues, speaker, max_speedup=1.2).placed
    assert (first.speed, second.speed, speaker.speed) == (2.0, 2.0, 2.0)
    late = dub([cue(1, 0.0, 0.25, 100)], FakeSpeaker(speed=2.0), max_speedup=1.2).placed[0]
    assert late.speed == pytest.approx(2.4) and late.overran


def test_a_cue_with_nothing_to_say_stays_silent():
    cues = [SubtitleCue(1, 0.0, 1.0, "♪"), cue(2, 1.0, 2.0, 30)]
    track = dub(cues, FakeSpeaker())
    assert len(track.placed[0].audio) == 0 and track.placed[1].start == at(1.0)
    assert track.report.silent == 1 and "1 cue had nothing to say" in track.report.lines()[-1]


def test_word_times_are_track_times_and_index_the_track_text():
    cues = [SubtitleCue(1, 0.5, 1.0, "one two"), SubtitleCue(2, 3.0, 4.0, "three")]
    track = dub(cues, FakeSpeaker())
    assert track.text == "one two\nthree"
    assert [(s.word, s.start_s, track.text[s.start_char : s.end_char]) for s in track.timestamps] == [
        ("one", 0.5, "one"), ("two", 0.5 + 4 * 0.01, "two"), ("three", 3.0, "three")]


@pytest.mark.parametrize("speedup", [0.5, 5.0, float("nan")])
def test_a_max_speedup_out_of_range_is_refused(speedup):
    with pytest.raises(KokoroError, match="out of range"):
        dub([cue(1, 0.0, 1.0, 10)], FakeSpeaker(), max_speedup=speedup)


# --- the command, on the tiny model ---------------------------------------------------------------------

SRT = """1
00:00:00,500 --> 00:00:01,500
Hello.

2
00:00:02,000 --> 00:00:03,500
<i>Good</i> morning,
my friend.

3
00:00:04,000 --> 00:00:05,000
Bye.
"""

LONG_LINE = "This line is far too long to be said in a tenth of a second, however fast."


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataHome]:
    yield from one_thread_tiny_home(tmp_path_factory.mktemp("dub-cli") / "home")


@pytest.fixture
def at_home(home: DataHome, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_VAR, str(home.root))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.srt").write_text(SRT, encoding="utf-8")
    return tmp_path


def kokoro_dub(*args: str):
    return CliRunner().invoke(app, ["dub", *args])


def sounding_starts(audio: np.ndarray, gap_s: float = 0.2) -> list[float]:
    """Where each stretch of sound starts, stretches being parted by at least ``gap_s`` of digital silence."""
    loud = np.flatnonzero(audio)
    breaks = np.flatnonzero(np.diff(loud) > gap_s * SAMPLE_RATE)
    return [loud[0] / SAMPLE_RATE, *(loud[index + 1] / SAMPLE_RATE for index in breaks)]


def test_the_track_sounds_from_each_cue_time_and_lasts_to_the_last_cue(at_home):
    done = kokoro_dub("in.srt", "-o", "track.wav", "--timestamps", "words.json", *FAST)
    assert done.exit_code == 0, done.output
    assert done.stderr == "wrote track.wav: 0:00:05.000 of audio, 3 cues\n"
    audio, rate = sf.read(at_home / "track.wav", dtype="int16")
    assert rate == SAMPLE_RATE and len(audio) == at(5.0)
    assert sounding_starts(audio) == [0.5, 2.0, 4.0]
    words = json.loads((at_home / "words.json").read_text())
    assert [word["word"] for word in words] == ["Hello", "Good", "morning", "my", "friend", "Bye"]
    assert [0.5 <= words[0]["start"] < 1.0, 2.0 <= words[1]["start"] < 2.5, 4.0 <= words[-1]["start"] < 4.5] == [True] * 3
    assert sorted(path.name for path in at_home.iterdir()) == ["in.srt", "track.wav", "words.json"]


@pytest.mark.parametrize(("flags", "said"), [([], ["Who", "is", "there"]), (["--keep-descriptions"], None)])
def test_sound_descriptions_are_left_out_unless_kept(at_home, flags, said):
    (at_home / "sdh.srt").write_text(
        "1\n00:00:00,000 --> 00:00:01,000\n[THUNDER]\n\n2\n00:00:01,000 --> 00:00:03,000\nJOHN: Who is there?\n",
        encoding="utf-8",
    )
    done = kokoro_dub("sdh.srt", "-o", "sdh.wav", "--timestamps", "sdh.json", *FAST, *flags)
    assert done.exit_code == 0, done.output
    words = [word["word"] for word in json.loads((at_home / "sdh.json").read_text())]
    assert words == (said or ["THUNDER", "JOHN", "Who", "is", "there"])


def test_a_cue_that_cannot_keep_time_is_reported(at_home):
    (at_home / "tight.srt").write_text(
        f"1\n00:00:00,000 --> 00:00:00,100\n{LONG_LINE}\n\n2\n00:00:00,100 --> 00:00:01,000\nThen this.\n",
        encoding="utf-8",
    )
    done = kokoro_dub("tight.srt", "-o", "tight.flac", *FAST)
    assert done.exit_code == 0, done.output
    assert re.search(r"\d+ cues? overran even at speed 1.50", done.stderr)
    assert re.search(r"1 cue started late, at worst by \d+\.\d\d s \(cue 2 at 0:00:00.100\)", done.stderr)
    assert sf.info(at_home / "tight.flac").frames > at(1.0)


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ["gone.srt"], "error: cannot read gone.srt: No such file or directory"),
        (lambda d: (d / "notes.srt").write_text("Just prose.\n"), ["notes.srt"], "notes.srt is not a subtitle file"),
        (lambda d: (d / "empty.vtt").write_text("WEBVTT\n\n00:01.000 --> 00:02.000\n<i></i>\n"), ["empty.vtt"],
         "empty.vtt has no cue with text to speak"),
        (lambda d: (d / "back.srt").write_text("1\n00:00:03,000 --> 00:00:02,000\nHi\n"), ["back.srt"],
         "cue 1 of back.srt is timed 0:00:03.000 to 0:00:02.000"),
        (None, ["in.srt", "--max-speedup", "0.5"], "a max speed-up of 0.5 is out of range"),
        (None, ["in.srt", "--timestamps", "words.txt"], "cannot tell the timestamp format of 'words.txt'"),
        (None, ["in.srt", "-o", "track.doc"], ".doc is not an audio format"),
    ],
)
def test_bad_input_is_one_line_and_no_output(at_home, setup, args, message):
    if setup is not None:
        setup(at_home)
    before = sorted(at_home.iterdir())
    done = kokoro_dub(*args, *(["-o", "out.wav"] if "-o" not in args else []), *FAST)
    assert done.exit_code == 2 and done.stdout == "", done.output
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ") and message in done.stderr, done.stderr
    assert sorted(at_home.iterdir()) == before


def test_ctrl_c_leaves_no_half_written_track(at_home, monkeypatch):
    speak = dubbing._Placer._speak

    def interrupted_at_the_second_cue(self, text, speed):
        if self.cursor:
            raise KeyboardInterrupt
        return speak(self, text, speed)

    monkeypatch.setattr(dubbing._Placer, "_speak", interrupted_at_the_second_cue)
    done = kokoro_dub("in.srt", "-o", "track.wav", "--timestamps", "words.srt", *FAST)
    assert done.exit_code == 130 and done.stderr.endswith("interrupted\n"), done.output
    assert sorted(path.name for path in at_home.iterdir()) == ["in.srt"]


def test_the_track_goes_to_stdout(at_home):
    done = kokoro_dub("in.srt", "-o", "-", "--format", "flac", *FAST)
    assert done.exit_code == 0, done.output
    (at_home / "piped.flac").write_bytes(done.stdout_bytes)
    assert sf.info(at_home / "piped.flac").frames == at(5.0)


def test_the_silence_after_the_last_word_is_cut_to_what_a_lead_in_keeps() -> None:
    from kokoro_tui.speech.lead_in import KEPT_S, trim_tail

    tone = (0.3 * np.sin(np.arange(12_000) * 2 * np.pi * 220 / SAMPLE_RATE)).astype(np.float32)
    audio = np.concatenate([tone, np.full(9_600, 1e-4, np.float32)])  # 0.4 s of near-silence after the words
    trimmed = trim_tail(audio)
    assert len(tone) < len(trimmed) <= len(tone) + round(KEPT_S * SAMPLE_RATE) + 1
    assert np.array_equal(trimmed[: len(tone) - 1], tone[: len(tone) - 1])
    assert abs(trimmed[-1]) < 1e-4  # faded out: the cut cannot click
    assert np.array_equal(trim_tail(tone), tone)  # nothing to cut


@pytest.mark.parametrize(
    "outputs",
    [["-o", "track.wav", "--timestamps", "in.srt"], ["-o", "./in.srt", "--format", "wav"]],
    ids=["timestamps", "track"],
)
def test_an_output_that_is_the_subtitle_file_is_refused_and_the_file_kept(at_home: Path, outputs: list[str]) -> None:
    done = kokoro_dub("in.srt", *outputs, *FAST)
    assert done.exit_code == 2, done.output
    assert done.stderr.startswith("error: ") and "in.srt is the subtitle file being dubbed" in done.stderr
    assert (at_home / "in.srt").read_text(encoding="utf-8") == SRT
    assert sorted(path.name for path in at_home.iterdir()) == ["in.srt"]


class SpeedWatchedPipeline(Pipeline):
    """A pipeline that records each assignment to its ``speed``, the constructor's first."""

    assigned: list[float]

    @property
    def speed(self) -> float:
        return self.assigned[-1]

    @speed.setter
    def speed(self, value: float) -> None:
        self.__dict__.setdefault("assigned", []).append(value)


def test_fitting_a_cue_never_sets_the_speed_of_the_pipeline_it_was_given(home: DataHome) -> None:
    pipeline = SpeedWatchedPipeline(home=home, device="cpu", precision="fp32", seed=0)
    track = dub([SubtitleCue(1, 0.0, 0.1, LONG_LINE), SubtitleCue(2, 0.1, 1.0, "Then this.")], pipeline)
    assert track.placed[0].speed > 1.0  # spoken again, faster
    assert pipeline.assigned == [1.0]  # only by the constructor: a dashboard sharing it never sees it change
