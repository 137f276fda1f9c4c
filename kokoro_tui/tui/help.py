"""The `?` screen: every key that works right now, in one table."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static


class HelpScreen(ModalScreen[None]):
    """Lists (key, what it does) pairs; Esc or ? closes it, and q quits as it does everywhere else."""

    AUTO_FOCUS = "#help-table"
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Keys  (Esc or ? closes, q quits)", id="help-title")
            table = DataTable(show_cursor=False, zebra_stripes=True, id="help-table")
            table.add_columns("key", "action")
            for key, description in self.keys:
                table.add_row(key, description)
            yield table
