"""A one-field dialog asking where to save a copy of the audio."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from kokoro_tui.speech.audio_io import format_list


class SaveAsScreen(ModalScreen[Path | None]):
    """Returns the typed path (``~`` expanded, relative to the working directory) or None on Esc.

    Enter on an empty name keeps the dialog open, its placeholder asking for one: closing it would
    look like a save that never happened."""

    AUTO_FOCUS = "#save-path"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default: Path) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="save-box"):
            yield Static(f"Save audio as {format_list('.')}, as the name ends. Enter saves, Esc cancels.")
            yield Input(str(self.default), placeholder=f"type a file name, e.g. {self.default.name}", id="save-path")

    @on(Input.Submitted, "#save-path")
    def _submit(self, event: Input.Submitted) -> None:
        raw = event.value.strip()
        if raw:
            self.dismiss(Path(raw).expanduser().absolute())

    def action_cancel(self) -> None:
        self.dismiss(None)
