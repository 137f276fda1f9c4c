"""English Roman numerals: "World War II" -> "World War Two", "Henry VIII" -> "Henry the Eighth".

Capital I, V and X are also a pronoun, letters and initials, so a numeral is read only where
its neighbour says it is one: after a monarch's or pope's name it is regnal ("the Eighth");
after a word that numbers things (Chapter, Part, Act, Type, or the abbreviations "vol." and "ch.", in brackets
too: "(vol. II)") it is a plain number; after any other capitalised word in mid-sentence ("War II",
"Apollo XI") it is a number only if it has two letters or more. A numeral that is a whole line ("XIV."
heading a chapter, "II", but "V" only with its period) is a number.
"I" alone is the pronoun unless its context rules that out. After a capitalised numbering word
("Part I was written", "Chapter I") or "World War" it is a number unless a word only "I" takes
follows ("I think"); after a lower-case one ("type I") nothing a pronoun takes may follow ("the
part I was in"), nor may the word follow "the" or "a" ("the book I read"). After a regnal name
it is regnal where a pronoun could not stand ("Henry I?", "Henry I of England", "Henry I is",
"Henry I the Fowler"), or where a title ("King George I"), the sentence's start ("Elizabeth I was
queen") or a word opening a clause ("when Henry I died") marks the name as the subject, and the
next word is not one only "I" takes ("I think").
A lone "X" after the name of a product that is called by the letter ("Xbox Series X", "Tesla Model X") is
the letter, though "Series" numbers things elsewhere ("Series II"); Apple's "iPhone X" and "OS X" are ten.
Only I, V and X are read (1 to 39), never M, C, D or L ("MIX", "CV", "DC" stay words).
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
    "act appendix article book ch chapter class episode grade level mark part phase round scene season "
    "section series stage step title type version vol volume".split()
)
# Names before which a lone "X" is the letter, as the product is called: "Series X", "Model X".
_LETTER_X_AFTER = frozenset("Series Model".split())
# Apple's names in which a lone "X" is ten, though it would otherwise be left a letter: "iPhone X", "Mac OS X".
_TEN_X_AFTER = frozenset("iPhone OS".split())
_LETTER_X = "X"
# Capitalised words that are not names: a numeral after them is more likely a letter or "I".
FUNCTION_WORDS = frozenset(
    "A An And As At But By For From He Her His I If In Is It Its My No Not Of On Or Our She So That The "
    "Their Then These They This Those To Was We Were When While With You Your".split()
)
_TITLES = frozenset(
    "Archduke Duke Emperor Empress Kaiser King Pharaoh Pope Prince Princess Queen Saint Shah Sultan Tsar Czar".split()
)
DETERMINERS = frozenset("the a an this that these those every each any which what my your his her our their".split())
# The word before the numeral, maybe abbreviated ("vol. II") or after an opening bracket ("(Chapter II)").
_WORD_BEFORE = re.compile(r"(?:^|(?P<lead>[^\s]*)\s+)[(\[]?(?P<word>[A-Za-z]+)\.?[ \u00a0]$")
_TITLED = re.compile(rf"\b(?:{'|'.join(_TITLES)})(?: [A-Z][a-z]+)+ $")
_ALONE = re.compile(r"[ \t]*\.?[ \t]*(?:\n|$)")
_LINE_START = re.compile(r"(?:^|\n)[ \t]*$")
# A pronoun could not stand here: "Henry I?", "Henry I's", "Henry I of England", "Henry I is".
_NO_PRONOUN = re.compile(r"(?:$|['’]s\b|[^\w\s]|\s+(?:of|is|has|who|whose|the|a|an|in|on|at|from|with|to|for)\b)")
# Words that open a clause: a name right after one is its subject, so an "I" after the name is not.
_CLAUSE_OPENERS = frozenset("after because before once since then until when whereas while".split())
_FIRST_PERSON_ONLY = "am have do don't think know want need mean guess hope feel say see like love believe".split()
_PRONOUN_ALSO = "was were had will would shall should can could may might must did didn't can't won't".split()
# What a pronoun "I" is followed by: "I think" only by "I", "I was" by "he" too, "I walked".
_FIRST_PERSON = re.compile(rf"\s+(?:{'|'.join(_FIRST_PERSON_ONLY)})\b")
_PRONOUN_NEXT = re.compile(rf"\s+(?:{'|'.join(_FIRST_PERSON_ONLY + _PRONOUN_ALSO)}|[a-z]+ed)\b")


def value(numeral: str) -> int:
    """'XIV' -> 14 (the pattern has already checked the numeral's form)."""
    total = 0
    for index, letter in enumerate(numeral):
        amount = _VALUES[letter]
        following = _VALUES[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -amount if amount < following else amount
    return total


def _mid_sentence(lead: str) -> bool:
    """Whether the word before the numeral follows another word rather than opening a sentence."""
    return bool(lead) and not lead.endswith((".", "!", "?", ":", "\n"))


def _capitalised(words: str) -> str:
    return "-".join(part.capitalize() for part in words.split("-"))


def _regnal(n: int) -> str:
    return "the " + _capitalised(numbers.ordinal(n))


def _alone_on_line(m: re.Match[str]) -> bool:
    """A heading such as "XIV." or "II"; a bare "I" or "X" could be a word or a letter, so it needs the period."""
    after = _ALONE.match(m.string, m.end())
    if after is None or not _LINE_START.search(m.string, 0, m.start()):
        return False
    return len(m.group()) > 1 or after.group().strip().startswith(".")


def _regnal_i(m: re.Match[str], lead: str) -> bool:
    """Whether the "I" after a regnal name is "the First" rather than the pronoun."""
    if _NO_PRONOUN.match(m.string, m.end()):
        return True
    titled = _TITLED.search(m.string, max(0, m.start() - 60), m.start()) is not None
    subject = not _mid_sentence(lead) or re.sub(r"\W", "", lead).lower() in _CLAUSE_OPENERS
    return (titled or subject) and not _FIRST_PERSON.match(m.string, m.end())


def _numbered_i(m: re.Match[str], word: str, lead: str) -> bool:
    """Whether the "I" after ``word`` is the number one: "Chapter I", "World War I", "type I"."""
    named = (word == "War" and lead.endswith("World")) or (word.lower() in NUMBERING and word[0].isupper())
    if named:
        return not _FIRST_PERSON.match(m.string, m.end())
    if word not in NUMBERING or _PRONOUN_NEXT.match(m.string, m.end()):
        return False
    return re.sub(r"\W", "", lead).lower() not in DETERMINERS


def _lone_i(m: re.Match[str], word: str, lead: str) -> str | None:
    if word in REGNAL:
        return _regnal(1) if _regnal_i(m, lead) else None
    return numbers.cardinal(1) if _numbered_i(m, word, lead) else None


def speak(m: re.Match[str]) -> str | None:
    numeral = m.group()
    if not numeral:
        return None
    n = value(numeral)
    if _alone_on_line(m):
        return numbers.cardinal(n)
    before = _WORD_BEFORE.search(m.string[max(0, m.start() - 40) : m.start()])
    if before is None:
        return None
    word, lead = before["word"], before["lead"] or ""
    if numeral == _LETTER_X and word in _LETTER_X_AFTER:
        return None
    if numeral == _LETTER_X and word in _TEN_X_AFTER:
        return numbers.cardinal(n)
    if numeral == "I":
        return _lone_i(m, word, lead)
    if word in REGNAL:
        return _regnal(n)
    if word.lower() in NUMBERING:
        return numbers.cardinal(n)
    named = word[0].isupper() and word[1:].islower() and word not in FUNCTION_WORDS
    if named and len(numeral) >= 2 and _mid_sentence(lead):
        return _capitalised(numbers.cardinal(n))
    return None


RULE = Rule("roman numeral", PATTERN, speak)
