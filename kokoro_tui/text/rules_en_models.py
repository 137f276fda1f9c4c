"""Names with numbers in them: "MiG-29", "Boeing 747-400", "A380", "IEEE 802.11ac".

A number that names a thing is said the way names are, in pairs (``numbers.designation``): "seven
forty-seven", not "seven hundred forty-seven"; "eight oh two".

A word joined to a number by a hyphen ("MiG-29", "AK-47", "COVID-19", "R2-D2", "x86-64") is read run by
run: letters as written, for misaki to say as a word or spell, and digits in words. Left to misaki, such a
token loses its digits wherever spaCy tags it as punctuation (as it tags "MiG-29" ending a text with no
full stop). A name that ends in a size ("Kokoro-82M", "Llama-3-70B") is left to rules_en's size rule.
misaki reads a lone "A" before number words as the article, so the letter of a name ("A320", "A-1") is
joined to its number by hyphens: "A-three-twenty".

An aircraft's model and variant are such names after "Boeing" or "Airbus", and wherever the model can
be nothing else: Airbus's A220 to A380, and Boeing's 707 to 787 with a variant ("747-400", "787-9",
"777-300ER") or before "MAX". A range goes up, so "747-400" is no range, while "727-737" stays one.

IEEE standards with a part after a dot are read "eight oh two dot eleven": 802.x anywhere, any other
number after "IEEE" ("IEEE 1394.1"), with an amendment's letters spelled ("802.11ac" -> "A-C", joined so
that misaki does not read "A" as the article) and a revision's year ("802.11-2020"). Before a unit
("802.5 kg") it is a measure; a number with no part ("IEEE 754") is left to the number rules.

A number with one letter after it names a house, a flat or a room ("221B Baker St.", "aisle 5B", "flat 3a"), said
in pairs with the letter spelled ("two twenty-one B"), where a street's name follows, a word for a place comes first
("aisle", "room", "flat"), or a capitalised word follows that is no plural ("221B Baker", not "10M Americans"). A
letter that is also a unit or a scale after a number ("12m", "5k", "3x") is one only where a street follows; elsewhere
"16B parameters" and "$5B" are counts, left to rules_en's scale rules.
"""

from __future__ import annotations

import re

from kokoro_tui.text import numbers
from kokoro_tui.text.rewrite import Rule
from kokoro_tui.text.rules_en_units import UNITS
from kokoro_tui.text.rules_en_versions import measure_follows, part

# The letter that misaki takes for the article before a number word.
LETTER_A = "A"
_RUN = re.compile(r"[A-Za-z]+|\d+")
_PART = r"[A-Za-z]*\d+[A-Z]*|[A-Za-z]+"
# A word of letter and digit runs joined by hyphens, starting with a letter, with a digit beside a hyphen;
# not a file's or a site's name ("kokoro-int8.onnx").
_HYPHENATED = re.compile(
    rf"(?<![\w.,/@'’$£€¥-])(?=[A-Za-z][\w-]*?(?:-\d|\d-))(?:{_PART})(?:-(?:{_PART}))+(?![\w-]|,\d|[./]\w)"
)
_SIZE = re.compile(r"\d+[KMB]")
_AIRCRAFT = re.compile(
    r"(?<![\w.,$£€¥-])(?P<family>A?)(?P<model>[1-9]\d\d)[A-Z]{0,3}"
    r"(?:-(?P<variant>\d{1,4})(?P<variant_letters>[A-Z]{0,3}))?(?![\w-]|[.,]\d)"
)
_MAKER_BEFORE = re.compile(r"\b(?:Boeing|Airbus) $")
_AIRBUS_FAMILIES = "23"
_BOEING_MODEL = re.compile(r"7[0-8]7")
_MAX_AFTER = re.compile(r" MAX\b")
_STANDARD = re.compile(
    r"(?<![\w.,$£€¥-])(?P<number>\d{3,4})(?P<parts>(?:\.\d+)+)(?P<amendment>[a-z]{1,2}|[A-Z]{1,2})?"
    r"(?:-(?P<year>\d{4}))?(?![\w-]|[.,]\d)"
)
_IEEE_BEFORE = re.compile(r"\bIEEE $")
_IEEE_802 = "802"
_HOUSE = re.compile(r"(?<![\w.,$£€¥#-])(?P<number>\d{1,4})(?P<letter>[A-Za-z])(?![\w'’-])")
_STREET_TYPES = (
    "Street St Road Rd Avenue Ave Lane Ln Drive Dr Boulevard Blvd Way Place Pl Court Ct Terrace Crescent "
    "Square Sq Close Row Parkway Gardens"
)
_STREET_AFTER = re.compile(rf"(?: [A-Z][a-z]+){{1,3}}\.? (?:{'|'.join(_STREET_TYPES.split())})\b")
_PLACE_BEFORE = re.compile(
    r"\b(?:aisle|apartment|apt|bay|berth|block|booth|building|cabin|flat|gate|locker|platform|room|row|seat|stall"
    r"|stand|suite|terminal|unit|ward)\.? $",
    re.I,
)
_NAME_AFTER = re.compile(r" [A-Z][a-z]*[a-rt-z]\b")
# Letters that say something else after a number: a unit ("12m", "5V"), thousands ("5k") or times ("3x").
_NOT_HOUSE_LETTERS = frozenset(symbol for symbol in UNITS if len(symbol) == 1) | set("kKx")


def _say_runs(text: str, british: bool) -> str:
    """'MiG-29' -> 'MiG twenty-nine', 'A380-800' -> 'A-three-eighty eight hundred': letters as written, digits
    as a name, a lone "A" joined to the number beside it ("5A" -> 'five-A')."""
    said: list[str] = []
    after_number = False
    for run in _RUN.findall(text):
        if not run.isdecimal():
            if run == LETTER_A and after_number:
                said[-1] += "-" + run
            else:
                said.append(run)
        elif said and said[-1] == LETTER_A:
            said[-1] += "-" + numbers.designation(run, british).replace(" ", "-")
        else:
            said.append(numbers.designation(run, british))
        after_number = run.isdecimal()
    return " ".join(said)


def _hyphenated(m: re.Match[str], british: bool) -> str | None:
    """'MiG-29' -> 'MiG twenty-nine'; a size at the end ('Llama-3-70B') is left to rules_en's size rule."""
    if _SIZE.fullmatch(m.group().rsplit("-", 1)[1]):
        return None
    return _say_runs(m.group(), british)


def _preceded(m: re.Match[str], pattern: re.Pattern[str], reach: int = 8) -> bool:
    """Whether ``pattern`` (a maker, "IEEE", a word for a place) ends right before the match, within ``reach``."""
    return pattern.search(m.string, max(0, m.start() - reach), m.start()) is not None


def _boeing_variant(model: str, variant: str | None, letters: str) -> bool:
    """Whether '-variant' after a Boeing model is a variant, not a range's top: letters, round hundreds or
    a number below the model's ("747-400", "737-800", "787-9", "777-300ER"; "727-737" is a range)."""
    if variant is None:
        return False
    return bool(letters) or variant.endswith("00") or int(variant) < int(model)


def _only_aircraft(m: re.Match[str]) -> bool:
    """Whether the model can be nothing else: an Airbus A2xx or A3xx, a Boeing 7x7 with a variant or before MAX."""
    model = m["model"]
    if m["family"]:
        return model[0] in _AIRBUS_FAMILIES
    if _BOEING_MODEL.fullmatch(model) is None:
        return False
    return _boeing_variant(model, m["variant"], m["variant_letters"]) or bool(_MAX_AFTER.match(m.string, m.end()))


def _aircraft(m: re.Match[str], british: bool) -> str | None:
    """'747-400' -> 'seven forty-seven four hundred', 'A320' -> 'A-three-twenty'."""
    if not (_only_aircraft(m) or _preceded(m, _MAKER_BEFORE)):
        return None
    return _say_runs(m.group(), british)


def _standard(m: re.Match[str], british: bool) -> str | None:
    """'802.11ac' -> 'eight oh two dot eleven A-C'; '802.11-2020' -> 'eight oh two dot eleven twenty twenty'."""
    if not (m["number"] == _IEEE_802 or _preceded(m, _IEEE_BEFORE)) or measure_follows(m):
        return None
    said = [numbers.designation(m["number"], british)] + [part(piece) for piece in m["parts"].split(".")[1:]]
    spoken = " dot ".join(said)
    if m["amendment"]:
        spoken += " " + "-".join(m["amendment"].upper())
    if m["year"]:
        spoken += " " + numbers.year(int(m["year"]), british)
    return spoken


def _house(m: re.Match[str], british: bool) -> str | None:
    """'221B' before "Baker St." or after "aisle" -> 'two twenty-one B'; 'flat 3a' -> 'flat three-A'."""
    letter = m["letter"]
    if _STREET_AFTER.match(m.string, m.end()) is None:
        if letter in _NOT_HOUSE_LETTERS:
            return None
        named = letter.isupper() and _NAME_AFTER.match(m.string, m.end()) is not None
        if not (named or _preceded(m, _PLACE_BEFORE, 12)):
            return None
    return _say_runs(m["number"] + letter.upper(), british)


def rules(british: bool) -> list[Rule]:
    """Standards, aircraft and hyphenated names, to be tried before versions, ranges and plain numbers."""
    return [
        Rule("standard number", _STANDARD, lambda m: _standard(m, british)),
        Rule("aircraft model", _AIRCRAFT, lambda m: _aircraft(m, british)),
        Rule("hyphenated name", _HYPHENATED, lambda m: _hyphenated(m, british)),
        Rule("house number", _HOUSE, lambda m: _house(m, british)),
    ]
