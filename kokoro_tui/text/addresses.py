"""An e-mail or web address said part by part, as a reader dictates one, in any language.

An address is runs of letters, runs of digits and the marks between them. Every language says
them the same way round: each run of letters as a word (or spelled, where it cannot be said),
each run of digits as a number (or digit by digit), each mark by its name, and a mark it has no
name for is skipped. Only those three readings differ between languages, so each language's rules
(rules_en, rules_romance_addresses, addresses_ru) pass its own to ``say_address``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

_PARTS = re.compile(r"[^\W\d_]+|\d+|\S")


def say_address(
    address: str, letters: Callable[[str], str], number: Callable[[str], str], marks: Mapping[str, str]
) -> str:
    """``address`` in words: ``letters`` reads a run of letters, ``number`` a run of digits, ``marks`` names marks."""
    words = []
    for part in _PARTS.findall(address):
        if part.isdecimal():
            words.append(number(part))
        elif part.isalpha():
            words.append(letters(part))
        elif part in marks:
            words.append(marks[part])
    return " ".join(words)
