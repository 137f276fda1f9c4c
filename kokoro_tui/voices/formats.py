"""Voice files on disk: ``.pt`` (hexgrad), ``.bin`` (kokoro.js raw float32), ``.npy``, ``.npz``, ``.safetensors``.

Every reader returns a checked float32 ``[510, 1, 256]`` pack; every writer is atomic.
torch is imported only for ``.pt`` files.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

from kokoro_tui.atomic import atomic_path
from kokoro_tui.errors import KokoroError
from kokoro_tui.voices.pack import PACK_SHAPE, as_pack

FORMATS: tuple[str, ...] = ("bin", "pt", "npy", "npz", "safetensors")
BIN_BYTES = int(np.prod(PACK_SHAPE)) * 4
TENSOR_KEY = "voice"  # key used when writing .npz / .safetensors


def format_of(path: str | os.PathLike[str]) -> str:
    """The voice format named by a file's suffix."""
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise KokoroError(f"{path}: unknown voice format '.{fmt}'; use one of {', '.join(FORMATS)}")
    return fmt


def _single_array(arrays: dict[str, np.ndarray], source: str) -> np.ndarray:
    """Pick the pack out of a multi-array container: the only array, or the one called 'voice'."""
    if len(arrays) == 1:
        return next(iter(arrays.values()))
    if TENSOR_KEY in arrays:
        return arrays[TENSOR_KEY]
    raise KokoroError(f"{source}: holds {len(arrays)} arrays {sorted(arrays)}; expected one, or one named '{TENSOR_KEY}'")


def _read_bin(path: Path) -> np.ndarray:
    size = path.stat().st_size
    if size != BIN_BYTES:
        raise KokoroError(f"{path}: raw voice has {size:,} bytes, expected {BIN_BYTES:,} (510×256 float32)")
    return np.fromfile(path, dtype="<f4").reshape(PACK_SHAPE)


def _read_pt(path: Path) -> np.ndarray:
    import torch

    obj = torch.load(path, map_location="cpu", weights_only=True)
    if isinstance(obj, dict):
        obj = _single_array(obj, str(path))
    if not isinstance(obj, torch.Tensor):
        raise KokoroError(f"{path}: holds a {type(obj).__name__}, expected a tensor")
    return obj.detach().float().numpy() if obj.is_floating_point() else obj.numpy()


def _read_npz(path: Path) -> np.ndarray:
    with np.load(path, allow_pickle=False) as archive:
        return _single_array({key: archive[key] for key in archive.files}, str(path))


def _read_safetensors(path: Path) -> np.ndarray:
    from safetensors.numpy import load_file

    return _single_array(load_file(str(path)), str(path))


_READERS = {
    "bin": _read_bin,
    "pt": _read_pt,
    "npy": lambda path: np.load(path, allow_pickle=False),
    "npz": _read_npz,
    "safetensors": _read_safetensors,
}


def read_voice_file(path: str | os.PathLike[str]) -> np.ndarray:
    """Load a voice file of any supported format as a checked float32 ``[510, 1, 256]`` pack."""
    path = Path(path)
    fmt = format_of(path)
    if not path.is_file():
        raise KokoroError(f"{path}: no such voice file")
    try:
        array = _READERS[fmt](path)
    except KokoroError:
        raise
    except Exception as error:  # corrupt files raise anything from OSError to pickle/zip errors
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise KokoroError(f"{path}: not a readable .{fmt} voice file ({first_line})") from None
    return as_pack(array, str(path))


def _encode(pack: np.ndarray, fmt: str) -> bytes:
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
    data = _encode(as_pack(pack, str(path)), fmt)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
