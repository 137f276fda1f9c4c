"""Speech synthesis in a child process, behind the pipeline's own ``load()``/``stream()`` API.

The torch model runs thousands of small Python-level operations per chunk; in a thread
of the dashboard's process they compete with the UI for the GIL and every key press
waits. In a child process they cannot: the dashboard's thread just blocks on a pipe,
and chunks (picklable ``SpeechChunk`` objects) arrive as they are synthesised.

The child is started with ``spawn`` (forking a process that runs threads is unsafe) as a
daemon, so it dies with the dashboard. Each ``stream`` call carries a request id; if
the caller abandons a stream half-way, the rest of its chunks are skipped.
"""

from __future__ import annotations

import importlib
import itertools
import multiprocessing
import os
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

from kokoro_tui.errors import KokoroError

REAL_PIPELINE = "kokoro_tui.speech.pipeline:Pipeline"
NICENESS = 5


def _resolve(path: str) -> Any:
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _describe(error: BaseException) -> tuple[str, str]:
    """("kokoro", message) for user mistakes, ("crash", "Type: message") for anything else."""
    if isinstance(error, KokoroError):
        return "kokoro", str(error)
    return "crash", f"{type(error).__name__}: {error}"


def _silence_output() -> None:
    """The child shares the dashboard's terminal: anything it printed would scribble over the screen."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def prepare() -> None:
    """Start multiprocessing's resource tracker now, while ``sys.stderr`` is still the real one.

    Textual replaces ``sys.stderr`` with an object whose ``fileno()`` is -1, and the tracker,
    started lazily by the first child, would pass that to ``spawn`` and fail.
    """
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()


def _serve(conn: Connection, factory_path: str, options: dict[str, Any]) -> None:
    """Child process: build the pipeline, then answer load and speak requests until the pipe closes.

    It runs at a lower priority, so on a busy machine the dashboard still gets the CPU first.
    """
    _silence_output()
    os.nice(NICENESS)
    pipeline = None
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        kind, request_id = request[0], request[1]
        try:
            if pipeline is None:
                pipeline = _resolve(factory_path)(**options)
            if kind == "load":
                pipeline.load()
            else:
                for chunk in pipeline.stream(request[2]):
                    conn.send(("chunk", request_id, chunk))
            conn.send(("done", request_id, None))
        except Exception as error:  # reported to the parent, which raises it in the dashboard's worker
            conn.send(("error", request_id, _describe(error)))


class ProcessPipeline:
    """A speech pipeline running in its own process; same ``load``/``stream`` calls as ``Pipeline``."""

    def __init__(self, options: dict[str, Any], factory_path: str = REAL_PIPELINE) -> None:
        self.options = options
        self.factory_path = factory_path
        self._conn: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._ids = itertools.count(1)

    def _start(self) -> Connection:
        if self._conn is None or self._process is None or not self._process.is_alive():
            context = multiprocessing.get_context("spawn")
            parent, child = context.Pipe()
            self._process = context.Process(
                target=_serve, args=(child, self.factory_path, self.options), daemon=True, name="kokoro-speech"
            )
            self._process.start()
            child.close()
            self._conn = parent
        return self._conn

    def _replies(self, request: tuple[Any, ...]) -> Iterator[Any]:
        """Send one request and yield its chunks; replies to abandoned earlier requests are skipped."""
        conn = self._start()
        conn.send(request)
        while True:
            try:
                kind, request_id, payload = conn.recv()
            except EOFError:
                self.close()
                raise RuntimeError("the speech process stopped unexpectedly") from None
            if request_id != request[1]:
                continue
            if kind == "chunk":
                yield payload
            elif kind == "done":
                return
            else:
                source, message = payload
                if source == "kokoro":
                    raise KokoroError(message)
                raise RuntimeError(message)

    def load(self) -> None:
        for _ in self._replies(("load", next(self._ids))):
            pass

    def stream(self, text: str) -> Iterator[Any]:
        yield from self._replies(("speak", next(self._ids), text))

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
        self._process = None
