"""Shell completion for voice names and language codes.

A <TAB> must answer at once: voice names come from the store's file names (no torch, no
numpy, no pack is loaded), and the data home is the one ``--home`` names, if given.
"""

from __future__ import annotations

from pathlib import Path

import typer

from kokoro_tui.home import resolve_home
from kokoro_tui.text.languages import LANGUAGES
from kokoro_tui.voices.listing import voice_files


def voice_candidates(voices_dir: Path, incomplete: str) -> list[str]:
    """Stored voice names starting with ``incomplete``; in a blend spec, the name after the last comma."""
    head, comma, last = incomplete.rpartition(",")
    return [f"{head}{comma}{name}" for name in sorted(voice_files(voices_dir)) if name.startswith(last)]


def complete_voice(ctx: typer.Context, incomplete: str) -> list[str]:
    """Typer autocompletion callback for every voice name or blend spec parameter."""
    home = ctx.find_root().params.get("home")
    return voice_candidates(resolve_home(home).voices, incomplete)


def complete_lang(incomplete: str) -> list[tuple[str, str]]:
    """Language codes with their names as the shell's description."""
    return [(code, lang.name) for code, lang in LANGUAGES.items() if code.startswith(incomplete.lower())]
