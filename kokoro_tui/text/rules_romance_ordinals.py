"""Ordinals written with digits: "1.º", "2ª", "1.er" (Spanish), "1er", "2e", "3ème" (French).

espeak-ng reads "2º" as "segundo" but "1.º" as "uno punto o", "1er" (French) right but "2e" as
"deux e", "1re" as "un re", and the Italian "1° maggio" as "uno gradi maggio". The words come
from num2words, with what it cannot know: the feminine ("1.ª" primera), the shortened Spanish
form before a noun ("1.er piso", "3º lugar": primer, tercer), and "°" read as an ordinal where
a determiner or a month says it is one ("il 1° maggio", "el 2° lugar"), else left a degree.
"""

from __future__ import annotations

import re

from num2words import num2words

from kokoro_tui.text.rewrite import Rule
from kokoro_tui.text.romance_words import LEXICONS

# The shortened Spanish forms before a masculine noun.
_APOCOPE = {"primero": "primer", "tercero": "tercer"}
# Words after a Spanish ordinal that mean it is not followed by its noun ("el 1.º de mayo", "1.º y 2.º").
_NOT_A_NOUN = frozenset({"de", "del", "y", "e", "o", "u", "al", "a", "en"})
# French ordinal suffixes: "er"/"re" are the first's, "nd"/"nde" are "second(e)"; an "s" makes a plural.
FRENCH_SUFFIX = r"(?:ers?|res?|ères?|èmes?|emes?|es?|è|nde?s?|ᵉʳˢ?|ʳᵉˢ?|ᵉˢ?|ᵈᵉ?ˢ?)"
# Determiners after which "N°" is an ordinal, and whether they are feminine.
DETERMINERS: dict[str, dict[str, bool]] = {
    "e": {"el": False, "del": False, "al": False, "la": True},
    "i": {
        **dict.fromkeys(("il", "l'", "lo", "al", "del", "nel", "dal", "sul", "col"), False),
        **dict.fromkeys(("la", "alla", "della", "nella", "dalla", "sulla"), True),
    },
    "p": {
        **dict.fromkeys(("o", "do", "no", "ao", "pelo"), False),
        **dict.fromkeys(("a", "da", "na", "à", "pela"), True),
    },
}


def word_before(m: re.Match[str]) -> str:
    """The word right before the match, lower case, an elided article with its apostrophe ("l'")."""
    found = re.search(r"(\w+)('?)\s*$", m.string[max(0, m.start() - 24) : m.start()])
    return (found[1] + found[2]).lower() if found else ""


def month_after(code: str) -> re.Pattern[str]:
    """Matches a month name after a number ("1° maggio", "XV de Novembro"), "de" allowed between."""
    return re.compile(rf"\s+(?:de\s+)?(?:{'|'.join(LEXICONS[code].months)})\b", re.IGNORECASE)


def _feminine(words: str) -> str:
    return re.sub(r"o\b", "a", words)


def ordinal(code: str, n: int, feminine: bool = False, apocope: bool = False) -> str:
    """``n`` as an ordinal of language ``code``: "vigésima primera", "dix-neuvième", "primer"."""
    words = num2words(n, lang=LEXICONS[code].num2words, to="ordinal")
    if code == "f":
        # num2words says "quatre-vingtsième"; one says "quatre-vingtième".
        return "première" if n == 1 and feminine else re.sub(r"(vingt|cent)s(ième)", r"\1\2", words)
    if code == "e":
        words = re.sub(r"décimo(?=\w)", "décimo ", words)  # num2words glues "décimoprimero"
    if feminine:
        return _feminine(words)
    if apocope:
        head, _, last = words.rpartition(" ")
        return f"{head} {_APOCOPE.get(last, last)}".strip()
    return words


def french_ordinal(n: int, suffix: str) -> str:
    """'1re' -> première, '2nde' -> seconde, '3es' -> troisièmes (a plural, said the same)."""
    plural = suffix[-1] in "sˢ"
    bare = suffix[:-1] if plural else suffix
    if bare in ("nd", "nde", "ᵈ", "ᵈᵉ"):
        words = "seconde" if bare in ("nde", "ᵈᵉ") else "second"
    else:
        words = ordinal("f", n, feminine=bare in ("re", "ère", "ʳᵉ"))
    return words + "s" if plural else words


def _spanish_apocope(m: re.Match[str]) -> bool:
    """Whether "1º"/"3º" stands before its noun, as in "1º piso" (but "1º de mayo", "1º y 2º")."""
    after = re.match(r" ([^\W\d_]+)", m.string[m.end() :])
    return after is not None and after[1].islower() and after[1] not in _NOT_A_NOUN


def rules(code: str) -> list[Rule]:
    """The digit ordinals of language ``code``."""
    if code == "f":
        return [
            Rule(
                "ordinal",
                re.compile(rf"(?<![\w.,])(?P<n>\d{{1,4}})(?P<suffix>{FRENCH_SUFFIX})(?!\w)"),
                lambda m: french_ordinal(int(m["n"]), m["suffix"]),
            )
        ]

    def say(m: re.Match[str], feminine: bool, shortened: bool = False) -> str:
        apocope = code == "e" and not feminine and (shortened or _spanish_apocope(m))
        return ordinal(code, int(m["n"]), feminine=feminine, apocope=apocope)

    determiners = DETERMINERS[code]
    months = month_after(code)

    def degree(m: re.Match[str]) -> str | None:
        determiner = word_before(m)
        if determiner in determiners:
            return say(m, determiners[determiner])
        return say(m, False) if months.match(m.string, m.end()) else None

    marks = r"[ºª]|er" if code == "e" else r"[ºª]"
    return [
        Rule(
            "ordinal",
            re.compile(rf"(?<![\w.,])(?P<n>\d{{1,4}})\.?(?P<mark>{marks})(?!\w)"),
            lambda m: say(m, m["mark"] == "ª", m["mark"] == "er"),
        ),
        Rule("degree ordinal", re.compile(r"(?<![\w.,])(?P<n>\d{1,4})°(?!\w)"), degree),
    ]
