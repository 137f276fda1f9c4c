"""Speak pane: text, a voice (name or blend spec), a speed; synthesis runs in a worker thread.

The worker streams chunks from the speech pipeline and posts progress, so the UI keeps
drawing while the model runs. At the end it writes the WAV atomically into the data home
(``HOME/cache/tui/speak.wav``), plays it when the machine has an audio output, and reports
duration and synthesis speed (audio seconds per wall-clock second, "x real time"; the
model load is timed separately so the figure is the synthesis alone).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Button, Input, ProgressBar, Sparkline, Static, TextArea
from textual.worker import get_current_worker

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech.pipeline import MAX_SPEED, MIN_SPEED
from kokoro_tui.speech.playback import LivePlayer, OutputOpener
from kokoro_tui.tui.background import background, post_if_current
from kokoro_tui.tui.save_as import SaveAsScreen

DEFAULT_TEXT = "Hello! This is Kokoro, speaking from your terminal."
HINT = "t edits the text, v the voice; ctrl+s speaks; Esc leaves a field"
WAVE_BUCKETS = 240
PEAK_BLOCK = 600  # 25 ms at 24 kHz
SPEED_STEP = 0.1
#: What the save dialog offers, in the working directory.
SAVE_NAME = "kokoro.wav"


class BlendSuggester(Suggester):
    """Completes the voice name being typed, also after the comma of a blend spec."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = names

    async def get_suggestion(self, value: str) -> str | None:
        term = value.rpartition(",")[2].lstrip()
        if not term or ":" in term:
            return None
        for name in self.names:
            if name.startswith(term) and name != term:
                return value + name[len(term) :]
        return None


def block_peaks(audio: np.ndarray, block: int = PEAK_BLOCK) -> np.ndarray:
    """Peak absolute amplitude per ``block`` samples: a compact outline, computed once per chunk."""
    if len(audio) == 0:
        return np.zeros(0, dtype=np.float32)
    padded = np.zeros(-(-len(audio) // block) * block, dtype=np.float32)
    padded[: len(audio)] = np.abs(audio)
    return padded.reshape(-1, block).max(axis=1)


def envelope(peaks: np.ndarray, buckets: int = WAVE_BUCKETS) -> list[float]:
    """The outline at terminal resolution: the highest block peak in each of ``buckets`` groups."""
    if len(peaks) == 0:
        return []
    return [float(part.max()) for part in np.array_split(peaks, min(buckets, len(peaks)))]


@dataclass(frozen=True)
class SpeakResult:
    audio: np.ndarray
    duration_s: float
    synth_s: float
    load_s: float
    wav_path: Path
    playback: str
    outline: list[float]

    @property
    def speed_x(self) -> float:
        return self.duration_s / self.synth_s if self.synth_s > 0 else float("inf")


class SpeakPane(Vertical):
    """Text box, voice picker, speed, progress, waveform, and what happened to the audio."""

    FOCUS = "#speak-go"
    BINDINGS = [
        Binding("t", "edit('#speak-text')", "Text"),
        Binding("v", "edit('#speak-voice')", "Voice"),
        Binding("ctrl+s", "speak", "Speak"),
        Binding("ctrl+o", "save_as", "Save as"),
        Binding("plus", "speed(1)", "Faster", show=False),
        Binding("minus", "speed(-1)", "Slower", show=False),
        Binding("x", "stop", "Stop"),
    ]

    class Progress(Message):
        """``fraction`` None: no chunk is finished yet, so the bar pulses rather than claim a percentage."""

        def __init__(self, fraction: float | None, wave: list[float], note: str) -> None:
            super().__init__()
            self.fraction, self.wave, self.note = fraction, wave, note

    class Done(Message):
        def __init__(self, result: SpeakResult) -> None:
            super().__init__()
            self.result = result

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    class Saved(Message):
        def __init__(self, path: Path | None, error: str | None = None) -> None:
            super().__init__()
            self.path, self.error = path, error

    def __init__(self) -> None:
        super().__init__(id="speak-pane")
        self.result: SpeakResult | None = None
        self._pipeline: Any = None
        self._pipeline_key: tuple[str, float] | None = None
        self._output_lock = threading.Lock()
        self._output: tuple[OutputOpener | None, str] | None = None
        self._live: LivePlayer | None = None  # what is playing now
        self._auto_voice: str | None = None

    def compose(self) -> ComposeResult:
        yield _titled(TextArea(DEFAULT_TEXT, id="speak-text", soft_wrap=True, show_line_numbers=False), "text (t)")
        with Horizontal(id="speak-controls"):
            voice = Input(placeholder="af_heart or af_heart:0.7,am_adam:0.3", id="speak-voice")
            yield _titled(voice, "voice or blend (v)")
            speed = Input("1.0", type="number", id="speak-speed", tooltip=f"speed {MIN_SPEED:g}–{MAX_SPEED:g} (+/-)")
            yield _titled(speed, "speed")
            yield Button("Speak", id="speak-go", variant="primary")
            yield Button("Save as", id="speak-save")
        with Horizontal(id="speak-progress-row"):
            yield ProgressBar(total=1.0, show_eta=False, id="speak-progress")
            yield Static("ready", id="speak-state")
        yield Sparkline([], id="speak-wave")
        yield Static(HINT, id="speak-info")

    def on_mount(self) -> None:
        self.watch(self.app, "selected_voice", self._follow_selection)
        self.load_names()

    @background(group="speak-names", exclusive=False)  # no names to complete is no failure to show
    def load_names(self) -> None:
        names = [info.name for info in self.app.catalog.infos()]
        self.app.call_from_thread(self._set_suggester, names)

    def _set_suggester(self, names: list[str]) -> None:
        self.query_one("#speak-voice", Input).suggester = BlendSuggester(names)

    def _follow_selection(self, name: str | None) -> None:
        """The picker follows the dashboard's selected voice until the user types their own."""
        field = self.query_one("#speak-voice", Input)
        if name and field.value in ("", self._auto_voice):
            field.value = self._auto_voice = name

    def use_voice(self, name: str) -> None:
        self.query_one("#speak-voice", Input).value = self._auto_voice = name

    @on(Button.Pressed, "#speak-go")
    def action_speak(self) -> None:
        text = self.query_one("#speak-text", TextArea).text.strip()
        voice = self.query_one("#speak-voice", Input).value.strip()
        if not text or not voice:
            self._state(Text("type some text and pick a voice first", style="bold red"))
            return
        try:
            speed = float(self.query_one("#speak-speed", Input).value)
        except ValueError:
            self._state(Text("speed must be a number, e.g. 1.0", style="bold red"))
            return
        self._clear_result()
        self._state("loading voice and model…")
        self.synthesize(text, voice, speed)

    def _clear_result(self) -> None:
        """A new synthesis replaces the last one: its wave, its saved/played line and its audio go."""
        self.result = None
        self.query_one("#speak-progress", ProgressBar).update(total=None, progress=0.0)
        self.query_one("#speak-wave", Sparkline).data = []
        self.query_one("#speak-info", Static).update(HINT)

    @background(group="speak", failed=Failed)
    def synthesize(self, text: str, voice: str, speed: float) -> None:
        worker = get_current_worker()
        started = time.perf_counter()
        pipeline = self._pipeline_for(voice, speed)
        pipeline.load()
        load_s = time.perf_counter() - started
        live, reason = self._open_output()
        post_if_current(self, self.Progress(None, [], "synthesising the first chunk…"))
        pieces: list[np.ndarray] = []
        peaks: list[np.ndarray] = []
        spoken_chars = samples = 0
        started = time.perf_counter()
        for chunk in pipeline.stream(text):
            if worker.is_cancelled:
                return  # closing the stream tells the speech process to stop
            if live is not None:
                try:
                    live.write(chunk.audio)  # heard while the next chunk is made
                except KokoroError as error:  # the output went away: the text is still made and saved
                    live, reason = None, str(error)
            pieces.append(chunk.audio)
            peaks.append(block_peaks(chunk.audio))
            spoken_chars += len(chunk.text)
            samples += len(chunk.audio)
            note = f"chunk {chunk.index + 1}: {samples / SAMPLE_RATE:.1f} s of audio"
            outline = envelope(np.concatenate(peaks))
            self.post_message(self.Progress(min(spoken_chars / len(text), 0.99), outline, note))
        synth_s = time.perf_counter() - started
        if worker.is_cancelled:  # a newer request may have ended this stream early
            return
        audio = np.concatenate(pieces)
        wav_path = self.app.home.cache / "tui" / "speak.wav"
        write_audio(wav_path, audio)
        if live is not None:
            live.finish_later()
        outline = envelope(np.concatenate(peaks))
        result = SpeakResult(audio, len(audio) / SAMPLE_RATE, synth_s, load_s, wav_path, reason, outline)
        self.post_message(self.Done(result))

    def _pipeline_for(self, voice: str, speed: float) -> Any:
        """Reuse the pipeline (its voice and text front end) while voice and speed stay the same.

        Nothing is closed on a change: the factory owns what pipelines share (the model, the
        speech process) and the app closes it on exit.
        """
        if self._pipeline_key != (voice, speed):
            self._pipeline = self.app.pipeline_factory(voice=voice, speed=speed, home=self.app.home)
            self._pipeline_key = (voice, speed)
        return self._pipeline

    def on_unmount(self) -> None:
        """Quitting stops any audio still playing (the app stops the speech process)."""
        self._stop_playback()

    def _stop_playback(self) -> None:
        live, self._live = self._live, None
        if live is not None:
            live.stop()

    def _open_output(self) -> tuple[LivePlayer | None, str]:
        """Stop what is playing and open the sound output for a new text (found once, on the first text)."""
        with self._output_lock:
            if self._output is None:
                self._output = self.app.player_finder()
            opener, reason = self._output
        self._stop_playback()
        if opener is None:
            return None, reason
        try:
            self._live = opener()
        except KokoroError as error:
            return None, str(error)
        return self._live, reason

    def on_speak_pane_progress(self, message: Progress) -> None:
        bar = self.query_one("#speak-progress", ProgressBar)
        if message.fraction is None:
            bar.update(total=None)
        else:
            bar.update(total=1.0, progress=message.fraction)
        self.query_one("#speak-wave", Sparkline).data = message.wave
        self._state(message.note)

    def on_speak_pane_done(self, message: Done) -> None:
        result = self.result = message.result
        self.query_one("#speak-progress", ProgressBar).update(total=1.0, progress=1.0)
        self.query_one("#speak-wave", Sparkline).data = result.outline
        self._state(f"{result.duration_s:.2f} s of audio in {result.synth_s:.2f} s: {result.speed_x:.1f}x real time")
        heard = result.playback if result.playback.startswith("playing") else f"{result.playback}: not played"
        self.query_one("#speak-info", Static).update(
            f"{heard}\nsaved {result.wav_path}  (model load {result.load_s:.1f} s; ctrl+o saves a copy)"
        )

    def on_speak_pane_failed(self, message: Failed) -> None:
        self.query_one("#speak-progress", ProgressBar).update(total=1.0, progress=0.0)
        self._fail("failed", message.error)

    def action_edit(self, selector: str) -> None:
        self.query_one(selector).focus()

    def action_stop(self) -> None:
        self.workers.cancel_group(self, "speak")
        self._stop_playback()
        bar = self.query_one("#speak-progress", ProgressBar)
        if bar.total is None:  # stopped before the first chunk: no pulsing for work that is not happening
            bar.update(total=1.0, progress=0.0)
        self._state("stopped")

    def action_speed(self, direction: int) -> None:
        field = self.query_one("#speak-speed", Input)
        try:
            speed = float(field.value)
        except ValueError:
            speed = 1.0
        field.value = f"{min(MAX_SPEED, max(MIN_SPEED, speed + direction * SPEED_STEP)):.2f}"

    @on(Button.Pressed, "#speak-save")
    def action_save_as(self) -> None:
        if self.result is None:
            self._state(Text("nothing to save yet: speak first", style="bold red"))
            return
        default = Path.cwd() / SAVE_NAME
        self.app.push_screen(SaveAsScreen(default), self._save_to)

    def _save_to(self, path: Path | None) -> None:
        if path is not None and self.result is not None:
            self.save_copy(path, self.result.audio)

    @background(group="speak-save", exclusive=False, failed=partial(Saved, None))
    def save_copy(self, path: Path, audio: np.ndarray) -> None:
        try:
            write_audio(path, audio)
        except OSError as error:
            raise KokoroError(f"cannot write {path}: {error.strerror or error}") from error
        self.post_message(self.Saved(path))

    def on_speak_pane_saved(self, message: Saved) -> None:
        if message.path is None:
            self._fail("not saved", message.error or "")
        else:
            self._state(f"saved a copy as {message.path}")

    def _state(self, text: str | Text) -> None:
        self.query_one("#speak-state", Static).update(text)

    def _fail(self, state: str, error: str) -> None:
        """A word beside the bar, the error on the full-width line below the wave: beside the bar the
        end of a long one (the path, the fix) was cut off."""
        self._state(Text(state, style="bold red"))
        self.query_one("#speak-info", Static).update(Text(error, style="bold red"))


def _titled(widget: Widget, title: str) -> Widget:
    """A field's label in its top border: no extra row or column, so the controls still fit 80x24."""
    widget.border_title = title
    return widget


def write_audio(path: Path, audio: np.ndarray) -> None:
    """Write atomically, the format chosen by the extension (wav, mp3, ...), via the speech library."""
    from kokoro_tui.speech.audio_io import FORMATS, choose_format, format_list, open_file_writer

    if path.is_dir():
        raise KokoroError(f"{path} is a folder", hint=f"add a file name, e.g. {path / SAVE_NAME}")
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise KokoroError(f"cannot save as .{suffix or '(none)'}", hint=f"use a {format_list('.')} file name")
    with open_file_writer(path, choose_format(str(path), None)) as writer:
        writer.write(audio)
