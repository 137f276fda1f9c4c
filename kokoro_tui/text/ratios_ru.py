"""Numbers joined by a colon or a slash that are not a time or a date: scores, ratios, fractions, "24/7".

A colon between numbers is a score, said as sports commentators say it: "счёт 2:1" is "два один".
After a word that names a ratio (соотношение, отношение, пропорция, масштаб, формат), with at most
three words between and no preposition right before the numbers, it is "к" with the dative:
"шестнадцать к девяти", "масштаб один к ста тысячам".
A pair that could be a clock time ("в 10:30") is a time unless such a word, or счёт, comes before it.

A slash between numbers is "на" ("24/7", "50/50", "50/70 см": "двадцать четыре на семь",
"пятьдесят на семьдесят сантиметров") and a fraction when the first number is the smaller and the
second at most 10, or the first 1 ("1/2 стакана": "одна вторая стакана", "более 2/3 голосов":
"более двух третьих голосов", "1/16 финала"); in a house or document number it is "дробь" ("д.
5/2", "№ 15/3"). Numbers of more than three digits ("2023/2024") and leading zeros
("05/03") are left to the other rules, as are dates ("05/03/2024").
"""

from __future__ import annotations

import re

from kokoro_tui.text.agreement_ru import CONTEXT, PREPOSITION_CASE, case_of, word_before
from kokoro_tui.text.numbers_ru import DAT, GEN, NOM, cardinal, fraction
from kokoro_tui.text.units_ru import Noun

# Up to three words may stand between the noun and the numbers: "соотношение муки и воды 3:2".
_WORDS_BETWEEN = r"(?:\s+[^\W\d_]+){0,3}\s+$"
_RATIO_BEFORE = re.compile(rf"(?<!\w)(?:(?:со)?отношени|пропорци|масштаб|формат)[а-яё]*{_WORDS_BETWEEN}", re.IGNORECASE)
_SCORE_BEFORE = re.compile(rf"(?<!\w)сч[её]т(?:а|у|ом|е)?{_WORDS_BETWEEN}", re.IGNORECASE)
# A house, flat, office or document number: its slash is "дробь".
_NUMBERED_BEFORE = re.compile(r"(?:№|(?<!\w)(?:д|дом|корп|корпус|кв|квартира|оф|офис|номер))\.?\s*$", re.IGNORECASE)
# The largest denominator of a fraction other than 1/n: "3/4", "9/10", but "12/14" and "50/70 см" are "на".
_LARGEST_DENOMINATOR = 10


def colon_words(values: list[int], text: str, start: int, may_be_time: bool) -> str | None:
    """Numbers joined by colons at ``start``: a ratio or a score; None when ``may_be_time`` and nothing
    before says it is not a clock time."""
    before = text[max(0, start - CONTEXT) : start]
    if word_before(text, start) in PREPOSITION_CASE:
        before = ""  # "в новом формате встреча в 10:30": a preposition right before makes it a time or a score
    if _RATIO_BEFORE.search(before):
        return " к ".join([cardinal(values[0])] + [cardinal(value, DAT) for value in values[1:]])
    if may_be_time and not _SCORE_BEFORE.search(before):
        return None
    return " ".join(cardinal(value) for value in values)


def slash_words(first: int, second: int, text: str, start: int, noun: Noun | None) -> str:
    """Numbers joined by a slash at ``start`` ("24/7", "1/2"), with the unit ``noun`` written after them if any."""
    numbered = _NUMBERED_BEFORE.search(text, max(0, start - CONTEXT), start) is not None
    if first < second and (second <= _LARGEST_DENOMINATOR or first == 1) and not numbered:
        spoken = fraction(first, second, case_of(text, start))
        return f"{spoken} {noun.singular[GEN]}" if noun else spoken  # a fraction counts the genitive singular
    spoken = f"{cardinal(first)} {'дробь' if numbered else 'на'} {cardinal(second)}"
    return f"{spoken} {noun.counted(second, NOM)}" if noun else spoken
