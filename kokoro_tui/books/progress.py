"""What a book run tells as it goes: events for a face's progress bar, and the run log for the dashboard.

The run log follows ``docs/run-log.md``, as training runs do, so the Training pane of ``kokoro tui``
follows a book too: a ``step`` per paragraph whose ``step`` counts the characters spoken so far
(``total_steps`` is all this run speaks; chapters found in the work folder are not counted),
``epoch`` the chapter, and ``x_real_time`` the paragraph's seconds of audio per second of work;
a ``sample`` for each chapter's audio as it is finished; ``end`` with where the book went.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kokoro_tui.training.runlog import EndRecord, RunLogWriter, SampleRecord, StartRecord, StepRecord

REAL_TIME = "x_real_time"


@dataclass(frozen=True)
class BookProgress:
    chapter: int  # position among the chosen chapters, from 1
    chapters: int
    title: str
    chars_done: int  # characters spoken so far in this run
    chars_total: int  # characters this run speaks (chapters already in the work folder are not)
    eta_s: float | None
    reused: bool = False  # this chapter was found in the work folder


Events = Callable[[BookProgress], None]


class RunReport:
    """Counts characters and time, and tells both the face (``events``) and the run log."""

    def __init__(self, log: RunLogWriter, events: Events | None, chapters: int, chars_total: int) -> None:
        self._log, self._events = log, events
        self.chapters, self.chars_total = chapters, chars_total
        self.chars_done = 0
        self._started = self._last = time.monotonic()

    def start(self, run: str, config: dict[str, Any]) -> None:
        self._log.write(StartRecord(run, config, self.chars_total or None))

    def eta_s(self) -> float | None:
        if not self.chars_done:
            return None
        return (time.monotonic() - self._started) / self.chars_done * (self.chars_total - self.chars_done)

    def _tell(self, position: int, title: str, reused: bool = False) -> None:
        if self._events is not None:
            self._events(BookProgress(position, self.chapters, title, self.chars_done, self.chars_total, self.eta_s(), reused))

    def chapter_started(self, position: int, title: str, reused: bool) -> None:
        self._last = time.monotonic()
        self._tell(position, title, reused)

    def paragraph(self, position: int, title: str, chars: int, audio_s: float) -> None:
        now = time.monotonic()
        self.chars_done += chars
        self._log.write(StepRecord(
            step=self.chars_done, epoch=position, losses={REAL_TIME: audio_s / max(now - self._last, 1e-9)}, lr=None,
            elapsed_s=now - self._started, eta_s=self.eta_s(),
        ))
        self._last = now
        self._tell(position, title)

    def chapter_saved(self, path: str, title: str) -> None:
        self._log.write(SampleRecord(self.chars_done, path, title))

    def end(self, status: str, message: str) -> None:
        self._log.write(EndRecord(status, self.chars_done, message))
