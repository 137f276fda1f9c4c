"""Reading rules for Spanish, French, Italian and Brazilian Portuguese, built from a Lexicon.

espeak-ng reads a plain integer well in these languages ("23" -> veintitrés), so plain
integers are left to it. What it garbles is rewritten: a phone number said as one huge
cardinal, "5/3/2024" as "cinco barra tres barra ...", "3,5" as "tres, cinco" with a pause,
"1.234" as "uno. doscientos ...", "3:45" with its colon, "$12" as "dólar doce" and "5 €" as
"cinco euro". Thousands are grouped with "." (and spaces in French); the decimal mark is
the comma, and a lone "." that does not group thousands is read as an English decimal point.
Abbreviations, e-mail and web addresses, written ordinals, Roman numerals, fractions, units and
rates ("2 €/kg") have their own modules (rules_romance_abbreviations, _addresses, _ordinals,
_roman, _fractions, _units, _rates), listed first here or where their patterns must win over a
plain number's. A range of amounts is read as one: "1.000-2.000 €" is "mil a dos mil euros",
"5-10 %" "cinco a diez por ciento".
"""

from __future__ import annotations

import re

from kokoro_tui.text import (
    rules_romance_abbreviations,
    rules_romance_addresses,
    rules_romance_fractions,
    rules_romance_ordinals,
    rules_romance_rates,
    rules_romance_roman,
)
from kokoro_tui.text.digit_strings import (
    GROUPED,
    LONGEST_ROUND,
    PHONE,
    is_thousands,
    phone_digits,
    reads_as_digits,
    spell,
)
from kokoro_tui.text.rewrite import Rule
from kokoro_tui.text.romance_words import LEXICONS, Lexicon, cardinal, counting, plain_digits, with_noun
from kokoro_tui.text.rules_romance_ordinals import word_before
from kokoro_tui.text.rules_romance_units import measure_words, symbols


def _number_pattern(lex: Lexicon) -> str:
    separators = re.escape(lex.thousands)
    return rf"\d{{1,3}}(?:[{separators}]\d{{3}})+(?:,\d+)?|\d+(?:[.,]\d+)?"


def split_number(lex: Lexicon, text: str) -> tuple[str, str, str]:
    """'1.234,5' -> ('1234', '5', comma word); '3.5' -> ('3', '5', point word); '1 234' -> ('1234', '', '')."""
    whole, comma, fraction = text.partition(",")
    if not comma and "." in whole and not is_thousands(whole, "."):
        whole, _, fraction = whole.partition(".")
        return whole, fraction, lex.point
    return re.sub(r"\D", "", whole), fraction, lex.comma if comma else ""


def _grouped(lex: Lexicon, text: str) -> bool:
    """Whether the writer grouped the thousands of ``text`` ("1.234.567", "1 234")."""
    return is_thousands(text.partition(",")[0], lex.thousands)


def integer_words(lex: Lexicon, digits: str, grouped: bool = False) -> str:
    """A whole number in words, or digit by digit when it is a code ("007", "12345678901").

    ``grouped``: the writer grouped its thousands, so it is an amount however long.
    """
    if len(digits) > LONGEST_ROUND or (not grouped and reads_as_digits(digits)):
        return spell(digits, plain_digits(lex))
    return cardinal(lex, int(digits))


def number_words(lex: Lexicon, text: str) -> str:
    """'3,14' -> 'tres coma catorce'; a fraction of three digits or a leading zero digit by digit."""
    whole, fraction, mark = split_number(lex, text)
    spoken = integer_words(lex, whole, _grouped(lex, text))
    if fraction:
        short = len(fraction) <= 2 and not fraction.startswith("0")
        spoken += f" {mark} " + (cardinal(lex, int(fraction)) if short else spell(fraction, plain_digits(lex)))
    return spoken


def _full_year(text: str) -> int:
    value = int(text)
    return value + (2000 if value < 50 else 1900) if len(text) == 2 else value


def date_words(lex: Lexicon, year: int, month: int, day: int) -> str | None:
    """'cinco de marzo de dos mil veinticuatro', 'premier mars deux mille vingt-quatre'."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    spoken_day = lex.first_day if day == 1 else cardinal(lex, day)
    return lex.date.format(day=spoken_day, month=lex.months[month - 1], year=cardinal(lex, year))


def money_words(lex: Lexicon, symbol: str, amount: str, scale: str | None = None) -> str:
    """'5,50 €' -> 'cinco euros con cincuenta céntimos'; 'R$ 1' -> 'um real'.

    A scale word written after the amount comes before the currency: "€1,5 millones" is
    "uno coma cinco millones de euros", "R$ 10 mil" "dez mil reais".
    """
    currency = lex.currencies[symbol]
    if scale:
        return with_noun(lex, with_noun(lex, number_words(lex, amount), scale), currency.many)
    whole, fraction, _ = split_number(lex, amount)
    code = len(whole) > LONGEST_ROUND or (not _grouped(lex, amount) and reads_as_digits(whole))
    if code or (fraction and len(fraction) != 2):
        return f"{number_words(lex, amount)} {currency.many}"
    major, minor = int(whole), int(fraction or 0)
    parts = []
    if major or not minor:
        parts.append(counting(lex, major, currency.one if major == 1 else currency.many))
    if minor:
        parts.append(counting(lex, minor, currency.cent if minor == 1 else currency.cents))
    return f" {lex.money_and} ".join(parts)


def money_range(lex: Lexicon, symbol: str, low: str, high: str, scale: str | None = None) -> str:
    """'1.000-2.000 €' -> 'mil a dos mil euros'; where one has cents, both are said as money."""
    cents = not scale and any(len(split_number(lex, amount)[1]) == 2 for amount in (low, high))
    spoken_low = money_words(lex, symbol, low) if cents else number_words(lex, low)
    return f"{spoken_low} {lex.to} {money_words(lex, symbol, high, scale)}"


def phone_words(lex: Lexicon, text: str, found: list[str]) -> str:
    """Digit by digit with pauses; French pairs ("01 23 45") as "zéro un, vingt-trois, quarante-cinq"."""
    plus = text.startswith("+")
    local = found[1:] if plus else found
    if lex.phone_pairs and all(len(group) <= 2 for group in local):
        spoken = [
            f"{lex.digits[0]} {lex.digits[int(group[1])]}" if len(group) == 2 and group[0] == "0"
            else cardinal(lex, int(group))
            for group in found
        ]  # fmt: skip
        if plus:
            spoken[0] = f"{lex.plus} {cardinal(lex, int(found[0]))}"
        return ", ".join(spoken)
    spoken = [spell(group, lex.digits) for group in found]
    if plus:
        spoken[0] = f"{lex.plus} {spoken[0]}"
    return ", ".join(spoken)


def clock_words(lex: Lexicon, hour: int, minute: int, second: int | None) -> str | None:
    if hour > 24 or minute > 59 or (second is not None and second > 59):
        return None
    spoken = lex.clock(lex, hour, minute)
    if second:
        joiner, unit = lex.seconds
        spoken += f" {joiner} {cardinal(lex, second)} {unit}"
    return spoken


_FRENCH_CODE = "f"
_AROUND_THE_CLOCK = re.compile(r"(?<![\w.,/])(?P<count>\d{1,3}) ?(?P<unit>[hj]) ?/ ?(?P<whole>\d{1,3})(?![\w/]|[.,]\d)")
_FRENCH_SPANS = {"h": "heures", "j": "jours"}


def _around_the_clock(m: re.Match[str]) -> str:
    """'24h/24' -> '24 heures sur 24', '7j/7' -> '7 jours sur 7' (espeak-ng says the integers)."""
    return f"{m['count']} {_FRENCH_SPANS[m['unit']]} sur {m['whole']}"


def rules(code: str) -> list[Rule]:
    """The rules for language ``code`` (e, f, i or p), most specific first."""
    lex = LEXICONS[code]
    number = _number_pattern(lex)
    scales = "|".join((*lex.scales, lex.thousand))

    def phone(m: re.Match[str], grouped: bool = False) -> str | None:
        text = m.group()
        found = phone_digits(text, grouped)
        # "1.234.567" and "10.000-20.000" are amounts where "." or " " groups thousands.
        amounts = any(is_thousands(part.strip(), lex.thousands) for part in re.split(r"[-\u2013]", text))
        if found is None or (grouped and amounts):
            return None
        return phone_words(lex, text, found)

    def numeric_date(m: re.Match[str]) -> str | None:
        if m["sep"] == "." and len(m["year"]) == 2:
            return None  # "1.2.24" is as likely a version as a date
        return date_words(lex, _full_year(m["year"]), int(m["month"]), int(m["day"]))

    def time(m: re.Match[str]) -> str | None:
        return clock_words(lex, int(m["hour"]), int(m["minute"] or 0), int(m["second"]) if m["second"] else None)

    def plain_number(m: re.Match[str]) -> str | None:
        text = m.group()
        if text.isdecimal() and not reads_as_digits(text):
            return None  # espeak-ng reads a plain integer in its own language
        return number_words(lex, text)

    def quantity(text: str) -> str:
        return text if text.isdecimal() and not reads_as_digits(text) else number_words(lex, text)

    def spoken_range(m: re.Match[str]) -> str:
        """'5-10' -> 'cinco a diez' and '10' -> 'diez', for the amount of a percentage."""
        amount = number_words(lex, m["amount"])
        return f"{number_words(lex, m['low'])} {lex.to} {amount}" if m["low"] else amount

    def money(m: re.Match[str]) -> str:
        if m["low"]:
            return money_range(lex, m["currency"], m["low"], m["amount"], m["scale"])
        return money_words(lex, m["currency"], m["amount"], m["scale"])

    def measure(m: re.Match[str]) -> str:
        whole, fraction, _ = split_number(lex, m["amount"])
        if len(whole) > LONGEST_ROUND or (not _grouped(lex, m["amount"]) and reads_as_digits(whole)):
            return f"{number_words(lex, m['amount'])} {m['unit']}"
        spoken = measure_words(code, m["unit"], int(whole), fraction, number_words(lex, m["amount"]))
        return f"{number_words(lex, m['low'])} {lex.to} {spoken}" if m["low"] else spoken

    rules_list = [
        *rules_romance_abbreviations.rules(code),
        *rules_romance_addresses.rules(code),
        *rules_romance_ordinals.rules(code),
        *rules_romance_roman.rules(code),
        Rule(
            "iso date",
            re.compile(r"(?<![\w.,/-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w/-])"),
            lambda m: date_words(lex, int(m["year"]), int(m["month"]), int(m["day"])),
        ),
        Rule(
            "numeric date",
            re.compile(
                r"(?<![\w.,/-])(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
                r"(?![\w/-]|[.,]\d)"
            ),
            numeric_date,
        ),
        *rules_romance_fractions.rules(code),
        Rule("phone", PHONE, phone),
        Rule("grouped phone", GROUPED, lambda m: phone(m, grouped=True)),
        Rule(
            "money",
            re.compile(
                rf"(?<![\w.,])(?:US)?(?P<currency>R\$|[€$]) ?(?:(?P<low>{number}) ?[-\u2013] ?(?:US)?(?P=currency)? ?)?"
                rf"(?P<amount>{number})(?!\w|[.,]\d)(?: (?P<scale>{scales})(?!\w))?"
            ),
            money,
        ),
        Rule(
            "money after",
            re.compile(
                rf"(?<![\w.,])(?:(?P<low>{number}) ?(?:R\$|[€$])? ?[-\u2013] ?)?"
                rf"(?P<amount>{number}) ?(?:(?P<scale>{scales})(?: de| d'| di)? ?)?(?P<currency>R\$|[€$])"
            ),
            money,
        ),
        Rule(
            "percent",
            re.compile(rf"(?<![\w.,])(?:(?P<low>{number}) ?%? ?[-\u2013] ?)?(?P<amount>{number}) ?%"),
            lambda m: f"{spoken_range(m)} {lex.percent}",
        ),
        Rule(
            "measure",
            re.compile(
                rf"(?<![\w.,])(?:(?P<low>{number}) ?[-\u2013] ?)?(?P<amount>{number}) ?(?P<unit>{symbols(code)})"
                rf"(?![\w²³])(?!/(?!{rules_romance_rates.rate_unit(code)}))"
            ),
            measure,
        ),
        *rules_romance_rates.rules(code),
        Rule(
            "time",
            re.compile(
                r"(?<![\w:.,])(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\s?h(?!\w))?(?![\w:])"
            ),
            time,
        ),
        Rule(
            "range",
            re.compile(rf"(?<![\w.,-])(?P<low>{number}) ?[-\u2013] ?(?P<high>{number})(?![\w-]|[.,]\d)"),
            lambda m: f"{quantity(m['low'])} {lex.to} {quantity(m['high'])}",
        ),
        Rule("minus", re.compile(r"(?<![\w.,-])[-\u2212](?=\d)"), lambda m: lex.minus + " "),
        Rule("number", re.compile(rf"(?<![\w.,])(?:{number})(?!\w|[.,]\d)"), plain_number),
    ]
    at = next(index for index, rule in enumerate(rules_list) if rule.name == "measure")
    if lex.hour_letter:
        # "14h30", "14 h", "8h": how French and Brazilians write the time of day.
        letter = re.compile(r"(?<![\w:.,])(?P<hour>\d{1,2}) ?h ?(?P<minute>\d{2})?(?P<second>)(?:min)?(?!\w)")
        rules_list.insert(at, Rule("hour letter", letter, time))
    if code == _FRENCH_CODE:
        # "24h/24", "7j/7": French for around the clock, "vingt-quatre heures sur vingt-quatre"; the hour-letter
        # rule would take "24h" for midnight.
        rules_list.insert(at, Rule("around the clock", _AROUND_THE_CLOCK, _around_the_clock))
    if lex.before_clock:
        # "alle 20.30", "a las 10.30": a point between hour and minutes after a word that asks for a time.
        dotted = re.compile(
            r"(?<![\w.,])(?P<hour>\d{1,2})\.(?P<minute>\d{2})(?P<second>)(?:\s?h(?!\w))?(?!\w|[.,]\d)"
        )
        clock = Rule("dotted time", dotted, lambda m: time(m) if word_before(m) in lex.before_clock else None)
        rules_list.insert(at, clock)
    return rules_list
