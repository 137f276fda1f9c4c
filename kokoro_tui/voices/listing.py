"""Which voices a store holds, from file names alone: cheap enough for shell completion.

Imports nothing beyond the standard library, so a <TAB> costs milliseconds, not a numpy import.
"""

from __future__ import annotations

from pathlib import Path

# Every voice file format; when one name exists in several, the first listed here is the one used.
FORMATS: tuple[str, ...] = ("bin", "pt", "npy", "npz", "safetensors")


def voice_files(root: Path) -> dict[str, Path]:
    """Name → voice file for every voice in ``root`` (hidden files, such as temp files, skipped)."""
    found: dict[str, Path] = {}
    if not root.is_dir():
        return found
    for fmt in FORMATS:
        for path in sorted(root.glob(f"*.{fmt}")):
            if path.stem.startswith(".") or not path.is_file():
                continue
            found.setdefault(path.stem, path)
    return found
