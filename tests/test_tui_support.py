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
from kokoro_tui.speech.types import SAMPLE_RATE, SpeechChunk
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
    name = "fake"

    def __init__(self) -> None:
        self.played: list[tuple[int, Path]] = []
        self.stopped = 0

    def play(self, audio: np.ndarray, wav_path: Path) -> None:
        self.played.append((len(audio), wav_path))

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
    from kokoro_tui.tui import playback

    monkeypatch.setattr(playback, "_sounddevice_player", lambda: None)
    monkeypatch.setenv("PATH", "/nonexistent")
    player, reason = playback.find_player()
    assert player is None and "no audio output device" in reason


def test_player_finder_uses_aplay_only_with_a_sound_card(monkeypatch, tmp_path):
    from kokoro_tui.tui import playback

    aplay = tmp_path / "aplay"
    aplay.write_text("#!/bin/sh\necho 'aplay: device_list:274: no soundcards found...' >&2\n")
    aplay.chmod(0o755)
    monkeypatch.setattr(playback, "_sounddevice_player", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert playback.find_player()[0] is None
    aplay.write_text("#!/bin/sh\necho 'card 0: PCH [HDA Intel PCH]'\n")
    player, reason = playback.find_player()
    assert player is not None and player.name == "aplay" and "aplay" in reason
