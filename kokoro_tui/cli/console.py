"""Where the CLI writes: diagnostics and progress on stderr, so stdout stays clean for data (WAV, JSON)."""

from __future__ import annotations

import errno
import os

from rich.console import Console


class _DataConsole(Console):
    """stdout: a reader that goes away is reported like anywhere else (one line, exit 141 from
    the root group), where rich would exit 1 without a word."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


err = Console(stderr=True, highlight=False)
out = _DataConsole(highlight=False)


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
