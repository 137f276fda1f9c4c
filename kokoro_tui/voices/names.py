"""Voice naming: which names are valid, and what a stock-style prefix says about a voice.

Kokoro's voices are named ``<language><gender>_<name>`` (``af_heart``: American English, female).
Names the user picks follow the same rule when they want the metadata; any ``[a-z0-9_-]+`` is valid.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from kokoro_tui.errors import KokoroError
from kokoro_tui.text.languages import LANGUAGES

GENDERS: dict[str, str] = {"f": "female", "m": "male"}
#: The voice every face speaks with when none is named (hexgrad's own default, Kokoro's best-rated voice).
DEFAULT_VOICE = "af_heart"

_VALID = re.compile(r"[a-z0-9_-]+")
_PREFIX = re.compile(r"([a-z])([fm])[_-]")


def validate_name(name: str) -> str:
    """Return ``name`` if it is a valid voice name; a name becomes a file name, so keep it plain."""
    if not _VALID.fullmatch(name):
        raise KokoroError(f"invalid voice name {name!r}: use only lowercase letters, digits, '_' and '-'")
    return name


def language_of(name: str) -> str | None:
    """Language code from the name prefix (``af_heart`` → ``a``), or None for names without one."""
    match = _PREFIX.match(name.lower())
    return match.group(1) if match and match.group(1) in LANGUAGES else None


def gender_of(name: str) -> str | None:
    """Gender code ``f``/``m`` from the name prefix, or None when the prefix is not a language code."""
    match = _PREFIX.match(name.lower())
    return match.group(2) if match and match.group(1) in LANGUAGES else None


def match_ignoring_case(name: str, known: Iterable[str]) -> str | None:
    """The one known name equal to ``name`` but for case (``AF_HEART`` → ``af_heart``), if exactly one is."""
    found = [candidate for candidate in known if candidate.lower() == name.lower()]
    return found[0] if len(found) == 1 else None


def suggestions(name: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """Close matches among ``known``, best first, for 'did you mean' hints; case does not count."""
    by_folded: dict[str, list[str]] = {}
    for candidate in known:
        by_folded.setdefault(candidate.lower(), []).append(candidate)
    close = difflib.get_close_matches(name.lower(), list(by_folded), n=limit, cutoff=0.6)
    return [candidate for folded in close for candidate in by_folded[folded]][:limit]


def unknown_voice(name: str, known: Iterable[str]) -> KokoroError:
    """The one-line error for a voice name that is not in the store."""
    close = suggestions(name, known)
    hint = f"did you mean {', '.join(close)}?" if close else "`kokoro voices list` shows the voices"
    return KokoroError(f"unknown voice '{name}'", hint=hint)
