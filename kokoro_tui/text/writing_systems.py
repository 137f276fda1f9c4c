"""Which writing system a text or a word is in, to catch letters a language's G2P cannot read.

Each language's G2P turns letters of a script it does not read into noise: Chinese text spoken
by an English voice comes out as "Chinese letter Chinese letter", Cyrillic as letter names. So
two checks: the whole text (mostly Han, kana or Devanagari, read by the wrong language: suggest
the right voice), and each word (letters of a script the language cannot read: skip the word
and say so). Latin letters are read by every language (Chinese, Japanese and Hindi text mixes
them in), and so are Greek ones, by name ("α" is "alpha", as a reader says it in maths).
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from kokoro_tui.text.languages import LANGUAGES

# script -> (what the text looks like, languages that read it, the language and stock voice to suggest)
_SCRIPTS: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "han": ("Chinese", ("z", "j"), "z", "zf_xiaobei"),
    "kana": ("Japanese", ("j",), "j", "jf_alpha"),
    "devanagari": ("Hindi", ("h",), "h", "hf_alpha"),
}
KANA_SHARE = 0.05  # this much kana among CJK characters makes a text Japanese (Chinese has none)

# Scripts (the first word of a letter's Unicode name) every language reads, and letter-like
# characters whose names name no script (ª, ʼ, µ, unnamed code points): never foreign.
SHARED_SCRIPTS = frozenset({"LATIN", "GREEK"})
NEUTRAL = frozenset({"MODIFIER", "FEMININE", "MASCULINE", "MICRO", "OTHER"})
OWN_SCRIPTS: dict[str, frozenset[str]] = {
    "h": frozenset({"DEVANAGARI"}),
    "j": frozenset({"HAN", "HIRAGANA", "KATAKANA"}),
    "r": frozenset({"CYRILLIC"}),
    "z": frozenset({"HAN", "BOPOMOFO"}),
}
_DEVANAGARI = range(0x0900, 0x0980)  # letters and their vowel signs, which are not isalpha()


def script_of(char: str) -> str | None:
    """The script of one letter (LATIN, CYRILLIC, HAN, KATAKANA, …; OTHER when unnamed), None for a non-letter."""
    if ord(char) in _DEVANAGARI:
        return "DEVANAGARI"
    if not char.isalpha():
        return None
    words = unicodedata.name(char, "OTHER").split()
    if words[0] in ("FULLWIDTH", "HALFWIDTH") and len(words) > 1:
        words = words[1:]
    first = words[0]
    if first in ("CJK", "IDEOGRAPHIC"):
        return "HAN"
    if first.startswith(("KATAKANA", "HIRAGANA")):  # KATAKANA-HIRAGANA PROLONGED SOUND MARK
        return first.split("-")[0]
    return first


def _script(char: str) -> str | None:
    """The coarse script for whole-text checks: han, kana, devanagari, other (a letter), or None."""
    script = script_of(char)
    if script is None:
        return None
    if script == "HAN":
        return "han"
    if script in ("HIRAGANA", "KATAKANA"):
        return "kana"
    return "devanagari" if script == "DEVANAGARI" else "other"


def foreign_scripts(word: str, lang: str) -> list[str]:
    """Scripts of ``word``'s letters that language ``lang`` cannot read, in order of appearance."""
    readable = SHARED_SCRIPTS | NEUTRAL | OWN_SCRIPTS.get(lang, frozenset())
    found = (script_of(char) for char in word)
    return list(dict.fromkeys(script for script in found if script is not None and script not in readable))


def dominant_script(text: str) -> str | None:
    """``han``, ``kana`` (Japanese: kana with or without kanji) or ``devanagari`` when most letters are in it."""
    counts = Counter(script for script in map(_script, text) if script is not None)
    letters = sum(counts.values())
    cjk = counts["han"] + counts["kana"]
    if letters and cjk * 2 > letters:
        return "kana" if counts["kana"] >= KANA_SHARE * cjk else "han"
    if letters and counts["devanagari"] * 2 > letters:
        return "devanagari"
    return None


def script_warning(text: str, lang: str, voice: str | None = None) -> str | None:
    """A one-line warning when the text's script is one that language ``lang`` cannot read, else None.

    ``voice`` names the voice when ``lang`` comes from it (then a voice is suggested too); None
    when ``lang`` was given explicitly.
    """
    script = dominant_script(text)
    if script is None:
        return None
    looks, readers, suggested_lang, suggested_voice = _SCRIPTS[script]
    if lang in readers:
        return None
    language = LANGUAGES[lang].name if lang in LANGUAGES else lang
    if voice is None:  # the language was chosen explicitly: that choice is what to change
        return f"the text looks {looks} but it is read as {language}; pass --lang {suggested_lang}"
    return (
        f"the text looks {looks} but voice {voice} reads {language}; "
        f"pass --voice {suggested_voice} or --lang {suggested_lang}"
    )
