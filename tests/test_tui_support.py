"""Shared pieces for the dashboard tests (a tiny data home, a fake pipeline, screen text),
plus tests of the dashboard's pure helpers."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from kokoro_tui.errors import KokoroError
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech.types import SpeechChunk
from kokoro_tui.training.demo_run import write_demo_run

#: Synthetic voices: language and gender offsets plus noise, so PCA has structure to find.
VOICE_NAMES = ("af_alpha", "af_beta", "am_gamma", "am_delta", "bf_eps", "bm_zeta", "jf_eta")
BLEND_NAME = "mix"


def synthetic_pack(rng: np.random.Generator, lang: int, male: bool) -> np.ndarray:
    base = np.linspace(-0.3, 0.3, 256) + 0.6 * np.eye(256)[lang * 7] + (0.5 * np.eye(256)[200] if male else 0)
    summary = base + 0.05 * rng.normal(size=256)
    rows = summary[None, :] + 0.01 * rng.normal(size=(510, 256))
    return rows.reshape(510, 1, 256).astype(np.float32)


def make_home(root: Path, *, run: bool = True) -> DataHome:
    """A data home with seven prefixed voices, one blend, and (optionally) a finished demo run."""
    from kokoro_tui.voices.store import VoiceStore

    home = DataHome(root)
    store = VoiceStore(home)
    rng = np.random.default_rng(0)
    languages = {"a": 0, "b": 1, "j": 2}
    packs = {}
    for name in VOICE_NAMES:
        packs[name] = synthetic_pack(rng, languages[name[0]], name[1] == "m")
        store.save(name, packs[name], origin="stock")
    mixed = 0.5 * packs["af_alpha"] + 0.5 * packs["am_gamma"]
    store.save(BLEND_NAME, mixed, origin="blended", recipe={"blend": "af_alpha:0.5,am_gamma:0.5"})
    if run:
        write_demo_run(home.runs / "demo", steps=40, eval_every=20, checkpoint_every=20)
    return home


def screen_text(app) -> str:
    """The screen as plain text, one line per terminal row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Let the app run until ``condition()`` holds; fail with the screen if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met in {timeout} s; screen:\n{screen_text(pilot.app)}")
        await pilot.pause(0.05)


class FakePipeline:
    """Stands in for ``speech.pipeline.Pipeline``: one chunk per sentence, a 220 Hz tone each.

    ``gate`` (a threading.Event) holds the second chunk back until set, so a test can check
    that the UI keeps working while synthesis is in progress.
    """

    def __init__(self, voice: str, speed: float, home: DataHome, gate: threading.Event | None = None) -> None:
        self.voice, self.speed, self.home, self.gate = voice, speed, home, gate
        self.loaded = 0

    def load(self) -> None:
        if self.voice == "nobody":
            raise KokoroError("unknown voice 'nobody'")
        self.loaded += 1

    def stream(self, text: str) -> Iterator[SpeechChunk]:
        sentences = [part.strip() + "." for part in text.split(".") if part.strip()]
        start = 0.0
        for index, sentence in enumerate(sentences):
            if index == 1 and self.gate is not None:
                assert self.gate.wait(20), "test never released the gate"
            seconds = 0.25 / self.speed
            t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
            audio = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
            yield SpeechChunk(index, sentence, "həlˈoʊ", audio, start, [])
            start += seconds


class FakePlayer:
    """A sound output that keeps what it is given: the live players it opened, each chunk written and each stop."""

    name = "fake"

    def __init__(self) -> None:
        self.texts: list[list[int]] = []  # per text spoken, the length of each chunk written
        self.finished = 0
        self.stopped = 0

    def open(self) -> FakePlayer:
        self.texts.append([])
        return self

    def write(self, audio: np.ndarray) -> None:
        self.texts[-1].append(len(audio))

    def finish_later(self) -> None:
        self.finished += 1

    def stop(self) -> None:
        self.stopped += 1


# ---- tests of the pure helpers -------------------------------------------------------


def test_voice_filter_matches_language_gender_and_every_search_word():
    from kokoro_tui.tui.panes.voices import matches

    class Info:
        name, lang, gender, language, origin, recipe = "af_heart", "a", "f", "American English", "stock", None

    assert matches(Info, "", None, None)
    assert matches(Info, "heart american", "a", "f")
    assert not matches(Info, "heart british", None, None)
    assert not matches(Info, "", "b", None)
    assert not matches(Info, "", None, "m")


def test_blend_suggester_completes_the_term_after_the_last_comma():
    from kokoro_tui.tui.panes.speak import BlendSuggester

    suggester = BlendSuggester(["af_heart", "am_adam", "am_echo"])
    suggest = lambda value: asyncio.run(suggester.get_suggestion(value))  # noqa: E731
    assert suggest("af") == "af_heart"
    assert suggest("af_heart:0.7,am_e") == "af_heart:0.7,am_echo"
    assert suggest("af_heart:0.7") is None
    assert suggest("zz") is None


def test_waveform_outline_keeps_the_peaks():
    from kokoro_tui.tui.panes.speak import block_peaks, envelope

    audio = np.zeros(1000, dtype=np.float32)
    audio[10], audio[995] = -0.9, 0.4
    peaks = block_peaks(audio, block=100)
    assert len(peaks) == 10 and peaks[0] == pytest.approx(0.9) and peaks[-1] == pytest.approx(0.4)
    assert max(peaks[1:-1]) == 0
    assert envelope(peaks, buckets=5) == pytest.approx([0.9, 0, 0, 0, 0.4])
    assert envelope(block_peaks(np.zeros(0, dtype=np.float32))) == []


def test_duration_format():
    from kokoro_tui.tui.panes.training import format_duration

    assert format_duration(None) == "—"
    assert format_duration(3725.4) == "1:02:05"


def test_player_finder_reports_no_device_without_players(monkeypatch):
    from kokoro_tui.speech import playback

    monkeypatch.delenv(playback.PLAYER_VAR, raising=False)
    monkeypatch.setattr(playback, "_sounddevice_module", lambda: None)
    monkeypatch.setenv("PATH", "/nonexistent")
    opener, reason = playback.find_live_output()
    assert opener is None and "no audio output device" in reason


def test_player_finder_uses_aplay_only_with_a_sound_card(monkeypatch, tmp_path):
    from kokoro_tui.speech import playback

    aplay = tmp_path / "aplay"
    aplay.write_text("#!/bin/sh\necho 'aplay: device_list:274: no soundcards found...' >&2\n")
    aplay.chmod(0o755)
    monkeypatch.delenv(playback.PLAYER_VAR, raising=False)
    monkeypatch.setattr(playback, "_sounddevice_module", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert playback.find_live_output()[0] is None
    aplay.write_text("#!/bin/sh\necho 'card 0: PCH [HDA Intel PCH]'\n")
    opener, reason = playback.find_live_output()
    assert opener is not None and "aplay" in reason


@pytest.mark.parametrize(
    ("low", "high", "most", "integer", "expected"),
    [
        (0.06, 1.32, 4, False, [0.0, 0.5, 1.0, 1.5]),
        (0.06, 1.32, 3, False, [0.0, 1.0, 2.0]),
        (1, 40, 6, True, [0, 10, 20, 30, 40]),
        (1, 3, 6, True, [1, 2, 3]),  # never a fractional step
        (0.3439, 0.3439, 4, False, [0.3, 0.35, 0.4]),  # one value: a small range around it
        (2.0e-4, 9.5e-4, 4, False, [0.0, 5.0e-4, 1.0e-3]),
    ],
)
def test_ticks_are_few_round_and_evenly_spaced(low, high, most, integer, expected):
    from kokoro_tui.tui.panes.training import nice_ticks

    ticks = nice_ticks(low, high, most, integer=integer)
    assert ticks == pytest.approx(expected)
    assert ticks[0] <= low and ticks[-1] >= high and len(ticks) <= most


def test_tick_labels_carry_only_the_decimals_the_spacing_needs():
    from kokoro_tui.tui.panes.training import tick_label

    assert [tick_label(v, 0.5) for v in (0.0, 0.5, 1.0)] == ["0.0", "0.5", "1.0"]
    assert [tick_label(v, 10) for v in (0, 10)] == ["0", "10"]
    assert [tick_label(v, 20000) for v in (0, 20000, 40000)] == ["0", "20k", "40k"]


def test_the_axis_top_gives_every_tick_interval_the_same_number_of_rows():
    from kokoro_tui.tui.panes.training import top_on_a_row

    assert top_on_a_row([0.0, 0.5, 1.0, 1.5], 7) == pytest.approx(1.5)  # 2 rows each, as it is
    assert top_on_a_row([0.0, 1.0, 2.0], 6) == pytest.approx(2.5)  # 2 rows each, a spare row on top
    assert top_on_a_row([0.0, 1.0], 1) == 1.0  # no rows to spare


def test_eta_is_estimated_from_the_pace_so_far():
    from kokoro_tui.training.runlog import StepRecord
    from kokoro_tui.tui.panes.training import estimate_eta

    step = StepRecord(step=25, epoch=0, losses={}, lr=1e-4, elapsed_s=50.0)
    assert estimate_eta(step, 100) == pytest.approx(150.0)
    assert estimate_eta(step, None) is None
    assert estimate_eta(step, 20) == 0.0  # past the planned total: nothing left, never negative


def test_a_step_line_fits_the_tail_with_its_learning_rate():
    from kokoro_tui.training.runlog import StepRecord
    from kokoro_tui.tui.panes.training import format_record

    step = StepRecord(step=40, epoch=0, losses={"mel": 0.3439, "duration": 0.12981, "f0": 0.064231}, lr=2e-5, elapsed_s=1.0)
    line = format_record(step)
    assert line == "step 40 ep 0 lr=2.0e-05 mel=0.344 duration=0.13 f0=0.0642"
    assert len(line) <= 58  # the tail's width in an 80-column terminal


def test_silence_is_told_in_whole_minutes_then_hours():
    from kokoro_tui.tui.panes.training import format_silence

    assert format_silence(59) == "0 min" and format_silence(3599) == "59 min"
    assert format_silence(3 * 3600) == "3.0 h" and format_silence(3 * 86400) == "3.0 days"


def test_report_lines_wrap_under_their_label_and_keep_every_word():
    from kokoro_tui.tui.panes.analysis import wrap_report

    report = "\n".join(
        [
            "Title",
            "decoder  " + ", ".join(f"{d} (0.0{d})" for d in range(10, 20)),
            "         distance / spread: " + ", ".join(f"row {r}: 0.15" for r in (1, 10, 50, 100, 200, 510)),
            "a plain sentence that is much too long for the narrow view it is going to be shown in, and",
            "it goes on here.",
            "A new line after a full stop.",
        ]
    )
    wrapped = wrap_report(report, 40).splitlines()
    assert wrapped[0] == "Title" and all(len(line) <= 40 for line in wrapped)
    assert wrapped[1].startswith("decoder  10 (0.010)") and _indent(wrapped[2]) == len("decoder  ")
    distance = next(i for i, line in enumerate(wrapped) if "distance" in line)
    assert _indent(wrapped[distance + 1]) == 9 + 2
    sentence = wrapped.index("a plain sentence that is much too long")
    assert wrapped[sentence + 1 :] == ["for the narrow view it is going to be", "shown in, and it goes on here.", "A new line after a full stop."]
    assert " ".join(wrapped).split() == report.split()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
