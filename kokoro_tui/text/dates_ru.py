"""Russian dates, years and clock times in words.

A date's day is a neuter ordinal ("пятое марта"), its year a masculine ordinal in the
genitive with "года" ("две тысячи двадцать четвёртого года"); a year before the word год
takes that word's case and number ("в 2024 году", "в 1990-х годах"). A date said as
when something happened is in the genitive ("родился 5 марта": "пятого марта"); after a
preposition it takes that preposition's case; at the start of a sentence or after
"сегодня" it is in the nominative; after "по" ("с 5 по 10 марта") in the accusative.
Times are said as a clock reads: "в десять тридцать", "в десять ноль пять", and a full
hour with its noun: "в десять часов".
"""

from __future__ import annotations

from kokoro_tui.text.agreement_ru import PREPOSITION_CASE, word_before
from kokoro_tui.text.numbers_ru import (
    ACC,
    DAT,
    DIGITS,
    FEMININE,
    GEN,
    INS,
    MASCULINE,
    NEUTER,
    NOM,
    PLURAL,
    PREP,
    cardinal,
    ordinal,
)
from kokoro_tui.text.units_ru import NOUNS

MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")  # fmt: skip
# Words after which a date is named, not placed in time: "Сегодня 5 марта" is "пятое марта".
_NAMING = frozenset("сегодня завтра вчера это был было будет наступило наступил наступает наступит".split())
# The forms of год and the case (and number) a year before them is read in.
YEAR_NOUN_CASE: dict[str, tuple[int, str]] = {
    "год": (NOM, MASCULINE), "года": (GEN, MASCULINE), "году": (PREP, MASCULINE), "годом": (INS, MASCULINE),
    "годе": (PREP, MASCULINE), "годы": (NOM, PLURAL), "годов": (GEN, PLURAL), "годам": (DAT, PLURAL),
    "годами": (INS, PLURAL), "годах": (PREP, PLURAL),
}  # fmt: skip
_YEAR = NOUNS["год"]


def date_case(text: str, start: int) -> int:
    """The case of a date at ``start``: its preposition's, nominative when named, else genitive."""
    before = word_before(text, start)
    if before == "по":
        return ACC  # "с 5 по 10 марта": по десятое, up to and including that day
    if before in PREPOSITION_CASE:
        return PREPOSITION_CASE[before]
    sentence_start = not text[:start].strip() or text[:start].rstrip()[-1] in ".!?…\n"
    return NOM if before in _NAMING or (not before and sentence_start) else GEN


def day_words(day: int, case: int) -> str | None:
    """The day of a date: "пятое", "пятого"; None when no month has that day."""
    return ordinal(day, case, NEUTER) if 1 <= day <= 31 else None


def date_words(day: int, month: int, year: int, case: int) -> str | None:
    """"пятое марта две тысячи двадцать четвёртого года"; None for an impossible day or month."""
    spoken = day_words(day, case)
    if spoken is None or not 1 <= month <= 12:
        return None
    return f"{spoken} {MONTHS[month - 1]} {ordinal(year, GEN)} года"


def year_case(text: str, start: int, after_month: bool) -> int:
    """The case of a year written with "г." (no noun to read it from)."""
    before = word_before(text, start)
    if before in ("в", "во"):
        return PREP  # "в 2024 г.": "в ... году"
    if before in PREPOSITION_CASE:
        return PREPOSITION_CASE[before]
    return GEN if after_month else NOM


def abbreviated_year(years: list[int], case: int, plural: bool) -> str:
    """Years written with "г." or "гг.", the noun spelled out: "в две тысячи двадцать четвёртом году"."""
    gender = PLURAL if plural else MASCULINE
    spoken = " — ".join(ordinal(year, case, gender) for year in years)
    noun = _YEAR.plural[case] if plural else _YEAR.singular[case]
    if plural and case == GEN:
        noun = "годов"  # "1990-1995 гг.": годов, not лет
    return f"{spoken} {noun}"


def clock_words(hour: int, minute: int, second: int | None, case: int) -> str | None:
    """"десять тридцать", "десять ноль пять", "десять часов"; None when not a time of day."""
    if hour > 24 or minute > 59 or (second is not None and second > 59):
        return None
    hours = cardinal(hour, case)
    if minute == 0 and not second:
        return f"{hours} {NOUNS['час'].counted(hour, case)}"
    minutes = f"{DIGITS[0]} {DIGITS[minute]}" if minute < 10 else cardinal(minute, case, FEMININE)
    spoken = f"{hours} {minutes}"
    if second:
        spoken += f" и {cardinal(second, NOM, FEMININE)} {NOUNS['секунда'].counted(second, NOM)}"
    return spoken
