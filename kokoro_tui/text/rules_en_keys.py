"""English key chords: "Ctrl+C" -> "control C", "Alt+F4" -> "alt F four", "Ctrl-Alt-Del" -> "control alt delete".

A chord starts with a modifier key (Ctrl, Alt, Shift, Cmd, Option, Win, Fn...) joined by "+" or "-" to more
keys, so "C++", "1+1" and "win-win" are left alone. Each key is said by its name:
modifiers and named keys in words ("command", "escape", "page up"), a letter spelled in capitals, a function
key as "F" and its number, a digit or a symbol ("+", "-", "=", "/") by its name. misaki reads a lone "A" as
the article, so a chord's last letter "A" is joined to the key before it ("control-A").
"""

from __future__ import annotations

import re

from kokoro_tui.text import numbers
from kokoro_tui.text.rewrite import Rule, alternation
from kokoro_tui.text.rules_en_models import LETTER_A

_MODIFIERS = {
    "ctrl": "control", "control": "control", "alt": "alt", "shift": "shift", "cmd": "command", "command": "command",
    "opt": "option", "option": "option", "win": "windows", "super": "super", "meta": "meta", "fn": "function",
}  # fmt: skip
_NAMED = {
    "tab": "tab", "del": "delete", "delete": "delete", "esc": "escape", "escape": "escape", "enter": "enter",
    "return": "return", "space": "space", "backspace": "backspace", "home": "home", "end": "end", "ins": "insert",
    "insert": "insert", "pgup": "page up", "pgdn": "page down", "up": "up", "down": "down", "left": "left",
    "right": "right",
}  # fmt: skip
_SYMBOLS = {"+": "plus", "-": "minus", "=": "equals", "/": "slash"}
_JOIN = r" ?\+ ?|-"
_MODIFIER = rf"(?i:{alternation(_MODIFIERS)})"
_FUNCTION_KEY = r"[Ff](?:1[0-2]|[1-9])(?!\d)"
_KEY = rf"(?i:{alternation(_NAMED)})(?![A-Za-z])|{_FUNCTION_KEY}|[A-Za-z0-9](?!\w)|{alternation(_SYMBOLS)}"
_CHORD = re.compile(rf"(?<![\w+-])(?:{_MODIFIER}(?:{_JOIN}))+(?:{_KEY})(?![\w+]|-\w)")
_PARTS = re.compile(rf"(?P<modifier>{_MODIFIER})(?:{_JOIN})|(?P<key>{_KEY})")


def _key(key: str) -> str:
    """One key's name: 'Del' -> 'delete', 'F4' -> 'F four', 'c' -> 'C', '+' -> 'plus'."""
    if key.lower() in _NAMED:
        return _NAMED[key.lower()]
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    if key.isdecimal():
        return numbers.cardinal(int(key))
    if len(key) > 1:
        return f"F {numbers.cardinal(int(key[1:]))}"
    return key.upper()


def _chord(m: re.Match[str]) -> str:
    """'Ctrl+Shift+T' -> 'control shift T'; 'Ctrl+A' -> 'control-A'."""
    said = []
    for part in _PARTS.finditer(m.group()):
        if part["modifier"]:
            said.append(_MODIFIERS[part["modifier"].lower()])
        else:
            said.append(_key(part["key"]))
    if said[-1] == LETTER_A:
        said[-2:] = ["-".join(said[-2:])]
    return " ".join(said)


RULE = Rule("key chord", _CHORD, _chord)
