"""The request queue: every speech request's chunks, made one at a time on the one model, in turn.

Synthesis runs in one worker thread of the server process, not in the speech worker process
(``speech.worker``). That process serves one stream at a time, the newest winning, which suits
a dashboard with one speaker; a server holds many streams at once and must interleave them,
which needs every live chunk iterator in one place. In the server's own process the model is
loaded once and shared, chunks need no pickling, and the event loop loses little: torch
computes outside the GIL, and the loop only moves bytes. One thread, not a pool, because the
model is the bottleneck: two threads on it would only split the same cores.

Fairness: the thread takes the admitted jobs round-robin, one chunk each, so a long text from
one client delays another's request by at most one chunk per other stream. A job with no chunk
made yet goes first: its client hears nothing until then, while the streams already playing have
audio in hand, so a new request's first byte waits for the chunk in progress, not for a chunk of
every other stream (on the 2-core AVX2 CPU with 4 clients, the first byte's median went from
4.6-4.7 s to 3.2-3.4 s, benchmarks/server_load.md). It cannot starve the others: a job gets that
turn once, and a new job needs a free admission slot, which only a finished one leaves. A job
whose reader has not yet taken ``CHUNKS_AHEAD`` chunks waits its turn out (a slow reader holds no
more than that in memory, and costs the others nothing). A cancelled job (its client went away)
is closed at its next turn, before any further chunk is made for it. At most ``capacity`` jobs are admitted
at once, a cancelled one no longer counting (its client has gone: only its retirement is pending, and a
client that reconnects at once must not be refused for its own departed request); ``submit`` refuses the
next with ``Busy``. Once the scheduler is closed, ``submit`` raises ``Closed``, and every reader still
waiting gets ``Closed`` instead of a chunk.

The model is loaded and warmed up on that same thread (``prepare``), so that one thread alone ever
runs torch in the server. Torch's OpenMP threads spin between parallel regions while the process
has no more of them than cores; a second thread that has run torch (the main thread, when it
warmed the model up) brings its own OpenMP worker, and libgomp then throttles the spinning of all
of them. Measured on the 2-core CPU: a paragraph's first chunk took 0.53-0.55 s on a thread of a
process whose main thread had run the model, 0.44-0.47 s on the only one that had.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

CHUNKS_AHEAD = 2
_END = object()  # a job's last item: its stream is exhausted


class Busy(Exception):
    """Every admission slot is taken."""


class Closed(Exception):
    """The scheduler has been closed: the server is shutting down."""


class Job:
    """One request's chunk stream, made on the scheduler's thread and read from the event loop."""

    def __init__(self, scheduler: Scheduler, start: Callable[[], Iterator[Any]], loop: asyncio.AbstractEventLoop) -> None:
        self._scheduler = scheduler
        self.start = start  # called on the scheduler's thread: building the pipeline is work too
        self.stream: Iterator[Any] | None = None
        self.loop = loop
        self.results: asyncio.Queue[Any] = asyncio.Queue()
        self.waiting = 0  # chunks made and not yet taken by the reader
        self.cancelled = False
        self.shut_down = False  # cancelled by the scheduler's closing, not by its reader

    async def next(self) -> Any | None:
        """The next chunk, None at the end; an error of the pipeline is raised here."""
        item = await self.results.get()
        self._scheduler.taken(self)
        if item is _END:
            return None
        if isinstance(item, BaseException):
            raise item
        return item

    def cancel(self) -> None:
        """Stop making chunks for this job (a no-op once it has ended)."""
        self._scheduler.cancel(self)


class Scheduler:
    """Round-robin over the admitted jobs, one chunk at a time, on one daemon thread."""

    def __init__(self, capacity: int, ahead: int = CHUNKS_AHEAD, prepare: Callable[[], None] | None = None) -> None:
        """``prepare`` runs first on the scheduler's thread (the model's load and warm-up); the constructor
        waits for it and raises what it raised, the thread then ended."""
        self.capacity = capacity
        self.ahead = ahead
        self._jobs: deque[Job] = deque()
        self._changed = threading.Condition()
        self._closed = False
        self._prepared = threading.Event()
        self._prepare_error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(prepare,), name="kokoro-synthesis", daemon=True)
        self._thread.start()
        self._prepared.wait()
        if self._prepare_error is not None:
            self._thread.join()
            raise self._prepare_error

    @property
    def active(self) -> int:
        """Admitted jobs whose client still wants them."""
        return sum(not job.cancelled for job in self._jobs)

    def submit(self, start: Callable[[], Iterator[Any]]) -> Job:
        """Admit a job whose chunks ``start()`` will yield; ``Busy`` when ``capacity`` jobs are in."""
        job = Job(self, start, asyncio.get_running_loop())
        with self._changed:
            if self._closed:
                raise Closed
            if self.active >= self.capacity:
                raise Busy
            self._jobs.append(job)
            self._changed.notify()
        return job

    def taken(self, job: Job) -> None:
        with self._changed:
            job.waiting -= 1
            self._changed.notify()

    def cancel(self, job: Job) -> None:
        with self._changed:
            job.cancelled = True
            self._changed.notify()

    def close(self) -> None:
        """Stop after the chunk in progress; every job left is closed without another chunk."""
        with self._changed:
            self._closed = True
            for job in self._jobs:
                job.shut_down = not job.cancelled
                job.cancelled = True
            self._changed.notify()
        self._thread.join()

    def _turn(self) -> Job | None:
        """The next job to serve, moved to the back of the line; None once closed and drained.
        A cancelled job comes first (it only ends), then the oldest with no chunk made, then the
        first in line whose reader has room."""
        with self._changed:
            while True:
                ready = [job for job in self._jobs if job.cancelled or job.waiting < self.ahead]
                if ready:
                    job = min(ready, key=lambda job: (not job.cancelled, job.stream is not None))
                    self._jobs.remove(job)
                    self._jobs.append(job)
                    return job
                if self._closed:
                    return None
                self._changed.wait()

    def _run(self, prepare: Callable[[], None] | None) -> None:
        try:
            if prepare is not None:
                prepare()
        except BaseException as error:  # the constructor raises it
            self._prepare_error = error
            return
        finally:
            self._prepared.set()
        while (job := self._turn()) is not None:
            if job.cancelled:
                self._end(job, Closed() if job.shut_down else None)  # a reader still waiting must not hang
                continue
            try:
                if job.stream is None:
                    job.stream = job.start()
                chunk = next(job.stream)
            except StopIteration:
                self._end(job, _END)
            except Exception as error:  # the reader raises it: a KokoroError becomes a 400
                self._end(job, error)
            else:
                with self._changed:
                    job.waiting += 1
                self._deliver(job, chunk)

    def _end(self, job: Job, last: Any) -> None:
        """Retire ``job``, freeing its slot; ``last`` (the end marker or an error) goes to its reader."""
        with self._changed, contextlib.suppress(ValueError):
            self._jobs.remove(job)
        if job.stream is not None and hasattr(job.stream, "close"):
            job.stream.close()  # runs the pipeline's cleanup on this thread, where it ran
        if last is not None:
            self._deliver(job, last)

    def _deliver(self, job: Job, item: Any) -> None:
        try:
            job.loop.call_soon_threadsafe(job.results.put_nowait, item)
        except RuntimeError:  # the event loop is gone (shutdown): nobody is reading
            self.cancel(job)
