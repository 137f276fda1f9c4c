"""The dashboard against a user's real data: damaged voice files, an empty store, run logs from other
trainers, and jobs that raise. None of it may end the app; each pane says what is wrong in a line."""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest
from test_tui_support import VOICE_NAMES, FakePipeline, make_home, screen_text, wait_for
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Input, Static, TextArea

from kokoro_tui.home import DataHome
from kokoro_tui.training.runlog import StartRecord, StepRecord
from kokoro_tui.tui.app import KokoroApp
from kokoro_tui.tui.background import background, post_if_current

SIZE = (80, 24)
#: A stock voice's name, so that its fix is `kokoro download`'s.
STOCK = "af_heart"
HEART_FIX = f"`kokoro download --force --no-model --voices {STOCK}` fetches it again"


def make_app(home, **kwargs) -> KokoroApp:
    kwargs.setdefault("player_finder", lambda: (None, "no audio output device on this machine"))
    kwargs.setdefault("pipeline_factory", lambda **options: FakePipeline(**options))
    return KokoroApp(home, **kwargs)


def _flat(text: str) -> str:
    """``text`` without whitespace: a line wrapped over rows still matches itself."""
    return "".join(text.split())


def _on_screen(app, text: str) -> bool:
    return _flat(text) in _flat(screen_text(app))


def _right_column(app) -> str:
    """The screen right of the first column border (a detail or a run's view), flat."""
    return _flat("".join(row.partition("│")[2] for row in screen_text(app).splitlines()))


def home_with_a_damaged_stock_voice(root, suffix: str = "npy") -> DataHome:
    """The test home plus af_heart, whose file is then cut short (a download that died)."""
    from kokoro_tui.voices.store import VoiceStore

    home = make_home(root, run=False)
    store = VoiceStore(home)
    info = store.save(STOCK, store.load("af_alpha"), origin="stock", fmt=suffix)
    info.path.write_bytes(info.path.read_bytes()[:100])
    return home


# ---- damaged voice files -------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["npy", "pt", "bin"])
def test_the_catalog_leaves_out_a_damaged_voice_and_names_its_fix(tmp_path, suffix):
    from kokoro_tui.tui.catalog import VoiceCatalog

    read = VoiceCatalog(home_with_a_damaged_stock_voice(tmp_path / "home", suffix)).packs()
    assert STOCK not in read.packs and len(read.packs) == len(VOICE_NAMES) + 1  # the others, the blend too
    [damaged] = read.damaged
    assert damaged.line() == f"{STOCK} is damaged and left out: {HEART_FIX}"


def test_a_store_without_voices_is_told_with_its_way_out(tmp_path):
    from kokoro_tui.errors import MissingAssetError
    from kokoro_tui.tui.catalog import VoiceCatalog

    with pytest.raises(MissingAssetError, match="no voices in the store") as raised:
        VoiceCatalog(DataHome(tmp_path / "empty")).packs()
    assert "kokoro download" in str(raised.value)


def test_past_three_damaged_voices_the_note_points_to_doctor():
    from kokoro_tui.tui.catalog import DamagedVoice
    from kokoro_tui.tui.damaged import MAX_NAMED, damaged_text

    damaged = [DamagedVoice(f"v{index}", f"fix v{index}") for index in range(MAX_NAMED + 2)]
    lines = damaged_text(damaged).plain.splitlines()
    assert lines[:MAX_NAMED] == [voice.line() for voice in damaged[:MAX_NAMED]]
    assert lines[MAX_NAMED:] == ["and 2 more damaged voices: `kokoro doctor` lists each with its fix"]


@pytest.mark.asyncio
async def test_map_and_analysis_show_the_other_voices_and_name_the_damaged_one(tmp_path):
    home = home_with_a_damaged_stock_voice(tmp_path / "home")
    sound = len(VOICE_NAMES) + 1
    app = make_app(home, initial_tab="map")
    async with app.run_test(size=SIZE) as pilot:
        # The note's line appears after a layout pass, which may come a frame after the header's new text.
        named = f"{STOCK} is damaged and left out: {HEART_FIX}"
        await wait_for(pilot, lambda: f"both view, {sound} voices" in screen_text(app) and _on_screen(app, named))
        await pilot.press("5")
        await wait_for(pilot, lambda: f"{sound} voices, " in screen_text(app) and _on_screen(app, named), timeout=60)
        assert "PC1" in screen_text(app)


@pytest.mark.asyncio
async def test_too_few_sound_voices_say_so_and_still_name_the_damaged_one(tmp_path):
    from kokoro_tui.voices.store import VoiceStore

    home = DataHome(tmp_path / "home")
    store = VoiceStore(home)
    for seed, name in enumerate(("af_alpha", "am_beta", STOCK)):
        store.save(name, np.random.default_rng(seed).normal(size=(510, 1, 256)).astype(np.float32), origin="stock")
    (home.voices / f"{STOCK}.npy").write_bytes(b"garbage")
    app = make_app(home, initial_tab="map")
    async with app.run_test(size=SIZE) as pilot:
        named = f"{STOCK} is damaged and left out: {HEART_FIX}"
        too_few = "need at least 3 voices to analyse, got 2"
        await wait_for(pilot, lambda: too_few in screen_text(app) and _on_screen(app, named))


@pytest.mark.asyncio
async def test_a_map_that_cannot_be_drawn_any_more_leaves_no_stale_map(tmp_path):
    home = make_home(tmp_path / "home", run=False)
    app = make_app(home, initial_tab="map")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: f"both view, {len(VOICE_NAMES) + 1} voices" in screen_text(app))
        for path in sorted(home.voices.glob("*.npy"))[2:]:
            path.unlink()  # removed elsewhere, two left
        await pilot.press("1")
        # The map recomputes when it is shown again, which needs a layout pass that hid it first: wait until
        # the Voices pane is on screen (laid out).
        await wait_for(pilot, lambda: "search name, language, origin" in screen_text(app))
        await pilot.press("r", "2")  # reload the store, back to the map
        await wait_for(pilot, lambda: "need at least 3 voices to analyse, got 2" in screen_text(app))
        assert "both view" not in screen_text(app)


@pytest.mark.asyncio
async def test_the_voice_table_marks_a_damaged_voice_and_its_detail_names_the_fix(tmp_path):
    from textual.widgets import DataTable

    home = home_with_a_damaged_stock_voice(tmp_path / "home")
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one("#voice-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == len(VOICE_NAMES) + 2)
        assert str(table.get_row(STOCK)[-1]) == "damaged"
        app.selected_voice = STOCK

        problem = _flat(f"{STOCK} is damaged: {home.voices / STOCK}.npy is not a readable voice file")
        # The rest of the error, down to the chart's label under it, may need more rows than the detail it
        # replaces: they show after a layout pass, which may come a frame after its first rows.
        fix = _flat(f"({HEART_FIX}) decoder 0–127, mean row")
        await wait_for(pilot, lambda: _right_column(app).startswith(problem) and fix in _right_column(app))


@pytest.mark.asyncio
@pytest.mark.parametrize("tab", ["map", "analysis"])
async def test_map_and_analysis_of_an_empty_store_say_how_to_get_voices(tmp_path, tab):
    app = make_app(DataHome(tmp_path / "empty"), initial_tab=tab)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "no voices in the store (run `kokoro download`)" in screen_text(app))


# ---- a job that raises ---------------------------------------------------------------


def job_app() -> App[None]:
    """An app of one widget whose background job posts a note, then raises; and one that only raises."""

    class Job(Static):
        class Note(Message):
            def __init__(self, text: str) -> None:
                super().__init__()
                self.text = text

        def __init__(self) -> None:
            super().__init__("", id="job")
            self.shown: list[str] = []

        @background(group="job", failed=Note)
        def fail(self, error: Exception) -> None:
            post_if_current(self, self.Note("started"))
            raise error

        @background(group="quiet")
        def fail_quietly(self) -> None:
            raise RuntimeError("nobody waits on this")

        def on_job_note(self, message: Note) -> None:
            self.shown.append(message.text)

    class JobApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Job()

    return JobApp()


@pytest.mark.asyncio
async def test_a_job_that_raises_posts_its_failure_after_its_messages_and_the_app_goes_on(monkeypatch):
    from textual import constants

    logged: list[str] = []
    monkeypatch.setattr(constants, "LOG_FILE", None)
    app = job_app()
    async with app.run_test() as pilot:
        job = app.query_one("#job")
        monkeypatch.setattr(type(job.log), "__call__", lambda self, *args, **kwargs: logged.append(" ".join(map(str, args))))
        job.fail(ValueError("bad\nvalue"))
        await wait_for(pilot, lambda: len(job.shown) == 2)
        assert job.shown == ["started", "unexpected ValueError: bad value"]
        job.fail_quietly()
        await wait_for(pilot, lambda: any("nobody waits on this" in line for line in logged))
        await pilot.pause(0.1)
        assert app.is_running and app.return_code is None
    [failure] = [line for line in logged if line.startswith("fail failed")]
    assert "Traceback" in failure and "ValueError: bad\nvalue" in failure


def test_a_failure_line_is_one_line_and_names_a_bug_as_one():
    from kokoro_tui.errors import KokoroError
    from kokoro_tui.tui.background import failure_line

    assert failure_line(KokoroError("no model", hint="run `kokoro download`")) == "no model (run `kokoro download`)"
    assert failure_line(PermissionError(13, "Permission denied", "/x")) == "[Errno 13] Permission denied: '/x'"
    assert failure_line(ZeroDivisionError("division\n  by zero")) == "unexpected ZeroDivisionError: division by zero"
    assert failure_line(KeyError()) == "unexpected KeyError"


@pytest.mark.asyncio
async def test_an_analysis_that_raises_is_one_line_in_its_pane_and_can_be_run_again(tmp_path, monkeypatch):
    from kokoro_tui.analysis import voices

    analyze = voices.analyze_voices

    def broken(packs, **options):
        raise FloatingPointError("singular matrix\nin the PCA")

    monkeypatch.setattr(voices, "analyze_voices", broken)
    app = make_app(make_home(tmp_path / "home", run=False), initial_tab="analysis")
    async with app.run_test(size=SIZE) as pilot:
        failed = "unexpected FloatingPointError: singular matrix in the PCA"
        # Keys pressed before focus lands are lost, and the failure can be on screen before it does.
        await wait_for(pilot, lambda: failed in screen_text(app) and app.focused is not None)
        assert "Traceback" not in screen_text(app) and app.is_running
        monkeypatch.setattr(voices, "analyze_voices", analyze)
        await pilot.press("a")
        await wait_for(pilot, lambda: "n 80/90/95%" in screen_text(app), timeout=60)
        monkeypatch.setattr(voices, "analyze_voices", broken)
        await pilot.press("a")  # failing again, it leaves no figures of the last run to pass for this one's
        await wait_for(pilot, lambda: "unexpected FloatingPointError" in screen_text(app))
        assert "n 80/90/95%" not in screen_text(app) and "most variable dims" not in screen_text(app)
        assert app.query_one("#analysis-report", TextArea).text == ""
        await pilot.press("1")  # the rest of the dashboard works too
        await wait_for(pilot, lambda: "af_alpha · stock" in screen_text(app))


class BrokenPipeline(FakePipeline):
    """A model bug: the second chunk raises."""

    def stream(self, text):
        for index, chunk in enumerate(super().stream(text)):
            if index == 1 and self.voice == "af_beta":
                raise IndexError("index 512 is out of bounds")
            yield chunk


@pytest.mark.asyncio
async def test_a_synthesis_that_raises_is_one_line_and_the_next_one_speaks(tmp_path):
    app = make_app(make_home(tmp_path / "home", run=False), initial_tab="speak",
                   pipeline_factory=lambda **options: BrokenPipeline(**options))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        app.query_one("#speak-text", TextArea).text = "One. Two."
        app.query_one("#speak-voice", Input).value = "af_beta"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "unexpected IndexError: index 512 is out of bounds" in screen_text(app))
        assert "failed" in screen_text(app)
        app.query_one("#speak-voice", Input).value = "af_alpha"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "real time" in screen_text(app))


@pytest.mark.asyncio
async def test_a_run_follower_that_raises_is_one_line_in_the_header(tmp_path, monkeypatch):
    from kokoro_tui.training import runlog

    def broken(self, record):
        raise KeyError("mel")

    monkeypatch.setattr(runlog.RunState, "apply", broken)
    app = make_app(make_home(tmp_path / "home"), initial_tab="training")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "unexpected KeyError: 'mel'" in screen_text(app))
        assert app.is_running


# ---- run logs from other trainers ----------------------------------------------------


def _line(**fields) -> str:
    """A record as Python's json.dumps writes it, NaN included (the run-log writer writes null)."""
    return json.dumps({"v": 1, "time": time.time(), **fields}) + "\n"


def _step(step: int, **fields) -> str:
    return _line(**{"kind": "step", "step": step, "epoch": 0, "losses": {"mel": 0.5}, "lr": 1e-4,
                    "elapsed_s": 2.0 * step, **fields})  # fmt: skip


def test_a_record_of_the_wrong_shape_is_refused_and_a_non_finite_number_made_null():
    from kokoro_tui.training.runlog import RunLogFormatError, decode_record

    def step(**fields) -> str:
        return json.dumps({"v": 1, "kind": "step", "step": 3, "epoch": 0, "losses": {}, "lr": 1e-4,
                           "elapsed_s": 6.0, **fields})  # fmt: skip

    assert decode_record(step(losses={"mel": math.nan, "dur": 0.2}, lr=math.inf)) == StepRecord(
        step=3, epoch=0, losses={"mel": None, "dur": 0.2}, lr=None, elapsed_s=6.0
    )
    assert decode_record(json.dumps({"v": 1, "kind": "start", "run": "r", "total_steps": 10})) == StartRecord(
        run="r", total_steps=10
    )
    refused = [
        step(losses={"mel": "high"}),
        step(losses=[0.5]),
        step(step="one"),
        step(step=True),
        step(step=math.nan),
        json.dumps({"v": 1, "kind": "start", "run": "r", "total_steps": "10"}),
        json.dumps({"v": 1, "kind": "start", "run": 5}),
        json.dumps({"v": 1, "kind": "sample", "step": 1, "path": 5}),
    ]
    for line in refused:
        with pytest.raises(RunLogFormatError, match="has the wrong type"):
            decode_record(line)


@pytest.mark.asyncio
async def test_a_run_log_with_nan_and_records_of_the_wrong_shape_is_still_followed(tmp_path):
    home = make_home(tmp_path / "home", run=False)
    run = home.runs / "other-trainer"
    run.mkdir(parents=True)
    (run / "log.jsonl").write_text(
        _line(kind="start", run="other-trainer", total_steps=10)
        + _step(1, losses={"mel": float("nan")})  # diverged for a step
        + _step(2, losses={"mel": "high"})  # not a number
        + _step(3, lr="fast")
        + _step(4, losses=[0.4])
        + _step(5, losses={"mel": 0.45}, lr=float("inf"))
        + '{"v":1,"kind":"st'  # half-written
    )
    app = make_app(home, initial_tab="training")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "other-trainer  [running]  step 5/10" in screen_text(app))
        await wait_for(pilot, lambda: _flat("3 bad lines skipped") in _right_column(app))
        assert "mel 0.45" in screen_text(app)
        assert app.is_running


@pytest.mark.asyncio
async def test_a_copied_run_folder_is_followed_though_its_log_names_the_original(tmp_path):
    home = make_home(tmp_path / "home", run=False)
    run = home.runs / "voice-narrator-backup"
    run.mkdir(parents=True)
    (run / "log.jsonl").write_text(_line(kind="start", run="voice-narrator", total_steps=10) + _step(4))
    app = make_app(home, initial_tab="training")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "voice-narrator  [running]  step 4/10" in screen_text(app))


# ---- voice stores that analyses cannot read much from ------------------------------------


def _rendered(renderable) -> str:
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=100)
    console.print(renderable)
    return console.file.getvalue()


def test_key_figures_of_custom_voices_give_no_pc_for_gender_or_language():
    """Names without a language/gender prefix say nothing of either: no PC "carries" them at |r| 0.00."""
    from test_tui_support import synthetic_pack

    from kokoro_tui.analysis.voices import analyze_voices
    from kokoro_tui.tui.panes.analysis import UNMEASURED, key_figures, summary_lines

    rng = np.random.default_rng(0)
    names = ("narrator", "deep", "bright", "calm")
    analysis = analyze_voices({name: synthetic_pack(rng, index % 3, index % 2 == 0) for index, name in enumerate(names)})
    rows = {line.split()[0]: line.split() for line in _rendered(key_figures(analysis)).splitlines() if line.strip()}
    for view in ("decoder", "prosody", "both"):
        assert rows[view][-2:] == [UNMEASURED, UNMEASURED]
    summary = summary_lines(analysis).plain
    assert summary.startswith("4 voices, 1 group.") and "farthest group" not in summary


def test_copies_of_one_voice_are_refused_before_pca_and_tsne():
    from test_tui_support import synthetic_pack

    from kokoro_tui.analysis.voiceset import voice_set
    from kokoro_tui.errors import KokoroError

    pack = synthetic_pack(np.random.default_rng(0), 0, False)
    with pytest.raises(KokoroError, match="the 3 voices are copies of one voice: nothing to compare"):
        voice_set({"af_heart": pack, "my_heart": pack, "heart_copy": pack})


@pytest.mark.asyncio
async def test_at_60_columns_the_analysis_report_keeps_its_rows(tmp_path):
    from kokoro_tui.tui.panes.analysis import ReportView

    app = make_app(make_home(tmp_path / "home", run=False), initial_tab="analysis")
    async with app.run_test(size=(60, 24)) as pilot:
        # The report's text lands with the figures' table, whose rows are laid out (over the one row of
        # "analysing voices…") a frame later: only then are the rows below, and the report's height, settled.
        figures = app.query_one("#analysis-figures")
        await wait_for(
            pilot, lambda: "Kokoro voice-embedding analysis" in screen_text(app) and figures.region.height > 1, timeout=60
        )
        assert "most variable dims" not in screen_text(app)  # the summary; the report has its figures
        assert app.query_one(ReportView).region.height >= 10


@pytest.mark.asyncio
async def test_a_report_narrower_than_wrapping_is_shown_unwrapped():
    from kokoro_tui.tui.panes.analysis import MIN_WRAP, ReportView

    class Narrow(App[None]):
        def compose(self) -> ComposeResult:
            yield ReportView(id="report")

    app = Narrow()
    async with app.run_test(size=(MIN_WRAP - 5, 10)) as pilot:
        report = app.query_one(ReportView)
        await pilot.pause()
        report.show_report("a report line much wider than this narrow view")
        assert report.text == "a report line much wider than this narrow view"
