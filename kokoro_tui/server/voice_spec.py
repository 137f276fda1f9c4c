"""Voices as clients name them: a store name, our blend spec, or Kokoro-FastAPI's ``a(2)+b(1)``.

Every form becomes a store name or our blend spec (``'af_bella:2,af_sky:1'``, see ``voices.blend``), checked
before the request is queued. Only voice names are taken, never file paths: a client must not make the
server read its files.
"""

from __future__ import annotations

from kokoro_tui.errors import KokoroError
from kokoro_tui.voices.blend import is_blend_spec, parse_blend_spec, to_blend_spec
from kokoro_tui.voices.names import validate_name


def parse_voice(spec: str) -> str:
    """The voice a request names, as a store name or our blend spec; KokoroError if it is neither."""
    spec = spec.strip().lower()  # voice names are lowercase; the store matches them ignoring case anyway
    if not spec:
        raise KokoroError("no voice given")
    if is_blend_spec(spec):
        spec = to_blend_spec(spec)
        parse_blend_spec(spec)  # names and weights checked here, before the request is queued
    else:
        validate_name(spec)
    return spec
