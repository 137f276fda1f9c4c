"""Voices as clients name them: a store name, our blend spec, or Kokoro-FastAPI's ``a(2)+b(1)``.

Every form becomes a store name or our blend spec (``'af_bella:2,af_sky:1'``, see ``voices.blend``), checked
before the request is queued. Only voice names are taken, never file paths: a client must not make the
server read its files. OpenAI's own voice names, which clients send by default (Open WebUI asks for
``alloy``), stand for Kokoro voices when the store has no voice of that name (``OPENAI_VOICES``).
"""

from __future__ import annotations

from collections.abc import Callable

from kokoro_tui.errors import KokoroError
from kokoro_tui.voices.blend import is_blend_spec, parse_blend_spec, to_blend_spec
from kokoro_tui.voices.names import validate_name

# OpenAI's voices -> Kokoro's: the five whose names Kokoro's American and British voices carry, the others by
# the voice's gender in OpenAI's descriptions.
OPENAI_VOICES: dict[str, str] = {
    "alloy": "af_alloy", "echo": "am_echo", "fable": "bm_fable", "nova": "af_nova", "onyx": "am_onyx",
    "ash": "am_adam", "ballad": "bm_george", "coral": "af_heart", "sage": "af_sarah", "shimmer": "af_bella",
    "verse": "am_michael", "marin": "af_heart", "cedar": "am_michael",
}  # fmt: skip


def store_voice(spec: str, store_has: Callable[[str], bool]) -> str:
    """``spec`` (from ``parse_voice``), an OpenAI voice name replaced by its Kokoro voice unless the store has it."""
    if spec in OPENAI_VOICES and not store_has(spec):
        return OPENAI_VOICES[spec]
    return spec


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
