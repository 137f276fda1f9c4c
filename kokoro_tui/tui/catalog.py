"""The voices the dashboard shows, read once from the voice store and shared by every pane.

Panes call it from worker threads (never the UI thread), so the cache is guarded by a lock.
``refresh()`` drops the cache when the store may have changed (a blend saved elsewhere).
One damaged voice file must not take the others with it: ``packs()`` leaves it out and names
the command that repairs it, in `kokoro doctor`'s words.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from kokoro_tui.errors import KokoroError, MissingAssetError
from kokoro_tui.home import DataHome

#: What a pane says of a store without a single voice file.
NO_VOICES = "no voices in the store"
NO_VOICES_HINT = "run `kokoro download`"


@dataclass(frozen=True)
class DamagedVoice:
    """A voice whose file does not read as a pack (the Voices pane says why), and the command that repairs it."""

    name: str
    fix: str

    def line(self) -> str:
        return f"{self.name} is damaged and left out: {self.fix}"


@dataclass(frozen=True)
class VoicePacks:
    """The store's readable voices (name -> pack) and the damaged ones left out of them."""

    packs: dict[str, np.ndarray]
    damaged: tuple[DamagedVoice, ...]


def fix_for(info: Any) -> str:
    """The command that repairs a damaged voice: fetched again if stock, made again from its recipe if not."""
    from kokoro_tui.assets.fixes import repair_voice

    return repair_voice(info.name, info.origin if info.sidecar_readable else None, info.recipe)


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

    def packs(self) -> VoicePacks:
        """Every voice in the store that reads as a pack, and the damaged ones; an empty store is an error."""
        infos = self.infos()
        if not infos:
            raise MissingAssetError(NO_VOICES, hint=NO_VOICES_HINT)
        packs: dict[str, np.ndarray] = {}
        damaged: list[DamagedVoice] = []
        for info in infos:
            try:
                packs[info.name] = self.pack(info.name)
            except KokoroError:
                damaged.append(DamagedVoice(info.name, fix_for(info)))
        return VoicePacks(packs, tuple(damaged))

    def refresh(self) -> None:
        with self._lock:
            self._infos = None
            self._packs.clear()
            self.generation += 1
