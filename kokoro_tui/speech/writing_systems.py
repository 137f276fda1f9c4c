"""Which writing system a text is mostly in, to catch a voice that cannot read it.

Each language's G2P turns letters of a script it does not read into noise or nothing, so Chinese
text spoken by an English voice comes out as a few garbled syllables with no error. Latin letters
are fine for every language (Chinese, Japanese and Hindi text mixes them in), so only Han, kana
and Devanagari are checked: each is read by its own languages only.
"""

from __future__ import annotations

from collections import Counter

from kokoro_tui.voices.names import LANGUAGES

# script -> (what the text looks like, languages that read it, the language and stock voice to suggest)
_SCRIPTS: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "han": ("Chinese", ("z", "j"), "z", "zf_xiaobei"),
    "kana": ("Japanese", ("j",), "j", "jf_alpha"),
    "devanagari": ("Hindi", ("h",), "h", "hf_alpha"),
}
KANA_SHARE = 0.05  # this much kana among CJK characters makes a text Japanese (Chinese has none)


def _script(char: str) -> str | None:
    """The script of one character: han, kana, devanagari, other (a letter), or None (no letter)."""
    code = ord(char)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF:
        return "han"
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return "kana"
    if 0x0900 <= code <= 0x097F:  # letters and their vowel signs, which are not isalpha()
        return "devanagari"
    return "other" if char.isalpha() else None


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
    language = LANGUAGES.get(lang, lang)
    if voice is None:  # the language was chosen explicitly: that choice is what to change
        return f"the text looks {looks} but it is read as {language}; pass --lang {suggested_lang}"
    return (
        f"the text looks {looks} but voice {voice} reads {language}; "
        f"pass --voice {suggested_voice} or --lang {suggested_lang}"
    )
