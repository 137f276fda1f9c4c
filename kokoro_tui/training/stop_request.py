"""Ctrl-C (and SIGTERM/SIGHUP) during training: finish the step, save a checkpoint, then stop.

An exception raised in the middle of ``optimizer.step()`` could leave half the parameters
updated, so during a run the first signal only raises a flag that the loop reads between steps.
A second signal means "now": the previous handler is back and runs as usual.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS: tuple[signal.Signals, ...] = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class StopRequest:
    """The signal that asked the run to stop, once one has."""

    def __init__(self) -> None:
        self.signal: signal.Signals | None = None

    @property
    def requested(self) -> bool:
        return self.signal is not None


@contextmanager
def stop_requests() -> Iterator[StopRequest]:
    """Within the block, the first of ``SIGNALS`` sets the request; handlers are restored on exit.

    Off the main thread (signals cannot be caught there) the request simply never fires.
    """
    request = StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield request
        return
    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}

    def note(signum: int, frame: FrameType | None) -> None:
        request.signal = signal.Signals(signum)
        for other, handler in previous.items():
            signal.signal(other, handler)

    for signum in SIGNALS:
        signal.signal(signum, note)
    try:
        yield request
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
