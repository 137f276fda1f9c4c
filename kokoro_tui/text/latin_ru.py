"""Letters outside the Russian alphabet, turned into Russian ones so the Russian rules can read them.

Russian text quotes Latin-script names and brands ("iPhone", "Google"), and Cyrillic texts
from neighbouring languages bring і ї є ґ ў. A Latin word is read as a Russian reader
sounds it out, by common digraphs and then letter by letter: rough, but never silent. Latin
abbreviations ("USB") are spelled by ``acronyms_ru`` instead.
"""

from __future__ import annotations

import re

OTHER_CYRILLIC = {"і": "и", "ї": "йи", "є": "е", "ґ": "г", "ў": "у", "ѣ": "е", "ѳ": "ф", "ѵ": "и"}
_DIGRAPHS = {
    "sch": "ш", "tch": "ч", "sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "th": "т", "ph": "ф", "ts": "ц",
    "ck": "к", "qu": "кв", "oo": "у", "ee": "и", "ea": "и", "ou": "ау", "wh": "в", "gh": "г",
}  # fmt: skip
_LETTERS = {
    "a": "а", "b": "б", "c": "к", "d": "д", "e": "э", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "дж",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т",
    "u": "у", "v": "в", "w": "в", "x": "кс", "y": "и", "z": "з",
}  # fmt: skip
_SOFT_C = re.compile(r"c(?=[eiy])")
_INITIAL_Y = re.compile(r"^y(?=[aeiou])")
_SILENT_E = re.compile(r"(?<=[aeiouy])([^aeiouy]*[bcdfgklmnprstvz])e$")  # "phone", "Google"
_FINAL_AIL = re.compile(r"ai(?=l$)")  # "mail", "gmail", "detail": эйл, as English says it
_UNITS = re.compile("|".join(sorted(_DIGRAPHS, key=len, reverse=True)) + "|.")


def latin_to_russian(word: str) -> str:
    """A Latin word sounded out in Russian letters ("Google" -> "гугл"); other characters dropped."""
    text = _SILENT_E.sub(r"\1", word.lower())
    text = _INITIAL_Y.sub("й", _SOFT_C.sub("с", _FINAL_AIL.sub("эй", text)))
    return "".join(_DIGRAPHS.get(unit) or _LETTERS.get(unit, unit if "а" <= unit <= "я" else "") for unit in _UNITS.findall(text))


def to_russian(word: str) -> str:
    """``word`` (lower case) with Latin words sounded out and other Cyrillic letters replaced."""
    word = "".join(OTHER_CYRILLIC.get(char, char) for char in word)
    if any("a" <= char <= "z" for char in word):
        return latin_to_russian(word)
    return word
