"""What is wrong with one asset file, if anything: the checks `kokoro doctor` and `kokoro download` share.

Each check returns None for a sound file, else a short reason that does not repeat the path. The
cheap form reads a header or a size, so every `kokoro download` can afford it; the thorough form
(checksum, zip CRCs) reads the whole file, which only the doctor asks for.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from pathlib import Path

from kokoro_tui.assets.checksums import sha256_file
from kokoro_tui.assets.manifest import CONFIG_NAME, ONNX_BYTES, ONNX_NAME, ONNX_SHA256, PTH_NAME
from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import KokoroConfig
from kokoro_tui.voices.formats import read_voice_file

DOWNLOADED_MODEL_FILES: tuple[str, ...] = (CONFIG_NAME, PTH_NAME, ONNX_NAME)  # what the sources fetch
_SHOW = 3  # tensor names quoted per kind of layout mismatch


def config_problem(path: Path) -> str | None:
    """config.json must be JSON that builds a valid ``KokoroConfig``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return f"not readable JSON ({error})"
    try:
        KokoroConfig.from_dict(data)
    except KokoroError as error:
        return str(error)
    except (TypeError, ValueError, AttributeError, KeyError) as error:  # a field of the wrong type ({"n_token": "x"})
        return f"not a valid model config ({error})"
    return None


def onnx_problem(path: Path, thorough: bool) -> str | None:
    """The int8 export is published with a known size and SHA-256."""
    size = path.stat().st_size
    if size != ONNX_BYTES:
        return f"{size:,} bytes, expected {ONNX_BYTES:,}"
    if thorough and sha256_file(path) != ONNX_SHA256:
        return f"its SHA-256 is not the published export's ({ONNX_SHA256[:12]}…)"
    return None


def pth_problem(path: Path, thorough: bool) -> str | None:
    """A PyTorch checkpoint is a zip: a truncated one loses its central directory, a damaged one its CRCs."""
    try:
        with zipfile.ZipFile(path) as archive:
            damaged = archive.testzip() if thorough else None
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        return f"truncated or not a PyTorch checkpoint ({error})"
    return f"damaged: {damaged} fails its CRC check" if damaged else None


def model_file_problem(path: Path, thorough: bool = False) -> str | None:
    """The check for one of ``DOWNLOADED_MODEL_FILES``, chosen by its name."""
    if path.name == CONFIG_NAME:
        return config_problem(path)
    if path.name == PTH_NAME:
        return pth_problem(path, thorough)
    return onnx_problem(path, thorough)


def safetensors_problem(path: Path, expected: Mapping[str, tuple[int, ...]] | None) -> str | None:
    """Our converted weights: the header must parse, cover the file, and name ``expected``'s tensors and shapes
    (unless ``expected`` is None: no readable config to say what they should be).

    Only the header is read, so checking 327 MB of weights costs milliseconds.
    """
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(str(path), framework="numpy") as archive:
            shapes = {key: tuple(archive.get_slice(key).get_shape()) for key in archive.keys()}
    except (SafetensorError, OSError) as error:
        return f"truncated or not a safetensors file ({error})"
    if expected is None:
        return None
    missing = sorted(set(expected) - set(shapes))
    unexpected = sorted(set(shapes) - set(expected))
    misshaped = sorted(
        f"{key} {list(shapes[key])}≠{list(expected[key])}"
        for key in set(expected) & set(shapes)
        if shapes[key] != expected[key]
    )
    kinds = (("missing", missing), ("unexpected", unexpected), ("mis-shaped", misshaped))
    parts = [_quote(label, names) for label, names in kinds if names]
    return f"tensors do not fit the model: {'; '.join(parts)}" if parts else None


def voice_problem(path: Path) -> str | None:
    """A stored voice must read as a finite float32 [510, 1, 256] pack (its size checked first)."""
    try:
        read_voice_file(path)
    except KokoroError as error:
        return reason(error, path)
    return None


def reason(error: KokoroError, path: Path) -> str:
    """An error's message without its hint, and without the path it starts with (a finding shows that)."""
    return str(error.args[0]).removeprefix(str(path)).lstrip(": ")


def _quote(label: str, names: list[str]) -> str:
    more = f" (+{len(names) - _SHOW} more)" if len(names) > _SHOW else ""
    return f"{len(names)} {label}: {', '.join(names[:_SHOW])}{more}"
