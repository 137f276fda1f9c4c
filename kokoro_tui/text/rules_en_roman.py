"""English Roman numerals: "World War II" -> "World War Two", "Henry VIII" -> "Henry the Eighth".

Capital I, V and X are also a pronoun, letters and initials, so a numeral is read only where
its neighbour says it is one: after a monarch's or pope's name it is regnal ("the Eighth");
after a word that numbers things (Chapter, Part, Act, Type) it is a plain number; after any
other capitalised word in mid-sentence ("War II", "Apollo XI") it is a number only if it has
two letters or more. "I" alone needs a regnal name or a numbering word before it, and must not
be followed by what a pronoun would be. Only I, V and X are read (1 to 39), never M, C, D or L
("MIX", "CV", "DC" stay words).
"""

from __future__ import annotations

import re

from kokoro_tui.text import numbers
from kokoro_tui.text.rewrite import Rule

PATTERN = re.compile(r"(?<![\w'’.-])(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?![\w-]|['’](?!s\b)\w)")
_VALUES = {"I": 1, "V": 5, "X": 10}

REGNAL = frozenset(
    "Alexander Alfonso Benedict Boniface Carlos Catherine Charles Christian Clement Constantine Edward "
    "Elizabeth Ferdinand Francis Frederick George Gregory Gustav Haakon Harald Henry Innocent Ivan James "
    "John Leo Leopold Louis Ludwig Mary Napoleon Nicholas Olaf Otto Paul Peter Philip Pius Ramesses "
    "Richard Robert Rudolf Sixtus Stephen Urban Victor Wilhelm William".split()
)
NUMBERING = frozenset(
    "act appendix article book chapter class episode grade level mark part phase round scene season "
    "section series stage step title type version vol volume".split()
)
# Capitalised words that are not names: a numeral after them is more likely a letter or "I".
_FUNCTION = frozenset(
    "A An And As At But By For From He Her His I If In Is It Its My No Not Of On Or Our She So That The "
    "Their Then These They This Those To Was We Were When While With You Your".split()
)
_WORD_BEFORE = re.compile(r"(?:^|(?P<lead>[^\s]*)\s+)(?P<word>[A-Za-z]+)\.?[ \u00a0]$")
# After "Elizabeth I" comes punctuation, the end, "of", "'s" or a verb a pronoun could not take.
_AFTER_I = re.compile(r"(?:$|['’]s\b|[^\w\s]|\s+(?:of|and|is|was|had|who|whose|died|became|[A-Z])\b)")


def value(numeral: str) -> int:
    """'XIV' -> 14 (the pattern has already checked the numeral's form)."""
    total = 0
    for index, letter in enumerate(numeral):
        amount = _VALUES[letter]
        following = _VALUES[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -amount if amount < following else amount
    return total


def _mid_sentence(lead: str | None) -> bool:
    """Whether the word before the numeral follows another word rather than opening a sentence."""
    return bool(lead) and not lead.endswith((".", "!", "?", ":", "\n"))


def speak(m: re.Match[str]) -> str | None:
    numeral = m.group()
    if not numeral:
        return None
    before = _WORD_BEFORE.search(m.string[max(0, m.start() - 40) : m.start()])
    if before is None:
        return None
    word, n = before["word"], value(numeral)
    if numeral == "I" and not _AFTER_I.match(m.string, m.end()):
        return None
    if word in REGNAL:
        return "the " + "-".join(part.capitalize() for part in numbers.ordinal(n).split("-"))
    if word.lower() in NUMBERING:
        return numbers.cardinal(n)
    named = word[0].isupper() and word[1:].islower() and word not in _FUNCTION
    if named and len(numeral) >= 2 and _mid_sentence(before["lead"]):
        return "-".join(part.capitalize() for part in numbers.cardinal(n).split("-"))
    return None


RULE = Rule("roman numeral", PATTERN, speak)
