"""English units after a number: "10 km" is read "ten kilometers" (GB "kilometres").

A symbol is only a unit right after a number, so "m" or "in" elsewhere stay words. Symbols
that are also common words or letters ("in", "s", "h") need more evidence, written below.
The number is read as a quantity, never as a year: "1984 km" is not "nineteen eighty-four".
An abbreviation's period ("6 ft. tall") is read with the unit and kept only where it ends a sentence.

A duration written in parts, hours before minutes before seconds ("3h 20m", "1h30m", "2h 15min", "1m 30s"), is read
part by part: an "m" after hours or before seconds is minutes, while "20m" alone stays meters. Seconds alone written
"45s" are seconds where the number has two digits and is no decade ("the 30s"); "5s" or "1s and 0s" may be plurals,
and "404s" status codes.
"""

from __future__ import annotations

import re

from kokoro_tui.text import numbers
from kokoro_tui.text.punctuation import keep_period
from kokoro_tui.text.rewrite import Rule

# symbol -> (singular, plural), American spelling; British swaps "-meter"/"-liter" endings.
UNITS: dict[str, tuple[str, str]] = {
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "mph": ("mile per hour", "miles per hour"),
    "m/s": ("meter per second", "meters per second"),
    "TB/s": ("terabyte per second", "terabytes per second"),
    "GB/s": ("gigabyte per second", "gigabytes per second"),
    "MB/s": ("megabyte per second", "megabytes per second"),
    "KB/s": ("kilobyte per second", "kilobytes per second"),
    "kB/s": ("kilobyte per second", "kilobytes per second"),
    "Gbps": ("gigabit per second", "gigabits per second"),
    "Mbps": ("megabit per second", "megabits per second"),
    "kbps": ("kilobit per second", "kilobits per second"),
    "Kbps": ("kilobit per second", "kilobits per second"),
    "km": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "m": ("meter", "meters"),
    "mi": ("mile", "miles"),
    "ft": ("foot", "feet"),
    "in": ("inch", "inches"),
    "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"),
    "g": ("gram", "grams"),
    "lbs": ("pound", "pounds"),
    "lb": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"),
    "l": ("liter", "liters"),
    "L": ("liter", "liters"),
    "TB": ("terabyte", "terabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "MB": ("megabyte", "megabytes"),
    "KB": ("kilobyte", "kilobytes"),
    "kB": ("kilobyte", "kilobytes"),
    "px": ("pixel", "pixels"),
    "GHz": ("gigahertz", "gigahertz"),
    "MHz": ("megahertz", "megahertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "Hz": ("hertz", "hertz"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "kW": ("kilowatt", "kilowatts"),
    "W": ("watt", "watts"),
    "V": ("volt", "volts"),
    "ms": ("millisecond", "milliseconds"),
    "secs": ("second", "seconds"),
    "sec": ("second", "seconds"),
    "mins": ("minute", "minutes"),
    "min": ("minute", "minutes"),
    "hrs": ("hour", "hours"),
    "hr": ("hour", "hours"),
    "h": ("hour", "hours"),
    "s": ("second", "seconds"),
    "wks": ("week", "weeks"),
    "wk": ("week", "weeks"),
    "mos": ("month", "months"),
    "mo": ("month", "months"),
    "yrs": ("year", "years"),
    "yr": ("year", "years"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
}
# "in" is a unit only where the preposition could not be: "12 in." at a line's end is not enough.
_INCH_CONTEXT = r"(?=\s*(?:$|[,;)])|\.?\s*(?:[x×]\s*\d|by\b|(?:long|wide|tall|high|deep|thick|screen|display)\b))"
# Bare "s" and "h" right after digits ("5s", "3h") could be plurals; they need a space or a decimal.
_NEEDS_GAP = {"s", "h"}
_NUMBER = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# One part of a duration, "3h", "20 min", "30s"; its kind is the symbol's first letter, in the order they are written,
# and the kind's unit names it ("m" there is "min").
_DURATION_PART = re.compile(r"(\d+) ?(hrs?|h|mins?|m|secs?|s)(?![a-z])")
_DURATION_UNITS = {"h": "h", "m": "min", "s": "s"}
_KINDS = list(_DURATION_UNITS)
_DURATION = re.compile(rf"(?<![\w.,-])(?:{_DURATION_PART.pattern} ?)*{_DURATION_PART.pattern}(?![\w/])")


def _symbol_pattern() -> str:
    symbols = sorted(UNITS, key=len, reverse=True)
    parts = []
    for symbol in symbols:
        escaped = re.escape(symbol).replace("°", "° ?")
        parts.append(escaped + (_INCH_CONTEXT if symbol == "in" else ""))
    return "|".join(parts)


# A unit symbol and what may follow it; the group ``unit`` holds the symbol.
SYMBOL = rf"(?P<unit>{_symbol_pattern()})(?![\w/°])(?:\.(?![\w.]))?"
PATTERN = re.compile(rf"(?<![\w.,-])(?:(?P<low>{_NUMBER}) ?[-\u2013] ?)?(?P<number>{_NUMBER})(?P<gap> ?){SYMBOL}")


def british_name(name: str) -> str:
    """The British spelling of a unit's name: 'kilometers' -> 'kilometres'."""
    return name.replace("meter", "metre").replace("liter", "litre")


def speak(m: re.Match[str], british: bool) -> str | None:
    """'10 km' -> 'ten kilometers', '1 ft' -> 'one foot', '5-10 kg' -> 'five to ten kilograms'."""
    unit = m["unit"].replace(" ", "")
    if unit in _NEEDS_GAP and not m["gap"] and "." not in m["number"]:
        return None
    amount = numbers.decimal(m["number"], british)
    if m["low"]:
        amount = f"{numbers.decimal(m['low'], british)} to {amount}"
    count = "" if m["low"] else m["number"]
    return keep_period(m, f"{amount} {unit_name(unit, count, british)}")


def unit_name(symbol: str, number: str, british: bool) -> str:
    """The name of the unit ``symbol`` after the written ``number``: singular after "1" alone."""
    singular, plural = UNITS[symbol.replace(" ", "")]
    name = singular if number.lstrip("-") == "1" else plural
    return british_name(name) if british else name


def rule(british: bool) -> Rule:
    return Rule("unit", PATTERN, lambda m: speak(m, british))


def duration_rule(british: bool) -> Rule:
    """The rule for durations written in parts, to be tried before ``rule``, which would read "1m" as meters."""
    return Rule("duration", _DURATION, lambda m: _duration(m, british))


def _duration(m: re.Match[str], british: bool) -> str | None:
    """'3h 20m' -> 'three hours twenty minutes'; '45s' -> 'forty-five seconds'."""
    parts = [(number, symbol[0]) for number, symbol in _DURATION_PART.findall(m.group())]
    kinds = [_KINDS.index(kind) for _, kind in parts]
    if len(parts) == 1:
        number, kind = parts[0]
        if kind != "s" or len(number) != 2 or number.endswith("0"):
            return None
    elif kinds != sorted(set(kinds)):
        return None
    return " ".join(
        f"{numbers.cardinal(int(number), british)} {unit_name(_DURATION_UNITS[kind], number, british)}"
        for number, kind in parts
    )
