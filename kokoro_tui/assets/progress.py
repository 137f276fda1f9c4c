"""The progress interface the downloads report to: the subset of ``rich.progress.Progress`` they use.

The library stays free of any face: the CLI passes a rich Progress on stderr, tests pass nothing.
"""

from __future__ import annotations

from typing import Any, Protocol


class ProgressSink(Protocol):
    def add_task(self, description: str, total: float | None = ..., completed: float = ..., **fields: Any) -> Any: ...

    def advance(self, task_id: Any, advance: float = ...) -> None: ...

    def update(self, task_id: Any, *, total: float | None = ..., completed: float | None = ..., **fields: Any) -> None: ...


class NullProgress:
    """Reports nowhere; used when the caller passes no progress."""

    def add_task(self, description: str, total: float | None = None, completed: float = 0, **fields: Any) -> int:
        return 0

    def advance(self, task_id: Any, advance: float = 1) -> None:
        return None

    def update(self, task_id: Any, *, total: float | None = None, completed: float | None = None, **fields: Any) -> None:
        return None
