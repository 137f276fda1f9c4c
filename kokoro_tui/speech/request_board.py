"""The request board: what a running `kokoro serve` is doing, in a file of the data home.

The server keeps a record of each API request (``/v1/…``, ``/dev/…``; health probes and the web
page's files stay off) while it runs and for a while after, and publishes them with its totals in
``HOME/servers/<host>-<pid>-<instance>.json``, rewritten atomically at most every ``PUBLISH_S`` while
anything changes, and every ``HEARTBEAT_S`` regardless. The dashboard's Server pane reads those
files, so it shows the live requests of every server that shares its data home, replicas on
other machines included (a shared home over NFS), and needs no port, no key and no web
framework. The schema (version ``VERSION``) is in docs/serving.md.

A board whose server is gone is never shown: on this machine its process is looked up, on another
its heartbeat must be recent. The server removes its file when it stops; a killed server's file is
swept by the next server to start on that machine.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import secrets
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from kokoro_tui.atomic import atomic_write_text, process_alive

log = logging.getLogger("kokoro_tui.server")

VERSION = 1
PUBLISH_S = 0.5
HEARTBEAT_S = 5.0
#: A board from another machine whose heartbeat is older than this is taken for a stopped server.
STALE_S = 3 * HEARTBEAT_S
#: Finished requests kept on the board, newest last.
RECENT = 50
#: Paths whose requests go on the board: the API's, not health probes nor the page's files.
API_PREFIXES = ("/v1/", "/dev/")
#: The status of a request whose client went away before its response ended (nginx's "client closed request").
CANCELLED = 499
SUFFIX = ".json"
T = TypeVar("T")


@dataclass
class RequestRecord:
    """One request as the board shows it. The server fills it in as the request goes: the access log
    middleware its start, status, bytes, first byte and end; the route what was asked and the audio made,
    and what failed.

    ``status`` is how the request ended, not always what the client read: a response broken off after its
    status line (a stream whose synthesis failed, or whose client left) takes the status of what broke it
    (500, the 4xx of a mistake found mid-way, ``CANCELLED``), with ``truncated`` set, and ``bytes_sent`` says
    how much of its body went out before the connection was closed."""

    id: int
    method: str
    path: str
    client: str | None
    started: float  # Unix time
    status: int | None = None  # None until the response starts
    first_byte_s: float | None = None  # seconds from the request to its first body byte
    elapsed_s: float | None = None  # seconds from the request to its last byte; None while in flight
    audio_s: float = 0.0  # seconds of audio made for it so far
    bytes_sent: int = 0  # body bytes sent so far
    truncated: bool = False  # its body was cut off: started, never ended
    error: str | None = None  # why it failed or was cancelled; None while it goes well
    voice: str | None = None
    chars: int | None = None
    format: str | None = None
    stream: bool | None = None

    def describe(self, *, voice: str | None = None, chars: int | None = None, format: str | None = None,
                 stream: bool | None = None) -> None:
        """What the client asked for, as it wrote it (a blend spec stays a blend spec)."""
        self.voice, self.chars, self.format, self.stream = voice, chars, format, stream

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RequestRecord:
        return typed(cls, data)


@dataclass(frozen=True)
class ServerIdentity:
    """Which server a board belongs to and how it runs."""

    url: str
    pid: int = field(default_factory=os.getpid)
    instance: str = field(default_factory=lambda: secrets.token_hex(4))  # apart from other servers of the process
    host: str = field(default_factory=socket.gethostname)
    started: float = field(default_factory=time.time)
    backend: str = "torch"
    device: str = "auto"
    precision: str = "auto"
    max_requests: int = 0
    keyed: bool = False  # whether requests need an API key


# A field's annotation -> the JSON types its value may have (ints are floats too; bool is no int here).
_JSON_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}


def typed(cls: type[T], data: dict[str, Any]) -> T:
    """``cls`` from a board's dict, its fields of the types they are declared with: the dashboard formats
    them, and a board another program wrote (or another version) must be refused here, not crash it.
    TypeError for a value of another type; unknown keys are left out."""
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__} is not a JSON object")
    values = {}
    for item in fields(cls):
        if item.name not in data:
            continue
        value, kinds = data[item.name], str(item.type).split(" | ")
        allowed = tuple(kind for name in kinds for kind in _JSON_TYPES.get(name, ()))
        if (value is None and "None" not in kinds) or (value is not None and (
                not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed))):
            raise TypeError(f"{cls.__name__}.{item.name} is {value!r}")
        values[item.name] = value
    return cls(**values)


def board_path(directory: Path, identity: ServerIdentity) -> Path:
    return directory / f"{identity.host}-{identity.pid}-{identity.instance}{SUFFIX}"


class RequestBoard:
    """The server's side: records in memory, published to its file by a daemon thread.

    ``begin`` and ``finish`` run on the event loop; the publisher only reads, under the lock,
    so a request costs the server two list operations and never a file write.
    """

    def __init__(self, directory: Path, identity: ServerIdentity, queued: Callable[[], int] = lambda: 0) -> None:
        self.directory = directory
        self.identity = identity
        self.path = board_path(directory, identity)
        self._queued = queued  # requests admitted to the model's queue now
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._active: dict[int, RequestRecord] = {}
        self._recent: deque[RequestRecord] = deque(maxlen=RECENT)
        self._totals = {"requests": 0, "failed": 0, "cancelled": 0, "audio_s": 0.0}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def begin(self, method: str, path: str, client: str | None) -> RequestRecord:
        record = RequestRecord(next(self._ids), method, path, client, time.time())
        with self._lock:
            self._active[record.id] = record
        return record

    def finish(self, record: RequestRecord) -> None:
        with self._lock:
            self._active.pop(record.id, None)
            self._recent.append(record)
            self._totals["requests"] += 1
            status = record.status or 500
            self._totals["cancelled"] += status == CANCELLED
            self._totals["failed"] += status >= 400 and status != CANCELLED
            self._totals["audio_s"] += record.audio_s

    def snapshot(self) -> dict[str, Any]:
        """The board's content, without its ``updated`` time."""
        with self._lock:
            active = [asdict(record) for record in self._active.values()]
            recent = [asdict(record) for record in self._recent]
            totals = dict(self._totals)
        return {"v": VERSION, "server": asdict(self.identity), "queued": self._queued(), "totals": totals,
                "active": active, "recent": recent}

    def start(self) -> None:
        """Sweep the boards that killed servers of this machine left, then publish until ``close``."""
        sweep_stopped(self.directory)
        self._thread = threading.Thread(target=self._publish, name="kokoro-request-board", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop publishing and remove the board: a stopped server is not shown."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with contextlib.suppress(OSError):
            self.path.unlink()

    def _publish(self) -> None:
        written: dict[str, Any] | None = None
        written_at = 0.0
        warned = False
        while True:
            content = self.snapshot()
            now = time.time()
            if content != written or now - written_at >= HEARTBEAT_S:
                try:
                    # ASCII escapes: a client's text may hold a lone surrogate, which UTF-8 cannot carry
                    atomic_write_text(self.path, json.dumps({**content, "updated": now}) + "\n")
                    written, written_at = content, now
                except Exception as error:  # a read-only home (the container's) or a full disk: serve on
                    if not warned:
                        log.warning("no request board for the dashboard: %s", error)
                        warned = True
                    written, written_at = content, now  # tried again on the next change or heartbeat
            if self._stop.wait(PUBLISH_S):
                return


# --- the reader's side (the dashboard) ---------------------------------------------------------------


@dataclass(frozen=True)
class ServerBoard:
    """One published board, as read."""

    identity: ServerIdentity
    updated: float
    queued: int
    requests: int
    failed: int
    cancelled: int
    audio_s: float
    active: tuple[RequestRecord, ...]
    recent: tuple[RequestRecord, ...]

    @property
    def key(self) -> str:
        return board_path(Path(), self.identity).stem

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServerBoard:
        if data.get("v") != VERSION:
            raise ValueError(f"request board version {data.get('v')!r}, not {VERSION}")
        totals = data["totals"]
        return cls(
            identity=typed(ServerIdentity, data["server"]),
            updated=float(data["updated"]),
            queued=int(data["queued"]),
            requests=int(totals["requests"]),
            failed=int(totals["failed"]),
            cancelled=int(totals.get("cancelled", 0)),  # boards of servers before it was counted lack it
            audio_s=float(totals["audio_s"]),
            active=tuple(RequestRecord.from_dict(item) for item in data["active"]),
            recent=tuple(RequestRecord.from_dict(item) for item in data["recent"]),
        )

    def running(self, now: float) -> bool:
        """Whether its server still runs: its process on this machine, a recent heartbeat from another."""
        if self.identity.host == socket.gethostname():
            return process_alive(self.identity.pid)
        return now - self.updated <= STALE_S


def read_board(path: Path) -> ServerBoard | None:
    """The board in ``path``, or None if it is gone or not a board of this version."""
    try:
        return ServerBoard.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # AttributeError: not a JSON object
        return None


def running_boards(directory: Path, now: float | None = None) -> list[ServerBoard]:
    """The boards of the servers that run now, oldest server first."""
    now = time.time() if now is None else now
    boards = [board for path in sorted(directory.glob(f"*{SUFFIX}")) if (board := read_board(path)) is not None]
    return sorted((board for board in boards if board.running(now)), key=lambda board: board.identity.started)


def sweep_stopped(directory: Path) -> None:
    """Remove the boards of this machine's servers that died without removing their own (SIGKILL)."""
    for path in directory.glob(f"*{SUFFIX}"):
        board = read_board(path)
        if board is not None and board.identity.host == socket.gethostname() and not process_alive(board.identity.pid):
            with contextlib.suppress(OSError):
                path.unlink()
