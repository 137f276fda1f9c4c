"""SHA-256 of files and streams, so every fetched asset is checked before it is renamed into place."""

from __future__ import annotations

import hashlib
import os

CHUNK = 4 * 1024 * 1024


def sha256_file(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def is_sha256(text: str | None) -> bool:
    """True for a 64-hex-digit digest (the hub's etag of a large file is its SHA-256)."""
    return bool(text) and len(text) == 64 and all(c in "0123456789abcdef" for c in text.lower())

