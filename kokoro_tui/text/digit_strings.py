"""Numbers that are codes, not quantities: phone numbers, PINs, long digit runs.

A reader says "07946 095812" one digit at a time, pausing where the writer left a gap, and
reads "12345678901" digit by digit rather than as "twelve billion ...". Every language
shares these tests and patterns and brings its own digit words. Saying a code as a
cardinal is also what used to overflow num2words on a run of hundreds of digits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A run of more digits than this, written without separators, is a code (unless it is round).
LONGEST_QUANTITY = 7
# Beyond this many digits even a round number is said digit by digit.
LONGEST_ROUND = 15

# Phone numbers in the forms most texts use. Each alternative is checked again by
# ``phone_digits`` (how many digits, which grouping), so a date or a range may still
# claim a match a phone pattern declined.
PHONE = re.compile(
    r"(?<![\w+.,/-])(?:"
    r"\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,6}"  # +44 (0)20 7946 0958, +1 555 123 4567
    r"|(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}"  # (555) 123-4567, 1-800-555-1234
    r"|\(?0\d{1,4}\)?(?:[ .-]?\d{2,6}){1,5}"  # 07946 095812, 01 23 45 67 89, (020) 7946 0958
    r"|\d{3}-\d{4}"  # 555-1234
    r")(?![\w/-]|[.,]\d)"
)
# Digit groups as a writer spaces them in any language: "612 34 56 78", "(11) 91234-5678".
GROUPED = re.compile(r"(?<![\w+.,/-])(?:\(\d{2,4}\) ?)?\d{2,5}(?:[ .-]\d{2,5}){1,4}(?![\w/-]|[.,]\d)")
_TRUNK = re.compile(r"\(0\)")  # "+44 (0)20": the 0 is not dialled from abroad, nor said


def reads_as_digits(run: str) -> bool:
    """Whether a run of digits is said one digit at a time: a leading zero, or long and not round."""
    if len(run) > 1 and run[0] == "0":
        return True
    if len(run) <= LONGEST_QUANTITY:
        return False
    return len(run) > LONGEST_ROUND or len(run.rstrip("0")) > 3  # 12000000 is "twelve million"


def groups(text: str) -> list[str]:
    """The digit groups of a phone number as written, a trunk "(0)" after the country code left out."""
    return re.findall(r"\d+", _TRUNK.sub("", text) if text.startswith("+") else text)


def is_thousands(text: str, separators: str) -> bool:
    """Whether ``text`` is one number grouped in thousands with one of ``separators`` ("1.234.567")."""
    return any(re.fullmatch(rf"\d{{1,3}}(?:{re.escape(sep)}\d{{3}})+", text) for sep in separators)


def phone_digits(text: str, grouped: bool = False) -> list[str] | None:
    """The digit groups of a phone number, or None when ``text`` is too short or long for one.

    ``grouped`` is for the looser GROUPED pattern: then three groups are needed, or an area code
    in parentheses, so a range such as "1990-1995" is not taken for a number.
    """
    found = groups(text)
    count = sum(len(group) for group in found)
    if re.fullmatch(r"\d{3}-\d{4}", text) and _round_range(*found):
        return None  # "500-1000" counts people, it is not "555-1234"
    if text.startswith("+"):
        return found if 7 <= count <= 15 else None
    if grouped:
        return found if 8 <= count <= 13 and (len(found) >= 3 or text.startswith("(")) else None
    if text.startswith(("0", "(0")):
        return found if 9 <= count <= 13 else None
    return found


def _round_range(low: str, high: str) -> bool:
    return int(low) < int(high) and low.endswith("0") and high.endswith("0")


def spell(run: str, digit_words: Sequence[str], space: str = " ") -> str:
    """'4567' -> 'four five six seven' in the language of ``digit_words`` (zero to nine).

    ``space`` goes between digits: "" for Chinese, which writes no spaces between words.
    """
    return space.join(digit_words[int(c)] for c in run if c.isdecimal())


def spell_phone(
    text: str, found: Sequence[str], digit_words: Sequence[str], plus: str, pause: str = ", ", space: str = " "
) -> str:
    """Each group digit by digit, a pause between groups, ``plus`` for a leading "+"."""
    spoken = [spell(group, digit_words, space) for group in found]
    if text.startswith("+"):
        spoken[0] = f"{plus}{space}{spoken[0]}"
    return pause.join(spoken)
