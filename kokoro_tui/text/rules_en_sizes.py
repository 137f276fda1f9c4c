"""Sizes written with symbols: "1920x1080" -> "one thousand nine hundred twenty by one thousand eighty".

Numbers joined by "x" or "×" are the sides of something ("a 2x4", "10 x 20 cm", "3x3x3"), read
with "by", and a unit after the last side names the unit of all ("ten by twenty centimeters");
an equals sign after them makes the "x" a product ("2 x 3 = 6" -> "two times three"). Sides
are quantities, never years. A height in feet and inches ("5'10\"") is read as it is said:
"five foot ten".
"""

from __future__ import annotations

import re

from kokoro_tui.text import numbers
from kokoro_tui.text.punctuation import keep_period
from kokoro_tui.text.rewrite import Rule
from kokoro_tui.text.rules_en_units import SYMBOL, unit_name

_SIDE = r"\d+(?:\.\d+)?"
_BY = re.compile(r" ?[x\u00d7] ?")
_SIZE = re.compile(rf"(?<![\w.,-])(?P<sides>{_SIDE}(?: ?[x\u00d7] ?{_SIDE}){{1,2}})(?: ?{SYMBOL}|(?!\w|\.\d))")
_PRODUCT = re.compile(r"\s*=")
_HEIGHT = re.compile(r"(?<![\w.'’])(?P<feet>\d) ?['’\u2032] ?(?P<inches>1[01]|\d) ?(?:[\"”\u2033]|'')")


def _size(m: re.Match[str], british: bool) -> str:
    sides = _BY.split(m["sides"])
    word = " times " if _PRODUCT.match(m.string, m.end()) else " by "
    spoken = word.join(numbers.decimal(side, british) for side in sides)
    if m["unit"]:
        spoken += " " + unit_name(m["unit"], sides[-1], british)
        return keep_period(m, spoken)
    return spoken


def _height(m: re.Match[str], british: bool) -> str:
    feet = f"{numbers.cardinal(int(m['feet']), british)} foot"
    return feet if m["inches"] == "0" else f"{feet} {numbers.cardinal(int(m['inches']), british)}"


def rules(british: bool) -> list[Rule]:
    """The size and height rules, to be tried before plain numbers and units."""
    return [
        Rule("height", _HEIGHT, lambda m: _height(m, british)),
        Rule("size", _SIZE, lambda m: _size(m, british)),
    ]
