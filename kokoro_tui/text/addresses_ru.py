"""E-mail and web addresses, read part by part as Russians dictate them: "ivan@mail.ru" is
"иван собака мэйл точка ру", "www.yandex.ru/search" "дабл-ю дабл-ю дабл-ю точка йандэкс точка ру
слэш сирч".

A part with a vowel is sounded out as ``latin_ru`` sounds out any Latin word (its rough reading
is kept, so an address and the same word in running text sound alike); a part without one,
which nobody can say as a word, is spelled by its letters' names ("vk" "ви кей", "www", "рф" "эр
эф"); digits are a number. The marks between are named. A scheme ("https://") and a closing
slash are not said. A bare domain, with neither a scheme nor "www.", needs a known lower-case
top-level domain, so that "Node.js" or "т.д." is not taken for one.
"""

from __future__ import annotations

import re

from kokoro_tui.text.acronyms_ru import CYRILLIC_NAMES, LATIN_NAMES
from kokoro_tui.text.addresses import say_address
from kokoro_tui.text.alphabet_ru import VOWELS
from kokoro_tui.text.digit_strings import reads_as_digits, spell
from kokoro_tui.text.latin_ru import to_russian
from kokoro_tui.text.numbers_ru import DIGITS, cardinal

_MARKS = {".": "точка", "@": "собака", "/": "слэш", "-": "дефис", "_": "нижнее подчёркивание"}
_TOP_LEVEL = "ru|su|com|org|net|info|io|biz|edu|gov|pro|me|tv|ua|by|kz|uk|de|рф|рус"
_SCHEME = r"https?://"
_NAME = r"[^\W_]+(?:[-_][^\W_]+)*"  # letters and digits, joined by - or _ inside
_DOTTED = rf"{_NAME}(?:\.{_NAME})*"
_PATH = rf"(?:/{_DOTTED})*/?"
PATTERN = re.compile(
    rf"(?<![\w.@/-])(?:{_DOTTED}@{_DOTTED}\.[^\W\d_]{{2,}}"  # e-mail
    rf"|(?:{_SCHEME}(?:www\.)?|www\.){_DOTTED}{_PATH}"  # a web address with a scheme or www.
    rf"|{_DOTTED}\.(?:{_TOP_LEVEL})(?![\w-]){_PATH})"  # a bare domain
    r"(?![\w@-])"
)


def _part(word: str) -> str:
    """A run of letters: said as a word when it has a vowel, else spelled."""
    russian = to_russian(word)
    if any(char in VOWELS for char in russian):
        return russian
    return " ".join(LATIN_NAMES.get(char) or CYRILLIC_NAMES.get(char, char) for char in word)


def _number(digits: str) -> str:
    return spell(digits, DIGITS) if reads_as_digits(digits) else cardinal(int(digits))


def address_words(address: str) -> str:
    """An address as it is dictated, the scheme and a closing slash left out."""
    return say_address(re.sub(rf"^{_SCHEME}", "", address.lower()).rstrip("/"), _part, _number, _MARKS)
