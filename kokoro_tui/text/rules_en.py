"""English reading rules: how a person reads numbers, dates, money, times, addresses aloud.

One rule per kind of token, in priority order: e-mail before URL before phone number before
date before time before money before plain number, so "2024-03-05" is a date and not a
subtraction. ``british`` picks day-first dates and the British "hundred and five".
Dates written with dots ("03.05.2024") are day first everywhere, and "25/12/2023" wherever only
that order makes a date; "12/25" without a year is a date only when it cannot be a fraction or
a date word comes first ("on 5/3"). "12.30 pm" and "at 7.30" are times; a year before 1100 is
read as one only where the text names a year ("in 1066", "1066 AD"), and a four-digit number before
a unit or a counted noun is a quantity ("1024 bytes", rules_en_counted). A colon between numbers that no clock
reads is a ratio or a score, "16:9" -> "sixteen to nine" ("by" is never used, so that a score and a ratio read
alike); past the day's hours it is a stopwatch's time read in pairs as a clock's is ("46:30" -> "forty-six thirty"),
as is a chapter and verse after a name ("Genesis 1:1"). A price per unit is said short, as on a tag ("€2.50/kg" ->
"two euros fifty per kilogram"). "5k" and "10K" are said "five K" (a race, a screen), and thousands only with a
decimal or before a unit or a counted noun ("10k users"); one digit before "M" or "B" is a scale only before one
too ("5B users", but "7B" may be a model). Units after a number, and durations ("3h 20m"), are in rules_en_units,
sizes ("1920x1080", "5'10\"") in rules_en_sizes, symbols read as words ("3x", "~50", "/month", "per kg") in
rules_en_symbols, maths operators ("4 * 2", "y >= 10") in rules_en_maths, key chords ("Ctrl+C") in rules_en_keys,
weekday abbreviations ("Tue", "Mon-Fri") in rules_en_weekdays, versions ("v2.0", "1.2.3") in rules_en_versions,
names with numbers ("MiG-29", "Boeing 747-400", "IEEE 802.11") and house numbers ("221B Baker St.") in
rules_en_models, Roman numerals in rules_en_roman, words in capitals in rules_en_caps; codes and phone numbers are
read digit by digit (digit_strings), and so are 911, and 999 or 112 where a call is meant.
"""

from __future__ import annotations

import re

from kokoro_tui.text import (
    numbers,
    rules_en_caps,
    rules_en_keys,
    rules_en_maths,
    rules_en_models,
    rules_en_roman,
    rules_en_sizes,
    rules_en_symbols,
    rules_en_units,
    rules_en_versions,
    rules_en_weekdays,
)
from kokoro_tui.text.addresses import say_address
from kokoro_tui.text.digit_strings import LONGEST_ROUND, PHONE, phone_digits
from kokoro_tui.text.punctuation import keep_period, sentence_follows
from kokoro_tui.text.rewrite import Rule, alternation
from kokoro_tui.text.rules_en_counted import quantity_follows
from kokoro_tui.text.rules_en_roman import FUNCTION_WORDS

# Said as names, not as fractions or dates: "24/7" is not the 24th of July, "9/11" not nine elevenths.
_SET_PHRASES = {
    "24/7/365": "twenty-four seven three sixty-five", "24/7": "twenty-four seven", "9/11": "nine eleven",
    "WWII": "World War Two", "WWI": "World War One", "WW2": "World War Two", "WW1": "World War One",
    # capitals said as a word, though they look like letters to spell, or said other than as written
    "ONNX": "onyx", "JSON": "Jason", "YAML": "yammel", "TOML": "tommel", "NGINX": "engine X", "IEEE": "I triple E",
    "DOS": "doss",
}  # fmt: skip
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_TLDS = "com|org|net|edu|gov|io|dev|ai|app|co|uk|us|de|fr|info|biz|me|tv"
_CURRENCIES = {"$": ("dollar", "cent"), "£": ("pound", "penny"), "€": ("euro", "cent"), "¥": ("yen", "sen")}
_SCALES = {"k": "thousand", "m": "million", "mn": "million", "b": "billion", "bn": "billion"}
# A number without a sign, its thousands maybe grouped with commas: "1,200", "15", "2.5".
_GROUPED = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# "1.5M users", "16B parameters": a decimal or two digits or more; one digit only before a counted noun ("5B
# users"), as "3M" may be the company and "7B" a model's name.
_SCALED = re.compile(r"(?<![\w.$£€¥])(?P<number>\d+(?:\.\d+)?)(?P<scale>M|B|bn|mn)(?!\w)")
# "5k", "10K": a race's distance or a screen's width, said "ten K"; thousands with a decimal ("1.5k") or before a unit
# or a counted noun ("10k users"); "$5k" is money, read by the money rules.
_KILO = re.compile(r"(?<![\w.,$£€¥-])(?P<number>\d{1,3}(?:\.\d+)?)(?P<scale>[kK])(?!\w)")
# "10-15M", "1.5-2B": a range of them, any number of digits.
_SCALED_RANGE = re.compile(
    r"(?<![\w.$£€¥-])(?P<low>\d+(?:\.\d+)?) ?[-\u2013] ?(?P<number>\d+(?:\.\d+)?)(?P<scale>M|B|bn|mn)(?!\w)"
)
# "a one-in-10M chance", "1-in-3": odds; the scale after "in" counts, so "10M" is "ten million".
_ODDS = re.compile(
    rf"(?<![\w.,-])(?P<chances>\d+|[Oo]ne)-in-(?P<number>{_GROUPED})(?P<scale>[kKMB]|bn|mn)?(?![\w-]|[.,]\d)"
)
# "Kokoro-82M", "Llama-3-70B", "GPT-4-32K": a size at the end of a name is said as written, "seventy B".
_NAME_SIZE = re.compile(r"-(?P<number>\d+(?:\.\d+)?)(?P<scale>[KMB])(?!\w)")
_WORD_START = re.compile(r"(?:^|(?<=\s))\S*$")
# "the 80's", "mid-1990's": the apostrophe makes a decade only where a decade is talked about.
_DECADE_BEFORE = re.compile(r"\b(?:the|early|late|mid)[\s-]$", re.I)
_PUNCT_NAMES = {".": "dot", "-": "dash", "_": "underscore", "/": "slash", "+": "plus", "~": "tilde", "=": "equals", "?": "question mark", "&": "and", "#": "hash", ":": "colon"}
_SYMBOLS = {"&": "and", "@": "at", "+": "plus", "=": "equals"}
_DEGREES = {"C": " degrees Celsius", "F": " degrees Fahrenheit", "": " degrees"}

_ABBREVIATIONS = {
    "Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Prof": "Professor", "Mt": "Mount",
    "Jr": "Junior", "Sr": "Senior", "Ave": "Avenue", "Blvd": "Boulevard", "Rd": "Road",
    "Inc": "Incorporated", "Ltd": "Limited", "Corp": "Corporation", "Dept": "Department",
    "Gen": "General", "Gov": "Governor", "Sgt": "Sergeant", "Capt": "Captain", "Lt": "Lieutenant",
    "Col": "Colonel", "Fig": "figure", "approx": "approximately", "vs": "versus",
    "etc": "et cetera", "e.g": "for example", "i.e": "that is", "a.k.a": "also known as",
    "et al": "et al", "vol": "volume", "ch": "chapter", "cf": "compare", "ca": "circa",
}  # fmt: skip
# Titles that are also other words ("Fr." French, "Rev." revision): read only before a name.
_TITLES = {
    "Fr": "Father", "Rev": "Reverend", "Pres": "President", "Maj": "Major", "Det": "Detective",
    "Insp": "Inspector", "Mme": "Madame", "Mlle": "Mademoiselle",
}  # fmt: skip
# Abbreviations read only before a number: "No. 5", "order no. 12", "nos. 5 and 6", "p. 12", "pp. 12-15".
_BEFORE_NUMBER = {"No": "number", "no": "number", "Nos": "numbers", "nos": "numbers", "p": "page", "pp": "pages"}
_NUMBER_AFTER = re.compile(r"\s*\d+")
# Abbreviations that may close a sentence: their period then also ends the sentence.
_MAY_END_SENTENCE = {"Jr", "Sr", "Ave", "Blvd", "Rd", "Inc", "Ltd", "Corp", "Dept", "etc", "approx", "et al"}
_NAME_FOLLOWS = re.compile(r"\s+[A-Z]")
# Years before 1100 are years only where the text says so ("in 1066", "1066 AD"); 1000-1009 read alike either way.
_EARLY_YEARS = range(1010, 1100)
_YEAR_BEFORE = r"in|by|since|from|until|till|year|AD|A\.D\.|BC|B\.C\.|circa|ca\."
_ERA_AFTER = re.compile(r"\s*(?:AD|BC|CE|BCE|A\.D\.|B\.C\.)(?!\w)")
# "the 1st and 2nd of May": the "the" before the first day also serves the next.
_LISTED_DAY = re.compile(
    r"\bthe\s+\d{1,2}(?:st|nd|rd|th)?(?:,\s*\d{1,2}(?:st|nd|rd|th)?)*,?\s+(?:and|or|to|through)\s+$", re.I
)
# Words after "a $20" that are not the noun the amount describes: "a $20 or so", "a $5 to $10 fee".
_NOT_NOUNS = frozenset("a an and or to of per for from in on at by than the each apiece more less with".split())
_NEXT_WORD = re.compile(r" (?P<word>[a-z]+)\b")
# A price per unit ("€2.50/kg", "$9.99 per month") is said as a price tag says it: "two euros fifty".
_RATE_FOLLOWS = re.compile(r"(?:/| per )[A-Za-z]")
# A house number and the street's name before "St." or "Dr.": "123 Elm St.", "at 5 Baker St.".
_HOUSE_NUMBER = re.compile(r"\b\d+[A-Za-z]?(?P<names>(?: [A-Z][a-z]+){1,3}) $")
# A colon between numbers that no clock reads: a ratio or a score ("16:9", "2:1"), a stopwatch's minutes and seconds
# past the day's hours ("46:30"), or after a name a reference to a chapter and verse ("Genesis 1:1").
_RATIO = re.compile(rf"(?<![\w:.\[])(?P<first>{_GROUPED}):(?P<second>{_GROUPED})(?![\w:]|[.,]\d)")
_NAME_BEFORE = re.compile(r"\b(?P<name>[A-Z][a-z]+) $")


def _month(name: str) -> str:
    return next(m for m in MONTHS if m.lower().startswith(name[:3].lower()))


def _number(text: str, british: bool) -> str:
    """A plain number the way it is read: 4-digit integers as years, codes digit by digit
    ("007", "12345678901"), others as quantities."""
    plain = text.replace(",", "")
    if "," not in text and "." not in text and len(plain) == 4 and 1100 <= int(plain) <= 2099:
        return numbers.year(int(plain), british)
    return numbers.decimal(text, british)


def _plain_number(m: re.Match[str], british: bool) -> str:
    """A number on its own; an early year is read as a year where the text names one ("in 1066"),
    and a number before a unit or a counted noun as a quantity ("1850 soldiers", "in 1024 bytes")."""
    text = m.group()
    if len(text) == 4 and text.isdecimal():
        year_named = _preceded_by(m, _YEAR_BEFORE) or _ERA_AFTER.match(m.string, m.end()) is not None
        if quantity_follows(m.string, m.end(), year_named):
            return numbers.integer(text, british)
        if int(text) in _EARLY_YEARS and year_named:
            return numbers.year(int(text), british)
    return _number(text, british)


def _range(m: re.Match[str], british: bool) -> str:
    """'1914-1918' -> 'nineteen fourteen to nineteen eighteen'; '1024-2048 bytes' are quantities."""
    if quantity_follows(m.string, m.end(), _preceded_by(m, _YEAR_BEFORE)):
        return f"{numbers.decimal(m[1], british)} to {numbers.decimal(m[2], british)}"
    return f"{_number(m[1], british)} to {_number(m[2], british)}"


def _preceded_by(m: re.Match[str], words: str) -> bool:
    """Whether one of the ``|``-separated ``words`` comes right before the match."""
    return re.search(rf"(?:^|\W)(?:{words})\s+$", m.string[max(0, m.start() - 20) : m.start()], re.I) is not None


def _after_the(m: re.Match[str]) -> bool:
    """Whether the text already says "the" before this day: "the 5th of May", "the 1st and 2nd of May"."""
    return _preceded_by(m, "the") or _LISTED_DAY.search(m.string[max(0, m.start() - 40) : m.start()]) is not None


def _spell_address(text: str) -> str:
    """'docs.example.com/a-b' -> 'docs dot example dot com slash a dash b'."""
    return say_address(
        text,
        lambda part: " ".join(part.upper()) if part.lower() == "www" else part,
        lambda part: numbers.digits(part) if len(part) > 4 or part[0] == "0" else numbers.cardinal(int(part)),
        _PUNCT_NAMES,
    )


def _email(m: re.Match[str]) -> str:
    local, _, domain = m.group().partition("@")
    return f"{_spell_address(local)} at {_spell_address(domain)}"


def _url(m: re.Match[str]) -> str:
    address = re.sub(r"^[a-z][a-z0-9+.-]*://", "", m.group(), flags=re.I)
    return _spell_address(address.rstrip("/"))


def _phone(m: re.Match[str]) -> str | None:
    text = m.group()
    found = phone_digits(text)
    if found is None:
        return None
    spoken = [numbers.digits(group) for group in found]
    if text.startswith("+"):
        spoken[0] = "plus " + spoken[0]
    return ", ".join(spoken)


def _emergency(m: re.Match[str]) -> str | None:
    """911 is always dialled, never counted; 999 and 112 only where a call is being talked about."""
    if m.group() != "911":
        before = m.string[max(0, m.start() - 40) : m.start()].lower().split()[-3:]
        after = m.string[m.end() : m.end() + 40].lower().split()[:3]
        called = any(re.match(r"(?:call|dial|ring|phone|text|contact)", word) for word in before)
        if not called and not any(re.match(r"(?:emergenc|ambulance|police|fire)", word) for word in after):
            return None
    return numbers.digits(m.group())


def _date_words(
    year: int | None, month: int, day: int, british: bool, *, day_first: bool = False, after_the: bool = False
) -> str | None:
    """'March fifth, ...' (US) or 'the fifth of March, ...' (GB, or where the text says "3rd of May").

    ``after_the``: the text already says "the" ("the 3rd of May"), so it is not said twice.
    """
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]):
        return None
    name = MONTHS[month - 1]
    if british or day_first or after_the:
        spoken = f"{'' if after_the else 'the '}{numbers.ordinal(day)} of {name}"
    else:
        spoken = f"{name} {numbers.ordinal(day)}"
    return spoken if year is None else f"{spoken}, {numbers.year(year, british)}"


def _month_and_day(first: int, second: int, british: bool) -> tuple[int, int]:
    """The (month, day) of "5/3": the country's order, or the other where only that is a date ("25/12")."""
    month, day = (second, first) if british else (first, second)
    return (day, month) if month > 12 >= day else (month, day)


def _full_year(text: str) -> int:
    value = int(text)
    return value + (2000 if value < 50 else 1900) if len(text) == 2 else value


def _time(m: re.Match[str], british: bool) -> str | None:
    hour, minute = int(m["hour"]), int(m["minute"] or 0)
    second = int(m["second"]) if m["second"] else None
    suffix = (m["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if hour > 24 or minute > 59 or (second is not None and second > 59) or (suffix and not 1 <= hour <= 12):
        return None
    if hour in (0, 24) and not minute and second is None:
        return "midnight"
    if hour == 0:
        hour, suffix = 12, "am"  # 0:30 is said on a twelve-hour clock: "twelve thirty AM"
    spoken = numbers.cardinal(hour)
    if minute:
        spoken += " " + _clock_minutes(minute)
    elif suffix:
        pass
    elif hour > 12 or hour == 0:
        spoken += " hundred"
    else:
        spoken += " o'clock"
    if second is not None:
        spoken += f" and {numbers.cardinal(second)} seconds"
    return f"{spoken} {suffix.upper()}" if suffix else spoken


def _clock_minutes(minute: int) -> str:
    """Minutes as a clock says them after the hour: 30 -> 'thirty', 5 -> 'oh five'."""
    return f"oh {numbers.cardinal(minute)}" if minute < 10 else numbers.cardinal(minute)


def _ratio(m: re.Match[str], british: bool) -> str:
    """'16:9' -> 'sixteen to nine'; '46:30' -> 'forty-six thirty' and 'Genesis 1:1' -> 'Genesis one one', in pairs.

    A stopwatch's time is read in pairs as a clock's is, and whole minutes as minutes ("90:00" -> "ninety
    minutes", where a clock's "ninety hundred" would be no time).
    """
    first, second = m["first"], m["second"]
    if first.isdecimal() and len(second) == 2 and second.isdecimal() and int(second) < 60:
        minute = int(second)
        count = numbers.cardinal(int(first), british)
        return f"{count} {_clock_minutes(minute)}" if minute else f"{count} minutes"
    name = _NAME_BEFORE.search(m.string, max(0, m.start() - 30), m.start())
    said = (numbers.decimal(first, british), numbers.decimal(second, british))
    if name is not None and name["name"] not in FUNCTION_WORDS:
        return " ".join(said)
    return " to ".join(said)


def _time_range(m: re.Match[str], british: bool) -> str | None:
    """'2:30pm-4pm' -> 'two thirty PM to four PM'; plain '2-4' is left to the number range."""
    if not any(":" in side or side[-1].isalpha() or side[-1] == "." for side in (m["from"], m["to"])):
        return None
    spoken = []
    for index, side in enumerate((m["from"], m["to"])):
        clock = _CLOCK_ALONE.fullmatch(side)
        if clock is None:
            return None
        # "2-4pm": the first hour borrows the second's PM, so it is just "two", not "two o'clock".
        bare = index == 0 and side.isdecimal() and 1 <= int(side) <= 12
        words = numbers.cardinal(int(side)) if bare else _time(clock, british)
        if words is None:
            return None
        spoken.append(words)
    return keep_period(m, " to ".join(spoken))


def _money(m: re.Match[str], british: bool) -> str:
    if _describes_noun(m):
        return _money_adjective(m, british)
    rate = _RATE_FOLLOWS.match(m.string, m.end()) is not None
    return _say_money(m["currency"], m["amount"], m["scale"], bool(m["sign"]), british, rate=rate)


def _describes_noun(m: re.Match[str]) -> bool:
    """Whether a whole amount stands before its noun: "a $20 bill", but not "a $20 or so", "costs $20"."""
    following = _NEXT_WORD.match(m.string, m.end())
    whole = not m["sign"] and "." not in m["amount"] and len(m["amount"]) <= LONGEST_ROUND
    return whole and following is not None and following["word"] not in _NOT_NOUNS and _preceded_by(m, "a|an")


def _money_adjective(m: re.Match[str], british: bool) -> str:
    """'$20' before a noun -> 'twenty-dollar', as in "a twenty-dollar bill"; '$5 million' -> 'five-million-dollar'."""
    amount = numbers.cardinal(int(m["amount"].replace(",", "")), british)
    if m["scale"]:
        amount += " " + _SCALES.get(m["scale"].lower(), m["scale"].lower())
    return f"{amount} {_CURRENCIES[m['currency']][0]}".replace(" ", "-")


def _money_range(m: re.Match[str], british: bool) -> str:
    """'$5-10' -> 'five to ten dollars'; '$5–$10' -> 'five dollars to ten dollars'; '$4.99-9.99' says the cents of
    each; '$1.5-2M' -> 'one point five to two million dollars' (the scale is the low end's too)."""
    high = _say_money(m["currency"], m["high"], m["scale"], False, british)
    if m["again"] or ("." in m["low"] and not m["scale"]):
        return f"{_say_money(m['currency'], m['low'], None, False, british)} to {high}"
    return f"{numbers.decimal(m['low'].replace(',', ''), british)} to {high}"


def _say_money(
    currency: str, written: str, scale: str | None, negative: bool, british: bool, *, rate: bool = False
) -> str:
    """'$3.50' -> 'three dollars and fifty cents'; ``rate``: a price per unit, 'three dollars fifty'."""
    unit, minor = _CURRENCIES[currency]
    amount = written.replace(",", "")
    sign = "minus " if negative else ""
    if scale:
        scale = _SCALES.get(scale.lower(), scale.lower())
        return f"{sign}{numbers.decimal(amount, british)} {scale} {unit}s"
    whole, _, cents = amount.partition(".")
    if (cents and len(cents) != 2) or len(whole) > LONGEST_ROUND:
        return f"{sign}{numbers.decimal(amount, british)} {unit}s"
    major, minor_amount = int(whole or 0), int(cents or 0)
    parts = []
    if major or not minor_amount:
        parts.append(f"{numbers.cardinal(major, british)} {unit}{'' if major == 1 or unit == 'yen' else 's'}")
    if minor_amount and parts and rate:
        return f"{sign}{parts[0]} {numbers.cardinal(minor_amount, british)}"
    if minor_amount:
        minor_name = minor if minor_amount == 1 else ("pence" if minor == "penny" else minor + "s")
        parts.append(f"{numbers.cardinal(minor_amount, british)} {minor_name}")
    return sign + " and ".join(parts)


def _is_street(m: re.Match[str]) -> bool:
    """'123 Elm St.' and 'lives on Elm St.' name a street; 'Dr. Smith' and 'In London St. Paul's' a person."""
    before = m.string[max(0, m.start() - 60) : m.start()]
    house = _HOUSE_NUMBER.search(before)
    if house is not None and not any(name in MONTHS for name in house["names"].split()):
        return True
    return re.search(r"[A-Z][a-z]+ $", before) is not None and not _NAME_FOLLOWS.match(m.string, m.end())


def _abbreviation(m: re.Match[str]) -> str | None:
    word = m["abbr"]
    following = m.string[m.end() :]
    ends = sentence_follows(m)
    if word in ("Dr", "St"):
        if not _is_street(m):
            return "Doctor" if word == "Dr" else "Saint"
        return ("Drive" if word == "Dr" else "Street") + ("." if ends else "")
    if word in _BEFORE_NUMBER:
        number = _NUMBER_AFTER.match(following)
        if number is None:
            return None
        # "I said no. 5 times": a lower-case "no" before a count is the word, ending its sentence.
        counted = word.islower() and word != "p" and quantity_follows(following, number.end(), False)
        return None if counted else _BEFORE_NUMBER[word]
    if word in _TITLES:
        return _TITLES[word] if _NAME_FOLLOWS.match(following) else None
    key = next((k for k in _ABBREVIATIONS if k.lower() == word.lower()), None)
    if key is None:
        return None
    return _ABBREVIATIONS[key] + ("." if key in _MAY_END_SENTENCE and ends else "")


def _percent(m: re.Match[str], british: bool) -> str:
    """'50%'; '10-15%' -> 'ten to fifteen percent'; '10%-15%' -> 'ten percent to fifteen percent'."""
    high = f"{numbers.decimal(m['number'], british)} percent"
    if not m["low"]:
        return high
    return f"{numbers.decimal(m['low'], british)}{' percent' if m['each'] else ''} to {high}"


def _fraction(m: re.Match[str], british: bool) -> str | None:
    top, bottom = int(m["top"]), int(m["bottom"])
    if not 2 <= bottom <= 16 or top == 0:
        return None
    if bottom == 2:
        name = "half" if top == 1 else "halves"
    elif bottom == 4:
        name = "quarter" if top == 1 else "quarters"
    else:
        name = numbers.ordinal(bottom) + ("" if top == 1 else "s")
    return f"{'a' if top == 1 else numbers.cardinal(top, british)} {name}"


def _decade(m: re.Match[str], british: bool) -> str | None:
    """'the 1980s', 'the '80s'; with an apostrophe ("1990's") only after "the", "early", "late" or "mid"."""
    if m["apostrophe"] and not _DECADE_BEFORE.search(m.string, max(0, m.start() - 10), m.start()):
        return None
    return numbers.decade(int(m["full"] or m["short"]), british)


def _scaled(m: re.Match[str], british: bool) -> str:
    """'1.5M' -> 'one point five million'."""
    return f"{numbers.decimal(m['number'], british)} {_SCALES[m['scale'].lower()]}"


def _scaled_count(m: re.Match[str], british: bool) -> str | None:
    """'16B' -> 'sixteen billion'; a single digit ('7B') only before a counted noun."""
    if len(m["number"]) == 1 and not quantity_follows(m.string, m.end(), False):
        return None
    return _scaled(m, british)


def _kilo(m: re.Match[str], british: bool) -> str:
    """'10K' -> 'ten K'; '10k users' -> 'ten thousand users', '1.5k' -> 'one point five thousand'."""
    if "." in m["number"] or quantity_follows(m.string, m.end(), False):
        return _scaled(m, british)
    return f"{numbers.decimal(m['number'], british)} K"


def _scaled_range(m: re.Match[str], british: bool) -> str:
    """'10-15M' -> 'ten to fifteen million'."""
    return f"{numbers.decimal(m['low'], british)} to {_scaled(m, british)}"


def _odds(m: re.Match[str], british: bool) -> str:
    """'one-in-10M' -> 'one in ten million', '1-in-3' -> 'one in three': both numbers are counts."""
    chances = numbers.decimal(m["chances"], british) if m["chances"].isdecimal() else m["chances"]
    total = _scaled(m, british) if m["scale"] else numbers.decimal(m["number"], british)
    return f"{chances} in {total}"


def _name_size(m: re.Match[str], british: bool) -> str | None:
    """'Kokoro-82M' -> 'Kokoro eighty-two M' where the word holding the size starts with a letter ("10-15M" is a range)."""
    word = _WORD_START.search(m.string, max(0, m.start() - 80), m.start())
    if word is None or not word.group()[:1].isalpha():
        return None
    return f" {numbers.decimal(m['number'], british)} {m['scale']}"


def _degrees(m: re.Match[str]) -> str:
    """A degree sign without a number before it; no doubled space when a space precedes it."""
    spoken = _DEGREES[m[1] or ""]
    return spoken.lstrip() if m.string[m.start() - 1 : m.start()].isspace() or m.start() == 0 else spoken


def _mixed_number(m: re.Match[str], british: bool) -> str | None:
    """'1 1/2' -> 'one and a half'; only a proper fraction follows a whole number."""
    fraction = _fraction(m, british) if int(m["top"]) < int(m["bottom"]) else None
    return None if fraction is None else f"{numbers.cardinal(int(m['whole']), british)} and {fraction}"


_MONTH_NAME = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?"
    r"|Nov(?:ember)?|Dec(?:ember)?"
)
_MONTH = rf"(?P<month>{_MONTH_NAME})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,? (?P<year>\d{4}))?"
_NUMBER = rf"[-\u2212]?{_GROUPED}|[-\u2212]?\.\d+"
_SCALE = r"(?: ?(?P<scale>thousand|million|billion|trillion|[kKmMbB]n?)\b)?"
_AMPM = r"(?P<ampm>[AaPp]\.? ?[Mm]\.?)(?!\w)"
_CLOCK = r"\d{1,2}(?::\d{2})?(?: ?[AaPp]\.? ?[Mm]\.?(?!\w))?"
_CLOCK_ALONE = re.compile(rf"(?P<hour>\d{{1,2}})(?::(?P<minute>\d{{2}}))?(?P<second>)(?: ?{_AMPM})?")
_DATE_CONTEXT = (
    "on|by|until|till|til|since|from|before|after|due|dated|through|thru|starting|ending"
    "|out|released|launched|expires|expired|opens|closes|deadline"
)


def rules(british: bool) -> list[Rule]:
    """The English rules, most specific first."""

    def numeric_date(m: re.Match[str]) -> str | None:
        month, day = _month_and_day(int(m["first"]), int(m["second"]), british)
        return _date_words(_full_year(m["year"]), month, day, british, after_the=_after_the(m))

    def day_month(m: re.Match[str]) -> str | None:
        year = int(m["year"]) if m["year"] else None
        # "the 3rd of May" is said as written, in either country.
        day_first = " of " in m.group()
        after_the = _after_the(m)
        return _date_words(
            year, MONTHS.index(_month(m["month"])) + 1, int(m["day"]), british, day_first=day_first, after_the=after_the
        )

    def short_date(m: re.Match[str]) -> str | None:
        """'12/25' is a date; '3/4' stays a fraction unless a date word ("on", "by") comes first."""
        month, day = _month_and_day(int(m["first"]), int(m["second"]), british)
        if day <= 16 and not _preceded_by(m, _DATE_CONTEXT):
            return None
        return _date_words(None, month, day, british, after_the=_after_the(m))

    def dotted_date(m: re.Match[str]) -> str | None:
        """'03.05.2024' is day.month.year wherever it is written with dots."""
        day, month = int(m["day"]), int(m["month"])
        return _date_words(int(m["year"]), month, day, british, after_the=_after_the(m))

    def month_day(m: re.Match[str]) -> str | None:
        if not british:
            return day_month(m)
        day = int(m["day"])
        if not 1 <= day <= 31:
            return None
        # A British reader says "March the fifth" for "March 5".
        spoken = f"{_month(m['month'])} the {numbers.ordinal(day)}"
        return spoken if not m["year"] else f"{spoken}, {numbers.year(int(m['year']), british)}"

    def time(m: re.Match[str]) -> str | None:
        spoken = _time(m, british)
        return None if spoken is None else keep_period(m, spoken)

    def dotted_time(m: re.Match[str]) -> str | None:
        """'12.30 pm', or 'at 7.30' (British); otherwise '7.30' is a decimal."""
        return time(m) if m["ampm"] or _preceded_by(m, "at") else None

    return [
        Rule("email", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), _email),
        Rule("url", re.compile(r"\b(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]'”]", re.I), _url),
        Rule("domain", re.compile(rf"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b(?:/[^\s]*[^\s.,;:!?)])?", re.I), _url),
        Rule("phone", PHONE, _phone),
        Rule(
            "iso date",
            re.compile(r"(?<![\w-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w-])"),
            lambda m: _date_words(int(m["year"]), int(m["month"]), int(m["day"]), british),
        ),
        Rule(
            "numeric date",
            re.compile(r"(?<![\w/])(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\w/])"),
            numeric_date,
        ),
        Rule(
            "dotted date",
            re.compile(r"(?<![\w.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?!\w|\.\d)"),
            dotted_date,
        ),
        Rule(
            "set phrase",
            re.compile(rf"(?<![\w/.])(?:{alternation(_SET_PHRASES)})(?![\w/]|\.\d)"),
            lambda m: _SET_PHRASES[m.group()],
        ),
        Rule("odds", _ODDS, lambda m: _odds(m, british)),
        rules_en_keys.RULE,
        *rules_en_weekdays.rules(_MONTH_NAME),
        *rules_en_models.rules(british),
        *rules_en_versions.RULES,
        Rule(
            "short date",
            re.compile(r"(?<![\w/.])(?P<first>\d{1,2})/(?P<second>\d{1,2})(?![\w/]|\.\d)"),
            short_date,
        ),
        Rule("day month", re.compile(rf"\b{_DAY}(?: of)? {_MONTH}{_YEAR}\b"), day_month),
        Rule("month day", re.compile(rf"\b{_MONTH} {_DAY}{_YEAR}\b"), month_day),
        Rule(
            "time range",
            re.compile(rf"(?<![\w:.])(?P<from>{_CLOCK}) ?[-\u2013] ?(?P<to>{_CLOCK})(?![\w:])"),
            lambda m: _time_range(m, british),
        ),
        Rule(
            "time",
            re.compile(rf"(?<![\w:.])(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?::(?P<second>\d{{2}}))?(?: ?{_AMPM})?(?![\w:])"),
            time,
        ),
        Rule("ratio", _RATIO, lambda m: _ratio(m, british)),
        Rule("hour", re.compile(rf"(?<![\w:.])(?P<hour>\d{{1,2}})(?P<minute>)(?P<second>) ?{_AMPM}"), time),
        Rule(
            "dotted time",
            re.compile(
                rf"(?<![\w:.])(?P<hour>\d{{1,2}})\.(?P<minute>\d{{2}})(?P<second>)(?: ?{_AMPM})?"
                r"(?!\w|[.,]\d|\s?[-\u2013]\s?\d)"
            ),
            dotted_time,
        ),
        Rule(
            "money range",
            re.compile(
                rf"(?<![\w.])(?P<currency>[$£€¥]) ?(?P<low>{_NUMBER}) ?[-\u2013] ?(?P<again>(?P=currency))? ?"
                rf"(?=\d)(?P<high>{_NUMBER}){_SCALE}"
            ),
            lambda m: _money_range(m, british),
        ),
        Rule(
            "money",
            re.compile(rf"(?<![\w.])(?P<sign>-)?(?P<currency>[$£€¥]) ?(?P<amount>{_NUMBER}){_SCALE}"),
            lambda m: _money(m, british),
        ),
        Rule(
            "money after",
            re.compile(rf"(?<![\w.])(?P<amount>{_NUMBER}) ?(?P<currency>[€£])(?P<sign>)(?P<scale>)"),
            lambda m: _money(m, british),
        ),
        *rules_en_sizes.rules(british),
        *rules_en_symbols.rules(british),
        rules_en_units.duration_rule(british),
        rules_en_units.rule(british),
        Rule(
            "percent",
            re.compile(rf"(?<![\w.])(?:(?P<low>{_NUMBER})(?P<each> ?%)? ?[-\u2013] ?(?=\d))?(?P<number>{_NUMBER}) ?%"),
            lambda m: _percent(m, british),
        ),
        Rule("size in a name", _NAME_SIZE, lambda m: _name_size(m, british)),
        Rule("scaled range", _SCALED_RANGE, lambda m: _scaled_range(m, british)),
        Rule("thousands", _KILO, lambda m: _kilo(m, british)),
        Rule("scaled number", _SCALED, lambda m: _scaled_count(m, british)),
        Rule(
            "decade",
            re.compile(r"(?<![\w.])(?:(?P<full>1\d\d0|20\d0)|['’]?(?P<short>[1-9]0))(?P<apostrophe>['’])?s\b"),
            lambda m: _decade(m, british),
        ),
        Rule(
            "ordinal range",
            re.compile(r"(?<![\w.])(\d+)(?:st|nd|rd|th) ?[-\u2013] ?(\d+)(?:st|nd|rd|th)\b", re.I),
            lambda m: f"{numbers.written_ordinal(m[1], british)} to {numbers.written_ordinal(m[2], british)}",
        ),
        Rule(
            "ordinal",
            re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(st|nd|rd|th)\b", re.I),
            lambda m: numbers.written_ordinal(m[1], british),
        ),
        Rule("emergency number", re.compile(r"(?<![\w.,$£€¥+-])(?:911|999|112)(?![\w%°-]|[.,]\d)"), _emergency),
        Rule(
            "range",
            re.compile(rf"(?<![\w.,-])({_GROUPED}) ?[-\u2013] ?({_GROUPED})(?![\w-]|[.,]\d)"),
            lambda m: _range(m, british),
        ),
        Rule(
            "mixed number",
            re.compile(r"(?<![\w.,/-])(?P<whole>\d+) (?P<top>\d{1,2})/(?P<bottom>\d{1,2})(?![\w/])"),
            lambda m: _mixed_number(m, british),
        ),
        Rule(
            "fraction",
            re.compile(r"(?<![\w./])(?P<top>\d{1,2})/(?P<bottom>\d{1,2})(?![\w/])"),
            lambda m: _fraction(m, british),
        ),
        Rule(
            "number", re.compile(rf"(?<![\w.,\-\u2212])(?:{_NUMBER})(?!\w|[.,]\d)"), lambda m: _plain_number(m, british)
        ),
        Rule(
            "number sign",
            re.compile(r"(?<![\w.])No\.(?P<number>\d+)(?!\w|[.,]\d)"),
            lambda m: f"number {_number(m['number'], british)}",
        ),
        Rule(
            "abbreviation",
            re.compile(
                r"(?<![\w.])(?P<abbr>Dr|St|Nos|No|[Mm]rs?|Ms|Prof|Mt|Jr|Sr|Ave|Blvd|Rd|Inc|Ltd|Corp|Dept|Gen|Gov"
                r"|Sgt|Capt|Lt|Col|Fig|approx|vs|etc|e\.g|i\.e|a\.k\.a|et al|vol"
                r"|(?-i:Fr|Rev|Pres|Maj|Det|Insp|Mme|Mlle|[Cc]h|[Cc]f|ca|pp?))\.(?!\w)",
                re.I,
            ),
            _abbreviation,
        ),
        Rule("Ms", re.compile(r"\bMs(?=\s+[A-Z])"), lambda m: _ABBREVIATIONS["Ms"]),
        rules_en_roman.RULE,
        rules_en_caps.rule(british),
        Rule("hash number", re.compile(r"#(?=\d)"), lambda m: "number "),
        Rule("degrees", re.compile(r"° ?([CF])\b|°"), _degrees),
        rules_en_maths.RULE,
        Rule("symbol", re.compile(r"(?<=\s)[&@+=](?=\s)"), lambda m: _SYMBOLS[m.group()]),
    ]
