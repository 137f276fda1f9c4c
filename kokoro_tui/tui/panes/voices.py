"""Voices pane: every voice in the store in a filterable table, with a detail view.

The detail shows ``kokoro voices show``'s statistics per half (decoder dims 0–127, prosody
dims 128–255, from ``kokoro_tui.voices.stats``) and a sparkline of each half of the voice's
mean row. Highlighting a row selects that voice for the whole dashboard (map, speak). A damaged
voice is marked in the table, and its detail says what is wrong and the command that repairs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Select, Sparkline, Static

from kokoro_tui.errors import KokoroError
from kokoro_tui.tui.background import background, post_if_current
from kokoro_tui.tui.catalog import NO_VOICES, NO_VOICES_HINT, fix_for
from kokoro_tui.tui.languages import SHORT_NAMES
from kokoro_tui.voices.names import DEFAULT_VOICE

LANGUAGE_CHOICES = [(label, code) for code, label in SHORT_NAMES.items()]
GENDER_CHOICES = [("female", "f"), ("male", "m")]
#: Text columns inside the detail column (its CSS width is 34, less the padding).
DETAIL_WIDTH = 32
COLUMNS = ("name", "language", "gender", "origin")


def matches(info: Any, search: str, lang: str | None, gender: str | None) -> bool:
    """Whether a voice passes the filters; the search looks at name, language, origin and recipe."""
    if lang is not None and info.lang != lang:
        return False
    if gender is not None and info.gender != gender:
        return False
    if not search:
        return True
    haystack = " ".join(str(part) for part in (info.name, info.language, info.origin, info.recipe or "")).lower()
    return all(word in haystack for word in search.lower().split())


def row_cells(info: Any) -> tuple[str, str, str, str | Text]:
    """One voice's cells in the table: name, language, gender, origin (a damaged voice says so in red)."""
    origin = Text("damaged", style="bold red") if info.problem else info.origin
    return info.name, SHORT_NAMES.get(info.lang or "", "—"), info.gender_name or "—", origin


def column_widths(infos: list[Any]) -> list[int]:
    """Each column as wide as its widest cell over every voice, the label included.

    Fixed widths keep the columns still while the filters hide rows, and draw the header at its
    final width at once: an auto-width header drawn before Textual measured the new rows stayed narrow.
    """
    widths = [cell_len(label) for label in COLUMNS]
    for info in infos:
        widths = [max(width, cell_len(str(cell))) for width, cell in zip(widths, row_cells(info))]
    return widths


@dataclass(frozen=True)
class VoiceDetail:
    """What the detail view draws for one voice."""

    info: Any
    stats: dict[str, Any]
    mean_row: np.ndarray  # [256]


class VoicesPane(Vertical):
    """Table of voices (filter by language and gender, free-text search) plus the selected voice's detail."""

    FOCUS = "#voice-table"
    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("s", "speak", "Speak it"),
        Binding("m", "show_map", "Map"),
        Binding("r", "reload", "Reload"),
    ]

    class Loaded(Message):
        def __init__(self, infos: list[Any] | None, error: str | None = None) -> None:
            super().__init__()
            self.infos, self.error = infos, error

    class DetailReady(Message):
        def __init__(self, detail: VoiceDetail | None, error: str | None = None) -> None:
            super().__init__()
            self.detail, self.error = detail, error

    def __init__(self) -> None:
        super().__init__(id="voices-pane")
        self.infos: list[Any] = []
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="voice-filters"):
            yield Input(placeholder="search name, language, origin", id="voice-search")
            yield Select(LANGUAGE_CHOICES, prompt="any language", id="voice-lang")
            yield Select(GENDER_CHOICES, prompt="any gender", id="voice-gender")
        with Horizontal(id="voice-body"):
            table = DataTable(id="voice-table", cursor_type="row", zebra_stripes=True)
            table.add_columns(*COLUMNS)
            yield table
            with Vertical(id="voice-detail"):
                yield Static("loading voices…", id="voice-stats")
                yield Label("decoder 0–127, mean row", classes="spark-label")
                yield Sparkline([], id="spark-decoder")
                yield Label("prosody 128–255, mean row", classes="spark-label")
                yield Sparkline([], id="spark-prosody")

    def on_mount(self) -> None:
        self.watch(self.app, "selected_voice", self._follow_selection, init=False)
        self.load_voices()

    def _follow_selection(self, name: str | None) -> None:
        """A voice picked elsewhere (the map) moves the table cursor, which loads its detail."""
        if name in self.shown:
            table = self.query_one("#voice-table", DataTable)
            row = self.shown.index(name)
            if table.cursor_row != row:
                table.move_cursor(row=row)

    @background(group="voices-load", failed=partial(Loaded, None))
    def load_voices(self) -> None:
        post_if_current(self, self.Loaded(self.app.catalog.infos()))

    def on_voices_pane_loaded(self, message: Loaded) -> None:
        if message.error is not None:
            self.query_one("#voice-stats", Static).update(Text(message.error, style="bold red"))
            return
        self.infos = message.infos or []
        table = self.query_one("#voice-table", DataTable)
        table.clear(columns=True)
        for label, width in zip(COLUMNS, column_widths(self.infos)):
            table.add_column(label, width=width)
        self.refilter()
        if not self.infos:
            self.query_one("#voice-stats", Static).update(f"{NO_VOICES} ({NO_VOICES_HINT})")

    @on(Input.Changed, "#voice-search")
    @on(Select.Changed)
    def refilter(self) -> None:
        """Redraw the table with the voices that pass the filters, keeping the selection if it still shows."""
        search = self.query_one("#voice-search", Input).value.strip()
        lang = self.query_one("#voice-lang", Select).selection
        gender = self.query_one("#voice-gender", Select).selection
        table = self.query_one("#voice-table", DataTable)
        table.clear()
        self.shown = []
        for info in self.infos:
            if matches(info, search, lang, gender):
                table.add_row(*row_cells(info), key=info.name)
                self.shown.append(info.name)
        self.query_one("#voice-search", Input).border_title = f"{len(self.shown)} of {len(self.infos)} voices"
        selected = self.app.selected_voice or DEFAULT_VOICE  # the first view starts where `kokoro say` does
        if selected in self.shown:
            table.move_cursor(row=self.shown.index(selected))
            self.app.selected_voice = selected
        elif self.shown:
            self.app.selected_voice = self.shown[0]

    @on(DataTable.RowHighlighted, "#voice-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Skip highlights the cursor has already moved past (a refill, then a jump to the selection).
        if event.cursor_row != event.data_table.cursor_row:
            return
        # Up on an empty table highlights row -1, which has no key.
        if event.row_key is not None and event.row_key.value is not None:
            self.app.selected_voice = event.row_key.value
            self.load_detail(event.row_key.value)

    @on(DataTable.RowSelected, "#voice-table")
    def _chosen(self) -> None:
        self.action_speak()

    @background(group="voice-detail", failed=partial(DetailReady, None))
    def load_detail(self, name: str) -> None:
        from kokoro_tui.voices.stats import half_stats

        info = self.app.catalog.store.info(name, check=True)
        if info.problem:
            raise KokoroError(f"{info.name} is damaged: {info.problem}", hint=fix_for(info))
        pack = self.app.catalog.pack(name)
        mean_row = pack.reshape(-1, pack.shape[-1]).mean(axis=0)
        post_if_current(self, self.DetailReady(VoiceDetail(info, half_stats(pack), mean_row)))

    def on_voices_pane_detail_ready(self, message: DetailReady) -> None:
        stats = self.query_one("#voice-stats", Static)
        if message.detail is None:
            stats.update(Text(message.error or "", style="bold red"))
            self._show_mean_row([])  # the last voice's charts would pass for this one's
            return
        detail = message.detail
        if detail.info.name != self.app.selected_voice:
            return  # a superseded worker's result: its thread outlived the cancel and posted anyway
        stats.update(detail_renderable(detail))
        self._show_mean_row(detail.mean_row.tolist())

    def _show_mean_row(self, row: list[float]) -> None:
        half = len(row) // 2
        self.query_one("#spark-decoder", Sparkline).data = row[:half]
        self.query_one("#spark-prosody", Sparkline).data = row[half:]

    def action_search(self) -> None:
        self.query_one("#voice-search", Input).focus()

    def action_speak(self) -> None:
        if self.app.selected_voice:
            self.app.query_one("SpeakPane").use_voice(self.app.selected_voice)
            self.app.action_show_tab("speak")

    def action_show_map(self) -> None:
        self.app.action_show_tab("map")

    def action_reload(self) -> None:
        self.app.catalog.refresh()
        self.load_voices()


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def detail_renderable(detail: VoiceDetail) -> Table:
    """A compact two-column table of the per-half statistics, titled with the voice's identity."""
    info = detail.info
    who = ", ".join(part for part in (info.language, info.gender_name) if part) or "no language prefix"
    table = Table(box=None, padding=(0, 1), show_edge=False, title_justify="left")
    table.title = f"{info.name} · {info.origin}\n{who}"
    table.add_column("")
    table.add_column("decoder", justify="right")
    table.add_column("prosody", justify="right")
    rows = (
        ("mean", "mean"),
        ("std", "std"),
        ("min", "min"),
        ("max", "max"),
        ("|mean row|", "mean_row_norm"),
        ("row step", "row_step"),
    )
    for label, field in rows:
        table.add_row(label, *(f"{getattr(detail.stats[half], field):.4f}" for half in ("decoder", "prosody")))
    if info.recipe:
        from kokoro_tui.voices.recipe import describe_recipe

        # Two lines at most, so the embedding charts below stay on an 80x24 screen.
        table.caption = shorten(f"recipe: {describe_recipe(info.recipe)}", 2 * DETAIL_WIDTH)
        table.caption_justify = "left"
    return table
