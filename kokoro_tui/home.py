"""The data home: one directory for models, voices, analysis outputs, training runs and book work folders.

Resolved from ``--home`` (which sets ``KOKORO_HOME``), then ``KOKORO_HOME``, then
``$XDG_DATA_HOME/kokoro-tui`` (``~/.local/share/kokoro-tui``). Never inside site-packages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "KOKORO_HOME"


def default_home() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "kokoro-tui"


@dataclass(frozen=True)
class DataHome:
    """Paths inside the data home. Directories are created on first use, not on resolve."""

    root: Path

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def voices(self) -> Path:
        return self.root / "voices"

    @property
    def analysis(self) -> Path:
        return self.root / "analysis"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    @property
    def books(self) -> Path:
        """Work folders of `kokoro book`: each chapter's audio, kept so a killed run resumes."""
        return self.root / "books"

    @property
    def lexicon(self) -> Path:
        """The user's pronunciations (`kokoro lexicon`), applied to every text before G2P."""
        return self.root / "lexicon.tsv"

    @property
    def servers(self) -> Path:
        """The request boards of running `kokoro serve`s (``speech.request_board``), read by the dashboard."""
        return self.root / "servers"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    def ensure(self, path: Path) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        return path


def resolve_home(override: str | os.PathLike[str] | None = None) -> DataHome:
    raw = override or os.environ.get(ENV_VAR)
    root = Path(raw).expanduser() if raw else default_home()
    return DataHome(root.resolve())
