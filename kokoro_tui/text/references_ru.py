"""Abbreviated references to a place in a text: "см. стр. 45, т. 2, гл. III" is "смотри страницу
сорок пять, том два, глава третья".

Each abbreviation becomes its noun in the case the context asks for: the accusative after "см."
or "смотри" (смотри что?), the prepositional after "в" and "на" (a place: "на странице", "в
главе"), the instrumental after "в соответствии с" and its like, else the case of the preposition
before it ("согласно пункту"), else the nominative; the plural before a range ("на стр. 5-7": "на
страницах пять — семь"). The number after the noun is its label: a nominative cardinal whatever
the noun's case ("на странице сорок пять"), its parts joined by "точка" ("п. 7.2": "пункт семь
точка два"); a Roman numeral is an ordinal agreeing with the noun ("глава третья", "в главе
третьей"), as readers say them. "стр." is expanded wherever it stands ("200 стр.", a count, is
units_ru's); the others only before a number, since "рис." may be rice and "гл." главный, and
"табл." not after a number either, where it is a tablet ("по 1 табл. 3 раза в день"). After a
number "т." and "ч." are tonnes and hours (units_ru), unless that number is itself a label ("п. 5
ч. 1").
"""

from __future__ import annotations

import re

from kokoro_tui.text.agreement_ru import CONTEXT, PREPOSITION_CASE, word_before
from kokoro_tui.text.digit_strings import reads_as_digits, spell
from kokoro_tui.text.numbers_ru import ACC, DIGITS, FEMININE, INS, MASCULINE, NOM, PREP, cardinal, ordinal
from kokoro_tui.text.regnal_ru import roman_value
from kokoro_tui.text.rewrite import alternation
from kokoro_tui.text.units_ru import ABBREVIATIONS, Noun
from kokoro_tui.text.units_ru import NOUNS as UNIT_NOUNS

# Abbreviation (lower case, without its dot) -> noun, six singular and six plural forms.
NOUNS: dict[str, Noun] = {
    "стр": UNIT_NOUNS["страница"],
    "с": UNIT_NOUNS["страница"],  # "Т. 3, с. 112", as bibliographies write it
    "т": Noun(MASCULINE, ("том", "тома", "тому", "том", "томом", "томе"),
              ("тома", "томов", "томам", "тома", "томами", "томах")),
    "гл": Noun(FEMININE, ("глава", "главы", "главе", "главу", "главой", "главе"),
               ("главы", "глав", "главам", "главы", "главами", "главах")),
    "п": Noun(MASCULINE, ("пункт", "пункта", "пункту", "пункт", "пунктом", "пункте"),
              ("пункты", "пунктов", "пунктам", "пункты", "пунктами", "пунктах")),
    "рис": Noun(MASCULINE, ("рисунок", "рисунка", "рисунку", "рисунок", "рисунком", "рисунке"),
                ("рисунки", "рисунков", "рисункам", "рисунки", "рисунками", "рисунках")),
    "табл": Noun(FEMININE, ("таблица", "таблицы", "таблице", "таблицу", "таблицей", "таблице"),
                 ("таблицы", "таблиц", "таблицам", "таблицы", "таблицами", "таблицах")),
    "ч": Noun(FEMININE, ("часть", "части", "части", "часть", "частью", "части"),
              ("части", "частей", "частям", "части", "частями", "частях")),
    "разд": Noun(MASCULINE, ("раздел", "раздела", "разделу", "раздел", "разделом", "разделе"),
                 ("разделы", "разделов", "разделам", "разделы", "разделами", "разделах")),
}  # fmt: skip
_NUMERAL = r"(?-i:[IVXLC]{1,7})(?!\w)"
_LABEL = r"\d+(?:\.\d+)*"
_NEEDS_NUMBER = alternation(set(NOUNS) - {"стр", "табл"})
PATTERN = re.compile(
    rf"(?<![\w.])(?:(?P<page>стр)|(?P<other>{_NEEDS_NUMBER}|(?<!\d\s)табл)(?=\.\s?(?:\d|{_NUMERAL})))\."
    rf"(?:\s?(?:(?P<numeral>{_NUMERAL})|(?P<label>{_LABEL})(?:\s?[-\u2013\u2014]\s?(?P<last>{_LABEL}))?(?!\w|[.,]\d)))?",
    re.IGNORECASE,
)
# A number with a unit after it is a quantity, and the abbreviation before it no reference: "купил рис. 2 кг";
# "т." and "ч." after a label begin the next reference ("п. 5 ч. 1").
_UNIT_AFTER = re.compile(rf"\s?(?:{alternation(set(ABBREVIATIONS) - set(NOUNS))})(?!\w)")
_SEE_BEFORE = re.compile(r"(?<!\w)(?:см\.|смотри(?:те)?)(?:\s+также)?\s*$", re.IGNORECASE)
# Compound prepositions ending in с that take the instrumental: "в соответствии с ч. 2", "в связи с п. 3".
_WITH_BEFORE = re.compile(r"(?<!\w)(?:соответствии|связи|наряду|вместе|сравнению|сочетании)\s+со?\s+$", re.IGNORECASE)


def _case(text: str, start: int) -> int:
    before = text[max(0, start - CONTEXT) : start]
    if _SEE_BEFORE.search(before):
        return ACC
    if _WITH_BEFORE.search(before):
        return INS
    word = word_before(text, start)
    return PREP if word in ("в", "во", "на") else PREPOSITION_CASE.get(word, NOM)


def _label(written: str) -> str:
    """A label in words: "45" -> "сорок пять", "7.2" -> "семь точка два", "05" -> "ноль пять"."""
    parts = written.split(".")
    return " точка ".join(spell(part, DIGITS) if reads_as_digits(part) else cardinal(int(part)) for part in parts)


def reference_words(m: re.Match[str]) -> str | None:
    """A PATTERN match: the noun in its case, then its label or its Roman numeral agreeing with it."""
    if m["label"] and _UNIT_AFTER.match(m.string, m.end()):
        return None
    noun = NOUNS[(m["page"] or m["other"]).lower()]
    case = _case(m.string, m.start())
    if m["numeral"]:
        return f"{noun.singular[case]} {ordinal(roman_value(m['numeral']), case, noun.gender)}"
    if m["last"]:
        return f"{noun.plural[case]} {_label(m['label'])} — {_label(m['last'])}"
    return f"{noun.singular[case]} {_label(m['label'])}" if m["label"] else noun.singular[case]
