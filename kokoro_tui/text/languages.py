"""The language codes Kokoro v1.0 voices use (the first letter of a voice name), and Russian.

Russian (``r``) has no stock voice: its front end exists for fine-tuning on Russian and for
reading Russian with any voice today, so the table carries the one-line caution to show then.
"""

from __future__ import annotations

from dataclasses import dataclass

from kokoro_tui.errors import KokoroError


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    espeak: str  # espeak-ng voice, also the fallback for words the lexicon lacks
    caution: str = ""  # said once whenever the language is read (no stock voice speaks it, say)


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("a", "American English", "en-us"),
        Language("b", "British English", "en-gb"),
        Language("e", "Spanish", "es"),
        Language("f", "French", "fr-fr"),
        Language("h", "Hindi", "hi"),
        Language("i", "Italian", "it"),
        Language("j", "Japanese", "ja"),
        Language("p", "Brazilian Portuguese", "pt-br"),
        Language("z", "Mandarin Chinese", "cmn"),
        # Last, so the figures' colours of the stock languages stay where they were.
        Language("r", "Russian", "ru", caution="no stock Kokoro voice was trained on Russian: expect an accent"),
    )
}
# Also accepted for the code: each language's espeak-ng name and its ISO 639-1 code ("en" is American English,
# as in hexgrad's pipeline and most tools: "en-gb" asks for British).
_ISO_639_1 = {"en": "a", "es": "e", "fr": "f", "hi": "h", "it": "i", "ja": "j", "pt": "p", "zh": "z", "ru": "r"}
_ALIASES = {lang.espeak: lang for lang in LANGUAGES.values()} | {iso: LANGUAGES[code] for iso, code in _ISO_639_1.items()}


def language(code: str) -> Language:
    """The language for ``code`` (or its espeak-ng name or ISO 639-1 code: ``ru``, ``fr``, ``en-us``); a KokoroError
    listing the valid codes otherwise."""
    key = code.strip().lower() if isinstance(code, str) else None
    found = (LANGUAGES.get(key) or _ALIASES.get(key)) if key is not None else None
    if found is None:
        valid = ", ".join(f"{c} ({lang.name})" for c, lang in LANGUAGES.items())
        raise KokoroError(f"unknown language code {code!r}; valid codes: {valid}")
    return found


def is_english(code: str) -> bool:
    return code in ("a", "b")
