"""The line under a chart that names the damaged voices it leaves out, each with its fix."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from kokoro_tui.tui.catalog import DamagedVoice

#: Voices named one a line; past that, `kokoro doctor` lists them all, so the chart keeps its rows.
MAX_NAMED = 3


def damaged_text(damaged: Sequence[DamagedVoice]) -> Text:
    lines = [voice.line() for voice in damaged[:MAX_NAMED]]
    if len(damaged) > MAX_NAMED:
        lines.append(f"and {len(damaged) - MAX_NAMED} more damaged voices: `kokoro doctor` lists each with its fix")
    return Text("\n".join(lines), style="yellow")


class DamagedNote(Static):
    """Hidden while no voice is damaged."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.display = False

    def show(self, damaged: Sequence[DamagedVoice]) -> None:
        self.update(damaged_text(damaged))
        self.display = bool(damaged)
