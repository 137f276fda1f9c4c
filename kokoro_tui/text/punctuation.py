"""Rules every language shares: typographic punctuation, symbols nobody reads, whitespace.

Kokoro's vocabulary knows ; : , . ! ? — … " ( ) “ ”. Other marks are mapped onto those so
their pause survives; emoji and markup characters are dropped; a blank line stays a
paragraph break ("\\n") and any other run of whitespace becomes one space. Invisible joiners
inside a word are deleted, not spaced, so "won\\u2060derful" stays one word; a Latin letter
with separate accent marks (NFD "cafe\\u0301") is composed, as the G2P knows only "café".
"""

from __future__ import annotations

import re
import unicodedata

from kokoro_tui.text.rewrite import Rule

PARAGRAPH = "\n"

_CHARACTERS = {
    "\u2018": "'",  # ‘
    "\u2019": "'",  # ’
    "\u201a": "'",  # ‚
    "\u201b": "'",  # ‛
    "\u2032": "'",  # ′
    "\u00b4": "'",  # ´
    "\u201e": "\u201c",  # „
    "\u201f": "\u201c",  # ‟
    "\u00ab": "\u201c",  # «
    "\u00bb": "\u201d",  # »
    "\u2039": "\u201c",  # ‹
    "\u203a": "\u201d",  # ›
    "\u300c": "\u201c",  # 「
    "\u300d": "\u201d",  # 」
    "\u2013": "\u2014",  # – en dash (number ranges are read before this rule)
    "\u2015": "\u2014",  # ―
    "\u2012": "\u2014",  # ‒
    "\u2212": "-",  # − minus sign
    "\u2010": "-",  # ‐ hyphen
    "\u2011": "-",  # ‑ non-breaking hyphen
    "\u3002": ".",  # 。
    "\uff0e": ".",  # ．
    "\u0964": ".",  # । danda
    "\u0965": ".",  # ॥
    "\uff0c": ",",  # ，
    "\u3001": ",",  # 、
    "\uff1b": ";",  # ；
    "\uff1a": ":",  # ：
    "\uff01": "!",  # ！
    "\uff1f": "?",  # ？
    "\uff08": "(",  # （
    "\uff09": ")",  # ）
}

_MARKS = re.compile("[" + "".join(_CHARACTERS) + "]")
_ELLIPSIS = re.compile(r"\.{3,}|(?:\. ){2,}\.")
_SPACED_DASH = re.compile(r"(?<=\s)-{1,3}(?=\s)|--+")
_UNSPOKEN = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe00-\ufe0f" r"*_~|^<>{}\[\]\\`"
# A comparison or an arrow ("<=", "=>", "<==") is dropped whole: dropping only "<" or ">" would leave "=", said
# "equals", so that "y >= 10" meant "y = 10". (English reads comparisons before this, rules_en_maths.)
_DROPPED = rf"[<>]=+|=+>|[{_UNSPOKEN}]"
# zero-width space, non-joiner, joiner; word joiner; byte order mark
_INVISIBLE = "\u200b-\u200d\u2060\ufeff"
# A gap holds a space or a dropped symbol; invisible characters alone are no gap. A lone plain
# space is already what the gap becomes: it does not match, so a book's every space costs no step.
_GAP = re.compile(
    rf"(?! (?!\s|{_DROPPED}|[{_INVISIBLE}]))[{_INVISIBLE}]*(?:\s|{_DROPPED})(?:\s|{_DROPPED}|[{_INVISIBLE}])*"
)
_INSIDE_WORD = re.compile(rf"[{_INVISIBLE}]+")
_DECOMPOSED = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff][\u0300-\u036f]+")


def _gap(match: re.Match[str]) -> str:
    run = match.group()
    if run.count("\n") >= 2 or "\u2029" in run:
        return PARAGRAPH
    return " "


def sentence_follows(m: re.Match[str]) -> bool:
    """Whether the match's own final period also ends a sentence (end of text or a capital next)."""
    after = re.match(r"\s*(?:$|\n|[\"”»)]?\s+([^\W\d_]))", m.string[m.end() :])
    return after is not None and (after.group(1) is None or after.group(1).isupper())


def keep_period(m: re.Match[str], spoken: str) -> str:
    """``spoken``, with the abbreviation period the match swallowed put back where it also ends a sentence."""
    return spoken + "." if m.group().endswith(".") and sentence_follows(m) else spoken


def _composed(match: re.Match[str]) -> str | None:
    """'e' + combining acute -> 'é'; None where no precomposed letter exists."""
    composed = unicodedata.normalize("NFC", match.group())
    return composed if composed != match.group() else None


RULES: list[Rule] = [
    Rule("ellipsis", _ELLIPSIS, lambda m: "\u2026"),
    Rule("dash", _SPACED_DASH, lambda m: "\u2014"),
    Rule("punctuation", _MARKS, lambda m: _CHARACTERS[m.group()]),
    Rule("whitespace", _GAP, _gap),
    Rule("invisible", _INSIDE_WORD, lambda m: ""),
    Rule("accents", _DECOMPOSED, _composed),
]
