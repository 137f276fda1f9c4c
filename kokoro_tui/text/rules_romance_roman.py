"""Roman numerals of kings, popes, centuries and chapters, said as a reader of each language says them.

espeak-ng reads a Roman numeral by itself, and wrongly in three of the four languages: French
adds "romain" ("Louis XIV" -> "quatorze romain") and reads "XIXe siècle" as "gziks"; Spanish
and Portuguese read "Felipe II" as "Felipe dos", "Carlos V" as "uve" and "D. Pedro II" as
"dois". What readers say:

- French: a cardinal ("Louis quatorze", "chapitre quatre"), except "premier" for I and an
  ordinal where a suffix says so ("XIXe" dix-neuvième, "Ier" premier, "IIIe République");
- Spanish and Portuguese: an ordinal up to ten, a cardinal above ("Felipe sexto",
  "Alfonso trece", "siglo diecinueve"); an ordinal before the noun ("la II Guerra Mundial");
- Italian: always an ordinal ("Luigi quattordicesimo", "Elisabetta seconda").

A numeral is read only where it is one: after a capitalised name ("Luis XIV"), after a noun
that numbers ("siglo", "chapitre") or its abbreviation ("chap. III", "cap. IV", "vol. II", read
as the noun would be), between a determiner and a capitalised noun ("la II República"), or with
a French ordinal suffix. Only I, V, X and L are taken, so the "C" of "vitamina C" and the French
article "Le" stay letters.
"""

from __future__ import annotations

import re

from kokoro_tui.text.rewrite import Rule, alternation
from kokoro_tui.text.romance_words import LEXICONS, cardinal
from kokoro_tui.text.rules_romance_abbreviations import REFERENCES, abbreviation_periods, sentence_case
from kokoro_tui.text.rules_romance_ordinals import (
    DETERMINERS,
    FRENCH_SUFFIX,
    french_ordinal,
    month_after,
    ordinal,
    word_before,
)

_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
_ROMAN = r"(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})"
_NAME = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+"
# A lone X or L after a name is more often a letter ("Malcolm X", "Generación X", "talla L") than a king.
_LETTERS = ("X", "L")
# Nouns after which a Roman numeral numbers something, and whether they are feminine.
_NOUNS: dict[str, dict[str, bool]] = {
    "e": {**dict.fromkeys(("siglo", "capítulo", "tomo", "volumen", "acto", "libro", "canto"), False), "parte": True},
    "f": dict.fromkeys(("chapitre", "tome", "acte", "livre", "partie", "volume", "titre", "scène"), False),
    "i": {**dict.fromkeys(("secolo", "sec.", "capitolo", "tomo", "volume", "atto", "libro", "canto"), False),
          "parte": True},
    "p": {**dict.fromkeys(("século", "capítulo", "tomo", "volume", "ato", "livro", "canto"), False), "parte": True},
}  # fmt: skip
# Titles that make the numbered name a woman's ("la reina Isabel II").
_WOMEN = ("reina", "reine", "regina", "rainha", "princesa", "princesse", "principessa", "emperatriz",
          "impératrice", "imperatrice", "imperatriz", "infanta", "santa", "sainte")  # fmt: skip


def value(roman: str) -> int:
    """'XIV' -> 14: a letter before a larger one is subtracted."""
    amounts = [_VALUES[letter] for letter in roman]
    return sum(-amount if amount < following else amount for amount, following in zip(amounts, amounts[1:] + [0]))


def _woman(name: str, before: str) -> bool:
    """Whether ``name`` is a woman's: it ends in -a ("Juana", "Caterina") or a title says so."""
    words = re.findall(r"\w+", before.lower())[-3:]
    return name.endswith("a") or any(word in _WOMEN for word in words)


def _say(code: str, n: int, feminine: bool, always_ordinal: bool = False) -> str:
    if code == "f":
        return ordinal("f", 1, feminine) if n == 1 else cardinal(LEXICONS["f"], n)
    if code == "i" or always_ordinal or n <= 10:
        return ordinal(code, n, feminine=feminine)
    return cardinal(LEXICONS[code], n)


def _after_abbreviation(code: str) -> Rule:
    """'chap. III' -> 'chapitre trois': a reference whose word numbers, then a numeral of any letters."""
    nouns = _NOUNS[code]
    words = {form.lower(): word for form, word in REFERENCES[code].items() if word in nouns}
    pattern = re.compile(rf"(?<![\w.])(?P<abbreviation>(?i:{alternation(words)})) ?(?P<roman>{_ROMAN})(?![\w'’-])")
    stops = abbreviation_periods(code)

    def speak(m: re.Match[str]) -> str:
        word = words[m["abbreviation"].lower()]
        spoken = f"{word} {_say(code, value(m['roman']), nouns[word])}"
        return sentence_case(m, spoken, stops)

    return Rule("roman after an abbreviation", pattern, speak)


def rules(code: str) -> list[Rule]:
    """The Roman numerals of language ``code``."""
    nouns = _NOUNS[code]
    before_name = re.compile(
        rf"(?<![\w.])(?:(?P<noun>(?i:{'|'.join(map(re.escape, nouns))}))|(?P<name>{_NAME}))\s+$"
    )
    months = month_after(code)
    determiners = DETERMINERS.get(code, {})

    def after_name(m: re.Match[str]) -> str | None:
        before = before_name.search(m.string, max(0, m.start() - 40), m.start())
        if before is None or m["roman"] in _LETTERS or (before["name"] or "").lower() in determiners:
            return None  # "El XV Congreso" is read by the rule for a numeral before its noun
        n = value(m["roman"])
        if months.match(m.string, m.end()):
            return cardinal(LEXICONS[code], n)  # "Via XX Settembre", "Rua XV de Novembro"
        if before["noun"]:
            return _say(code, n, nouns[before["noun"].lower()])
        return _say(code, n, _woman(before["name"], m.string[: before.start()]))

    found = [
        _after_abbreviation(code),
        Rule("roman after a name", re.compile(rf"(?<=\s)(?P<roman>{_ROMAN})(?![\w'’-])"), after_name),
    ]
    if code == "f":
        found.insert(
            0,
            Rule(
                "roman ordinal",
                re.compile(rf"(?<![\w.])(?P<roman>{_ROMAN})(?P<suffix>{FRENCH_SUFFIX})(?!\w)"),
                lambda m: None if m["roman"] == "L" else french_ordinal(value(m["roman"]), m["suffix"]),
            ),
        )
        return found

    def before_noun(m: re.Match[str]) -> str | None:
        determiner = word_before(m)
        if determiner not in determiners:
            return None
        return _say(code, value(m["roman"]), determiners[determiner], always_ordinal=True)

    found.append(Rule("roman before a noun", re.compile(rf"(?<=\s)(?P<roman>{_ROMAN})(?=\s+{_NAME})"), before_noun))
    return found
