"""One readable line for a voice's recipe (how a made voice was made), for `voices show` and the dashboard.

The sidecar keeps the full recipe as JSON; people want "0.70·af_heart + 0.30·am_adam", not a dict.
"""

from __future__ import annotations

import json
from typing import Any


def describe_recipe(recipe: Any) -> str:
    """The recipe as one line; unknown shapes fall back to compact JSON."""
    if not isinstance(recipe, dict) or not recipe:
        return ""
    blend = recipe.get("blend")
    if isinstance(blend, list) and all(isinstance(part, dict) for part in blend):
        return "blend " + " + ".join(f"{float(part.get('weight', 0)):.2f}·{part.get('voice', '?')}" for part in blend)
    if recipe.get("operation") == "pca-edit":
        return (
            f"pca-edit of {recipe.get('source', '?')}: {float(recipe.get('amount', 0)):+g} std along "
            f"PC{recipe.get('component', '?')} ({recipe.get('view', '?')} view)"
        )
    if set(recipe) == {"source"}:
        return f"from {recipe['source']}"
    return json.dumps(recipe, ensure_ascii=False, separators=(",", ":"))
