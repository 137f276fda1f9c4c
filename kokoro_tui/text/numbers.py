"""English number words: cardinals, ordinals, years, decades, decimals, digit strings.

Built on num2words (a misaki[en] dependency). Its English output has commas and "and"
("one thousand, two hundred and five"); the commas would become pauses in the phonemes, so
they are removed, and "and" is kept only for British English, as a British reader says it.
"""

from __future__ import annotations

from num2words import num2words

from kokoro_tui.text.digit_strings import LONGEST_ROUND, reads_as_digits

DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _tidy(words: str, british: bool) -> str:
    words = words.replace(",", "")
    if not british:
        words = words.replace(" and ", " ")
    return " ".join(words.split())


def cardinal(n: int, british: bool = False) -> str:
    """1234 -> 'one thousand two hundred thirty-four' (GB: '... hundred and thirty-four').

    Past fifteen digits nobody says the scale words, and num2words overflows at some point:
    such a number is read digit by digit.
    """
    if n < 0:
        return "minus " + cardinal(-n, british)
    if n >= 10**LONGEST_ROUND:
        return digits(str(n))
    return _tidy(num2words(n, lang="en"), british)


def ordinal(n: int, british: bool = False) -> str:
    """22 -> 'twenty-second' (a number too long for words: its digits)."""
    if n >= 10**LONGEST_ROUND:
        return digits(str(n))
    return _tidy(num2words(n, lang="en", to="ordinal"), british)


def written_ordinal(text: str, british: bool = False) -> str:
    """The digits of '1,000th' -> 'one thousandth'; any length is safe (a long one is read as digits)."""
    plain = text.replace(",", "")
    return digits(plain) if len(plain) > LONGEST_ROUND else ordinal(int(plain), british)


def integer(text: str, british: bool = False) -> str:
    """A written integer ('1,234', '007', '12345678901'): a quantity in words or, if a code, digits.

    Never converts more than LONGEST_ROUND digits with int(), so any length is safe.
    """
    plain = text.replace(",", "")
    if len(plain) > LONGEST_ROUND or ("," not in text and reads_as_digits(plain)):
        return digits(plain)
    return cardinal(int(plain), british)


def digits(text: str) -> str:
    """'4567' -> 'four five six seven' (phone numbers, decimals after the point)."""
    return " ".join(DIGITS[int(c)] for c in text if c.isdecimal())


def decimal(text: str, british: bool = False) -> str:
    """'-1,234.05' -> 'minus one thousand two hundred thirty-four point zero five'."""
    text = text.replace("\u2212", "-")
    sign = "minus " if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    spoken = integer(whole, british) if whole else ""
    if fraction:
        spoken = f"{spoken} point {digits(fraction)}".strip()
    return sign + spoken


def year(n: int, british: bool = False) -> str:
    """1984 -> 'nineteen eighty-four', 2005 -> 'two thousand five', 2010 -> 'twenty ten'."""
    if 2000 <= n <= 2009 or n % 1000 == 0 or not 1000 <= n <= 9999:
        return cardinal(n, british)
    return num2words(n, lang="en", to="year").replace("oh-", "oh ")


def designation(text: str, british: bool = False) -> str:
    """Digits that name a thing (a model, a standard) said in pairs, as a year is: '747' -> 'seven forty-seven',
    '802' -> 'eight oh two', '400' -> 'four hundred', '4090' -> 'forty ninety'; a code with a leading zero
    or more than four digits is read digit by digit."""
    if (text.startswith("0") and text != "0") or len(text) > 4:
        return digits(text)
    if len(text) == 4:
        return year(int(text), british)
    if len(text) < 3 or text.endswith("00"):
        return cardinal(int(text), british)
    tens = f"oh {DIGITS[int(text[2])]}" if text[1] == "0" else cardinal(int(text[1:]), british)
    return f"{DIGITS[int(text[0])]} {tens}"


def plural(words: str) -> str:
    """'nineteen eighty' -> 'nineteen eighties': the last word of a number made plural."""
    head, _, last = words.rpartition(" ")
    if last.endswith("y"):
        last = last[:-1] + "ies"
    elif last.endswith(("x", "s")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}".strip()


def decade(n: int, british: bool = False) -> str:
    """1980 -> 'nineteen eighties', 2010 -> 'twenty tens', 80 -> 'eighties'."""
    return plural(year(n, british) if n >= 1000 else cardinal(n, british))
