"""Number words and reading vocabulary for Spanish, French, Italian and Brazilian Portuguese.

The four languages read numbers, dates, times and money with the same structure and differ
in words, so each is one ``Lexicon`` and ``rules_romance`` builds the rules from it. Number
words come from num2words; what it cannot know is fixed here: a number before a masculine
noun ("un euro", not "uno euro"), hours that are feminine ("la una", "duas horas", "une
heure"), and how each language reads a clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from num2words import num2words

from kokoro_tui.text.digit_strings import LONGEST_ROUND, spell

Clock = Callable[["Lexicon", int, int], str]


@dataclass(frozen=True)
class Currency:
    one: str
    many: str
    cent: str
    cents: str


@dataclass(frozen=True)
class Lexicon:
    """Everything a language needs to read numbers aloud."""

    num2words: str  # num2words' language code
    digits: tuple[str, ...]  # zero to nine, for phone numbers and codes
    months: tuple[str, ...]
    date: str  # "{day} de {month} de {year}"
    first_day: str  # the word for day 1 ("primero", "premier")
    plus: str
    comma: str  # the decimal comma
    point: str  # a decimal point, as English texts write it
    percent: str
    minus: str  # espeak-ng drops the sign in Spanish and French ("-5" read "cinco")
    to: str  # a range "10-20": Portuguese espeak says "menos" for the dash
    money_and: str  # "cinco euros con cincuenta céntimos"
    of_scale: str  # "un millón de euros"
    currencies: dict[str, Currency]
    clock: Clock
    seconds: tuple[str, str]  # "tres y cuarenta y cinco y diez segundos"
    thousands: str = "."  # characters that group thousands
    phone_pairs: bool = False  # French reads "01 23 45 67 89" two digits at a time
    masculine: dict[str, str] = field(default_factory=dict)  # last word before a masculine noun
    feminine: dict[str, str] = field(default_factory=dict)  # last word before a feminine noun
    scales: tuple[str, ...] = ()  # words after which a noun takes ``of_scale``
    thousand: str = ""  # the word for a thousand written after digits ("R$ 10 mil")
    hour_letter: bool = False  # writes the time of day "14h30", "8h" (French, Brazilian)
    before_clock: tuple[str, ...] = ()  # words after which "20.30" is a time of day (Italian "alle 20.30")


def cardinal(lex: Lexicon, n: int) -> str:
    """The cardinal in words; commas num2words puts in (Portuguese "mil, novecentos") removed."""
    if n >= 10**LONGEST_ROUND:
        return spell(str(n), lex.digits)
    return " ".join(num2words(n, lang=lex.num2words).replace(",", " ").split())


def _swap_last(words: str, table: dict[str, str]) -> str:
    head, _, last = words.rpartition(" ")
    return f"{head} {table.get(last, last)}".strip()


def with_noun(lex: Lexicon, words: str, noun: str, feminine: bool = False) -> str:
    """Number words and the noun they count: "un euro", "un millón de euros", "un milliard d'euros"."""
    words = _swap_last(words, lex.feminine if feminine else lex.masculine)
    if words.rpartition(" ")[2] in lex.scales:
        of = "d'" if lex.of_scale == "de" and lex.num2words == "fr" and noun[0] in "aeioué" else lex.of_scale + " "
        return f"{words} {of}{noun}"
    return f"{words} {noun}"


def counting(lex: Lexicon, n: int, noun: str, feminine: bool = False) -> str:
    """'n noun' agreed: "un euro", "veintiún euros", "un millón de euros", "duas horas"."""
    return with_noun(lex, cardinal(lex, n), noun, feminine)


def _es_clock(lex: Lexicon, hour: int, minute: int) -> str:
    if hour == 0 and minute == 0:
        return "medianoche"
    spoken = _swap_last(cardinal(lex, hour or 12), lex.feminine)
    if minute == 0:
        return f"{spoken} {'en punto' if hour <= 12 else 'horas'}"
    tail = {15: "cuarto", 30: "media"}.get(minute, cardinal(lex, minute)) if hour <= 12 else cardinal(lex, minute)
    return f"{spoken} y {tail}"


def _fr_clock(lex: Lexicon, hour: int, minute: int) -> str:
    if hour in (0, 12, 24):
        spoken = "midi" if hour == 12 else "minuit"
    else:
        spoken = _swap_last(cardinal(lex, hour), lex.feminine) + (" heure" if hour == 1 else " heures")
    return spoken if minute == 0 else f"{spoken} {cardinal(lex, minute)}"


def _it_clock(lex: Lexicon, hour: int, minute: int) -> str:
    if hour == 0 and minute == 0:
        return "mezzanotte"
    spoken = _swap_last(cardinal(lex, hour or 12), lex.feminine)
    if minute == 0:
        return f"{spoken} in punto" if hour <= 12 else spoken
    tail = {15: "un quarto", 30: "mezza"}.get(minute, cardinal(lex, minute)) if hour <= 12 else cardinal(lex, minute)
    return f"{spoken} e {tail}"


def _pt_clock(lex: Lexicon, hour: int, minute: int) -> str:
    if hour == 0 and minute == 0:
        return "meia-noite"
    if minute == 0:
        return counting(lex, hour, "hora" if hour == 1 else "horas", feminine=True)
    spoken = _swap_last(cardinal(lex, hour or 12), lex.feminine)
    return f"{spoken} e {'meia' if minute == 30 and hour <= 12 else cardinal(lex, minute)}"


SPANISH = Lexicon(
    num2words="es",
    digits=("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
    months=(
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ),  # fmt: skip
    date="{day} de {month} de {year}",
    first_day="uno",
    plus="más",
    comma="coma",
    point="punto",
    percent="por ciento",
    minus="menos",
    to="a",
    money_and="con",
    of_scale="de",
    currencies={
        "€": Currency("euro", "euros", "céntimo", "céntimos"),
        "$": Currency("dólar", "dólares", "centavo", "centavos"),
        "R$": Currency("real", "reales", "centavo", "centavos"),
    },
    clock=_es_clock,
    seconds=("y", "segundos"),
    masculine={"uno": "un", "veintiuno": "veintiún"},
    feminine={"uno": "una", "veintiuno": "veintiuna"},
    scales=("millón", "millones", "billón", "billones"),
    thousand="mil",
    before_clock=("la", "las"),
)

FRENCH = Lexicon(
    num2words="fr",
    digits=("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
    months=(
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),  # fmt: skip
    date="{day} {month} {year}",
    first_day="premier",
    plus="plus",
    comma="virgule",
    point="point",
    percent="pour cent",
    minus="moins",
    to="à",
    money_and="et",
    of_scale="de",
    currencies={
        "€": Currency("euro", "euros", "centime", "centimes"),
        "$": Currency("dollar", "dollars", "cent", "cents"),
        "R$": Currency("réal", "réaux", "centavo", "centavos"),
    },
    clock=_fr_clock,
    seconds=("et", "secondes"),
    thousands=".\u0020\u00a0\u202f",
    phone_pairs=True,
    feminine={"un": "une"},
    hour_letter=True,
    scales=("million", "millions", "milliard", "milliards"),
    thousand="mille",
)

ITALIAN = Lexicon(
    num2words="it",
    digits=("zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"),
    months=(
        "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
        "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
    ),  # fmt: skip
    date="{day} {month} {year}",
    first_day="primo",
    plus="più",
    comma="virgola",
    point="punto",
    percent="per cento",
    minus="meno",
    to="a",
    money_and="e",
    of_scale="di",
    currencies={
        "€": Currency("euro", "euro", "centesimo", "centesimi"),
        "$": Currency("dollaro", "dollari", "centesimo", "centesimi"),
        "R$": Currency("real", "real", "centavo", "centavos"),
    },
    clock=_it_clock,
    seconds=("e", "secondi"),
    masculine={"uno": "un"},
    feminine={"uno": "una", "ventuno": "ventuna"},
    scales=("milione", "milioni", "miliardo", "miliardi"),
    thousand="mila",
    before_clock=("alle", "dalle", "ore", "le", "delle", "sulle", "nelle", "verso"),
)

PORTUGUESE = Lexicon(
    num2words="pt_BR",
    # Brazilians say "meia" (half a dozen) for 6 in phone numbers, so it is not heard as "três".
    digits=("zero", "um", "dois", "três", "quatro", "cinco", "meia", "sete", "oito", "nove"),
    months=(
        "janeiro", "fevereiro", "março", "abril", "maio", "junho",
        "julho", "agosto", "setembro", "outubro", "novembro", "dezembro",
    ),  # fmt: skip
    date="{day} de {month} de {year}",
    first_day="primeiro",
    plus="mais",
    comma="vírgula",
    point="ponto",
    percent="por cento",
    minus="menos",
    to="a",
    money_and="e",
    of_scale="de",
    currencies={
        "€": Currency("euro", "euros", "centavo", "centavos"),
        "$": Currency("dólar", "dólares", "centavo", "centavos"),
        "R$": Currency("real", "reais", "centavo", "centavos"),
    },
    clock=_pt_clock,
    seconds=("e", "segundos"),
    feminine={"um": "uma", "dois": "duas"},
    scales=("milhão", "milhões", "bilhão", "bilhões"),
    thousand="mil",
    hour_letter=True,
)

LEXICONS: dict[str, Lexicon] = {"e": SPANISH, "f": FRENCH, "i": ITALIAN, "p": PORTUGUESE}


def plain_digits(lex: Lexicon) -> tuple[str, ...]:
    """Digit words for codes that are not phone numbers (Portuguese "seis", not "meia")."""
    return tuple("seis" if word == "meia" else word for word in lex.digits)
