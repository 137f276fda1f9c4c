"""Pilot tests of the dashboard: each pane's main interaction, at 80x24, on a tiny data home."""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
import time

import numpy as np
import pytest
import soundfile
from test_tui_support import BLEND_NAME, VOICE_NAMES, FakePipeline, FakePlayer, make_home, screen_text, wait_for
from textual.widgets import DataTable, Input, ProgressBar, TextArea

from kokoro_tui.speech.request_board import RequestBoard, ServerIdentity
from kokoro_tui.speech.worker import SpeechProcess
from kokoro_tui.training.demo_run import write_demo_run
from kokoro_tui.training.runlog import EndRecord, RunLogWriter, SampleRecord, StartRecord, StepRecord, read_run_log
from kokoro_tui.tui.app import KokoroApp

SIZE = (80, 24)


@pytest.fixture
def home(tmp_path):
    return make_home(tmp_path / "home")


def make_app(home, **kwargs) -> KokoroApp:
    kwargs.setdefault("player_finder", lambda: (None, "no audio output device on this machine"))
    kwargs.setdefault("pipeline_factory", lambda **options: FakePipeline(**options))
    return KokoroApp(home, **kwargs)


def explained_ratio(home, dims: slice) -> np.ndarray:
    """Independent PCA (numpy SVD of the centred mean rows) to check the panes' figures against."""
    from kokoro_tui.voices.store import VoiceStore

    store = VoiceStore(home)
    summaries = np.stack([store.load(name)[:, 0, dims].mean(axis=0) for name in store.names()]).astype(np.float64)
    singular = np.linalg.svd(summaries - summaries.mean(axis=0), compute_uv=False)
    return singular**2 / np.sum(singular**2)


@pytest.mark.asyncio
async def test_the_dashboard_starts_on_the_default_voice(home):
    """Where the store has it, the voice `kokoro say` speaks with is the one selected and in the Speak pane,
    not the alphabetically first."""
    from kokoro_tui.voices.names import DEFAULT_VOICE
    from kokoro_tui.voices.store import VoiceStore

    store = VoiceStore(home)
    store.save(DEFAULT_VOICE, store.load("am_gamma"), origin="stock")
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one("#voice-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == len(VOICE_NAMES) + 2)
        await wait_for(pilot, lambda: app.selected_voice == DEFAULT_VOICE)
        assert sorted(store.names())[0] != DEFAULT_VOICE
        await pilot.press("3")
        await wait_for(pilot, lambda: app.query_one("#speak-voice", Input).value == DEFAULT_VOICE)


@pytest.mark.asyncio
async def test_voices_pane_lists_filters_and_details(home):
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one("#voice-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == len(VOICE_NAMES) + 1)
        await wait_for(pilot, lambda: "decoder" in screen_text(app) and "|mean row|" in screen_text(app))
        first = sorted([*VOICE_NAMES, BLEND_NAME])[0]
        assert app.selected_voice == first
        from kokoro_tui.voices.store import VoiceStore

        expected_mean = float(VoiceStore(home).load(first)[:, 0, :128].astype(np.float64).mean())
        assert f"{expected_mean:.4f}" in screen_text(app)

        await wait_for(pilot, lambda: app.focused is not None)  # keys pressed before focus lands are lost
        await pilot.press("down")
        await wait_for(pilot, lambda: app.selected_voice == sorted([*VOICE_NAMES, BLEND_NAME])[1])

        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"male japan")
        await wait_for(pilot, lambda: table.row_count == 0)
        search = app.query_one("#voice-search", Input)
        search.value = "blended"
        await wait_for(pilot, lambda: table.row_count == 1)
        assert app.selected_voice == BLEND_NAME
        await wait_for(pilot, lambda: "recipe" in screen_text(app))

        search.value = ""
        app.query_one("#voice-gender").value = "m"
        await wait_for(pilot, lambda: table.row_count == 3)
        app.query_one("#voice-lang").value = "b"
        await wait_for(pilot, lambda: table.row_count == 1)
        assert "bm_zeta" in screen_text(app)


@pytest.mark.asyncio
async def test_voices_pane_ignores_a_superseded_detail(home):
    """A cancelled detail worker's thread still posts its result; it must not replace the selected voice's."""
    from kokoro_tui.tui.panes.voices import VoiceDetail, VoicesPane
    from kokoro_tui.voices.stats import half_stats
    from kokoro_tui.voices.store import VoiceStore

    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        first = sorted([*VOICE_NAMES, BLEND_NAME])[0]
        await wait_for(pilot, lambda: f"{first} · stock" in screen_text(app))
        store = VoiceStore(home)
        pack = store.load("bm_zeta")
        stale = VoiceDetail(store.info("bm_zeta"), half_stats(pack), pack[:, 0, :].mean(axis=0))
        pane = app.query_one(VoicesPane)
        pane.post_message(pane.DetailReady(stale))
        await pilot.pause()
        await pilot.pause()
        assert "bm_zeta · stock" not in screen_text(app) and f"{first} · stock" in screen_text(app)


@pytest.mark.asyncio
async def test_voices_pane_says_what_to_do_without_voices(tmp_path):
    from kokoro_tui.home import DataHome

    app = make_app(DataHome(tmp_path / "empty"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "kokoro download" in screen_text(app))


@pytest.mark.asyncio
async def test_map_pane_switches_views_and_follows_selection(home):
    app = make_app(home, initial_tab="map")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "PC1" in screen_text(app))
        both = explained_ratio(home, slice(0, 256))
        assert f"PC1 {100 * both[0]:.1f}%" in screen_text(app)
        await wait_for(pilot, lambda: app.focused is not None)  # keys pressed before focus lands are lost
        await pilot.press("p")
        prosody = explained_ratio(home, slice(128, 256))
        await wait_for(pilot, lambda: f"PC1 {100 * prosody[0]:.1f}%" in screen_text(app))
        assert "prosody view" in screen_text(app)
        await pilot.press("d")
        decoder = explained_ratio(home, slice(0, 128))
        await wait_for(pilot, lambda: f"PC1 {100 * decoder[0]:.1f}%" in screen_text(app))

        await wait_for(pilot, lambda: app.query_one("#voice-table", DataTable).row_count > 0)
        app.selected_voice = "bm_zeta"
        await wait_for(pilot, lambda: "@bm_zeta" in screen_text(app) or "bm_zeta@" in screen_text(app))
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: app.selected_voice == "jf_eta")
        await wait_for(pilot, lambda: "@jf_eta" in screen_text(app) or "jf_eta@" in screen_text(app))
        await pilot.press("1")  # the voices pane followed the map's selection
        await wait_for(pilot, lambda: "jf_eta · stock" in screen_text(app))


@pytest.mark.asyncio
async def test_speak_pane_synthesises_in_a_worker_and_saves_the_wav(home, tmp_path):
    gate = threading.Event()
    made: list[FakePipeline] = []
    player = FakePlayer()

    def factory(**options):
        made.append(FakePipeline(gate=gate, **options))
        return made[-1]

    app = make_app(home, initial_tab="speak", pipeline_factory=factory, player_finder=lambda: (player.open, "playing through fake"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        app.query_one("#speak-text", TextArea).text = "One. Two. Three."
        app.query_one("#speak-voice", Input).value = "af_alpha:0.7,am_gamma:0.3"
        app.query_one("#speak-speed", Input).value = "2"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "chunk 1" in screen_text(app))
        assert player.texts == [[int(0.125 * 24_000)]]  # the first chunk plays while the rest is made
        # The worker is blocked inside the pipeline: the UI must still answer keys.
        await pilot.press("1")
        await wait_for(pilot, lambda: app.query_one("#tabs").active == "voices")
        await pilot.press("3")
        await wait_for(pilot, lambda: app.query_one("#tabs").active == "speak")
        gate.set()
        await wait_for(pilot, lambda: "real time" in screen_text(app))

        assert made[0].voice == "af_alpha:0.7,am_gamma:0.3" and made[0].speed == 2.0 and made[0].home == home
        wav = home.cache / "tui" / "speak.wav"
        audio, rate = soundfile.read(wav)
        assert rate == 24_000 and len(audio) == 3 * int(0.125 * 24_000)
        assert np.max(np.abs(audio)) == pytest.approx(0.3, abs=1e-3)
        assert player.texts == [[int(0.125 * 24_000)] * 3] and sum(player.texts[0]) == len(audio)
        assert player.finished == 1
        assert "playing through fake" in screen_text(app) and "0.38 s of audio" in screen_text(app)

        await pilot.press("ctrl+s")  # same voice and speed: the pipeline (and its model) is reused
        await wait_for(pilot, lambda: len(player.texts) == 2)
        assert player.stopped == 1  # a new text silences the last one
        assert len(made) == 1
        app.query_one("#speak-voice", Input).value = "bf_eps"  # a new voice: a new pipeline
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(player.texts) == 3)
        assert [p.voice for p in made] == ["af_alpha:0.7,am_gamma:0.3", "bf_eps"]

        target = tmp_path / "copy.flac"
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: bool(app.screen.query("#save-path")))  # the dialog composes after it is pushed
        field = app.screen.query_one("#save-path", Input)
        field.value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: target.exists() and "saved a copy" in screen_text(app))
        copy, _ = soundfile.read(target)
        assert np.allclose(copy, audio, atol=1e-4)
        await pilot.press("x")
        await wait_for(pilot, lambda: player.stopped == 3 and "stopped" in screen_text(app))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(player.texts) == 4 and player.finished == 4)
    assert player.stopped == 4  # quitting stops playback


@pytest.mark.asyncio
async def test_speak_pane_voices_share_one_speech_process_that_quitting_ends(home):
    process = SpeechProcess(factory=FakePipeline)

    def speech_children() -> list[int | None]:
        return [child.pid for child in multiprocessing.active_children() if child.name == "kokoro-speech"]

    app = make_app(home, initial_tab="speak", pipeline_factory=process)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        pids = []
        for voice, speed in [("af_alpha", "1.0"), ("bf_eps", "1.0"), ("bf_eps", "1.5")]:
            app.query_one("#speak-voice", Input).value = voice
            app.query_one("#speak-speed", Input).value = speed
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "real time" in screen_text(app))
            pids.append(speech_children())
            app.query_one("#speak-state").update("ready")
        assert len(pids[0]) == 1 and pids == [pids[0]] * 3
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)
    assert speech_children() == []


class StalledPipeline(FakePipeline):
    """Takes a minute over its first chunk: quitting must not wait for it."""

    def stream(self, text: str):
        time.sleep(60)
        yield from super().stream(text)


@pytest.mark.asyncio
async def test_quitting_mid_synthesis_stops_the_speech_process_at_once(home):
    process = SpeechProcess(factory=StalledPipeline)
    app = make_app(home, initial_tab="speak", pipeline_factory=process)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        app.query_one("#speak-voice", Input).value = "af_alpha"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: multiprocessing.active_children() != [])
        # Past the model load (a spawned child can take seconds to start on a slow machine): the first chunk's
        # request goes to the child right after this line shows, and the pause lets it get into the stalled chunk.
        await wait_for(pilot, lambda: "synthesising the first chunk" in screen_text(app))
        await pilot.pause(1.0)
        started = time.monotonic()
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)
    assert time.monotonic() - started < 5 and multiprocessing.active_children() == []


@pytest.mark.asyncio
async def test_speak_pane_without_audio_device_says_where_the_wav_is(home):
    app = make_app(home, initial_tab="speak")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        app.query_one("#speak-voice", Input).value = "af_beta"
        await pilot.press("ctrl+s")
        # The saved file's line is the info's second: it shows after a layout pass, maybe a frame after "real time".
        flat = lambda: screen_text(app).replace("\n", "")  # noqa: E731
        await wait_for(pilot, lambda: "real time" in flat() and "speak.wav" in flat())
        text = flat()
        assert "no audio output device" in text and "not played" in text
        assert (home.cache / "tui" / "speak.wav").is_file()


@pytest.mark.asyncio
async def test_speak_pane_shows_errors_and_refuses_bad_input(home):
    from kokoro_tui.errors import KokoroError

    def broken(**options):
        raise KokoroError("unknown voice 'nobody'", hint="did you mean af_beta?")

    app = make_app(home, initial_tab="speak", pipeline_factory=broken)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        app.query_one("#speak-voice", Input).value = "nobody"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "unknown voice 'nobody'" in screen_text(app))
        app.query_one("#speak-speed", Input).value = "fast"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "speed must be a number" in screen_text(app))
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "nothing to save yet" in screen_text(app))


class FirstChunkHeld(FakePipeline):
    """Computes nothing until ``first`` is set, as a model busy with its first sentence."""

    def __init__(self, first: threading.Event, **options) -> None:
        super().__init__(**options)
        self.first = first

    def stream(self, text: str):
        assert self.first.wait(20), "test never released the first chunk"
        yield from super().stream(text)


@pytest.mark.asyncio
async def test_speak_pane_clears_the_last_result_and_pulses_until_the_first_chunk(home):
    first = threading.Event()
    first.set()
    app = make_app(home, initial_tab="speak", pipeline_factory=lambda **options: FirstChunkHeld(first, **options))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        assert "voice or blend (v)" in screen_text(app) and "speed" in screen_text(app)  # labelled fields
        app.query_one("#speak-text", TextArea).text = "One short sentence."
        app.query_one("#speak-voice", Input).value = "af_beta"
        bar = app.query_one("#speak-progress", ProgressBar)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "not played" in screen_text(app))
        assert bar.percentage == 1.0

        first.clear()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "synthesising the first chunk" in screen_text(app))
        assert bar.total is None and bar.percentage is None  # pulsing, not a made-up percentage
        assert "not played" not in screen_text(app) and "saved" not in screen_text(app)
        await pilot.press("ctrl+o")  # the last result is gone with its line: nothing to save mid-synthesis
        await wait_for(pilot, lambda: "nothing to save yet" in screen_text(app))
        first.set()
        await wait_for(pilot, lambda: "not played" in screen_text(app) and bar.percentage == 1.0)


@pytest.mark.asyncio
async def test_speak_voice_follows_selection_and_speed_keys(home):
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        # Keys pressed before focus lands are lost.
        await wait_for(pilot, lambda: app.selected_voice is not None and app.focused is not None)
        await pilot.press("down", "s")
        await wait_for(pilot, lambda: app.query_one("#tabs").active == "speak")
        assert app.query_one("#speak-voice", Input).value == app.selected_voice
        await pilot.press("plus", "plus", "minus")
        await wait_for(pilot, lambda: app.query_one("#speak-speed", Input).value == "1.10")
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.focused, TextArea))
        await pilot.press("q")  # typed into the text box, not quitting
        await wait_for(pilot, lambda: app.is_running and "q" in app.query_one("#speak-text", TextArea).text)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.focused.id == "speak-go")
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)


@pytest.mark.asyncio
async def test_training_pane_follows_a_live_run(home):
    write_demo_run(home.runs / "live", steps=30, finish=False)
    os.utime(home.runs / "demo" / "log.jsonl", (1, 1))  # so "live" is the newest run, listed first
    app = make_app(home, initial_tab="training")
    async with app.run_test(size=SIZE) as pilot:
        last = [r for r in read_run_log(home.runs / "live" / "log.jsonl") if r.kind == "step"][-1]
        # The header text and its layout (height) update in separate refreshes: wait for both.
        await wait_for(pilot, lambda: "step 30/30" in screen_text(app) and f"mel {last.losses['mel']:.4g}" in screen_text(app))
        assert "[running]" in screen_text(app)
        with RunLogWriter(home.runs / "live" / "log.jsonl") as log:
            log.write(StepRecord(step=31, epoch=0, losses={"mel": 0.123}, lr=1e-5, elapsed_s=60.0, eta_s=3725.0))
        await wait_for(
            pilot, lambda: all(part in screen_text(app) for part in ("step 31/30", "ETA 1:02:05", "mel 0.123"))
        )
        with RunLogWriter(home.runs / "live" / "log.jsonl") as log:
            log.write(EndRecord(status="failed", step=31, message="out of memory"))
        await wait_for(pilot, lambda: "[failed]" in screen_text(app) and "out of memory" in screen_text(app))

        await wait_for(pilot, lambda: app.focused is not None)  # keys pressed before focus lands are lost
        await pilot.press("down")  # the other run
        await wait_for(pilot, lambda: "demo  [completed]" in screen_text(app))


@pytest.mark.asyncio
async def test_training_pane_picks_up_a_new_run(tmp_path):
    home = make_home(tmp_path / "home", run=False)
    app = make_app(home, initial_tab="training")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "no runs in" in screen_text(app) and "kokoro train voice" in screen_text(app))
        write_demo_run(home.runs / "fresh", steps=12)
        await pilot.press("r")
        await wait_for(pilot, lambda: "fresh  [completed]" in screen_text(app), timeout=10)


def _step(step: int, mel: float, **fields) -> StepRecord:
    return StepRecord(step=step, epoch=0, losses={"mel": mel}, lr=1e-5, elapsed_s=2.0 * step, **fields)


@pytest.mark.asyncio
async def test_training_pane_estimates_an_eta_the_trainer_did_not_write(tmp_path):
    home = make_home(tmp_path / "home", run=False)
    with RunLogWriter(home.runs / "est" / "log.jsonl") as log:
        log.write(StartRecord(run="est", total_steps=100))
        log.write(_step(25, 0.5))  # 50 s for 25 steps: 75 more take 150 s
    app = make_app(home, initial_tab="training")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "ETA 0:02:30 (estimated)" in screen_text(app))
        assert "est  [running]" in screen_text(app)


@pytest.mark.asyncio
async def test_training_pane_calls_a_silent_run_stalled_until_it_writes_again(tmp_path):
    home = make_home(tmp_path / "home", run=False)
    path = home.runs / "killed" / "log.jsonl"
    hour_ago = time.time() - 3600
    with RunLogWriter(path) as log:
        log.write(StartRecord(run="killed", total_steps=100, time=hour_ago - 10))
        log.write(_step(5, 0.5, time=hour_ago))
    with open(path, "a") as handle:
        handle.write('{"v":1,"kind":"step","st')  # killed in the middle of a record
    os.utime(path, (hour_ago, hour_ago))
    app = make_app(home, initial_tab="training")
    async with app.run_test(size=SIZE) as pilot:
        stalled = re.compile(r"killed  \[stalled\?\].*\n.*no record for 6\d min  last line cut off")
        await wait_for(pilot, lambda: stalled.search(screen_text(app)) is not None)  # both header lines laid out
        assert "[running]" not in screen_text(app)
        with RunLogWriter(path) as log:  # resumed: the cut line becomes one bad line, the new record counts
            log.write(_step(6, 0.4))
        resumed = ("killed  [running]", "step 6/100", "1 bad line skipped")
        await wait_for(pilot, lambda: all(part in screen_text(app) for part in resumed))
        assert "no record for" not in screen_text(app)


def test_step_rate_reads_as_steps_per_second_or_seconds_per_step():
    from kokoro_tui.tui.panes.training import format_rate

    assert [format_rate(rate) for rate in (1.0, 12.5, 1234.0)] == ["1.00 steps/s", "12.5 steps/s", "1234 steps/s"]
    assert [format_rate(rate) for rate in (0.5, 1 / 300)] == ["2.00 s/step", "300 s/step"]


def test_a_long_path_is_cut_from_the_left_keeping_its_file_name():
    from kokoro_tui.tui.panes.training import shorten_path

    path = "/home/someone/.local/share/kokoro-tui/runs/demo/samples/step-000040.wav"
    assert shorten_path(path, 80) == path
    assert shorten_path(path, 36) == "…/runs/demo/samples/step-000040.wav"  # cut at a separator: 35 columns
    assert shorten_path(path, 12) == "…-000040.wav"  # narrower than the file name: cut within it
    assert shorten_path(path, 1) == "…" and shorten_path(path, 0) == ""


@pytest.mark.asyncio
async def test_training_pane_shows_the_step_rate_and_the_latest_sample(tmp_path):
    home = make_home(tmp_path / "home", run=False)
    run = home.runs / "tune"
    with RunLogWriter(run / "log.jsonl") as log:
        log.write(StartRecord(run="tune", total_steps=100))
        for step in (1, 2, 3):
            log.write(_step(step, 0.5))  # a step every 2 s
        log.write(SampleRecord(step=3, path="samples/step-000003.wav", text="Hello."))
    app = make_app(home, initial_tab="training")
    async with app.run_test(size=SIZE) as pilot:
        missing = re.compile(r"│sample @3 …/\S*/tune/samples/step-000003\.wav \(missing\) *$", re.MULTILINE)
        await wait_for(pilot, lambda: "2.00 s/step" in screen_text(app) and missing.search(screen_text(app)))

        (run / "samples").mkdir()
        (run / "samples" / "step-000003.wav").write_bytes(b"")  # the file arrives after its record
        arrived = "/tune/samples/step-000003.wav"
        await wait_for(pilot, lambda: arrived in screen_text(app) and "(missing)" not in screen_text(app))

        far = tmp_path / ("deep" * 20) / "step-000103.wav"
        far.parent.mkdir()
        far.write_bytes(b"")
        with RunLogWriter(run / "log.jsonl") as log:
            log.write(StepRecord(step=103, epoch=0, losses={"mel": 0.4}, lr=1e-5, elapsed_s=26.0))
            log.write(SampleRecord(step=103, path=str(far)))  # absolute, and longer than the pane is wide
        latest = ("4.25 steps/s", "│sample @103 …/step-000103.wav")
        await wait_for(pilot, lambda: all(part in screen_text(app) for part in latest))


@pytest.mark.asyncio
async def test_training_tail_shows_its_last_line_and_leaves_a_reader_where_they_scrolled(home):
    from kokoro_tui.tui.panes.training import TrainingPane

    write_demo_run(home.runs / "live", steps=30, finish=False)
    os.utime(home.runs / "demo" / "log.jsonl", (1, 1))  # so "live" is the newest run, listed first
    app = make_app(home)  # on the voices pane: the tail fills while the training pane is hidden
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(TrainingPane)
        header = pane.query_one("#run-header")
        await wait_for(pilot, lambda: "step 30/30" in str(header.content) and app.focused is not None)
        await pilot.press("4")
        await wait_for(pilot, lambda: "step 30 ep 0 lr=" in screen_text(app))

        await wait_for(pilot, lambda: app.focused is pane.query_one("#run-list"))  # else tab starts elsewhere
        await pilot.press("tab")
        log = pane.query_one("#run-log")
        await wait_for(pilot, lambda: app.focused is log)
        await pilot.press("home")
        await wait_for(pilot, lambda: log.scroll_y == 0)
        path = home.runs / "live" / "log.jsonl"
        with RunLogWriter(path) as writer:
            writer.write(StepRecord(step=31, epoch=0, losses={"mel": 0.123}, lr=1e-5, elapsed_s=60.0))
        await wait_for(pilot, lambda: "step 31/30" in screen_text(app))
        for _ in range(3):  # time for a scroll to the end, were one (wrongly) coming
            await pilot.pause(0.1)
        assert log.scroll_y == 0 and "step 31 ep 0" not in screen_text(app)

        await pilot.press("end")  # back at the end: the tail follows again, lr included
        # End scrolls smoothly (its scroll may start after the key returns) and the last line shows from half a
        # row before the end: wait until the tail is at the end before the next record comes (one that lands
        # mid-scroll is not followed).
        await wait_for(
            pilot, lambda: "step 31 ep 0 lr=1.0e-05 mel=0.123" in screen_text(app) and log.scroll_y == log.max_scroll_y
        )
        with RunLogWriter(path) as writer:
            writer.write(StepRecord(step=32, epoch=0, losses={"mel": 0.12}, lr=1e-5, elapsed_s=62.0))
        await wait_for(pilot, lambda: "step 32 ep 0 lr=1.0e-05 mel=0.12" in screen_text(app))


def _plot_rows(screen: str) -> list[str]:
    """The loss plot's rows, from its top frame to its axis-label row, with the run list cut off."""
    rows = [row[row.index("│") + 1 :] if "│" in row else row for row in screen.splitlines()]
    top = next(index for index, row in enumerate(rows) if row.lstrip().startswith("┌"))
    bottom = next(index for index, row in enumerate(rows) if row.lstrip().startswith("└"))
    return rows[top : bottom + 3]


@pytest.mark.asyncio
async def test_training_plot_has_round_ticks_axis_labels_and_no_legend_on_the_curves(home):
    app = make_app(home, initial_tab="training")
    async with app.run_test(size=SIZE) as pilot:
        legend = [f"■ {name} " for name in ("mel", "duration", "f0")]  # header line 3: wait for its layout too
        await wait_for(pilot, lambda: all(part in screen_text(app) for part in ["demo  [completed]", "┤", *legend]))
        rows = _plot_rows(screen_text(app))
        assert len(rows) - 4 >= 6  # data rows at 80x24 below a sample line: frame, ticks and labels aside

        y_ticks = [(index, float(match[1])) for index, row in enumerate(rows) if (match := re.match(r"\s*([\d.]+)┤", row))]
        values = [value for _, value in y_ticks]
        steps = {round(b - a, 9) for a, b in zip(values[1:], values)}
        assert 3 <= len(values) <= 5 and len(steps) == 1 and steps.pop() in (0.1, 0.2, 0.5, 1.0)
        gaps = [b[0] - a[0] for a, b in zip(y_ticks, y_ticks[1:])]
        assert max(gaps) - min(gaps) <= 1

        x_ticks = [int(number) for number in rows[-2].split()]
        assert x_ticks == list(range(0, 41, 10))
        assert rows[-1].split() == ["loss", "step"]
        assert not any(name in row for row in rows for name in ("mel", "duration", "f0"))  # no legend on the curves


@pytest.mark.asyncio
async def test_analysis_pane_shows_the_library_figures(home):
    app = make_app(home, initial_tab="analysis")
    async with app.run_test(size=SIZE) as pilot:
        decoder = explained_ratio(home, slice(0, 128))

        def decoder_row() -> str | None:
            return next((row for row in screen_text(app).splitlines() if row.strip().startswith("decoder")), None)

        # The figures' header row shows in the one row "analysing voices…" had; their other rows and the
        # summary below show after a layout pass, which may come a frame later.
        await wait_for(
            pilot,
            lambda: "n 80/90/95%" in screen_text(app) and decoder_row() is not None and "8 voices" in screen_text(app),
            timeout=60,
        )
        line = decoder_row()
        assert f"{100 * decoder[0]:.1f}%" in line and f"{100 * decoder[1]:.1f}%" in line
        report = app.query_one("#analysis-report", TextArea).text
        assert report.startswith("Kokoro voice-embedding analysis")


@pytest.mark.asyncio
async def test_analysis_report_wraps_to_the_width_instead_of_running_off_the_edge(home):
    from kokoro_tui.tui.panes.analysis import ReportView

    app = make_app(home, initial_tab="analysis")
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one("#analysis-report", ReportView)
        await wait_for(pilot, lambda: view.text.startswith("Kokoro voice-embedding analysis"), timeout=60)
        widest = lambda: max(len(line) for line in view.text.splitlines())  # noqa: E731
        await wait_for(pilot, lambda: widest() < view.scrollable_content_region.width and view.max_scroll_x == 0)
        assert max(len(line) for line in view.report.splitlines()) > 100  # there were long lines to wrap
        assert view.text.split() == view.report.split()  # nothing cut off
        await pilot.resize_terminal(120, 30)
        await wait_for(pilot, lambda: 80 < widest() < view.scrollable_content_region.width)


@pytest.mark.asyncio
@pytest.mark.parametrize("tab", ["voices", "map", "speak", "training", "analysis"])
async def test_q_quits_and_question_mark_lists_keys_from_every_pane(home, tab):
    app = make_app(home, initial_tab=tab)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "switch pane" in screen_text(app))
        pane_keys = [binding.description for binding in app.active_pane().BINDINGS]
        assert pane_keys and pane_keys[0] in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "switch pane" not in screen_text(app))
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)


@pytest.mark.asyncio
async def test_q_quits_from_the_help_screen_which_esc_and_question_mark_close(home):
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "switch pane" in screen_text(app))
        assert "in a text field it types q" in screen_text(app) and "ctrl+q" in screen_text(app)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "switch pane" not in screen_text(app))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "switch pane" in screen_text(app))
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)


@pytest.mark.asyncio
async def test_ctrl_q_quits_from_a_text_field(home):
    app = make_app(home, initial_tab="speak")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.focused, TextArea))
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)


@pytest.mark.asyncio
async def test_number_keys_switch_panes(home):
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        for key, tab in zip("526341", ["analysis", "map", "server", "speak", "training", "voices"]):
            await pilot.press(key)
            await wait_for(pilot, lambda tab=tab: app.query_one("#tabs").active == tab)
            focused = app.focused
            assert focused is not None and app.active_pane() in focused.ancestors_with_self
            assert not (isinstance(focused, TextArea) and not focused.read_only)


@pytest.mark.asyncio
async def test_map_recomputes_after_the_store_is_reloaded(home):
    from kokoro_tui.voices.store import VoiceStore

    app = make_app(home, initial_tab="map")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: f"both view, {len(VOICE_NAMES) + 1} voices" in screen_text(app))
        store = VoiceStore(home)
        store.save("af_new", store.load("af_alpha") * 1.1, "edited", {"source": "af_alpha"})
        await pilot.press("1")
        # The map recomputes when it is shown again, which needs a layout pass that hid it first: wait until
        # the Voices pane is on screen (laid out), with the keys.
        await wait_for(pilot, lambda: "search name, language, origin" in screen_text(app) and app.focused is not None)
        await pilot.press("r")
        await pilot.press("2")
        await wait_for(pilot, lambda: f"both view, {len(VOICE_NAMES) + 2} voices" in screen_text(app))


def served(board: RequestBoard, voice: str, chars: int, status: int = 200, audio_s: float = 2.0) -> None:
    record = board.begin("POST", "/v1/audio/speech", "127.0.0.1")
    record.describe(voice=voice, chars=chars, format="mp3", stream=True)
    record.status, record.first_byte_s, record.elapsed_s, record.audio_s = status, 0.42, 1.5, audio_s
    board.finish(record)


@pytest.mark.asyncio
async def test_server_pane_follows_the_requests_of_a_running_server_until_it_stops(home):
    board = RequestBoard(home.servers, ServerIdentity(url="http://127.0.0.1:8880", max_requests=8, keyed=True))
    served(board, "af_heart", 120)
    streaming = board.begin("POST", "/dev/captioned_speech", "10.0.0.7")
    streaming.describe(voice="af_heart(7)+am_adam(3)", chars=5000, format="wav", stream=True)
    streaming.status, streaming.first_byte_s, streaming.audio_s = 200, 0.61, 3.5
    board.start()
    app = make_app(home, initial_tab="server")
    try:
        async with app.run_test(size=SIZE) as pilot:
            shown = ("http://127.0.0.1:8880", "API key required", "1 request, 2.0 s of audio; model queue 0/8",
                     "first byte of a stream 420 ms", "captioned…", "af_heart(7)…", "5000", "610 ms", "3.5 s")
            await wait_for(pilot, lambda: all(part in screen_text(app) for part in shown))
            assert not app.query_one("#server-list", DataTable).display, "one server: its header names it"

            streaming.audio_s = 7.25  # the stream goes on, then ends; a request is refused
            await wait_for(pilot, lambda: "7.2 s" in screen_text(app))
            board.finish(streaming)
            served(board, "af_nobody", 9, status=400, audio_s=0.0)
            await wait_for(pilot, lambda: "3 requests (1 failed)" in screen_text(app))
            served(board, "af_heart", 40, status=499, audio_s=0.5)  # its client left mid-stream
            await wait_for(pilot, lambda: "4 requests (1 failed, 1 cancelled)" in screen_text(app))
            recent = app.query_one("#server-recent", DataTable)
            assert [str(recent.get_row_at(row)[3]) for row in range(4)] == ["af_heart", "af_nobody", "af_heart(7)…",
                                                                            "af_heart"]
            assert app.query_one("#server-active", DataTable).row_count == 0

            board.close()
            await wait_for(pilot, lambda: "No `kokoro serve` is running" in screen_text(app))
    finally:
        board.close()


@pytest.mark.asyncio
async def test_server_pane_lists_several_servers_and_shows_the_highlighted_one(home):
    boards = [RequestBoard(home.servers, ServerIdentity(url=f"http://127.0.0.1:{port}", started=time.time() - age))
              for port, age in ((8880, 60), (8881, 30))]
    served(boards[1], "bm_lewis", 77)
    for board in boards:
        board.start()
    app = make_app(home, initial_tab="server")
    try:
        async with app.run_test(size=SIZE) as pilot:
            servers = app.query_one("#server-list", DataTable)
            await wait_for(pilot, lambda: servers.row_count == 2 and "0 requests" in screen_text(app))
            assert servers.display and "bm_lewis" not in screen_text(app)
            await wait_for(pilot, lambda: app.focused is app.query_one("#server-recent"))  # where the pane starts
            servers.focus()
            await wait_for(pilot, lambda: app.focused is servers)
            await pilot.press("down")
            await wait_for(pilot, lambda: "bm_lewis" in screen_text(app) and "1 request," in screen_text(app))
    finally:
        for board in boards:
            board.close()


# ---- defects found by driving the panes (each test failed before its fix) ----------------------------


def _flat(text: str) -> str:
    """``text`` without whitespace: a message wrapped over rows still matches itself."""
    return "".join(text.split())


def _damage(home, name: str) -> None:
    (home.voices / f"{name}.npy").write_bytes(b"garbage")


@pytest.mark.asyncio
async def test_up_on_an_empty_voice_table_does_not_crash(tmp_path):
    """Up on an empty table highlights row -1, which has no key: the dashboard must not die of it."""
    from kokoro_tui.home import DataHome

    app = make_app(DataHome(tmp_path / "empty"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "kokoro download" in screen_text(app) and app.focused is not None)
        await pilot.press("up", "down", "up")
        await pilot.pause(0.2)
        assert app.is_running and app.selected_voice is None


@pytest.mark.asyncio
async def test_a_russian_voice_is_on_the_map_and_named_in_the_voice_table(home):
    from kokoro_tui.voices.store import VoiceStore

    store = VoiceStore(home)
    store.save("rf_nadia", store.load("af_alpha") * 0.9, origin="trained")
    app = make_app(home, initial_tab="map")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: f"both view, {len(VOICE_NAMES) + 2} voices" in screen_text(app))
        assert "r Russian" in screen_text(app)  # its legend entry
        await pilot.press("1")
        row = re.compile(r"rf_nadia +Russian +female +trained")
        await wait_for(pilot, lambda: row.search(screen_text(app)) is not None)


@pytest.mark.asyncio
async def test_a_damaged_voice_file_is_told_in_full_and_leaves_no_stale_charts(home):
    from textual.widgets import Sparkline, Static

    _damage(home, "af_beta")
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "af_alpha · stock" in screen_text(app) and app.focused is not None)
        await pilot.press("down")  # af_beta
        # The message names the file's temporary path, whose length moves where its lines wrap.
        await wait_for(pilot, lambda: "not a NumPy .npy file" in str(app.query_one("#voice-stats", Static).content))
        assert "kokoro voices import" in str(app.query_one("#voice-stats", Static).content)
        assert "--force`)" in screen_text(app)  # the last word: nothing cut off
        assert app.query_one("#spark-decoder", Sparkline).data == []  # not af_alpha's any more
        await pilot.press("2")  # the map leaves it out and says so
        # The note's line appears after a layout pass, which may come a frame after the plot's new title.
        await wait_for(
            pilot,
            lambda: f"both view, {len(VOICE_NAMES)} voices" in screen_text(app)
            and "af_beta is damaged and left out" in screen_text(app),
        )


@pytest.mark.asyncio
async def test_speak_pane_shows_a_long_error_in_full(home):
    from kokoro_tui.errors import MissingAssetError

    message = f"no Kokoro model weights in {home.root / 'models' / 'kokoro-82m-v1.0'}"

    def no_model(**options):
        raise MissingAssetError(message, hint="run `kokoro download`")

    app = make_app(home, initial_tab="speak", pipeline_factory=no_model)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        app.query_one("#speak-voice", Input).value = "af_alpha"
        await pilot.press("ctrl+s")
        # The error's second row shows after a layout pass, which may come a frame after "failed".
        shown = _flat(f"{message} (run `kokoro download`)")
        await wait_for(pilot, lambda: "failed" in screen_text(app) and shown in _flat(screen_text(app)))


@pytest.mark.asyncio
async def test_save_as_refuses_a_folder_and_an_empty_name_saying_why(home, tmp_path):
    from kokoro_tui.tui.save_as import SaveAsScreen

    app = make_app(home, initial_tab="speak")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        app.query_one("#speak-voice", Input).value = "af_alpha"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "real time" in screen_text(app))

        await pilot.press("ctrl+o")
        # The dialog is the screen as soon as it is pushed, and has its field once composed.
        await wait_for(pilot, lambda: isinstance(app.screen, SaveAsScreen) and bool(app.screen.query("#save-path")))
        app.screen.query_one("#save-path", Input).value = ""
        await pilot.press("enter")  # nothing to save to: the dialog stays, asking for a name
        await wait_for(pilot, lambda: "type a file name, e.g. kokoro.wav" in screen_text(app))
        assert isinstance(app.screen, SaveAsScreen)

        app.screen.query_one("#save-path", Input).value = str(tmp_path)
        await pilot.press("enter")
        # The error may need more rows than the line it replaces: they show after a layout pass, maybe a
        # frame after "not saved".
        folder = _flat(f"{tmp_path} is a folder (add a file name, e.g. {tmp_path / 'kokoro.wav'})")
        await wait_for(pilot, lambda: "not saved" in screen_text(app) and folder in _flat(screen_text(app)))


@pytest.mark.asyncio
async def test_dialogs_stay_inside_a_60_column_terminal(home):
    from kokoro_tui.tui.save_as import SaveAsScreen

    app = make_app(home, initial_tab="speak")
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "switch pane" in screen_text(app))
        assert app.screen.query_one("#help-box").region.right <= 60
        await pilot.press("escape")
        app.query_one("#speak-voice", Input).value = "af_alpha"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "s of audio" in screen_text(app))
        await pilot.press("ctrl+o")
        # Drawn, so laid out: before its first layout the box's region is empty, and right of nothing is 0.
        await wait_for(pilot, lambda: isinstance(app.screen, SaveAsScreen) and "Save audio as" in screen_text(app))
        assert app.screen.query_one("#save-box").region.right <= 60


@pytest.mark.asyncio
async def test_training_header_shows_step_zero_as_a_step(tmp_path):
    """A book's first paragraph of nothing spoken, or a trainer logging before its first update, is at step 0."""
    home = make_home(tmp_path / "home", run=False)
    with RunLogWriter(home.runs / "zero" / "log.jsonl") as log:
        log.write(StartRecord(run="zero", total_steps=10))
        log.write(_step(0, 0.5))
    app = make_app(home, initial_tab="training")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "zero  [running]  step 0/10" in screen_text(app))
