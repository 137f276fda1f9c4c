"""Russian reading rules: every digit, unit and symbol of a text rewritten as the words a reader says.

The Russian G2P reads letters only, so nothing is left to it: dates ("05.03.2024", "5 марта
2024 г."), years ("в 2024 году"), times ("в 10:30"), money ("$3.50", "100 ₽", "5 руб. 50
коп."), percentages, units ("5 км", "+5 °C"), ordinals ("21-го", "1990-х", "XIX век"), phone
numbers, decimals ("3,5"), ranges and plain numbers, initials ("А. С. Пушкин") and abbreviations, each in the case its preposition asks for and
the gender of the noun it counts ("в 5 часов", "до 5 часов", "21 год", "1 книга"). Thousands
are grouped with spaces ("1 000 000"); the decimal mark is the comma (a point is read too).
E-mail and web addresses are dictated by addresses_ru, scores, ratios and slashes ("2:1", "16:9",
"24/7", "1/2") read by ratios_ru, references ("см. стр. 45", "гл. III") by references_ru. An
abbreviation written with a capital is said with one.
"""

from __future__ import annotations

import re

from kokoro_tui.text import addresses_ru, references_ru
from kokoro_tui.text.acronyms_ru import CYRILLIC_NAMES
from kokoro_tui.text.agreement_ru import CONTEXT, case_of, gender_of, word_after, word_before
from kokoro_tui.text.dates_ru import (
    MONTHS,
    YEAR_NOUN_CASE,
    abbreviated_year,
    clock_words,
    date_case,
    date_words,
    day_words,
    year_case,
)
from kokoro_tui.text.digit_strings import GROUPED, LONGEST_ROUND, PHONE, phone_digits, reads_as_digits, spell
from kokoro_tui.text.numbers_ru import (
    ACC,
    DAT,
    DIGITS,
    FEMININE,
    GEN,
    INS,
    MASCULINE,
    NEUTER,
    NOM,
    ONE,
    PLURAL,
    PREP,
    cardinal,
    counting_form,
    decimal,
    ordinal,
)
from kokoro_tui.text.ratios_ru import colon_words, slash_words
from kokoro_tui.text.regnal_ru import NAME_BEFORE, case_and_gender, roman_value
from kokoro_tui.text.regnal_ru import PATTERN as REGNAL
from kokoro_tui.text.rewrite import Rule
from kokoro_tui.text.units_ru import ABBREVIATIONS, CENTS, CURRENCY_SYMBOLS, NOUNS

_SPACE = "[ \u00a0\u202f]"  # thousands are grouped by a space, a no-break space or a thin one
_INTEGER = rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?!\d)|\d+"
_AMOUNT = rf"(?:{_INTEGER})(?:[.,]\d+)?"
_START = r"(?<![\w.,])"
_END = r"(?!\w|[.,]\d)"
_MONTH_NAMES = "|".join(MONTHS)
_UNIT_NAMES = "|".join(sorted(ABBREVIATIONS, key=len, reverse=True))
_CURRENCY_WORDS = r"руб|р|коп|долл"
# The dot of an abbreviation ("руб.", "г."): taken when the sentence goes on after it, else left
# in place, since it then also ends the sentence.
_DOT = r"(?:\.(?=\s*[а-яёa-z\d,;:(])|(?![\w]))"
# Suffixes of a written ordinal ("5-й", "21-го", "1-я") -> case and gender.
_ORDINAL_SUFFIX: dict[str, tuple[int, str]] = {
    **dict.fromkeys(("й", "ый", "ий", "ой"), (NOM, MASCULINE)),
    **dict.fromkeys(("я", "ая", "яя"), (NOM, FEMININE)),
    **dict.fromkeys(("е", "ое", "ее"), (NOM, NEUTER)),
    **dict.fromkeys(("го", "ого", "его"), (GEN, MASCULINE)),
    **dict.fromkeys(("му", "ому", "ему"), (DAT, MASCULINE)),
    **dict.fromkeys(("м", "ым", "им", "ом", "ем"), (PREP, MASCULINE)),
    **dict.fromkeys(("ю", "ую", "юю"), (ACC, FEMININE)),
    **dict.fromkeys(("х", "ых", "их"), (GEN, PLURAL)),
    **dict.fromkeys(("ми", "ыми", "ими"), (INS, PLURAL)),
}
# Suffixes of a written cardinal in an oblique case: "3-х" (трёх), "5-ти" (пяти), "3-мя" (тремя).
_CARDINAL_SUFFIX = {"х": GEN, "ти": GEN, "и": GEN, "ми": INS, "мя": INS, "ю": INS, "м": DAT}
_SYMBOLS = {"№": "номер", "&": "и", "=": "равно", "@": "собака", "§": "параграф", "+": "плюс", "%": "процентов"}
# Abbreviations whose dot is theirs (kept in the match) and those whose dot usually also ends a sentence.
_ABBREVIATIONS = {
    r"т\.\s?е\.": "то есть", r"т\.\s?к\.": "так как", r"т\.\s?н\.": "так называемый", r"напр\.": "например",
    r"т\.\s?д(?=\.)": "так далее", r"т\.\s?п(?=\.)": "тому подобное", r"др(?=\.)": "другие",
    r"ул\.": "улица", r"им\.": "имени", r"см\.(?!\s*\d)": "смотри",
    r"г\.(?=\s?[А-ЯЁ])": "город", r"д\.(?=\s?\d)": "дом", r"кв\.(?=\s?\d)": "квартира",
}  # fmt: skip
# Numbers joined by colons ("2:1", "16:9", "1:100 000") and by a slash ("24/7", "1/2 кг"): ratios_ru.
_COLON = re.compile(rf"(?<![\w.,:])(?:{_INTEGER})(?:(?P<gap> ?):(?P=gap)(?:{_INTEGER}))+(?![\w:]|[.,]\d)")
# A slash pair before a unit it cannot take ("3/4%", "20/25 °C", "10/20 км/ч") is left to the other rules.
_SLASH = re.compile(rf"(?<![\w.,/])(?P<first>\d{{1,3}})/(?P<second>\d{{1,3}})(?![\w/]|[.,]\d|\s?[%°])"
                    rf"(?:\s?(?P<unit>{_UNIT_NAMES})(?![\w/]){_DOT})?(?!\s?\w+/)")
# Forms of век (century) and the case and number an ordinal before them takes: "в XX веке".
_CENTURY_CASE = {"век": (NOM, MASCULINE), "века": (GEN, MASCULINE), "веку": (DAT, MASCULINE), "веком": (INS, MASCULINE),
                 "веке": (PREP, MASCULINE), "веков": (GEN, PLURAL), "векам": (DAT, PLURAL), "веках": (PREP, PLURAL)}  # fmt: skip


def integer_value(text: str) -> int:
    """The whole part of a written amount: "1 000,5" -> 1000."""
    return int(re.sub(r"\D", "", re.split(r"[.,]", text)[0]))


def number_words(text: str, case: int = NOM, gender: str = MASCULINE) -> str:
    """A written number ("1 000", "3,5", "007") in words: a code digit by digit, else a quantity."""
    whole, _, fraction = text.replace(".", ",").partition(",")
    digits = re.sub(r"\D", "", whole)
    if len(digits) > LONGEST_ROUND or (not re.search(_SPACE, whole) and reads_as_digits(digits)):
        spoken = spell(digits, DIGITS)
        return f"{spoken} запятая {spell(fraction, DIGITS)}" if fraction else spoken
    if fraction:
        return decimal(int(digits), fraction)
    return cardinal(int(digits), case, gender)


def quantity(m: re.Match[str], amount: str, noun_key: str) -> str:
    """An amount and the noun it counts, in the case of its context: "пять километров", "до пяти километров".

    A fraction takes the genitive singular: "три целых пять десятых километра".
    """
    noun = NOUNS[noun_key]
    case = case_of(m.string, m.start())
    if re.search(r"[.,]", amount):
        return f"{number_words(amount)} {noun.singular[GEN]}"
    return f"{number_words(amount, case, noun.gender)} {noun.counted(integer_value(amount), case)}"


def money_words(m: re.Match[str], currency: str, amount: str, cents: str | None = None) -> str:
    """"$3.50" -> "три доллара пятьдесят центов"; "5,5 ₽" (not two cent digits) -> a decimal of roubles."""
    whole, _, fraction = amount.replace(".", ",").partition(",")
    if len(fraction) == 2 and currency in CENTS:
        cents = fraction
        amount = whole
    spoken = quantity(m, amount, currency)
    if cents and int(cents) and currency in CENTS:
        spoken += " " + quantity(m, cents, CENTS[currency])
    return spoken


def in_context(written: str, text: str, start: int, end: int) -> str:
    """A number of ``text`` with nothing around it to read: its case from the preposition before,
    its gender (один, одна, одно; два, две) from the noun after."""
    noun = word_after(text, end)
    case = case_of(text, start, noun)
    if re.search(r"[.,]", written) or len(re.sub(r"\D", "", written)) > LONGEST_ROUND:
        return number_words(written, case)  # a decimal, or a run said digit by digit (int() refuses 4300 digits)
    value = integer_value(written)
    if case == NOM and counting_form(value) == ONE and noun.endswith(("у", "ю")):
        case = ACC  # "прочитал 21 книгу": двадцать одну
    return number_words(written, case, gender_of(noun, value, case))


def _phone(m: re.Match[str], grouped: bool = False) -> str | None:
    """Digit groups with pauses: "восемь, четыреста девяносто пять, ..."; a group with a leading zero digit by digit."""
    if grouped and re.fullmatch(_INTEGER, m.group()):
        return None  # "10 000 000 000" is an amount grouped in thousands
    found = phone_digits(m.group(), grouped)
    if found is None:
        return None
    spoken = [spell(group, DIGITS) if group[0] == "0" or len(group) > 3 else cardinal(int(group)) for group in found]
    if m.group().startswith("+"):
        spoken[0] = "плюс " + spoken[0]
    return ", ".join(spoken)


def _written_ordinal(m: re.Match[str]) -> str | None:
    """"5-й" -> "пятый", "21-го" -> "двадцать первого", "1990-х" -> "тысяча девятьсот девяностых";
    "3-х" and "5-ти" are cardinals in the genitive ("трёх", "пяти")."""
    n, suffix = integer_value(m["number"]), m["suffix"].lower()
    decade = n % 10 == 0 and n >= 10
    if suffix in _CARDINAL_SUFFIX and not (suffix in _ORDINAL_SUFFIX and decade):
        return cardinal(n, _CARDINAL_SUFFIX[suffix])
    if suffix not in _ORDINAL_SUFFIX:
        return None
    case, gender = _ORDINAL_SUFFIX[suffix]
    if gender == NEUTER and word_after(m.string, m.end()) in YEAR_NOUN_CASE:
        gender = PLURAL  # "1990-е годы"
    return ordinal(n, case, gender)


def _year_before_noun(m: re.Match[str]) -> str | None:
    """"в 2024 году", "в 1990-х годах", "в 988 году"; a count of years ("21 год") is left to the number rule."""
    noun = m["noun"].lower()
    if len(m["year"]) < 4 and not m["suffix"] and noun not in ("году", "годах"):
        return None
    case, gender = YEAR_NOUN_CASE[noun]
    if case == PREP and word_before(m.string, m.start()) in ("к", "ко", "по"):
        case = DAT  # "к 2024 году"
    years = [integer_value(m["year"])] + ([integer_value(m["last"])] if m["last"] else [])
    return " — ".join(ordinal(year, case, gender) for year in years)


def _abbreviated_year(m: re.Match[str]) -> str:
    after_month = bool(re.search(rf"(?:{_MONTH_NAMES})\s+$", m.string[max(0, m.start() - 12) : m.start()]))
    years = [integer_value(m["year"])] + ([integer_value(m["last"])] if m["last"] else [])
    return abbreviated_year(years, year_case(m.string, m.start(), after_month), m["abbreviation"] == "гг")


def _temperature(m: re.Match[str]) -> str:
    sign = {"+": "плюс ", "-": "минус ", "\u2212": "минус "}.get(m["sign"] or "", "")
    spoken = sign + quantity(m, m["amount"], "градус")
    return spoken + (" Цельсия" if m["celsius"] else "")


def _after_month(m: re.Match[str]) -> str | None:
    """"5 марта 2024": the year after a month name is "две тысячи двадцать четвёртого года"."""
    if not re.search(rf"(?:{_MONTH_NAMES}) $", m.string[max(0, m.start() - 10) : m.start()], re.IGNORECASE):
        return None
    return f"{ordinal(integer_value(m['year']), GEN)} года"


def _range(m: re.Match[str]) -> str:
    """"5-7 дней" -> "пять — семь дней": both ends in the case and gender of the whole range."""
    low = in_context(m["low"], m.string, m.start(), m.end())
    return f"{low} — {in_context(m['high'], m.string, m.start(), m.end())}"


def _century(m: re.Match[str]) -> str:
    """"XIX век" -> "девятнадцатый", "в XX веке" -> "двадцатом": the noun stays and gives the case."""
    case, gender = _CENTURY_CASE[m["noun"].lower()]
    return ordinal(roman_value(m["numeral"]), case, gender)


def _initial(m: re.Match[str]) -> str:
    """"А. С. Пушкин": an initial is said by its letter's name, and its dot ends no sentence."""
    letter = m["letter"].lower()
    glued = m.end() < len(m.string) and not m.string[m.end()].isspace()  # "С.П. Королёв"
    return CYRILLIC_NAMES.get(letter, letter) + (" " if glued else "")


def _regnal(m: re.Match[str]) -> str | None:
    """"Петра I" -> первого: a ruler's number agrees with the name before it (regnal_ru)."""
    name = NAME_BEFORE.search(m.string, max(0, m.start() - CONTEXT), m.start())
    return None if name is None else ordinal(roman_value(m["numeral"]), *case_and_gender(name.group()))


def _day(m: re.Match[str]) -> str | None:
    """The day of a date; the second of "5-10 марта" or "5 и 6 мая" takes the case of the first."""
    first = re.search(r"(?<![\w.,])\d{1,2}\s*(?:[-\u2013\u2014]|и)\s*$", m.string[max(0, m.start() - 8) : m.start()])
    start = m.start() - len(first.group()) if first else m.start()
    return day_words(int(m["day"]), date_case(m.string, start))


def _colon(m: re.Match[str], may_be_time: bool = False) -> str | None:
    values = [integer_value(number) for number in re.split(r" ?: ?", m.group())]
    return colon_words(values, m.string, m.start(), may_be_time)


def _slash(m: re.Match[str]) -> str | None:
    """"24/7", "1/2 кг"; a number with a leading zero ("05/03") is not a count and is left alone."""
    if reads_as_digits(m["first"]) or reads_as_digits(m["second"]):
        return None
    noun = NOUNS[ABBREVIATIONS[m["unit"]]] if m["unit"] else None
    return slash_words(int(m["first"]), int(m["second"]), m.string, m.start(), noun)


def _symbol(m: re.Match[str]) -> str:
    """"№5", "a+b", "C++": the symbol's name is a word of its own, spaced from the word or symbol it touches."""
    before = " " if m.start() and m.string[m.start() - 1].isalnum() else ""
    after = " " if m.end() < len(m.string) and (m.string[m.end()].isalnum() or m.string[m.end()] in _SYMBOLS) else ""
    return before + _SYMBOLS[m.group()] + after


def _reference(m: re.Match[str]) -> str | None:
    spoken = references_ru.reference_words(m)
    return None if spoken is None else _abbreviation(m, spoken)


def _abbreviation(m: re.Match[str], spoken: str) -> str:
    """An abbreviation written with a capital, as at a sentence start, is said with one ("Т. е." -> "То есть"),
    and one glued to the next word ("т.е.всё") is spaced from it."""
    if m.group()[0].isupper():
        spoken = spoken[0].upper() + spoken[1:]
    return spoken + " " if m.end() < len(m.string) and m.string[m.end()].isalnum() else spoken


def _time(m: re.Match[str]) -> str | None:
    second = int(m["second"]) if m["second"] else None
    return clock_words(int(m["hour"]), int(m["minute"]), second, case_of(m.string, m.start()))


def rules() -> list[Rule]:
    """The Russian rules, most specific first (at one position the first listed wins)."""
    amount = _AMOUNT
    rules_list = [
        Rule("address", addresses_ru.PATTERN, lambda m: addresses_ru.address_words(m.group())),
        Rule(
            "iso date",
            re.compile(r"(?<![\w.,/-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w/-])"),
            lambda m: date_words(int(m["day"]), int(m["month"]), int(m["year"]), date_case(m.string, m.start())),
        ),
        Rule(
            "numeric date",
            re.compile(r"(?<![\w.,/-])(?P<day>\d{1,2})(?P<sep>[./])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
                       r"(?![\w/-]|[.,]\d)"),
            lambda m: date_words(
                int(m["day"]), int(m["month"]), _full_year(m["year"]), date_case(m.string, m.start())
            ),
        ),
        Rule(
            "day of month",
            # "5 марта", and the first day of "с 5 по 10 марта", "5-10 марта", "5 и 6 марта".
            re.compile(rf"{_START}(?P<day>\d{{1,2}})(?=(?:\s*(?:[-\u2013\u2014]|по|до|и)\s*\d{{1,2}})?"
                       rf"\s+(?:{_MONTH_NAMES})(?!\w))", re.IGNORECASE),
            _day,
        ),
        Rule("year after month", re.compile(rf"{_START}(?P<year>\d{{4}})(?!\s*(?:г\.|гг\.|год)){_END}"), _after_month),
        Rule(
            "year before год",
            re.compile(rf"{_START}(?P<year>\d{{1,4}})(?:\s?[-\u2013\u2014]\s?(?P<last>\d{{1,4}}))?"
                       r"(?P<suffix>-[а-я]+)?(?=\s+(?P<noun>год|года|году|годом|годе|годы|годов|годам|годами|годах)(?!\w))",
                       re.IGNORECASE),
            _year_before_noun,
        ),
        Rule(
            "year with г.",
            re.compile(rf"{_START}(?P<year>\d{{3,4}})(?:\s?[-\u2013\u2014]\s?(?P<last>\d{{3,4}}))?\s?"
                       rf"(?P<abbreviation>гг|г)(?=\.){_DOT}"),
            _abbreviated_year,
        ),
        Rule("ratio or score", _COLON, lambda m: _colon(m, may_be_time=True)),
        Rule(
            "time",
            re.compile(r"(?<![\w:.,])(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?![\w:])"),
            _time,
        ),
        Rule("score", _COLON, _colon),
        Rule("slash", _SLASH, _slash),
        Rule("phone", PHONE, _phone),
        Rule("grouped phone", GROUPED, lambda m: _phone(m, grouped=True)),
        Rule(
            "money before",
            re.compile(rf"(?<![\w.,])(?P<symbol>[₽$€£¥])\s?(?P<amount>{amount}){_END}"),
            lambda m: money_words(m, CURRENCY_SYMBOLS[m["symbol"]], m["amount"]),
        ),
        Rule(
            "money after",
            re.compile(rf"{_START}(?P<amount>{amount})\s?(?:(?P<symbol>[₽$€£¥])|(?P<word>{_CURRENCY_WORDS})(?=\.){_DOT})"
                       rf"(?:\s?(?P<cents>\d{{1,2}})\s?коп(?=\.){_DOT})?"),
            lambda m: money_words(
                m, CURRENCY_SYMBOLS[m["symbol"]] if m["symbol"] else ABBREVIATIONS[m["word"]], m["amount"], m["cents"]
            ),
        ),
        Rule(
            "temperature",
            re.compile(rf"(?:(?<=\s)|^)(?P<sign>[+\-\u2212])?(?P<amount>{amount})\s?°\s?(?P<celsius>[CС])?(?!\w)"),
            _temperature,
        ),
        Rule(
            "percent",
            re.compile(rf"{_START}(?P<amount>{amount})\s?%"),
            lambda m: quantity(m, m["amount"], "процент"),
        ),
        Rule(
            "speed",
            re.compile(rf"{_START}(?P<amount>{amount})\s?км/ч(?!\w)"),
            lambda m: quantity(m, m["amount"], "километр") + " в час",
        ),
        Rule(
            "unit",
            re.compile(rf"{_START}(?P<amount>{amount})\s?(?P<unit>{_UNIT_NAMES})(?!/){_DOT}"),
            lambda m: quantity(m, m["amount"], ABBREVIATIONS[m["unit"]]),
        ),
        Rule(
            "written ordinal",
            re.compile(rf"{_START}(?P<number>\d+)-(?P<suffix>[а-яё]{{1,3}})(?!\w)", re.IGNORECASE),
            _written_ordinal,
        ),
        Rule(
            "range",
            re.compile(rf"{_START}(?P<low>{amount})\s?[-\u2013\u2014]\s?(?P<high>{amount}){_END}"),
            _range,
        ),
        Rule("minus", re.compile(r"(?<![\w.,-])[-\u2212](?=\d)"), lambda m: "минус "),
        Rule(
            "century",
            re.compile(r"(?<!\w)(?P<numeral>[IVXLC]{1,7})(?=\s+(?P<noun>век|века|веку|веком|веке|веков|векам|веках)(?!\w))"),
            _century,
        ),
        Rule("regnal number", REGNAL, _regnal),
        Rule("initial", re.compile(r"(?<!\w)(?P<letter>[А-ЯЁ])\.(?=\s?[А-ЯЁ])"), _initial),
        Rule("number", re.compile(rf"{_START}{amount}{_END}|\d+"), lambda m: in_context(m.group(), m.string, m.start(), m.end())),
        Rule("symbol", re.compile(r"[№&=@§]|\+(?![а-яёА-ЯЁ])|(?<!\d)%"), _symbol),
        Rule("reference", references_ru.PATTERN, _reference),
    ]
    for pattern, spoken in _ABBREVIATIONS.items():
        rules_list.append(Rule("abbreviation", re.compile(rf"(?<![\w.]){pattern}", re.IGNORECASE), _fixed(spoken)))
    return rules_list


def _fixed(spoken: str):
    return lambda m: _abbreviation(m, spoken)


def _full_year(text: str) -> int:
    value = int(text)
    return value + (2000 if value < 50 else 1900) if len(text) == 2 else value
