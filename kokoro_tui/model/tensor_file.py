"""Read a safetensors file into fresh tensors of its own, one tensor at a time.

The safetensors library maps the file and hands out tensors that point into the mapping. A
model that keeps those as its weights (built on the meta device, loaded with ``assign``) holds
them at the file's offsets, which are 8-byte aligned, not 64: oneDNN and MKL then take other
vector paths, and results differ from an ordinary load in the last bit, enough to flip a rounded
duration. Copying out of the mapping keeps both copies resident until it is closed (the 328 MB of
weights twice at the peak). Reading each tensor straight from the file into torch's own aligned
allocation does neither. The format is small: an 8-byte little-endian header length, a JSON
header of name -> dtype, shape and byte range, then the data.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import torch
from torch import Tensor

HEADER_LENGTH_BYTES = 8
_MAX_HEADER_BYTES = 100 * 1024 * 1024  # as the safetensors library: a bigger header is not a real file
_DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
    "BOOL": torch.bool,
}  # fmt: skip


class TensorFileError(ValueError):
    """The file is not a complete safetensors file."""


def read_tensors(path: str | os.PathLike[str]) -> dict[str, Tensor]:
    """Every tensor of the safetensors file at ``path``, each in its own (aligned) CPU allocation."""
    tensors: dict[str, Tensor] = {}
    with open(Path(path), "rb") as handle:
        header_length = int.from_bytes(handle.read(HEADER_LENGTH_BYTES), "little")
        if not 0 < header_length <= _MAX_HEADER_BYTES:
            raise TensorFileError(f"header length {header_length} is impossible")
        try:
            header = json.loads(handle.read(header_length))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise TensorFileError(f"header is not JSON ({error})") from None
        start_of_data = HEADER_LENGTH_BYTES + header_length
        for name, entry in header.items():
            if name != "__metadata__":
                tensors[name] = _read_one(handle, start_of_data, name, entry)
    return tensors


def _read_one(handle, start_of_data: int, name: str, entry: dict) -> Tensor:  # type: ignore[no-untyped-def]
    try:
        dtype = _DTYPES[entry["dtype"]]
        shape = [int(size) for size in entry["shape"]]
        begin, end = (int(offset) for offset in entry["data_offsets"])
    except (KeyError, TypeError, ValueError):
        raise TensorFileError(f"tensor {name!r} has a malformed header entry") from None
    size = math.prod(shape) * torch.empty((), dtype=dtype).element_size()
    if end - begin != size or begin < 0:
        raise TensorFileError(f"tensor {name!r} declares {end - begin} bytes for shape {shape}")
    raw = torch.empty(size, dtype=torch.uint8)
    handle.seek(start_of_data + begin)
    if size and handle.readinto(memoryview(raw.numpy())) != size:
        raise TensorFileError(f"file ends inside tensor {name!r}")
    return raw.view(dtype).reshape(shape)
