"""Voice files on disk: ``.pt`` (hexgrad), ``.bin`` (kokoro.js raw float32), ``.npy``, ``.npz``, ``.safetensors``.

Every reader returns a checked float32 ``[510, 1, 256]`` pack; every writer is atomic.
torch is imported only for ``.pt`` files. Where a format declares shapes before its data (``.npy``,
``.npz``, ``.safetensors``, zip ``.pt``), a wrong one is refused before any data is read: a file of a
few bytes may declare gigabytes.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import BinaryIO

import numpy as np
from numpy.lib import format as npy_format

from kokoro_tui.atomic import atomic_write_bytes
from kokoro_tui.errors import KokoroError
from kokoro_tui.voices.listing import FORMATS
from kokoro_tui.voices.pack import PACK_SHAPE, ROWS, STYLE_DIM, as_pack

BIN_BYTES = int(np.prod(PACK_SHAPE)) * 4
TENSOR_KEY = "voice"  # key used when writing .npz / .safetensors
PACK_SHAPES = (PACK_SHAPE, (ROWS, STYLE_DIM))  # the shapes as_pack accepts


def format_of(path: str | os.PathLike[str], hint: str | None = None) -> str:
    """The voice format named by a file's suffix; ``hint`` adds another way out (``--format``)."""
    fmt = Path(path).suffix.lower().lstrip(".")
    if not fmt:
        names = ", ".join(f".{name}" for name in FORMATS)
        raise KokoroError(f"{path} has no extension: add one of {names}", hint=hint)
    if fmt not in FORMATS:
        raise KokoroError(f"{path}: unknown voice format '.{fmt}'; use one of {', '.join(FORMATS)}", hint=hint)
    return fmt


def _pick(names: list[str], source: str) -> str:
    """The pack's name in a multi-array container: the only array, or the one called 'voice'."""
    if len(names) == 1:
        return names[0]
    if TENSOR_KEY in names:
        return TENSOR_KEY
    shown = sorted(names, key=str)
    raise KokoroError(f"{source}: holds {len(names)} arrays {shown}; expected one, or one named '{TENSOR_KEY}'")


def _check_declared(shape: tuple[int, ...], dtype: np.dtype | None, source: str) -> None:
    """Refuse what a header declares before the data is read, in ``as_pack``'s words; ``dtype`` is
    None where the format does not name NumPy types (the shape alone then bounds the read)."""
    if dtype is not None and dtype.hasobject:
        return  # pickled objects: NumPy refuses them without reading, and _reason says why plainly
    if dtype is not None and not np.issubdtype(dtype, np.floating):
        raise KokoroError(f"{source}: voice values must be floating point, got {dtype}")
    if tuple(shape) not in PACK_SHAPES:
        expected, flat = (list(accepted) for accepted in PACK_SHAPES)
        raise KokoroError(f"{source}: voice has shape {list(shape)}, expected {expected} (or {flat})")


def _check_npy_header(stream: BinaryIO, source: str) -> None:
    """Read an ``.npy`` header from ``stream`` and refuse its shape or dtype if wrong."""
    version = npy_format.read_magic(stream)
    read_header = npy_format.read_array_header_1_0 if version == (1, 0) else npy_format.read_array_header_2_0
    shape, _fortran_order, dtype = read_header(stream)
    _check_declared(shape, dtype, source)


def _read_bin(path: Path) -> np.ndarray:
    size = path.stat().st_size
    if size != BIN_BYTES:
        raise KokoroError(f"{path}: raw voice has {size:,} bytes, expected {BIN_BYTES:,} (510×256 float32)")
    return np.fromfile(path, dtype="<f4").reshape(PACK_SHAPE)


def _read_pt(path: Path) -> np.ndarray:
    import torch

    # A zip-format file is mapped, not read, so the shape is checked before the data comes in;
    # the older bare-pickle format cannot be mapped.
    obj = torch.load(path, map_location="cpu", weights_only=True, mmap=zipfile.is_zipfile(path))
    held = _a(type(obj).__name__)
    if isinstance(obj, dict):
        obj = obj[_pick(list(obj), str(path))]
        held = f"a dict whose value is {_a(type(obj).__name__)}"
    if not isinstance(obj, torch.Tensor):
        raise KokoroError(f"{path} is not a voice file: it holds {held}, expected a tensor")
    _check_declared(tuple(obj.shape), None, str(path))
    tensor = obj.detach().float() if obj.is_floating_point() else obj.detach()
    return tensor.numpy().copy()  # a copy, not a view of the mapped file


def _read_npy(path: Path) -> np.ndarray:
    with open(path, "rb") as handle:
        _check_npy_header(handle, str(path))
        handle.seek(0)
        return npy_format.read_array(handle, allow_pickle=False)


def _read_npz(path: Path) -> np.ndarray:
    with np.load(path, allow_pickle=False) as archive:
        key = _pick(archive.files, str(path))
        member = key if key in archive.zip.namelist() else f"{key}.npy"  # NpzFile's own lookup
        with archive.zip.open(member) as stream:
            _check_npy_header(stream, str(path))
        return archive[key]


def _read_safetensors(path: Path) -> np.ndarray:
    from safetensors import safe_open

    with safe_open(str(path), framework="numpy") as archive:
        key = _pick(list(archive.keys()), str(path))
        _check_declared(tuple(archive.get_slice(key).get_shape()), None, str(path))
        return archive.get_tensor(key)


_READERS = {
    "bin": _read_bin,
    "pt": _read_pt,
    "npy": _read_npy,
    "npz": _read_npz,
    "safetensors": _read_safetensors,
}


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


# What each format's first bytes must be; checked first so random bytes get a plain "not a ... file"
# rather than whatever the parser trips over (numpy, for one, takes them for pickled data).
_SIGNATURES: dict[str, tuple[tuple[bytes, ...], str]] = {
    "npy": ((b"\x93NUMPY",), "not a NumPy .npy file"),
    "npz": ((b"PK\x03\x04", b"PK\x05\x06"), "not a NumPy .npz (zip) archive"),
    "pt": ((b"PK\x03\x04", b"\x80"), "not a PyTorch file"),  # zip since torch 1.6, a bare pickle before
}
_PICKLE_REFUSED = ("Weights only load failed", "pickled (object) data", "Object arrays cannot be loaded")
_TRUNCATED = ("failed reading zip archive", "incomplete metadata")  # torch's and safetensors' words for it
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _reason(error: Exception) -> str:
    """A short reason for a reader's exception: its first sentence, or a plain word on pickles."""
    text = _ANSI.sub("", str(error)).strip()
    if isinstance(error, (zipfile.BadZipFile, EOFError)) or any(marker in text for marker in _TRUNCATED):
        return "the file is truncated or damaged"
    if any(marker in text for marker in _PICKLE_REFUSED):
        return "it holds pickled Python objects, which are not loaded because that could run code"
    first = re.split(r"(?<=[.;])\s", text.splitlines()[0] if text else "", maxsplit=1)[0].rstrip(".;")
    return (first[:97] + "...") if len(first) > 100 else first or type(error).__name__


def read_voice_file(path: str | os.PathLike[str]) -> np.ndarray:
    """Load a voice file of any supported format as a checked float32 ``[510, 1, 256]`` pack."""
    path = Path(path)
    fmt = format_of(path)
    if not path.is_file():
        raise KokoroError(f"{path}: no such voice file")
    unreadable = f"{path} is not a readable voice file (.{fmt})"
    signatures, mismatch = _SIGNATURES.get(fmt, ((), ""))
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise KokoroError(f"{unreadable}: {error.strerror}") from None
    if signatures and not head.startswith(signatures):
        raise KokoroError(f"{unreadable}: {mismatch}")
    try:
        array = _READERS[fmt](path)
    except KokoroError:
        raise
    except Exception as error:  # corrupt files raise anything from OSError to pickle/zip errors
        raise KokoroError(f"{unreadable}: {_reason(error)}") from None
    return as_pack(array, str(path))


def voice_bytes(pack: np.ndarray, fmt: str) -> bytes:
    """``pack`` as the bytes of a ``fmt`` file (see ``write_voice_file``), for a download."""
    if fmt == "bin":
        return pack.astype("<f4").tobytes()
    if fmt == "safetensors":
        from safetensors.numpy import save

        return save({TENSOR_KEY: pack})
    buffer = io.BytesIO()
    if fmt == "npy":
        np.save(buffer, pack, allow_pickle=False)
    elif fmt == "npz":
        np.savez(buffer, **{TENSOR_KEY: pack})
    else:
        import torch

        torch.save(torch.from_numpy(pack.copy()), buffer)
    return buffer.getvalue()


def write_voice_file(path: str | os.PathLike[str], pack: np.ndarray, fmt: str | None = None) -> Path:
    """Write ``pack`` atomically; ``fmt`` defaults to the one named by the suffix.

    ``.pt`` files hold a plain ``[510, 1, 256]`` tensor, like hexgrad's; ``.npz``/``.safetensors``
    hold one array named 'voice'.
    """
    path = Path(path)
    fmt = fmt or format_of(path)
    if fmt not in FORMATS:
        raise KokoroError(f"unknown voice format '{fmt}'; use one of {', '.join(FORMATS)}")
    atomic_write_bytes(path, voice_bytes(as_pack(pack, str(path)), fmt))
    return path
