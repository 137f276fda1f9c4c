"""Nouns that make a four-digit number a quantity, not a year: "1024 bytes", "a 2048-bit key".

A bare "1850" is read as a year ("1850 saw", "in 1984"). Followed by a unit of measure it is a
count wherever it stands ("in 1024 bytes"); followed by a noun for people or things counted
it is one unless the text has just named a year ("1500 soldiers", but "In 1850 people moved
west"). Nouns follow the number after a space or a hyphen, singular ("a 2048 bit key") or
plural. The units' names come from rules_en_units, so a unit is listed once.
"""

from __future__ import annotations

import re

from kokoro_tui.text.rules_en_units import UNITS, british_name

_MEASURES = (
    "bit byte kilobit megabit gigabit megapixel character token sample frame baud dpi "
    "calorie kilocalorie joule newton ohm amp ampere horsepower rpm fps acre hectare ton tonne gallon quart pint "
    "cup yard dollar euro yen cent penny rupee yuan peso franc day week month year century decade"
).split()
_COUNTED = (
    "people person men man women woman children child kids students soldiers troops employees workers staff "
    "members users visitors residents customers passengers voters readers fans players copies words pages "
    "votes cases deaths points items times lines rows columns entries records steps iterations households "
    "homes jobs books cars units"
).split()


def _plural(name: str) -> str:
    return name[:-1] + "ies" if name.endswith("y") and name[-2] not in "aeiou" else name + "s"


def _unit_nouns() -> frozenset[str]:
    """The measures with their plurals, and the units' names in both numbers, American and British."""
    names = _MEASURES + [_plural(name) for name in _MEASURES]
    names += [name.split()[0] for forms in UNITS.values() for name in forms]
    return frozenset(spelling for name in names for spelling in (name, british_name(name)))


UNIT_NOUNS = _unit_nouns()
COUNT_NOUNS = frozenset(_COUNTED)
_NEXT_WORD = re.compile(r"[ \u00a0-](?P<word>[A-Za-z]+)\b")


def quantity_follows(text: str, end: int, year_named: bool) -> bool:
    """Whether the word after ``text[:end]`` makes the number before it a count.

    ``year_named``: the text has just said a year is meant ("in", "since"), so only a unit will do.
    """
    following = _NEXT_WORD.match(text, end)
    if following is None:
        return False
    word = following["word"].lower()
    return word in UNIT_NOUNS or (not year_named and word in COUNT_NOUNS)
