"""Resident memory of another process, read while it runs: shared by the benchmarks that time whole commands.

``RssSampler`` reads a process's RSS, and its children's, in a thread, so that a peak between two
readings of the caller is seen too. ``wait4``'s ``ru_maxrss`` is not a substitute: Linux carries the
pre-exec high-water mark into it, so a child forked from a script that holds a loaded model reports
the script's memory.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

try:
    import psutil
except ImportError:  # not a dependency: /proc answers on Linux
    psutil = None

MIB = 1024 * 1024


def rss_mib(pid: int) -> float | None:
    """The process's resident memory, None once it is gone."""
    if psutil is not None:
        try:
            return psutil.Process(pid).memory_info().rss / MIB
        except psutil.Error:
            return None
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def children(pid: int) -> list[int]:
    """The process's direct children (none once it is gone)."""
    if psutil is not None:
        try:
            return [child.pid for child in psutil.Process(pid).children()]
        except psutil.Error:
            return []
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class RssSampler:
    """A thread that reads a process's RSS every ``every_s`` until ``stop()`` or the process ends:
    ``peak_mib`` of the process alone, ``tree_peak_mib`` with its children's RSS added. ``on_sample``, if
    given, gets every reading (the process's RSS, then with its children's), for a curve over time."""

    def __init__(self, pid: int, every_s: float, on_sample: Callable[[float, float], None] | None = None) -> None:
        self.pid, self.every_s, self.on_sample = pid, every_s, on_sample
        self.peak_mib = self.tree_peak_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (rss := rss_mib(self.pid)) is not None:
            tree = rss + sum(rss_mib(child) or 0.0 for child in children(self.pid))
            self.peak_mib, self.tree_peak_mib = max(self.peak_mib, rss), max(self.tree_peak_mib, tree)
            if self.on_sample is not None:
                self.on_sample(rss, tree)
            if self._stop.wait(self.every_s):
                return

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
