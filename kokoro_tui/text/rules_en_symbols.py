"""Symbols that stand for words beside a number or a letter: "3x faster", "~50", "$5/month", "C#".

Each is read only where its neighbours show what it means, so the symbol elsewhere is left to
the other rules: "x" is "times" right after a number ("3x", "2-3x") but not before a digit
("4x4" is a size, rules_en_units) or in a hex number ("0x1F"); "~" is "about" before a
number; "/" is "per" between an amount or a plural and a unit of time ("$5/month", "requests/sec"), and
between an amount and any unit ("€2.50/kg"), as is the word "per" before a unit's symbol ("£3 per lb", "price per
kg"); a bare "m" there may be a month ("$5/m") and "in" a preposition, so they are left alone;
"#" after a note's letter is "sharp" ("C#", "F#"); "w/" and "w/o" are "with" and "without".
"""

from __future__ import annotations

import re

from kokoro_tui.text import numbers
from kokoro_tui.text.punctuation import keep_period
from kokoro_tui.text.rewrite import Rule, alternation
from kokoro_tui.text.rules_en_units import UNITS, unit_name

_NUMBER = r"\d+(?:\.\d+)?"
# Units of time said in full; after a plural ("requests/sec") only these, or their symbols, make "/" "per".
_TIME_WORDS = frozenset("second minute hour day night week month year annum".split())
# Symbols that are no unit after "/" or "per": "m" may be a month ("$5/m"), "in" is a preposition.
_AMBIGUOUS = frozenset({"m", "in"})
_PER_SYMBOLS = [symbol for symbol in UNITS if "/" not in symbol and "°" not in symbol and symbol not in _AMBIGUOUS]
_TIME_SYMBOLS = frozenset(symbol for symbol in _PER_SYMBOLS if UNITS[symbol][0] in _TIME_WORDS)
# The period of an abbreviation ("per lb.") is read with it; ``keep_period`` puts it back where a sentence ends.
_UNIT_END = r"(?![\w/])(?:\.(?![\w.]))?"
_SLASH_PER = re.compile(rf"(?<=[\d%s])/(?P<unit>{alternation([*_PER_SYMBOLS, *_TIME_WORDS])}){_UNIT_END}")
_WORD_PER = re.compile(rf"(?<![\w-])per (?P<unit>{alternation(_PER_SYMBOLS)}){_UNIT_END}")


def _times(m: re.Match[str], british: bool) -> str:
    """'3x' -> 'three times', '2-3x' -> 'two to three times'."""
    high = numbers.decimal(m["high"], british)
    return f"{numbers.decimal(m['low'], british)} to {high} times" if m["low"] else f"{high} times"


def _unit(symbol: str, british: bool) -> str:
    """The name of one unit of ``symbol``: 'kg' -> 'kilogram', 'day' -> 'day'."""
    return symbol if symbol in _TIME_WORDS else unit_name(symbol, "1", british)


def _slash_per(m: re.Match[str], british: bool) -> str | None:
    """'$5/month' -> ' per month', '€2.50/kg' -> ' per kilogram'; after a plural ("requests/sec") only time."""
    unit = m["unit"]
    if m.string[m.start() - 1] == "s" and unit not in _TIME_WORDS and unit not in _TIME_SYMBOLS:
        return None
    return keep_period(m, f" per {_unit(unit, british)}")


def rules(british: bool) -> list[Rule]:
    """The rules for symbols read as words, in the order they are tried."""
    return [
        Rule(
            "times",
            re.compile(rf"(?<![\w.])(?:(?P<low>{_NUMBER}) ?[-\u2013] ?)?(?P<high>{_NUMBER})[x\u00d7](?![\w\u00d7])"),
            lambda m: _times(m, british),
        ),
        Rule("about", re.compile(r"[~\u2248] ?(?=[$£€¥]?\d)"), lambda m: "about "),
        Rule("per", _SLASH_PER, lambda m: _slash_per(m, british)),
        Rule("per unit", _WORD_PER, lambda m: keep_period(m, f"per {_unit(m['unit'], british)}")),
        Rule("sharp", re.compile(r"(?<![\w#])(?P<note>[A-G])#(?![\w#])"), lambda m: f"{m['note']} sharp"),
        Rule("without", re.compile(r"(?<![\w/])[Ww]/o(?![\w/])"), lambda m: "without"),
        Rule("with", re.compile(r"(?<![\w/])[Ww]/(?=\s)"), lambda m: "with"),
    ]
