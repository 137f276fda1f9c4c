"""Fractions of recipes and measures ("1/2 taza", "3/4 de litro", "1 1/2"), said as fractions.

espeak-ng reads "1/2" as "uno barra dos" (Spanish, Italian) or "un deux" (French, Portuguese).
A reader says "media taza", "tres cuartos", "un tiers", "mezzo chilo", "um quarto". Only a
proper fraction with a denominator up to ten is taken, so "24/7" and dates keep their rules;
a half agrees with the noun after it, feminine where that ends in -a ("media taza", "meia
xícara", "mezza tazza"); a whole number before the fraction is joined with "y", "et", "e".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kokoro_tui.text.rewrite import Rule
from kokoro_tui.text.romance_words import LEXICONS, cardinal, counting
from kokoro_tui.text.rules_romance_ordinals import ordinal


@dataclass(frozen=True)
class Parts:
    half: str  # before a masculine noun, and after a whole number ("uno y medio")
    half_feminine: str  # before a feminine noun ("media taza"; French "demi" does not change)
    a_half: str  # a half on its own ("un medio")
    and_: str  # joins a whole number and a fraction
    third: str
    quarter: str


PARTS = {
    "e": Parts("medio", "media", "un medio", "y", "tercio", "cuarto"),
    "f": Parts("demi", "demi", "un demi", "et", "tiers", "quart"),
    "i": Parts("mezzo", "mezza", "un mezzo", "e", "terzo", "quarto"),
    "p": Parts("meio", "meia", "um meio", "e", "terço", "quarto"),
}
PATTERN = re.compile(r"(?<![\w.,/-])(?:(?P<whole>\d{1,3}) )?(?P<top>\d)/(?P<bottom>\d{1,2})(?![\w/]|[.,]\d)")


def _plural(code: str, word: str) -> str:
    if code == "i":
        return word[:-1] + "i"
    return word if word.endswith("s") else word + "s"


def fraction_words(code: str, top: int, bottom: int, noun: str = "") -> str:
    """'3/4' -> 'tres cuartos'; '1/2' -> 'media' before "taza", 'un medio' alone."""
    parts = PARTS[code]
    if bottom == 2:
        if not noun:
            return parts.a_half
        return parts.half_feminine if noun.endswith("a") else parts.half
    name = {3: parts.third, 4: parts.quarter}.get(bottom) or ordinal(code, bottom)
    return counting(LEXICONS[code], top, name if top == 1 else _plural(code, name))


def rules(code: str) -> list[Rule]:
    """The fraction rule of language ``code``."""
    parts = PARTS[code]

    def speak(m: re.Match[str]) -> str | None:
        top, bottom = int(m["top"]), int(m["bottom"])
        if not 0 < top < bottom <= 10:
            return None
        if m["whole"]:
            spoken = parts.half if bottom == 2 else fraction_words(code, top, bottom)
            return f"{cardinal(LEXICONS[code], int(m['whole']))} {parts.and_} {spoken}"
        noun = re.match(r" ([^\W\d_]+)", m.string[m.end() :])
        return fraction_words(code, top, bottom, noun[1] if noun else "")

    return [Rule("fraction", PATTERN, speak)]
