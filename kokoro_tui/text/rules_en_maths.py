"""English maths operators between operands: "4 * 2" -> "four times two", "y >= 10" -> "y greater than or equal to
ten", "10 ÷ 2" -> "ten divided by two".

Each sign elsewhere means something else, so it is read only between its operands:
- "*", "×", "÷", "<" and ">" need a number or a single letter on each side (or a bracket: "(a + b) * 2"), so
  emphasis ("a *b* c", "*word*"), arrows ("->", "<-"), quotes ("> text") and tags ("<b>") are left to the
  punctuation rules, which drop them;
- "<" and ">" also need a space on each side, unless both operands are digits ("3<4"): "a <p>" is a tag and
  "I <3 you" a heart;
- ">=", "<=", "!=", "==", "≥", "≤" and "≠" are comparisons wherever they stand, so any word will do as an operand
  ("count >= limit"), and a bound needs none before it ("(≥ 18)", "target: <= 0.5 s").
A comparison is said without a verb, "greater than", "not equal to", which fits a condition ("if x > 5", "for x > 0")
and a requirement ("Python ≥ 3.10") alike. "×" between two numbers is a size ("3 × 4" -> "three by four",
rules_en_sizes, tried first) unless "=" follows; "+" and "=" between spaces are read by rules_en's symbol rule.
"""

from __future__ import annotations

import re

from kokoro_tui.text.rewrite import Rule, alternation

_GREATER_OR_EQUAL = "greater than or equal to"
_LESS_OR_EQUAL = "less than or equal to"
_NOT_EQUAL = "not equal to"
_COMPARISONS = {
    ">=": _GREATER_OR_EQUAL, "\u2265": _GREATER_OR_EQUAL, "<=": _LESS_OR_EQUAL, "\u2264": _LESS_OR_EQUAL,
    "!=": _NOT_EQUAL, "\u2260": _NOT_EQUAL, "==": "equals",
}  # fmt: skip
_OPERATORS = {"*": "times", "\u00d7": "times", "\u00f7": "divided by", ">": "greater than", "<": "less than"}
_SPACED = frozenset("<>")
_OPENING = frozenset("([{")
# Not part of a longer run of signs: "===", "!==", "<==".
_SIGN = alternation([*_COMPARISONS, *_OPERATORS])
_PATTERN = re.compile(rf"(?P<before> ?)(?<![=!<>])(?P<sign>{_SIGN})(?!=)(?P<after> ?)")
# A number, a single letter (not a regular expression's "\s") or a closing bracket before the sign; a number, a letter
# or an opening bracket after it. A comparison needs a word or a number after it.
_OPERAND_BEFORE = re.compile(r"(?:(?<![\w.\\])(?:\d+(?:\.\d+)?|[A-Za-z])|\))$")
_OPERAND_AFTER = re.compile(r"[-\u2212]?\d|[A-Za-z](?![\w*_<>/])|\(")
_WORD_AFTER = re.compile(r"[-\u2212]?\w|\(")


def _between_operands(m: re.Match[str]) -> bool:
    """Whether the sign stands between two operands, with the spaces "<" and ">" need."""
    if m["sign"] in _COMPARISONS:
        return _WORD_AFTER.match(m.string, m.end()) is not None
    before = m.string[max(0, m.start() - 20) : m.start()]
    if _OPERAND_BEFORE.search(before) is None or _OPERAND_AFTER.match(m.string, m.end()) is None:
        return False
    if m["sign"] not in _SPACED or (m["before"] and m["after"]):
        return True
    return before[-1:].isdecimal() and m.string[m.end() : m.end() + 1].isdecimal()


def _operator(m: re.Match[str]) -> str | None:
    """The sign's words, spaced from its operands; no space before where one is already there or a bracket opens."""
    if not _between_operands(m):
        return None
    opens = m.start() == 0 or m.string[m.start() - 1] in _OPENING or m.string[m.start() - 1].isspace()
    return f"{'' if opens else ' '}{_COMPARISONS.get(m['sign']) or _OPERATORS[m['sign']]} "


RULE = Rule("maths operator", _PATTERN, _operator)
