"""One readable line for a voice's recipe (how a made voice was made), for `voices show` and the dashboard.

The sidecar keeps the full recipe as JSON; people want "0.70·af_heart + 0.30·am_adam", not a dict.
A sidecar can be edited by hand, so its numbers are checked (``recipe_problem``) before anything reads them.
"""

from __future__ import annotations

import json
import math
from typing import Any


def _is_number(value: Any) -> bool:
    """A finite JSON number: a hand-edited "x", null, true or 1e999 (inf) is not a weight or an amount."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def recipe_problem(recipe: Any) -> str | None:
    """What makes a sidecar's recipe unreadable (a blend weight or an edit amount that is not a finite number),
    or None: the store reports such a sidecar as damaged rather than crash converting it."""
    if not isinstance(recipe, dict):
        return None
    parts = recipe.get("blend")
    for part in parts if isinstance(parts, list) else []:
        if isinstance(part, dict) and "weight" in part and not _is_number(part["weight"]):
            return f"the blend weight {json.dumps(part['weight'])} of {part.get('voice', '?')} is not a finite number"
    if recipe.get("operation") == "pca-edit" and "amount" in recipe and not _is_number(recipe["amount"]):
        return f"the pca-edit amount {json.dumps(recipe['amount'])} is not a finite number"
    return None


def blend_parts(recipe: Any) -> list[tuple[str, float]]:
    """A blend recipe's ``(voice, weight)`` parts (a missing weight is 0); none for a recipe that is no blend
    or not readable as one."""
    if not isinstance(recipe, dict) or recipe_problem(recipe) is not None:
        return []
    parts = recipe.get("blend")
    if not isinstance(parts, list) or not all(isinstance(p, dict) and isinstance(p.get("voice"), str) for p in parts):
        return []
    return [(part["voice"], float(part.get("weight", 0))) for part in parts]


def describe_recipe(recipe: Any) -> str:
    """The recipe as one line; unknown shapes fall back to compact JSON."""
    if not isinstance(recipe, dict) or not recipe:
        return ""
    parts = blend_parts(recipe)
    if parts:
        return "blend " + " + ".join(f"{weight:.2f}·{voice}" for voice, weight in parts)
    if recipe.get("operation") == "pca-edit" and recipe_problem(recipe) is None:
        return (
            f"pca-edit of {recipe.get('source', '?')}: {float(recipe.get('amount', 0)):+g} std along "
            f"PC{recipe.get('component', '?')} ({recipe.get('view', '?')} view)"
        )
    if set(recipe) == {"source"}:
        return f"from {recipe['source']}"
    return json.dumps(recipe, ensure_ascii=False, separators=(",", ":"))
