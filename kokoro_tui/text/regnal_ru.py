"""Roman numerals after a ruler's name ("Пётр I", "Екатерины II", "при Николае II"), read as ordinals.

Russian says a ruler's number as an ordinal that agrees with the name: "Пётр Первый",
"Екатерина Вторая", "указ Петра Первого", "при Николае Втором", "с Екатериной Второй". The
Latin letters were left to the G2P, which does not read them. The name's ending gives the
case; it gives the gender too, except that -а/-я ends a woman's name in the nominative and a
man's in the genitive ("Екатерина", "Петра"), so women's names (and the feminine nouns a
numeral follows: "глава IV", "часть II") are listed by stem. A numeral's value (``roman_value``)
serves the century rule and the abbreviated references ("гл. III", references_ru) as well.
"""

from __future__ import annotations

import re

from kokoro_tui.text.numbers_ru import ACC, DAT, FEMININE, GEN, INS, MASCULINE, NOM, PREP

_FEMININE_STEMS = (
    "екатерин", "елизавет", "анн", "мари", "виктори", "изабелл", "маргарит", "кристин", "елен", "ольг", "софь",
    "софи", "глав", "част", "книг",
)  # fmt: skip
# Endings of a man's name (or a masculine noun) -> case, longest first.
_MASCULINE_ENDINGS = (("ом", INS), ("ем", INS), ("ём", INS), ("а", GEN), ("я", GEN), ("у", DAT), ("ю", DAT),
                      ("е", PREP))  # fmt: skip
_NOUNS = ("том|тома|тому|томе|томом|глава|главы|главе|главу|часть|части|книга|книги|акт"
          "|раздел|раздела|разделу|разделе|разделом")
# The numeral (not the name: it keeps its own span), and the name or noun right before it.
# "XIX век" is the century rule's, listed before this one.
PATTERN = re.compile(r"(?<=\s)(?P<numeral>[IVXL]{1,6})(?!\w)")
NAME_BEFORE = re.compile(rf"(?<!\w)(?:[А-ЯЁ][а-яё]{{2,}}|(?i:{_NOUNS}))(?=\s+$)")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(numeral: str) -> int:
    """'XIX' -> 19 (I V X L C, subtractive pairs included)."""
    values = [_ROMAN[char] for char in numeral]
    return sum(-value if index + 1 < len(values) and value < values[index + 1] else value
               for index, value in enumerate(values))  # fmt: skip


def case_and_gender(name: str) -> tuple[int, str]:
    """The case and gender a name's ending shows: "Петра" (GEN, m), "Екатерину" (ACC, f)."""
    lower = name.lower()
    stem = next((stem for stem in _FEMININE_STEMS if lower.startswith(stem) and len(lower) - len(stem) <= 2), None)
    if stem is not None:
        ending = lower[len(stem) :]
        # Nominative and accusative differ; every other case has the ordinal's -ой form.
        return (NOM if ending in ("", "а", "я", "ь") else ACC if ending in ("у", "ю") else GEN), FEMININE
    for ending, case in _MASCULINE_ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= 3:  # "том" is a nominative
            return case, MASCULINE
    return NOM, MASCULINE
