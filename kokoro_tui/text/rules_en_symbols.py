"""Symbols that stand for words beside a number or a letter: "3x faster", "~50", "$5/month", "C#".

Each is read only where its neighbours show what it means, so the symbol elsewhere is left to
the other rules: "x" is "times" right after a number ("3x", "2-3x") but not before a digit
("4x4" is a size, rules_en_units) or in a hex number ("0x1F"); "~" is "about" before a
number; "/" is "per" between an amount or a plural and a unit of time ("$5/month", "requests/sec");
"#" after a note's letter is "sharp" ("C#", "F#"); "w/" and "w/o" are "with" and "without".
"""

from __future__ import annotations

import re

from kokoro_tui.text import numbers
from kokoro_tui.text.rewrite import Rule

_NUMBER = r"\d+(?:\.\d+)?"
_PER = {
    "sec": "second", "second": "second", "min": "minute", "minute": "minute", "hr": "hour", "hour": "hour",
    "day": "day", "night": "night", "wk": "week", "week": "week", "mo": "month", "month": "month",
    "yr": "year", "year": "year", "annum": "annum",
}  # fmt: skip


def _times(m: re.Match[str], british: bool) -> str:
    """'3x' -> 'three times', '2-3x' -> 'two to three times'."""
    high = numbers.decimal(m["high"], british)
    return f"{numbers.decimal(m['low'], british)} to {high} times" if m["low"] else f"{high} times"


def rules(british: bool) -> list[Rule]:
    """The rules for symbols read as words, in the order they are tried."""
    return [
        Rule(
            "times",
            re.compile(rf"(?<![\w.])(?:(?P<low>{_NUMBER}) ?[-\u2013] ?)?(?P<high>{_NUMBER})[x\u00d7](?![\w\u00d7])"),
            lambda m: _times(m, british),
        ),
        Rule("about", re.compile(r"[~\u2248] ?(?=[$£€¥]?\d)"), lambda m: "about "),
        Rule(
            "per",
            re.compile(rf"(?<=[\d%s])/(?P<unit>{'|'.join(_PER)})\b"),
            lambda m: f" per {_PER[m['unit']]}",
        ),
        Rule("sharp", re.compile(r"(?<![\w#])(?P<note>[A-G])#(?![\w#])"), lambda m: f"{m['note']} sharp"),
        Rule("without", re.compile(r"(?<![\w/])[Ww]/o(?![\w/])"), lambda m: "without"),
        Rule("with", re.compile(r"(?<![\w/])[Ww]/(?=\s)"), lambda m: "with"),
    ]
