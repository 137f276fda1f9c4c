"""Rates after an amount ("2 €/kg", "9,99 €/mois", "10 m/s") and a unit's symbol after a price ("3,50 € le kg").

espeak-ng drops the "/" of "2 €/kg" and reads "deux euros kilogramme"; "€/mois" loses its "per" the same way, and
"le kg" after a price is "le kilogramme", which no one says. A reader says a rate the way prices are said:

- after a price, a unit of measure takes the article of a price ("deux euros le kilo", "due euro al chilo", "dois
  reais o quilo"; Spanish "por kilo"), under the unit's shorter name where it has one ("kilo" for "kg");
- a span of time or a person takes its own phrase ("par mois", "por mes", "al mese", "por mês", "a persona");
- after any other amount ("10 m/s", "50 mg/jour", "3 %/an") the rate takes the preposition ("dix mètres par
  seconde", "dieci metri al secondo").

"/" is a rate only right after an amount: a number, a percentage, a currency sign or a unit's symbol after a
number, so "et/ou", "y/o" and "Paris/Lyon" stay. A unit that holds its own "/" ("km/h") is read by
rules_romance_units. A unit's symbol after an article or "par", "por", "per" ("le kg", "por kg") is read only
after a price, so "le kg est une unité" stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kokoro_tui.text.rewrite import Rule, alternation
from kokoro_tui.text.romance_words import LEXICONS
from kokoro_tui.text.rules_romance_units import symbols, unit_of, written_forms


@dataclass(frozen=True)
class Joiner:
    """The word that joins a unit to its amount, by the unit's gender; ``elided`` stands before a vowel."""

    masculine: str
    feminine: str
    elided: str

    def join(self, name: str, feminine: bool) -> str:
        word = self.elided if name[0] in "aeiouàèéìòù" else self.feminine if feminine else self.masculine
        return word + name if word.endswith("'") else f"{word} {name}"


# How a rate follows any amount ("dix mètres par seconde", "dieci metri al secondo").
PER = {
    "e": Joiner("por", "por", "por"),
    "f": Joiner("par", "par", "par"),
    "i": Joiner("al", "alla", "all'"),
    "p": Joiner("por", "por", "por"),
}
# How a unit of measure follows a price ("deux euros le kilo", "dois reais o quilo").
PRICE = {**PER, "f": Joiner("le", "la", "l'"), "p": Joiner("o", "a", "o")}
# Spans of time and people written after "/", and how each language says them after an amount.
TIMES: dict[str, dict[str, str]] = {
    "e": {
        "hora": "por hora", "día": "por día", "semana": "por semana", "mes": "por mes", "año": "por año",
        "noche": "por noche", "persona": "por persona",
    },
    "f": {
        "h": "par heure", "heure": "par heure", "j": "par jour", "jour": "par jour", "semaine": "par semaine",
        "mois": "par mois", "an": "par an", "nuit": "par nuit", "personne": "par personne",
    },
    "i": {
        "h": "all'ora", "ora": "all'ora", "giorno": "al giorno", "settimana": "alla settimana", "mese": "al mese",
        "anno": "all'anno", "notte": "a notte", "persona": "a persona",
    },
    "p": {
        "h": "por hora", "hora": "por hora", "dia": "por dia", "semana": "por semana", "mês": "por mês",
        "ano": "por ano", "noite": "por noite", "pessoa": "por pessoa",
    },
}  # fmt: skip
# The words before a unit's symbol that make it a price's unit ("3 € le kg", "R$ 3 por kg").
ARTICLES = {"e": ("el", "por", "cada"), "f": ("le", "par"), "i": ("al", "il", "per"), "p": ("o", "por", "cada")}
_END = r"(?![\w/²³])"


def _rate_units(code: str) -> list[str]:
    """Unit symbols that can follow "/": not those that hold a "/" or a degree ("km/h", "°C")."""
    return [form for form in written_forms(code) if "/" not in form and "°" not in form and "º" not in form]


def rate_unit(code: str) -> str:
    """The pattern of what follows "/" in a rate of language ``code`` ("kg", "mois")."""
    return rf"(?:{alternation([*_rate_units(code), *TIMES[code]])}){_END}"


def _price(code: str) -> str:
    """How a price ends: its amount after the sign ("R$ 2,50", "€1,5 millones") or the sign ("2 €", "1 millón €")."""
    lex = LEXICONS[code]
    scales = alternation((*lex.scales, lex.thousand))
    return rf"(?:[€$]\s?\d[\d.,]*(?:\s(?:{scales}))?|(?:\d|{scales})\s?(?:(?:de|di) |d')?[€$])"


def _before(m: re.Match[str], pattern: re.Pattern[str]) -> re.Match[str] | None:
    return pattern.search(m.string, max(0, m.start() - 30), m.start())


def rules(code: str) -> list[Rule]:
    """Rates after "/" and units of a price after an article, in language ``code``."""
    times, price = TIMES[code], _price(code)
    after_price = re.compile(rf"{price}$")
    after_amount = re.compile(rf"(?:{price}|\d\s?(?:%|{symbols(code)})?)$")
    before_article = re.compile(rf"{price}\s+$")

    def rate(m: re.Match[str]) -> str | None:
        if not _before(m, after_amount):
            return None
        if m["rate"] in times:
            return " " + times[m["rate"]]
        unit = unit_of(code, m["rate"])
        if _before(m, after_price):
            return " " + PRICE[code].join(unit.per_price, unit.feminine)
        return " " + PER[code].join(unit.one, unit.feminine)

    def priced_unit(m: re.Match[str]) -> str | None:
        return f"{m['article']} {unit_of(code, m['unit']).per_price}" if _before(m, before_article) else None

    units = alternation(_rate_units(code))
    articles = alternation(ARTICLES[code])
    return [
        Rule("rate", re.compile(rf"/(?P<rate>{rate_unit(code)})"), rate),
        Rule("unit of a price", re.compile(rf"(?<![\w'])(?P<article>{articles}) (?P<unit>{units}){_END}"), priced_unit),
    ]
