"""E-mail and web addresses ("jean@exemple.fr", "www.exemple.fr/page"), said as a reader of each language says them.

espeak-ng says the "@" but drops the dots and slashes: "jean@exemple.fr" is "jean arobase exemple èf èr",
"www.exemple.fr/page" "double-v double-v double-v exemple èf èr page". A reader says every mark by its name:
"@" is "arobase", "arroba" or "chiocciola", "." the language's "point" ("punto", "ponto"), "/" "slash" in
French and Italian, as speakers of both say it in an address ("barre oblique" is the typographer's name),
"barra" in Spanish and Portuguese; "-" and "_" have their names, other marks of a query ("?", "=", "&") are
skipped. A part with no vowel cannot be read as a word and is spelled ("www" w w w, ".fr" f r, ".br" b r), as
readers do; ".com", ".es" and ".it" are said as words. A number is said as one up to four digits
("contact2024"), else digit by digit. As in English (rules_en), the scheme ("https://", "mailto:") is not
read, and an address inside a web address is read once, with it.
"""

from __future__ import annotations

import re

from kokoro_tui.text.addresses import say_address
from kokoro_tui.text.digit_strings import spell
from kokoro_tui.text.rewrite import Rule
from kokoro_tui.text.romance_words import LEXICONS, cardinal, plain_digits

# The names of an address's marks; "." and "+" are the lexicon's "point" and "plus".
MARKS: dict[str, dict[str, str]] = {
    "e": {"@": "arroba", "/": "barra", "-": "guion", "_": "guion bajo"},
    "f": {"@": "arobase", "/": "slash", "-": "tiret", "_": "tiret bas"},
    "i": {"@": "chiocciola", "/": "slash", "-": "trattino", "_": "trattino basso"},
    "p": {"@": "arroba", "/": "barra", "-": "hífen", "_": "underline"},
}
# Top-level domains after which a bare name is a web address ("exemple.fr"), written in lower case.
_DOMAINS = "com|org|net|edu|gov|gouv|info|io|eu|fr|be|ch|ca|lu|es|mx|ar|cl|co|pe|it|pt|br"
_LAST = r"[^\s<>\"“”«».,;:!?)\]']"  # a web address does not end with a sentence's punctuation
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(rf"(?<![\w/])(?:https?://|www\.|mailto:)[^\s<>\"“”«»]*{_LAST}", re.IGNORECASE)
_DOMAIN = re.compile(
    rf"(?<![\w.@/-])(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:{_DOMAINS})(?![\w-])(?:/\S*{_LAST})?"
)
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|mailto:)", re.IGNORECASE)
_VOWEL = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûü]", re.IGNORECASE)


def address_words(code: str, address: str) -> str:
    """'jean.dupont@exemple.fr' -> 'jean point dupont arobase exemple point f r'."""
    lex = LEXICONS[code]

    def number(digits: str) -> str:
        short = len(digits) <= 4 and digits[0] != "0"
        return cardinal(lex, int(digits)) if short else spell(digits, plain_digits(lex))

    return say_address(
        address, lambda part: part if _VOWEL.search(part) else " ".join(part), number,
        {**MARKS[code], ".": lex.point, "+": lex.plus},
    )


def rules(code: str) -> list[Rule]:
    """E-mail addresses, then web addresses, then bare domain names, in language ``code``."""

    def web(m: re.Match[str]) -> str:
        return address_words(code, _SCHEME.sub("", m.group()).rstrip("/"))

    return [
        Rule("email", _EMAIL, lambda m: address_words(code, m.group())),
        Rule("url", _URL, web),
        Rule("domain", _DOMAIN, web),
    ]
