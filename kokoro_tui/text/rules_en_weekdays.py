"""English weekday abbreviations: "Tue, Jan 5" -> "Tuesday, Jan 5", "by Fri." -> "by Friday", "Mon-Fri" ->
"Monday to Friday".

"Tue", "Tues", "Thur", "Thurs" and "Fri" are no English words, so they are always a day. "Mon", "Wed", "Thu",
"Sat" and "Sun" are also words or names ("the Sun", "Sat down", "Mon ami", a Vietnamese "Thu"), so they are a
day only where the text shows one is meant: before a date ("Sat, Mar 2", "Sun 12th", "Wed 9am"), next to another
day ("Sat and Sun", "Mon/Wed"), or with the abbreviation's period where a day may stand ("Closed Sun.", "on Sat.",
a line's start), not after other words ("the warm Sun.", "They Wed."). Two days joined by a dash are a range, read "to": "Mon.–Wed." -> "Monday to Wednesday", "Monday–Friday"
too, where the dash would otherwise be a pause.
"""

from __future__ import annotations

import re

from kokoro_tui.text.punctuation import keep_period
from kokoro_tui.text.rewrite import Rule, alternation

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ABBREVIATIONS = {
    "Mon": "Monday", "Tue": "Tuesday", "Tues": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday",
    "Thur": "Thursday", "Thurs": "Thursday", "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday",
}  # fmt: skip
_ALWAYS = frozenset({"Tue", "Tues", "Thur", "Thurs", "Fri"})
_DAY = alternation([*_DAYS, *_ABBREVIATIONS])
_PERIOD = r"(?P<period>\.(?![\w.]))?"
_RANGE = re.compile(rf"(?<![\w.])(?P<first>{_DAY})\.? ?[-\u2013\u2014] ?(?P<second>{_DAY}){_PERIOD}(?![\w-])")
_ABBREVIATION = re.compile(rf"(?<![\w.])(?P<day>{alternation(_ABBREVIATIONS)}){_PERIOD}(?![\w'’-])")
# What joins days in a list or a range: "Sat and Sun", "Mon/Wed", "Mon to Thu".
_JOINED = r"(?: ?[/&,] ?| (?:to|through|thru|and|or) )"
_NEXT_DAY = re.compile(rf"\.?{_JOINED}(?:{_DAY})\b")
_PREVIOUS_DAY = re.compile(rf"\b(?:{_DAY})\.?{_JOINED}$")
# Where an abbreviation's period alone shows a day ("Closed Sun.", "on Sat."): at the start of a line or clause,
# or after a word that a day follows; after any other word it is the noun or verb ("the warm Sun.", "They Wed.").
_DAY_PLACE_BEFORE = re.compile(
    r"(?:^|[\n(,;:]) ?$|\b(?i:on|by|until|till|from|every|each|next|last|this|closed|open|except|day) $"
)


def _full(day: str) -> str:
    return _ABBREVIATIONS.get(day, day)


def _means_a_day(m: re.Match[str], date_after: re.Pattern[str]) -> bool:
    """Whether an abbreviation that is also a word ("Sun", "Sat") is a day here."""
    before = m.string[max(0, m.start() - 20) : m.start()]
    if _NEXT_DAY.match(m.string, m.end()) or _PREVIOUS_DAY.search(before) or date_after.match(m.string, m.end()):
        return True
    return bool(m["period"]) and _DAY_PLACE_BEFORE.search(before) is not None


def rules(month: str) -> list[Rule]:
    """The rules for weekdays, to be tried before dates; ``month`` is the pattern of a month's name."""
    month = rf"(?:{month})\b"
    day = r"\d{1,2}"
    date_after = re.compile(
        rf",? (?:{month}|{day}(?:st|nd|rd|th)\b|{day} {month}|{day}/{day}\b|{day}(?::\d\d)? ?[ap]\.?m\b)"
    )

    def abbreviation(m: re.Match[str]) -> str | None:
        if m["day"] not in _ALWAYS and not _means_a_day(m, date_after):
            return None
        return keep_period(m, _full(m["day"]))

    return [
        Rule("day range", _RANGE, lambda m: keep_period(m, f"{_full(m['first'])} to {_full(m['second'])}")),
        Rule("weekday", _ABBREVIATION, abbreviation),
    ]
