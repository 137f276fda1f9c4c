"""Blending voices: a weighted sum of packs, weights normalised by their sum.

Spec syntax: ``"af_heart:0.7,am_adam:0.3"``; a missing weight means 1. Negative weights subtract
(``"af_heart:1.5,am_adam:-0.5"`` pushes away from am_adam), but the weights must sum to more than
zero: a zero sum leaves nothing to normalise by, and a negative one would turn every weight's sign
around. Kokoro-FastAPI's ``"af_heart(7)+am_adam(3)"`` is read too, everywhere a voice is named, so
that its users' specs work as they are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from kokoro_tui.errors import KokoroError
from kokoro_tui.voices.names import validate_name

_SYNTAX = "expected 'voice:weight,voice:weight', e.g. 'af_heart:0.7,am_adam:0.3'"
_PLUS_SYNTAX = "expected voices joined by '+', each with an optional (weight), e.g. 'af_bella(2)+af_sky(1)'"
_CANCELLED = 1e-9  # a sum below this fraction of the largest weight: the weights cancel out
_PLUS_PART = re.compile(r"([^()]+?)\s*(?:\(([^()]*)\))?")


def _is_plus_syntax(spec: str) -> bool:
    return "+" in spec or "(" in spec


def is_blend_spec(spec: str) -> bool:
    """True when ``spec`` is meant as a blend (in either syntax) rather than a single voice name."""
    return ":" in spec or "," in spec or _is_plus_syntax(spec)


def to_blend_spec(spec: str) -> str:
    """A blend in our syntax: Kokoro-FastAPI's ``'a(2)+b'`` becomes ``'a:2,b'``; ours is returned as it is."""
    if not _is_plus_syntax(spec):
        return spec
    parts = []
    for part in spec.split("+"):
        match = _PLUS_PART.fullmatch(part.strip())
        if match is None:
            raise KokoroError(f"bad voice {spec!r}: {_PLUS_SYNTAX}")
        name, weight = match.groups()
        parts.append(f"{name}:{weight}" if weight is not None else name)
    return ",".join(parts)


def parse_blend_spec(spec: str) -> list[tuple[str, float]]:
    """Split a blend spec (either syntax) into ``(voice, weight)`` pairs, weights as written (not yet normalised)."""
    spec = to_blend_spec(spec)
    parts = [part.strip() for part in spec.split(",")]
    if not spec.strip() or any(not part for part in parts):
        raise KokoroError(f"bad blend spec {spec!r}: {_SYNTAX}")
    pairs: list[tuple[str, float]] = []
    for part in parts:
        name, sep, raw_weight = part.partition(":")
        name = name.strip()
        if not name:
            raise KokoroError(f"bad blend spec {spec!r}: a weight has no voice name; {_SYNTAX}")
        try:
            validate_name(name)
        except KokoroError:
            raise KokoroError(f"bad blend spec {spec!r}: {name!r} is not a voice name; {_SYNTAX}") from None
        try:
            weight = float(raw_weight) if sep else 1.0
        except ValueError:
            raise KokoroError(f"bad blend spec {spec!r}: weight {raw_weight.strip()!r} is not a number") from None
        if not math.isfinite(weight):
            raise KokoroError(f"bad blend spec {spec!r}: weight of {name} must be finite")
        pairs.append((name, weight))
    return pairs


def normalise_weights(weights: Sequence[float]) -> np.ndarray:
    """Divide the weights by their sum so they add up to 1; a sum that is not positive is a user mistake.

    The weights are first scaled by the largest of them, so that 1e308s do not overflow the sum and
    1e-10 alone is not taken for zero; a sum under ``_CANCELLED`` of that largest weight is weights
    that cancel out, whose normalised values would be as large as the rounding error is small.
    """
    values = np.asarray(weights, dtype=np.float64)
    if not np.isfinite(values).all():
        raise KokoroError("blend weights must be finite numbers")
    largest = float(np.abs(values).max(initial=0.0))
    total = float((values / largest).sum()) if largest else 0.0
    if total <= _CANCELLED:
        said = "zero" if abs(total) <= _CANCELLED else "less than zero"
        raise KokoroError(
            f"blend weights sum to {said}; they must sum to more than zero",
            hint="weights are normalised to sum 1: negative weights subtract, but their sum must stay positive",
        )
    return values / largest / total


def blend(packs: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """Weighted sum of voice packs with normalised weights, as float32 in the packs' shape."""
    if len(packs) != len(weights) or not packs:
        raise ValueError(f"blend needs one weight per pack, got {len(packs)} packs and {len(weights)} weights")
    shapes = {pack.shape for pack in packs}
    if len(shapes) != 1:
        raise ValueError(f"cannot blend packs of different shapes: {sorted(shapes)}")
    normalised = normalise_weights(weights)
    total = np.zeros(packs[0].shape, dtype=np.float64)
    for pack, weight in zip(packs, normalised):
        total += weight * pack.astype(np.float64)
    return total.astype(np.float32)
