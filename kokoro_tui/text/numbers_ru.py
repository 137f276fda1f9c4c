"""Russian number words: cardinals and ordinals in any case and gender, decimals, digit strings.

Russian numerals decline: "в пять часов", "до пяти часов", "с пятью друзьями"; один and
два agree in gender ("одна книга", "две книги", and so does тысяча: "две тысячи"); an
ordinal is an adjective whose last word alone takes the ordinal form ("две тысячи двадцать
четвёртом году"). Cases are the six of Russian, in the usual order.
"""

from __future__ import annotations

from kokoro_tui.text.digit_strings import LONGEST_ROUND, spell

NOM, GEN, DAT, ACC, INS, PREP = range(6)  # the six cases, in the grammars' order
MASCULINE, FEMININE, NEUTER, PLURAL = "m", "f", "n", "pl"
ONE, FEW, MANY = "one", "few", "many"  # the three counting forms of a noun: 1 книга, 2 книги, 5 книг

DIGITS = ("ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
ZERO = ("ноль", "ноля", "нолю", "ноль", "нолём", "ноле")
_ONE = {
    MASCULINE: ("один", "одного", "одному", "один", "одним", "одном"),
    FEMININE: ("одна", "одной", "одной", "одну", "одной", "одной"),
    NEUTER: ("одно", "одного", "одному", "одно", "одним", "одном"),
}
_TWO_M = ("два", "двух", "двум", "два", "двумя", "двух")
_TWO_F = ("две", "двух", "двум", "две", "двумя", "двух")


def _soft(nominative: str, oblique: str | None = None) -> tuple[str, ...]:
    """A numeral declined like пять: пяти, пятью (``oblique`` when the stem changes: восемь, восьми)."""
    stem = oblique or nominative[:-1]
    return (nominative, stem + "и", stem + "и", nominative, nominative[:-1] + "ью", stem + "и")


def _tens(nominative: str, genitive: str, instrumental: str) -> tuple[str, ...]:
    return (nominative, genitive, genitive, nominative, instrumental, genitive)


def _hundreds(nominative: str, genitive: str, dative: str, instrumental: str, prepositional: str) -> tuple[str, ...]:
    return (nominative, genitive, dative, nominative, instrumental, prepositional)


_SMALL: dict[int, tuple[str, ...]] = {
    3: ("три", "трёх", "трём", "три", "тремя", "трёх"),
    4: ("четыре", "четырёх", "четырём", "четыре", "четырьмя", "четырёх"),
    5: _soft("пять"), 6: _soft("шесть"), 7: _soft("семь"), 8: _soft("восемь", "восьм"), 9: _soft("девять"),
    10: _soft("десять"), 11: _soft("одиннадцать"), 12: _soft("двенадцать"), 13: _soft("тринадцать"),
    14: _soft("четырнадцать"), 15: _soft("пятнадцать"), 16: _soft("шестнадцать"), 17: _soft("семнадцать"),
    18: _soft("восемнадцать"), 19: _soft("девятнадцать"), 20: _soft("двадцать"), 30: _soft("тридцать"),
    40: ("сорок", "сорока", "сорока", "сорок", "сорока", "сорока"),
    50: _tens("пятьдесят", "пятидесяти", "пятьюдесятью"),
    60: _tens("шестьдесят", "шестидесяти", "шестьюдесятью"),
    70: _tens("семьдесят", "семидесяти", "семьюдесятью"),
    80: _tens("восемьдесят", "восьмидесяти", "восемьюдесятью"),
    90: ("девяносто", "девяноста", "девяноста", "девяносто", "девяноста", "девяноста"),
    100: ("сто", "ста", "ста", "сто", "ста", "ста"),
    200: _hundreds("двести", "двухсот", "двумстам", "двумястами", "двухстах"),
    300: _hundreds("триста", "трёхсот", "трёмстам", "тремястами", "трёхстах"),
    400: _hundreds("четыреста", "четырёхсот", "четырёмстам", "четырьмястами", "четырёхстах"),
    500: _hundreds("пятьсот", "пятисот", "пятистам", "пятьюстами", "пятистах"),
    600: _hundreds("шестьсот", "шестисот", "шестистам", "шестьюстами", "шестистах"),
    700: _hundreds("семьсот", "семисот", "семистам", "семьюстами", "семистах"),
    800: _hundreds("восемьсот", "восьмисот", "восьмистам", "восемьюстами", "восьмистах"),
    900: _hundreds("девятьсот", "девятисот", "девятистам", "девятьюстами", "девятистах"),
}  # fmt: skip

# Scale words, each a noun that the number before it counts: тысяча is feminine, the rest masculine.
SCALES: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = (
    (10**12, ("триллион", "триллиона", "триллиону", "триллион", "триллионом", "триллионе"),
     ("триллионы", "триллионов", "триллионам", "триллионы", "триллионами", "триллионах")),
    (10**9, ("миллиард", "миллиарда", "миллиарду", "миллиард", "миллиардом", "миллиарде"),
     ("миллиарды", "миллиардов", "миллиардам", "миллиарды", "миллиардами", "миллиардах")),
    (10**6, ("миллион", "миллиона", "миллиону", "миллион", "миллионом", "миллионе"),
     ("миллионы", "миллионов", "миллионам", "миллионы", "миллионами", "миллионах")),
    (10**3, ("тысяча", "тысячи", "тысяче", "тысячу", "тысячей", "тысяче"),
     ("тысячи", "тысяч", "тысячам", "тысячи", "тысячами", "тысячах")),
)  # fmt: skip

# Ordinal stems, and which of them carry the stress on the ending (второй, not вторый).
_ORDINAL_STEMS = {
    1: "перв", 2: "втор", 3: "трет", 4: "четвёрт", 5: "пят", 6: "шест", 7: "седьм", 8: "восьм", 9: "девят",
    10: "десят", 11: "одиннадцат", 12: "двенадцат", 13: "тринадцат", 14: "четырнадцат", 15: "пятнадцат",
    16: "шестнадцат", 17: "семнадцат", 18: "восемнадцат", 19: "девятнадцат", 20: "двадцат", 30: "тридцат",
    40: "сороков", 50: "пятидесят", 60: "шестидесят", 70: "семидесят", 80: "восьмидесят", 90: "девяност",
    100: "сот", 200: "двухсот", 300: "трёхсот", 400: "четырёхсот", 500: "пятисот", 600: "шестисот",
    700: "семисот", 800: "восьмисот", 900: "девятисот",
}  # fmt: skip
_ENDING_STRESSED = frozenset({2, 6, 7, 8, 40})
_HARD_ENDINGS = {
    MASCULINE: ("ый", "ого", "ому", "ый", "ым", "ом"),
    FEMININE: ("ая", "ой", "ой", "ую", "ой", "ой"),
    NEUTER: ("ое", "ого", "ому", "ое", "ым", "ом"),
    PLURAL: ("ые", "ых", "ым", "ые", "ыми", "ых"),
}
_THIRD_ENDINGS = {
    MASCULINE: ("ий", "ьего", "ьему", "ий", "ьим", "ьем"),
    FEMININE: ("ья", "ьей", "ьей", "ью", "ьей", "ьей"),
    NEUTER: ("ье", "ьего", "ьему", "ье", "ьим", "ьем"),
    PLURAL: ("ьи", "ьих", "ьим", "ьи", "ьими", "ьих"),
}


def counting_form(n: int) -> str:
    """ONE, FEW or MANY: which form of a noun follows ``n`` (21 книга, 22 книги, 25 книг, 12 книг)."""
    if n % 100 in (11, 12, 13, 14):
        return MANY
    return {1: ONE, 2: FEW, 3: FEW, 4: FEW}.get(n % 10, MANY)


def counted(n: int, case: int, singular: tuple[str, ...], plural: tuple[str, ...]) -> str:
    """The form of a noun (six singular and six plural forms) that number ``n`` in ``case`` takes."""
    form = counting_form(n)
    if case in (NOM, ACC):
        return singular[case] if form == ONE else singular[GEN] if form == FEW else plural[GEN]
    return singular[case] if form == ONE else plural[case]


def _below_thousand(n: int, case: int, gender: str) -> list[str]:
    words = []
    hundreds, rest = n - n % 100, n % 100
    if hundreds:
        words.append(_SMALL[hundreds][case])
    if rest >= 20 and rest % 10:
        words.append(_SMALL[rest - rest % 10][case])
        rest %= 10
    if rest == 1:
        words.append(_ONE[gender][case])
    elif rest == 2:
        words.append((_TWO_F if gender == FEMININE else _TWO_M)[case])
    elif rest:
        words.append(_SMALL[rest][case])
    return words


def cardinal(n: int, case: int = NOM, gender: str = MASCULINE) -> str:
    """1234 -> "тысяча двести тридцать четыре"; ``gender`` matters for 1 and 2 (одна, две)."""
    if n < 0:
        return "минус " + cardinal(-n, case, gender)
    if n >= 10**LONGEST_ROUND:
        return spell(str(n), DIGITS)
    if n == 0:
        return ZERO[case]
    words: list[str] = []
    for scale, singular, plural in SCALES:
        group, n = divmod(n, scale)
        if group:
            if not (group == 1 and not words):  # "тысяча", "миллион": the leading один is not said
                words += _below_thousand(group, case, FEMININE if scale == 10**3 else MASCULINE)
            words.append(counted(group, case, singular, plural))
    if n:
        words += _below_thousand(n, case, gender)
    return " ".join(words)


def _ordinal_word(stem_value: int, case: int, gender: str) -> str:
    if stem_value == 3:
        return _ORDINAL_STEMS[3] + _THIRD_ENDINGS[gender][case]
    endings = _HARD_ENDINGS[gender]
    ending = "ой" if stem_value in _ENDING_STRESSED and endings[case] == "ый" else endings[case]
    return _ORDINAL_STEMS[stem_value] + ending


def _compound_prefix(multiplier: int) -> str:
    """The first half of "двухтысячный", "стотысячный": the multiplier in the genitive, in one word."""
    if multiplier in (90, 100):
        return _SMALL[multiplier][NOM]
    return cardinal(multiplier, GEN).replace("одного", "одно").replace(" ", "")


def _last_word_value(n: int) -> int:
    """The value the last word of ``n`` says: 2024 -> 4, 2019 -> 19, 1990 -> 90, 1900 -> 900."""
    rest = n % 100
    if rest == 0:
        return n % 1000
    return rest if rest < 20 or rest % 10 == 0 else rest % 10


def ordinal(n: int, case: int = NOM, gender: str = MASCULINE) -> str:
    """2024 -> "две тысячи двадцать четвёртый"; ``gender`` m, f, n or pl, ``case`` NOM to PREP."""
    if n <= 0 or n >= 10**LONGEST_ROUND:
        return cardinal(n, case, gender)
    for scale, singular, _ in SCALES:
        if n % scale == 0:
            # Round thousands and millions are one word: "двухтысячный", "миллионный".
            multiplier, rest = n // scale % 1000, n - n % (scale * 1000)
            prefix = "" if multiplier == 1 else _compound_prefix(multiplier)
            word = prefix + singular[NOM].rstrip("а") + "н" + _HARD_ENDINGS[gender][case]
            return f"{cardinal(rest)} {word}" if rest else word
    last = _last_word_value(n)
    head = cardinal(n - last) if n > last else ""
    return f"{head} {_ordinal_word(last, case, gender)}".strip()


_DENOMINATORS = {1: "десят", 2: "сот", 3: "тысячн"}  # tenths, hundredths, thousandths


def decimal(whole: int, fraction: str) -> str:
    """'3,5' -> "три целых пять десятых"; past three fraction digits: "три запятая один четыре один пять"."""
    if len(fraction) > 3:
        return f"{cardinal(whole)} запятая {spell(fraction, DIGITS)}"
    numerator = int(fraction)
    whole_word = "целая" if counting_form(whole) == ONE else "целых"
    denominator = _DENOMINATORS[len(fraction)] + ("ая" if counting_form(numerator) == ONE else "ых")
    return f"{cardinal(whole, NOM, FEMININE)} {whole_word} {cardinal(numerator, NOM, FEMININE)} {denominator}"


def fraction(numerator: int, denominator: int, case: int = NOM) -> str:
    """3/4 -> "три четвёртых", 1/2 -> "одна вторая": the denominator is a feminine ordinal (agreeing with an
    unsaid доля), plural after 2, 3, 5 ... and then genitive where the numerator is nominative or accusative."""
    if counting_form(numerator) == ONE:
        return f"{cardinal(numerator, case, FEMININE)} {ordinal(denominator, case, FEMININE)}"
    plural_case = GEN if case in (NOM, ACC) else case
    return f"{cardinal(numerator, case, FEMININE)} {ordinal(denominator, plural_case, PLURAL)}"
