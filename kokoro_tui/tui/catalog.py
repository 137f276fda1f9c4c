"""The voices the dashboard shows, read once from the voice store and shared by every pane.

Panes call it from worker threads (never the UI thread), so the cache is guarded by a lock.
``refresh()`` drops the cache when the store may have changed (a blend saved elsewhere).
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from kokoro_tui.home import DataHome


class VoiceCatalog:
    """Voice metadata and packs from ``VoiceStore(home)``, cached per dashboard session."""

    def __init__(self, home: DataHome) -> None:
        self.home = home
        self._lock = threading.Lock()
        self._store: Any = None
        self._infos: list[Any] | None = None
        self._packs: dict[str, np.ndarray] = {}
        #: Bumped by every ``refresh()``, so a pane can tell that what it computed is out of date.
        self.generation = 0

    @property
    def store(self) -> Any:
        with self._lock:
            if self._store is None:
                from kokoro_tui.voices.store import VoiceStore

                self._store = VoiceStore(self.home)
            return self._store

    def infos(self) -> list[Any]:
        """Every voice's ``VoiceInfo``, sorted by name."""
        store = self.store
        with self._lock:
            if self._infos is None:
                self._infos = sorted(store.list(), key=lambda info: info.name)
            return list(self._infos)

    def pack(self, name: str) -> np.ndarray:
        """One voice as ``[510, 1, 256]`` float32."""
        store = self.store
        with self._lock:
            if name not in self._packs:
                self._packs[name] = store.load(name)
            return self._packs[name]

    def packs(self) -> dict[str, np.ndarray]:
        """Every voice in the store, name -> pack."""
        return {info.name: self.pack(info.name) for info in self.infos()}

    def refresh(self) -> None:
        with self._lock:
            self._infos = None
            self._packs.clear()
            self.generation += 1
