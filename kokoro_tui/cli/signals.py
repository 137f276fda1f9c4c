"""SIGTERM and SIGHUP unwind the command like Ctrl-C does, instead of killing it on the spot.

`timeout`, `kill`, a service manager or a dropped SSH session would otherwise end the process
without running a single ``finally``: the hidden ``.NAME.XXXX.part`` temp file of the output
(hundreds of MB for a long text) stayed behind. Raised as an exception in the main thread, the
signal runs every cleanup on the way out (atomic_path removes its temp file, progress bars stop),
and the process still ends with the conventional status 128 + signal number.
"""

from __future__ import annotations

import signal
from types import FrameType

HANDLED: tuple[signal.Signals, ...] = (signal.SIGTERM, signal.SIGHUP)


class Terminated(BaseException):
    """The process was asked to stop by a signal; a BaseException, like KeyboardInterrupt, so no
    ``except Exception`` swallows it."""

    def __init__(self, signum: int) -> None:
        self.signal = signal.Signals(signum)
        super().__init__(f"stopped by {self.signal.name}")

    @property
    def exit_code(self) -> int:
        return 128 + int(self.signal)


def _raise(signum: int, frame: FrameType | None) -> None:
    signal.signal(signum, signal.SIG_DFL)  # a second signal ends the process at once, cleanup or not
    raise Terminated(signum)


def unwind_on_termination() -> None:
    """Turn SIGTERM and SIGHUP into ``Terminated`` (call once, from the main thread)."""
    for signum in HANDLED:
        signal.signal(signum, _raise)
