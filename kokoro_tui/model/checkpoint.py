"""Weights on disk: hexgrad's official ``.pth`` layout and our safetensors, both mapped to model naming.

Official layout: ``{"bert": sd, "bert_encoder": sd, "predictor": sd, "decoder": sd,
"text_encoder": sd}`` where every inner key starts with ``module.`` (saved from
DataParallel). Model naming is the flat ``state_dict()`` of ``KokoroModel``, i.e. the
official key with the ``module.`` segment removed. Loading is strict: any missing,
unexpected or mis-shaped tensor is an error, unlike upstream's silent ``strict=False``.
"""

from __future__ import annotations

import json
import os
import pickle
import zipfile
from collections.abc import Mapping
from pathlib import Path

import torch
from torch import Tensor, nn

from kokoro_tui.atomic import atomic_path
from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import KokoroConfig

PARTS = ("bert", "bert_encoder", "predictor", "text_encoder", "decoder")
_PREFIX = "module."
CONFIG_METADATA_KEY = "kokoro_config"
_SHOW = 5
_DOCTOR_HINT = "if it is the data home's, `kokoro doctor` names the fix"


def official_to_model(parts: Mapping[str, Mapping[str, Tensor]]) -> dict[str, Tensor]:
    """Flatten the five ``module.``-prefixed part dicts into model naming."""
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise KokoroError(f"checkpoint has unknown top-level parts {unknown}; expected {list(PARTS)}")
    flat: dict[str, Tensor] = {}
    for part, state in parts.items():
        if not isinstance(state, Mapping):
            raise KokoroError(f"checkpoint part {part!r} is not a state dict")
        for key, tensor in state.items():
            name = key[len(_PREFIX) :] if key.startswith(_PREFIX) else key
            flat[f"{part}.{name}"] = tensor
    return flat


def model_to_official(state: Mapping[str, Tensor]) -> dict[str, dict[str, Tensor]]:
    """Split a model-naming state dict into the official five-part ``module.`` layout."""
    parts: dict[str, dict[str, Tensor]] = {part: {} for part in PARTS}
    for key, tensor in state.items():
        part, _, rest = key.partition(".")
        if part not in parts or not rest:
            raise KokoroError(f"tensor {key!r} belongs to no checkpoint part ({', '.join(PARTS)})")
        parts[part][_PREFIX + rest] = tensor
    return parts


def _describe(label: str, names: list[str]) -> str:
    shown = ", ".join(names[:_SHOW])
    more = f" (+{len(names) - _SHOW} more)" if len(names) > _SHOW else ""
    return f"{len(names)} {label}: {shown}{more}"


def check_state(model: nn.Module, state: Mapping[str, Tensor]) -> None:
    """Raise one KokoroError naming missing, unexpected and mis-shaped tensors (first few of each, with counts)."""
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    misshaped = sorted(
        f"{key} {tuple(state[key].shape)}≠{tuple(expected[key].shape)}"
        for key in set(expected) & set(state)
        if tuple(state[key].shape) != tuple(expected[key].shape)
    )
    problems = [
        _describe(label, names)
        for label, names in (("missing", missing), ("unexpected", unexpected), ("mis-shaped", misshaped))
        if names
    ]
    if problems:
        raise KokoroError("weights do not fit the model: " + "; ".join(problems))


def strict_load(model: nn.Module, state: Mapping[str, Tensor], *, assign: bool = False) -> None:
    """Copy ``state`` into ``model`` after checking every key and shape; ``assign`` makes the model's
    tensors *be* those of ``state`` (no copy: how a model built on the meta device gets its weights)."""
    check_state(model, state)
    model.load_state_dict(dict(state), strict=True, assign=assign)


def _read_pth(path: Path) -> dict[str, Tensor]:
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, zipfile.BadZipFile, RuntimeError, EOFError, ValueError, OSError) as exc:
        raise KokoroError(
            f"cannot read checkpoint {path}: corrupt, truncated, or not a plain PyTorch weights file"
            f" ({type(exc).__name__})",
            hint=_DOCTOR_HINT,
        ) from exc
    if not isinstance(data, Mapping):
        raise KokoroError(f"checkpoint {path} does not hold a state dict")
    if data and all(isinstance(value, Mapping) for value in data.values()):
        return official_to_model(data)
    if not all(isinstance(value, Tensor) for value in data.values()):
        raise KokoroError(f"checkpoint {path} mixes tensors and other objects")
    return {key.replace(f".{_PREFIX}", ".", 1): value for key, value in data.items()}


def _read_safetensors(path: Path) -> dict[str, Tensor]:
    from kokoro_tui.model.tensor_file import TensorFileError, read_tensors

    try:
        return read_tensors(path)
    except (TensorFileError, OSError) as exc:
        raise KokoroError(f"cannot read weights {path}: corrupt or not a safetensors file ({exc})", hint=_DOCTOR_HINT) from exc


def load_state_file(path: str | os.PathLike[str]) -> dict[str, Tensor]:
    """Read ``.pth`` (official nested layout, or a flat state dict) or ``.safetensors``, in model naming."""
    path = Path(path)
    if not path.is_file():
        raise KokoroError(f"weights file not found: {path}")
    if path.suffix == ".safetensors":
        return _read_safetensors(path)
    return _read_pth(path)


def read_safetensors_config(path: str | os.PathLike[str]) -> KokoroConfig | None:
    """The config stored in a safetensors file's metadata by :func:`save_safetensors`, if any."""
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(str(path), framework="pt") as handle:
            metadata = handle.metadata() or {}
    except (SafetensorError, OSError) as exc:
        raise KokoroError(f"cannot read weights {path}: {exc}", hint=_DOCTOR_HINT) from exc
    text = metadata.get(CONFIG_METADATA_KEY)
    if text is None:
        return None
    try:
        return KokoroConfig.from_dict(json.loads(text))
    except json.JSONDecodeError as exc:
        raise KokoroError(f"config stored in {path} is not valid JSON: {exc}") from exc


def save_safetensors(
    state: Mapping[str, Tensor], path: str | os.PathLike[str], config: KokoroConfig | None = None
) -> None:
    """Write model-naming tensors atomically; the config travels in the file's metadata."""
    from safetensors.torch import save_file

    tensors = {key: value.detach().to("cpu").contiguous() for key, value in state.items()}
    metadata = {"format": "pt"}
    if config is not None:
        metadata[CONFIG_METADATA_KEY] = json.dumps(config.to_dict(), ensure_ascii=False)
    with atomic_path(path) as tmp:
        save_file(tensors, str(tmp), metadata=metadata)


def save_official_pth(state: Mapping[str, Tensor], path: str | os.PathLike[str]) -> None:
    """Write model-naming tensors atomically in hexgrad's ``kokoro-v1_0.pth`` layout."""
    parts = model_to_official({key: value.detach().to("cpu") for key, value in state.items()})
    with atomic_path(path) as tmp:
        torch.save(parts, tmp)
