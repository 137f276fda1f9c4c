"""The dashboard's panes in key order, apart from Textual so that `kokoro tui --help` can list them cheaply."""

from __future__ import annotations

#: Tab ids and labels in key order: key 1 opens the first.
TABS: tuple[tuple[str, str], ...] = (
    ("voices", "Voices"),
    ("map", "Map"),
    ("speak", "Speak"),
    ("training", "Training"),
    ("analysis", "Analysis"),
    ("server", "Server"),
)
TAB_NAMES = tuple(tab for tab, _ in TABS)
