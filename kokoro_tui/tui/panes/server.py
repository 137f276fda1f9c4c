"""Server pane: the live requests of every `kokoro serve` that shares this data home.

Each server publishes its request board in ``HOME/servers/`` (``speech.request_board``); a
worker reads the boards twice a second and posts what changed, so the pane needs no port and
no key, and shows replicas on other machines that share the home too. Laid out for 80x24: the
servers (one row each, when there are several), the highlighted one's figures, its requests in flight with their
audio so far, and its recent requests, newest first.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowKey
from textual.worker import get_current_worker

from kokoro_tui.speech.request_board import RECENT, RequestRecord, ServerBoard, running_boards
from kokoro_tui.tui.background import background
from kokoro_tui.tui.panes.training import format_duration

POLL_S = 0.5
SERVER_COLUMNS = ("server", "pid", "up", "requests", "in flight")
VOICE_WIDTH = 12
ROUTE_WIDTH = 10
#: Rows the requests in flight may take before their table scrolls; the recent requests get the rest.
ACTIVE_ROWS = 5


def format_seconds(seconds: float | None) -> str:
    """A latency or a length: milliseconds under a second, else seconds, minutes past ten of them."""
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 600:
        return f"{seconds:.1f} s"
    return f"{seconds / 60:.0f} min"


def format_audio(seconds: float) -> str:
    return f"{seconds:.1f} s"


def clip(text: str | None, width: int) -> str:
    if not text:
        return "—"
    return text if len(text) <= width else text[: width - 1] + "…"


def route(record: RequestRecord) -> str:
    """The path's last part (``speech``, ``captioned…``, ``phonemize``), clipped: the API prefix says nothing."""
    return clip(record.path.rstrip("/").rsplit("/", 1)[-1] or record.path, ROUTE_WIDTH)


def status_text(status: int | None) -> Text:
    if status is None:
        return Text("…", style="dim")
    style = "green" if status < 400 else "red" if status >= 500 else "yellow"
    return Text(str(status), style=style)


def first_byte_figures(board: ServerBoard) -> str:
    """First byte of the recent streamed speech, median and 95th percentile: the latency a player hears."""
    times = sorted(record.first_byte_s for record in board.recent
                   if record.stream and record.status == 200 and record.first_byte_s is not None)
    if not times:
        return "no streamed speech yet"
    if len(times) == 1:
        return f"first byte of a stream {format_seconds(times[0])} (1 of the last {RECENT})"
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
    return (f"first byte of streams: median {format_seconds(statistics.median(times))}, p95 {format_seconds(p95)} "
            f"({len(times)} of the last {RECENT})")


def header(board: ServerBoard, now: float) -> Text:
    """Four lines on the highlighted server: where, how it runs, what it has done, how fast it answers."""
    server = board.identity
    text = Text()
    text.append(server.url, style="bold")
    text.append(f"  pid {server.pid} on {server.host}  up {format_duration(now - server.started)}")
    text.append(f"\nbackend {server.backend}, device {server.device}, precision {server.precision}")
    text.append(", API key required" if server.keyed else ", no API key")
    text.append(f"\n{board.requests} request{'' if board.requests == 1 else 's'}")
    # cancelled: the client left before its audio ended
    ended_badly = [f"{count} {what}" for count, what in ((board.failed, "failed"), (board.cancelled, "cancelled"))
                   if count]  # fmt: skip
    if ended_badly:
        text.append(f" ({', '.join(ended_badly)})", style="yellow")
    text.append(f", {board.audio_s:.1f} s of audio; model queue {board.queued}/{server.max_requests}")
    text.append(f"\n{first_byte_figures(board)}")
    return text


@dataclass(frozen=True)
class BoardsView:
    """What the pane draws: the running servers' boards, read at ``now``."""

    boards: tuple[ServerBoard, ...]
    now: float


class ServerPane(Vertical):
    """Servers (listed when there are several), the highlighted one's figures, its requests in flight
    and its recent requests."""

    FOCUS = "#server-recent"

    class BoardsRead(Message):
        def __init__(self, view: BoardsView) -> None:
            super().__init__()
            self.view = view

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__(id="server-pane")
        self.view: BoardsView | None = None
        self.selected: str | None = None  # the highlighted server's board key

    def compose(self) -> ComposeResult:
        # Nothing is ever hidden but the list of servers (shown for two or more): the tables keep the keyboard
        # focus the dashboard gives them when the pane opens, whether a server runs yet or not.
        servers = DataTable(id="server-list", cursor_type="row", zebra_stripes=True)
        for label in SERVER_COLUMNS:
            servers.add_column(label, key=label)
        yield servers
        yield Static("looking for servers…", id="server-header")
        yield Static("in flight", classes="server-title")
        active = DataTable(id="server-active", cursor_type="row")
        for label, width in (("age", 6), ("route", ROUTE_WIDTH), ("voice", VOICE_WIDTH), ("chars", 6),
                             ("format", 11), ("1st byte", 8), ("audio", 7)):
            active.add_column(label, width=width, key=label)
        yield active
        yield Static("recent, newest first", classes="server-title")
        recent = DataTable(id="server-recent", cursor_type="row")
        for label, width in (("ended", 8), ("route", ROUTE_WIDTH), ("st", 3), ("voice", VOICE_WIDTH),
                             ("chars", 6), ("1st byte", 8), ("total", 7), ("audio", 7)):
            recent.add_column(label, width=width, key=label)
        yield recent

    def on_mount(self) -> None:
        self.query_one("#server-list", DataTable).display = False
        self.watch_boards()

    @background(group="server-boards", failed=Failed)
    def watch_boards(self) -> None:
        """Post the boards when they change, and twice a second while requests are in flight (their age moves)."""
        worker = get_current_worker()
        shown: tuple[ServerBoard, ...] | None = None
        directory = self.app.home.servers
        while not worker.is_cancelled:
            now = time.time()
            boards = tuple(running_boards(directory, now))
            if boards != shown or any(board.active for board in boards):
                self.post_message(self.BoardsRead(BoardsView(boards, now)))
                shown = boards
            time.sleep(POLL_S)

    def on_server_pane_failed(self, message: Failed) -> None:
        self.query_one("#server-header", Static).update(Text(message.error, style="bold red"))

    def on_server_pane_boards_read(self, message: BoardsRead) -> None:
        self.view = message.view
        boards = self.view.boards
        if not boards:
            self.selected = None
            self.query_one("#server-list", DataTable).display = False
            self.query_one("#server-header", Static).update(
                f"No `kokoro serve` is running on this data home ({self.app.home.root}). Start one with "
                "`kokoro serve` (on another home: `kokoro --home DIR serve`) and its requests show here live.")
            for table in ("#server-active", "#server-recent"):
                self.query_one(table, DataTable).clear()
            return
        keys = [board.key for board in boards]
        if self.selected not in keys:
            self.selected = keys[0]
        self._fill_servers()
        self._show_selected()

    def _fill_servers(self) -> None:
        """Rows rebuilt only when servers come or go, else their cells updated: a rebuild moves the cursor,
        and its highlight event could land after the user's own and undo it."""
        assert self.view is not None
        table = self.query_one("#server-list", DataTable)
        rows = {board.key: (board.identity.url, str(board.identity.pid),
                            format_duration(self.view.now - board.identity.started), str(board.requests),
                            str(len(board.active)))
                for board in self.view.boards}  # fmt: skip
        if [key.value for key in table.rows] == list(rows):
            for key, cells in rows.items():
                for column, cell in zip(SERVER_COLUMNS, cells):
                    table.update_cell(key, column, cell)
        else:
            table.clear()
            for key, cells in rows.items():
                table.add_row(*cells, key=key)
            table.move_cursor(row=table.get_row_index(self.selected), animate=False)
        table.styles.height = len(self.view.boards) + 1
        table.display = len(self.view.boards) > 1  # one server: the header names it

    @on(DataTable.RowHighlighted, "#server-list")
    def _server_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        if key is not None and key != self.selected:
            self.selected = key
            self._show_selected()

    def _show_selected(self) -> None:
        if self.view is None:
            return
        board = next((board for board in self.view.boards if board.key == self.selected), None)
        if board is None:
            return
        now = self.view.now
        self.query_one("#server-header", Static).update(header(board, now))
        active = self.query_one("#server-active", DataTable)
        active.clear()
        for record in sorted(board.active, key=lambda record: record.started):
            kind = f"{record.format or ''}{' stream' if record.stream else ''}".strip() or "—"
            active.add_row(format_seconds(now - record.started), route(record), clip(record.voice, VOICE_WIDTH),
                           _count(record.chars), kind, format_seconds(record.first_byte_s),
                           format_audio(record.audio_s), key=str(record.id))
        active.styles.height = min(max(1, len(board.active)), ACTIVE_ROWS) + 1  # past that it scrolls
        recent = self.query_one("#server-recent", DataTable)
        kept = _cursor_key(recent)
        recent.clear()
        for record in reversed(board.recent):
            ended = record.started + (record.elapsed_s or 0.0)
            recent.add_row(time.strftime("%H:%M:%S", time.localtime(ended)), route(record),
                           status_text(record.status), clip(record.voice, VOICE_WIDTH), _count(record.chars),
                           format_seconds(record.first_byte_s), format_seconds(record.elapsed_s),
                           format_audio(record.audio_s), key=str(record.id))
        if kept is not None and kept in recent.rows:  # the reader stays on the request they were reading
            recent.move_cursor(row=recent.get_row_index(kept), animate=False)


def _cursor_key(table: DataTable) -> RowKey | None:
    """The key of the highlighted row, or None on the top row (which follows the newest request)."""
    if table.row_count == 0 or table.cursor_row <= 0:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)
