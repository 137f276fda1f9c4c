"""The types docs/run-log.md gives each record field, checked as a line is read.

A log written by another trainer (or by hand) may hold a loss as text, the losses as a list, or
``NaN``, which Python's ``json.dumps`` writes for a diverged loss where the schema says null.
Read as they are, such values reach a reader's arithmetic, formats and plots and stop it. So a
non-finite number becomes null where the schema allows null, as the writer makes it, and a field
of the wrong type makes the line a bad one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

#: What a field check returns for a value of the wrong type.
_WRONG = object()


def _number(value: Any, nullable: bool) -> Any:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None if nullable else _WRONG
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else _WRONG


def _required(value: Any) -> Any:
    return _number(value, nullable=False)


def _optional(value: Any) -> Any:
    return _number(value, nullable=True)


def _numbers(value: Any) -> Any:
    """Name -> number or null (losses, metrics)."""
    if not isinstance(value, dict) or not all(isinstance(name, str) for name in value):
        return _WRONG
    cleaned = {name: _optional(number) for name, number in value.items()}
    return _WRONG if any(number is _WRONG for number in cleaned.values()) else cleaned


def _text(value: Any) -> Any:
    return value if isinstance(value, str) else _WRONG


def _mapping(value: Any) -> Any:
    return value if isinstance(value, dict) else _WRONG


#: Per record kind, each field's check.
FIELDS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "start": {"run": _text, "config": _mapping, "total_steps": _optional, "time": _optional},
    "step": {
        "step": _required,
        "epoch": _required,
        "losses": _numbers,
        "lr": _optional,
        "elapsed_s": _optional,
        "eta_s": _optional,
        "time": _optional,
    },
    "eval": {"step": _required, "metrics": _numbers, "time": _optional},
    "checkpoint": {"step": _required, "path": _text, "time": _optional},
    "sample": {"step": _required, "path": _text, "text": _text, "time": _optional},
    "end": {"status": _text, "step": _required, "message": _text, "time": _optional},
}


def checked_fields(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` (all of a ``kind`` record's, defaults filled) with non-finite numbers as null; a
    ValueError naming the first field of the wrong type."""
    cleaned = {}
    for name, check in FIELDS[kind].items():
        cleaned[name] = check(fields[name])
        if cleaned[name] is _WRONG:
            raise ValueError(f"{name} has the wrong type ({type(fields[name]).__name__})")
    return cleaned
