"""The language codes Kokoro v1.0 voices use (the first letter of a voice name)."""

from __future__ import annotations

from dataclasses import dataclass

from kokoro_tui.errors import KokoroError


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    espeak: str  # espeak-ng voice, also the fallback for words the lexicon lacks


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
    )
}


def language(code: str) -> Language:
    """The language for ``code``; a KokoroError listing the valid codes otherwise."""
    found = LANGUAGES.get(code.strip().lower()) if isinstance(code, str) else None
    if found is None:
        valid = ", ".join(f"{c} ({lang.name})" for c, lang in LANGUAGES.items())
        raise KokoroError(f"unknown language code {code!r}; valid codes: {valid}")
    return found


def is_english(code: str) -> bool:
    return code in ("a", "b")
