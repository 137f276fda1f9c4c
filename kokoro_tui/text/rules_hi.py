"""Hindi reading rules: what espeak-ng's Hindi voice gets wrong with numbers.

espeak-ng reads a plain integer in Hindi ("2024" -> दो हज़ार चौबीस), so numbers stay digits
wherever that is right, and the rules only rewrite around them: a phone number or a code is
said digit by digit in Hindi words (espeak would read "9876543210" as arab and crore), the
commas of "1,23,456" are dropped (espeak pauses at them), "3.5" gets दशमलव, "5/3/2024"
becomes "5 मार्च 2024", "3:45" "3 बजकर 45 मिनट", and "₹500" "500 रुपये" (espeak drops ₹).
"₹5 लाख" is "5 लाख रुपये", "10:30 बजे" says बजे once, "-2" is माइनस 2, and a year of a date
or after सन् is said in hundreds ("19 सौ 47", which espeak reads उन्नीस सौ सैंतालीस).
Units and abbreviations are in rules_hi_units and rules_hi_abbreviations.
num2words has no Hindi, which is why the digits are left to espeak.
"""

from __future__ import annotations

import re

from kokoro_tui.text.digit_strings import (
    GROUPED,
    LONGEST_ROUND,
    PHONE,
    phone_digits,
    reads_as_digits,
    spell,
    spell_phone,
)
from kokoro_tui.text.rewrite import Rule
from kokoro_tui.text.rules_hi_abbreviations import RULES as ABBREVIATIONS
from kokoro_tui.text.rules_hi_letters import LETTER
from kokoro_tui.text.rules_hi_units import END, SYMBOLS, UNITS

DIGITS = ("शून्य", "एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ")
MONTHS = (
    "जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून",
    "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर",
)  # fmt: skip
_RUPEES = ("रुपया", "रुपये", "पैसे")
_CURRENCIES = {  # symbol -> (one, many, hundredths)
    **dict.fromkeys(("₹", "Rs.", "रु.", "रु"), _RUPEES),
    "$": ("डॉलर", "डॉलर", "सेंट"),
    "€": ("यूरो", "यूरो", "सेंट"),
}

# Scale words said between an amount and its currency: "₹5 लाख" is "5 लाख रुपये".
# ड़ and ज़ are typed as a letter and a nukta, as one precomposed letter, or without the nukta.
_SCALES = ("लाख", "करो\u0921\u093c", "करो\u095c", "करोड", "ह\u091c\u093cार", "ह\u095bार", "हजार", "अरब")
# The year of a date or after सन्/वर्ष is said in hundreds: 1947 is "उन्नीस सौ सैंतालीस".
_YEAR_BEFORE = re.compile(rf"(?<!{LETTER})(?:{'|'.join((*MONTHS, 'सन्', 'सन', 'वर्ष', 'साल'))}) $")
# Indian grouping ("1,23,456") and Western ("123,456").
_NUMBER = r"\d{1,3}(?:,\d{2,3})*,\d{3}(?:\.\d+)?|\d+(?:\.\d+)?"
_MOBILE = re.compile(r"(?<![\w+.,-])[6-9]\d{4}[ -]?\d{5}(?![\w-])")


def _plain(text: str) -> str:
    """'1,23,456.5' -> '123456 दशमलव 5': digits espeak reads as a number, the fraction digit by digit."""
    grouped = "," in text
    whole, _, fraction = text.replace(",", "").partition(".")
    code = len(whole) > LONGEST_ROUND or (not grouped and reads_as_digits(whole))
    spoken = spell(whole, DIGITS) if code else whole
    return f"{spoken} दशमलव {spell(fraction, DIGITS)}" if fraction else spoken


def _phone(m: re.Match[str], grouped: bool = False) -> str | None:
    found = phone_digits(m.group(), grouped)
    return None if found is None else spell_phone(m.group(), found, DIGITS, "प्लस")


def _year(text: str) -> str:
    """'1947' -> '19 सौ 47' (espeak says उन्नीस सौ सैंतालीस); 2024 stays दो हज़ार चौबीस."""
    year = int(text)
    if not 1100 <= year <= 1999:
        return text
    hundreds, rest = divmod(year, 100)
    return f"{hundreds} सौ {rest}" if rest else f"{hundreds} सौ"


def _named_year(m: re.Match[str]) -> str | None:
    """A year after a month, सन् or वर्ष ("अगस्त 1947", "सन् 1857"), in hundreds where it is said so."""
    spoken = _year(m["year"])
    named = _YEAR_BEFORE.search(m.string, max(0, m.start() - 12), m.start())
    return spoken if named and spoken != m["year"] else None


def _date(m: re.Match[str]) -> str | None:
    day, month = int(m["day"]), int(m["month"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{day} {MONTHS[month - 1]} {_year(m['year'])}"


def _time(m: re.Match[str]) -> str | None:
    hour, minute = int(m["hour"]), int(m["minute"])
    if hour > 24 or minute > 59:
        return None
    return f"{hour} बजे" if minute == 0 else f"{hour} बजकर {minute} मिनट"


def _money(m: re.Match[str]) -> str:
    one, many, cents = _CURRENCIES[m["currency"]]
    if m["scale"]:
        return f"{_plain(m['amount'])} {m['scale']} {many}"
    whole, _, fraction = m["amount"].replace(",", "").partition(".")
    amount = len(whole) <= LONGEST_ROUND and ("," in m["amount"] or not reads_as_digits(whole))
    if amount and len(fraction) in (0, 2):
        spoken = f"{whole} {one if whole == '1' else many}"
        return spoken + (f" {int(fraction)} {cents}" if fraction and int(fraction) else "")
    return f"{_plain(m['amount'])} {many}"


def _mobile(m: re.Match[str]) -> str:
    """'9876543210' -> two groups of five, as Indian mobile numbers are written and said."""
    run = re.sub(r"\D", "", m.group())
    return spell_phone("", [run[:5], run[5:]], DIGITS, "")


def rules() -> list[Rule]:
    return [
        *ABBREVIATIONS,
        Rule(
            "date",
            re.compile(r"(?<![\w.,/-])(?P<day>\d{1,2})([/.-])(?P<month>\d{1,2})\2(?P<year>\d{4})(?![\w/-]|[.,]\d)"),
            _date,
        ),
        Rule("mobile", _MOBILE, _mobile),
        Rule("phone", PHONE, _phone),
        Rule("grouped phone", GROUPED, lambda m: _phone(m, grouped=True)),
        Rule(
            "money",
            re.compile(
                rf"(?<![\w.,])(?P<currency>₹|Rs\.|रु\.|रु|[$€]) ?(?P<amount>{_NUMBER})(?!\w|[.,]\d)"
                rf"(?: (?P<scale>{'|'.join(_SCALES)})(?!{LETTER}))?"
            ),
            _money,
        ),
        Rule(
            "percent",
            re.compile(rf"(?<![\w.,])(?P<amount>{_NUMBER}) ?%"),
            lambda m: f"{_plain(m['amount'])} प्रतिशत",
        ),
        Rule(
            "measure",
            re.compile(rf"(?<![\w.,])(?P<amount>{_NUMBER}) ?(?P<unit>{SYMBOLS}){END}"),
            lambda m: f"{_plain(m['amount'])} {UNITS[m['unit']]}",
        ),
        # "10:30 बजे": the time already says बजकर, so the बजे written after it is not said again.
        Rule(
            "time",
            re.compile(rf"(?<![\w:.,])(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?![\w:])(?: बजे(?!{LETTER}))?"),
            _time,
        ),
        Rule(
            "year",
            re.compile(r"(?<![\w.,])(?P<year>\d{4})(?![\w.,]\d|\d)"),
            _named_year,
        ),
        # espeak-ng drops the sign of "-5"; Hindi weather reports say माइनस.
        Rule("minus", re.compile(r"(?<![\w.,-])[-\u2212](?=\d)"), lambda m: "माइनस "),
        Rule(
            "number",
            re.compile(rf"(?<![\w.,])(?:{_NUMBER})(?!\w|[.,]\d)"),
            lambda m: None if m.group().isdecimal() and not reads_as_digits(m.group()) else _plain(m.group()),
        ),
    ]
