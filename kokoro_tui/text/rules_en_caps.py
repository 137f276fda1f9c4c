"""English words in capitals: "STOP!" and "THE BOY WHO LIVED" are words, "FBI" and "NASA" acronyms.

misaki spells an all-capital word it tags as a name or does not know ("DARCY" -> D-A-R-C-Y), and
novels write shouting and headings in capitals. Such a word is given to the G2P in lower case
(capitalised where a sentence starts, and where it is no dictionary word, as a name would be):
- inside a run of capitalised words (a heading, a shouted sentence), unless it is a short word
  no dictionary knows ("FBI", "BBC") or one spelled unlike English words ("HTML", "USSR");
- standing alone, when it has four letters or more and misaki knows its lower-case form but not
  the capitalised one: "STOP" is lowered, "NASA" (which misaki reads as a word) and "USA" are not;
- standing alone and known to no dictionary, when it is spelled like an English word
  (rules_en_pronounceable) and has five letters or more, or four and is shouted ("ARYA!"):
  "GRISWOLD" and "HERMIONE!" are names, "NAACP", "XKCD" and "ACLU" stay initialisms.
Roman numerals ("WAR III") are left to rules_en_roman; misaki decides what is left as written.
The dictionaries' words are read from misaki's data files (about 0.6 s, once), not from its
``Lexicon``, so normalising never imports spaCy.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from kokoro_tui.text import rules_en_roman
from kokoro_tui.text.rewrite import Rule
from kokoro_tui.text.rules_en_pronounceable import pronounceable

# No letter, digit, or letter-joined apostrophe or hyphen on either side: "DON'T" is one word, "X-RAY" none.
PATTERN = re.compile(r"(?<!\w)(?<!\w['’-])[A-Z]{2,}(?:['’][A-Z]+)?(?!\w)(?!['’-]\w)")
# Shorter words alone are more often initialisms ("FBI", "CEO") than shouted words.
SHORTEST_ALONE = 4
# A word no dictionary knows needs one letter more, unless it is shouted: "UCLA" and "ACLU" are spelled.
SHORTEST_UNKNOWN = 5
_SHOUTED = re.compile(r"[\"'”’)]*!")
# What may stand between two words of one run: spaces and punctuation within a line, no digit.
_PREVIOUS = re.compile(r"(?<![\w'’-])(?P<word>[A-Za-z][A-Za-z'’]*)[^\w\n]+$")
_NEXT = re.compile(r"[^\w\n]+(?P<word>[A-Za-z][A-Za-z'’]*)")
_SENTENCE_START = re.compile(r"(?:^|[.!?\n])[^\w.!?\n]*$")
# Endings misaki takes off to find a word's stem, and what the stem then ends in.
_ENDINGS = (("'s", ""), ("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))


@lru_cache(maxsize=2)
def _lexicon(british: bool) -> frozenset[str]:
    """The words of misaki's dictionaries (gold and silver), loaded on first use; empty without misaki."""
    words: set[str] = set()
    try:
        folder = resources.files("misaki.data")
    except ModuleNotFoundError:
        return frozenset()
    for grade in ("gold", "silver"):
        words.update(json.loads((folder / f"{'gb' if british else 'us'}_{grade}.json").read_text(encoding="utf-8")))
    return frozenset(words)


def _stems(word: str) -> list[str]:
    """``word`` and what it may be inflected from ("lived" -> "liv", "live"; "running" -> "runn", "run")."""
    stems = [word]
    for ending, restored in _ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)] + restored
            stems.append(stem)
            if not restored and len(stem) > 2 and stem[-1] == stem[-2]:
                stems.append(stem[:-1])
    return stems


def _known(word: str, lexicon: frozenset[str]) -> str | None:
    """How misaki's dictionary writes ``word`` ("stop", "London"), or None when it has no such word."""
    for stem in _stems(word.lower()):
        if stem in lexicon:
            return word.lower()
        if stem.capitalize() in lexicon:
            return word.capitalize()
    return None


def _is_capitals(found: re.Match[str] | None) -> bool:
    """Whether a neighbouring word was found and is in capitals; "I" and "A" alone are not enough."""
    word = found["word"] if found else ""
    return len(word) >= 2 and word.upper() == word


def _in_run(m: re.Match[str]) -> bool:
    """Whether a neighbouring word on the same line, with no digit between, is in capitals too."""
    before = _PREVIOUS.search(m.string, max(0, m.start() - 40), m.start())
    after = _NEXT.match(m.string, m.end())
    return _is_capitals(before) or _is_capitals(after)


def _name(word: str, shortest: int) -> str | None:
    """An unknown word read as a name ("GRISWOLD" -> "Griswold") where it is long and spelled like a word."""
    letters = re.split("['’]", word)[0]
    return word.capitalize() if len(letters) >= shortest and pronounceable(letters) else None


def _lowered(word: str, run: bool, shouted: bool, lexicon: frozenset[str]) -> str | None:
    """The word as the G2P should get it, or None to leave it as written."""
    if run:
        known = _known(word, lexicon)
        return known if known is not None else _name(word, SHORTEST_ALONE)
    if len(word) < SHORTEST_ALONE or word in lexicon:
        return None
    known = _known(word, lexicon)
    if known is not None:
        return known
    return _name(word, SHORTEST_ALONE if shouted else SHORTEST_UNKNOWN)


def rule(british: bool) -> Rule:
    """The rule for words in capitals, with misaki's American or British dictionary."""

    def speak(m: re.Match[str]) -> str | None:
        word = m.group().replace("’", "'")
        if rules_en_roman.PATTERN.fullmatch(word):
            return None
        shouted = _SHOUTED.match(m.string, m.end()) is not None
        spoken = _lowered(word, _in_run(m), shouted, _lexicon(british))
        if spoken is None:
            return None
        if _SENTENCE_START.search(m.string, max(0, m.start() - 40), m.start()):
            return spoken[0].upper() + spoken[1:]
        return spoken

    return Rule("capitals", PATTERN, speak)
