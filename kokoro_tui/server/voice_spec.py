"""Voices as clients name them: a store name, our blend spec, or Kokoro-FastAPI's ``a(2)+b(1)``.

Every form becomes a store name or our blend spec (``'af_bella:2,af_sky:1'``; the store
normalises the weights, and ``a+b`` weighs both 1), so the pipeline sees one syntax. Only
voice names are taken, never file paths: a client must not make the server read its files.
"""

from __future__ import annotations

import re

from kokoro_tui.errors import KokoroError
from kokoro_tui.voices.blend import is_blend_spec, parse_blend_spec
from kokoro_tui.voices.names import validate_name

PLUS_SYNTAX = "'af_bella(2)+af_sky(1)'"
_PLUS_PART = re.compile(r"([^()]+?)\s*(?:\(([^()]*)\))?")


def _is_plus_syntax(spec: str) -> bool:
    return "+" in spec or "(" in spec


def _plus_to_blend(spec: str) -> str:
    parts = []
    for part in spec.split("+"):
        match = _PLUS_PART.fullmatch(part.strip())
        if match is None:
            raise KokoroError(f"bad voice {spec!r}: expected voices joined by '+', each with an optional (weight), e.g. {PLUS_SYNTAX}")
        name, weight = match.groups()
        parts.append(f"{name}:{weight}" if weight is not None else name)
    return ",".join(parts)


def parse_voice(spec: str) -> str:
    """The voice a request names, as a store name or our blend spec; KokoroError if it is neither."""
    spec = spec.strip().lower()  # voice names are lowercase; the store matches them ignoring case anyway
    if not spec:
        raise KokoroError("no voice given")
    if _is_plus_syntax(spec):
        spec = _plus_to_blend(spec)
    if is_blend_spec(spec):
        parse_blend_spec(spec)  # names and weights checked here, before the request is queued
    else:
        validate_name(spec)
    return spec
