"""The speech worker: synthesis in one child process, behind the pipeline's ``load()``/``stream()`` API.

A long-lived front (the dashboard) must stay responsive while speaking. The torch
model runs thousands of small Python-level operations per chunk; in a thread of the front's
process they compete with it for the GIL and every key press or request waits. In a child
process they cannot: the front's thread just blocks on a pipe, and chunks (picklable
``SpeechChunk`` objects) arrive as they are synthesised.

Loading the model takes seconds, so one child serves every voice and speed: each request
carries its pipeline options, the child keeps a pipeline per option set (the last few),
and the pipelines share the model through ``load_synthesizer``'s per-process cache.

The child is started with ``spawn`` (forking a process that runs threads is unsafe) as a
daemon, so it dies with its parent; the pipeline factory travels to it by pickle, so it must
be importable by name (a class or a module-level function, such as ``Pipeline`` itself). Requests carry increasing ids and only the newest
is wanted: when a stream is abandoned half-way (closed, or overtaken by a newer request),
the child stops it at the next chunk and the replies it had already sent are skipped.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from kokoro_tui.errors import KokoroError
from kokoro_tui.speech.pipeline import Pipeline

NICENESS = 5
KEPT_PIPELINES = 4
PipelineFactory = Callable[..., Any]


def _describe(error: BaseException) -> tuple[str, str]:
    """("kokoro", message) for user mistakes, ("crash", "Type: message") for anything else."""
    if isinstance(error, KokoroError):
        return "kokoro", str(error)
    return "crash", f"{type(error).__name__}: {error}"


def _silence_output() -> None:
    """The child shares its parent's terminal: anything it printed would scribble over the dashboard."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


class PipelineCache:
    """The child's pipelines by option set, the most recently used ``size`` kept.

    A pipeline holds its voice pack and text front end; the model behind it is shared,
    so an evicted pipeline costs little to build again.
    """

    def __init__(self, factory: PipelineFactory, size: int = KEPT_PIPELINES) -> None:
        self.factory = factory
        self.size = size
        self._pipelines: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, options: dict[str, Any]) -> Any:
        key = tuple(sorted(options.items()))
        if key in self._pipelines:
            self._pipelines.move_to_end(key)
        else:
            self._pipelines[key] = self.factory(**options)
            if len(self._pipelines) > self.size:
                self._pipelines.popitem(last=False)
        return self._pipelines[key]


def _answer(conn: Connection, pipelines: PipelineCache, request: tuple[str, int, dict[str, Any], str | None]) -> None:
    """Reply to one load or speak request, always ending with exactly one "done" or "error"."""
    kind, request_id, options, text = request
    try:
        pipeline = pipelines.get(options)
        if kind == "load":
            pipeline.load()
        else:
            for chunk in pipeline.stream(text):
                conn.send(("chunk", request_id, chunk))
                if conn.poll():
                    break  # a cancel or a newer request is waiting: the rest is not wanted
        conn.send(("done", request_id, None))
    except Exception as error:  # reported to the parent, which raises it in the dashboard's worker
        conn.send(("error", request_id, _describe(error)))


def _serve(conn: Connection, factory: PipelineFactory) -> None:
    """Child process: answer requests until the pipe closes, at a lower priority than its parent."""
    _silence_output()
    os.nice(NICENESS)
    pipelines = PipelineCache(factory)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request[0] != "cancel":  # a cancel that arrives here came after its stream had ended
            _answer(conn, pipelines, request)


class SpeechProcess:
    """A speech child: a pipeline factory (``process(voice=, speed=, home=)``) whose pipelines all
    run in one process, started on the first request and stopped by ``close()``.

    In the dashboard, create it before the app runs: that starts multiprocessing's resource tracker while
    ``sys.stderr`` is still the real one (Textual replaces it with an object whose
    ``fileno()`` is -1, which the tracker, started lazily, would hand to ``spawn``).
    """

    def __init__(self, shared: dict[str, Any] | None = None, factory: PipelineFactory = Pipeline) -> None:
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
        self.shared = shared or {}
        self.factory = factory
        self._lock = threading.RLock()  # process state, request ids and sending
        self._receive_lock = threading.Lock()
        self._conn: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._ids = itertools.count(1)
        self._current = 0
        self._closed = False

    def __call__(self, **options: Any) -> ProcessPipeline:
        return ProcessPipeline(self, {**options, **self.shared})

    def replies(self, kind: str, options: dict[str, Any], text: str | None = None) -> Iterator[Any]:
        """Send one request and yield its chunks; closing this early tells the child to stop."""
        request_id = self._send(kind, options, text)
        while (chunk := self._receive(request_id)) is not None:
            try:
                yield chunk
            except GeneratorExit:
                self._cancel(request_id)
                raise

    def close(self) -> None:
        """Stop the child now, whatever it is doing; no request starts another one afterwards."""
        with self._lock:
            self._closed = True
        self._stop()

    def _start(self) -> Connection:
        """The pipe to a live child, starting one if there is none (or the last one died). Holds ``_lock``."""
        if self._closed:
            raise RuntimeError("the speech process has been closed")
        if self._conn is None or self._process is None or not self._process.is_alive():
            context = multiprocessing.get_context("spawn")
            parent, child = context.Pipe()
            self._process = context.Process(
                target=_serve, args=(child, self.factory), daemon=True, name="kokoro-speech"
            )
            self._process.start()
            child.close()
            self._conn = parent
        return self._conn

    def _send(self, kind: str, options: dict[str, Any], text: str | None) -> int:
        with self._lock:
            conn = self._start()
            request_id = self._current = next(self._ids)
            try:
                conn.send((kind, request_id, options, text))
            except OSError:
                raise self._lost() from None
        return request_id

    def _receive(self, request_id: int) -> Any:
        """The request's next chunk; None once it is done or a newer request has taken over.

        Every request ends with one "done" or "error", and the child answers requests in
        order, so a reader waiting here always gets one of its own replies first: it never
        swallows a newer request's.
        """
        with self._receive_lock:
            while self._current == request_id:
                conn = self._conn
                if conn is None:  # stopped by another thread
                    raise self._lost()
                try:
                    kind, reply_id, payload = conn.recv()
                except (EOFError, OSError):
                    raise self._lost() from None
                if reply_id != request_id:
                    continue  # left over from an abandoned request
                if kind == "chunk":
                    return payload
                if kind == "done":
                    return None
                source, message = payload
                raise KokoroError(message) if source == "kokoro" else RuntimeError(message)
            return None

    def _cancel(self, request_id: int) -> None:
        """Ask the child to stop an abandoned stream, unless a newer request has already done so."""
        with self._lock, contextlib.suppress(OSError):
            if self._current == request_id and self._conn is not None:
                self._conn.send(("cancel", request_id, None, None))

    def _lost(self) -> RuntimeError:
        self._stop()
        return RuntimeError("the speech process stopped unexpectedly")

    def _stop(self) -> None:
        """Terminate the child and drop the pipe; the next request (unless closed) starts a fresh one."""
        with self._lock:
            process, conn = self._process, self._conn
            self._process = self._conn = None
        if process is not None:
            process.terminate()
            process.join(timeout=5)
        if conn is not None:
            conn.close()


class ProcessPipeline:
    """One option set (voice, speed, home, …) served by the shared ``SpeechProcess``;
    the same ``load``/``stream`` calls as ``Pipeline``, and nothing of its own to close."""

    def __init__(self, process: SpeechProcess, options: dict[str, Any]) -> None:
        self.process = process
        self.options = options

    def load(self) -> None:
        for _ in self.process.replies("load", self.options):
            pass

    def stream(self, text: str) -> Iterator[Any]:
        return self.process.replies("speak", self.options, text)
