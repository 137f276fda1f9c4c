"""Where the CLI writes: diagnostics and progress on stderr, so stdout stays clean for data (WAV, JSON)."""

from __future__ import annotations

import errno
import io
import os
import sys

from rich.console import Console

STDOUT_CLOSED = "stdout is closed"


class _PipeConsole(Console):
    """A reader of stdout or stderr that goes away is reported like anywhere else (exit 141 from the
    root group, with one line where stderr is still there), where rich would exit 1 without a word."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


err = _PipeConsole(stderr=True, highlight=False)
out = _PipeConsole(highlight=False)


class _ClosedStdout(io.RawIOBase):
    """stdout of a process started without one (`kokoro voices list >&-`): every write fails, as a write
    to a closed descriptor does, in words that say why. Writing nothing succeeds: click probes a stream
    with an empty write before using it."""

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:
        if not data:
            return 0
        raise OSError(errno.EBADF, STDOUT_CLOSED)


def _occupy(fd: int, path: str, flags: int) -> None:
    """Open ``path`` on the free descriptor ``fd``, so that no file opened later is given its number and
    gets what a library or a child process writes to the standard stream."""
    try:
        os.fstat(fd)  # taken since start-up: leave it to its holder
    except OSError:
        opened = os.open(path, flags)
        if opened != fd:
            os.dup2(opened, fd)
            os.close(opened)


def replace_closed_streams() -> None:
    """Stand in for each standard stream the process was started without (`>&-`, `<&-`, `2>&-`).

    Python leaves such a stream None, and then output meant for stdout vanished (exit 0, the data
    lost), ``print(..., file=sys.stderr)`` wrote errors into stdout, and the exit itself ended in a
    traceback. Instead: stdin stays None (``read_input`` says it is closed) and reads /dev/null
    underneath, a write to stdout fails with STDOUT_CLOSED (exit 1, like any write error of the
    machine), and stderr discards what it is given, there being no one left to tell. Call once, first
    thing.
    """
    if sys.stdin is None:
        _occupy(0, os.devnull, os.O_RDONLY)
    if sys.stdout is None:
        # A directory: a child process's write to it fails, and so does `-o /dev/stdout`, which would
        # reopen /dev/null for writing and lose the audio with exit 0.
        _occupy(1, "/", os.O_RDONLY | os.O_DIRECTORY)
        sys.stdout = io.TextIOWrapper(_ClosedStdout(), encoding="utf-8", write_through=True)
    if sys.stderr is None:
        _occupy(2, os.devnull, os.O_WRONLY)
        sys.stderr = open(os.devnull, "w", encoding="utf-8")


def check_stdout() -> None:
    """Fail now, before minutes of work whose output could only be thrown away, when stdout is closed."""
    if isinstance(getattr(sys.stdout, "buffer", None), _ClosedStdout):
        raise OSError(errno.EBADF, STDOUT_CLOSED)


def progress(unit: str = "bytes"):
    """A rich progress bar on stderr, shared by every long-running command.

    ``unit`` "bytes" shows sizes, speed and time left (downloads; kept on screen); "steps" shows
    the percentage done and elapsed time (conversions, chunks spoken; cleared at the end); "eta"
    shows steps done, elapsed and remaining time and the task's ``figures`` field (training; kept). The bar shows up
    with its first task: a run with nothing to do prints nothing, where a rich Progress with no
    task writes an empty line to a stderr that is not a terminal.
    """
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    class DeferredProgress(Progress):
        def start(self) -> None:
            """Entering the ``with`` block starts nothing yet; the first ``add_task`` does."""

        def add_task(self, *args, **kwargs) -> TaskID:
            if not self.live.is_started:
                super().start()
            return super().add_task(*args, **kwargs)

        def stop(self) -> None:
            if self.live.is_started:
                super().stop()

    if unit == "steps":
        columns = (TaskProgressColumn(), TimeElapsedColumn())
    elif unit == "eta":
        columns = (MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[figures]}"))
    else:
        columns = (DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    return DeferredProgress(
        TextColumn("[bold]{task.description}"), BarColumn(), *columns, console=err, transient=unit == "steps"
    )
