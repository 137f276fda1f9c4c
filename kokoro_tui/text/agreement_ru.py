"""What a Russian number's neighbours say about its case and gender.

Digits do not show their case: "в 5 часов" is "в пять часов", "до 5 часов" "до пяти часов",
"с 5 друзьями" "с пятью друзьями". The preposition before the number gives the case, and a
plural noun after it in an oblique case (-ами, -ах, -ам) overrides it. The noun's ending,
read in the form the number asks for, gives the gender: "1 книга" (одна), "2 книги" (две),
"1 окно" (одно); a few nouns break the ending rule and are listed.
"""

from __future__ import annotations

import re

from kokoro_tui.text.numbers_ru import (
    ACC,
    DAT,
    FEMININE,
    FEW,
    GEN,
    INS,
    MASCULINE,
    NEUTER,
    NOM,
    ONE,
    PREP,
    counting_form,
)

PREPOSITION_CASE: dict[str, int] = {
    **dict.fromkeys("без для до из от у около после кроме с со более менее свыше против среди вместо возле "
                    "мимо вокруг больше меньше".split(), GEN),
    **dict.fromkeys("к ко по благодаря согласно".split(), DAT),
    **dict.fromkeys("в во на за про через спустя".split(), ACC),
    **dict.fromkeys("перед между над под".split(), INS),
    **dict.fromkeys("о об при".split(), PREP),
}  # fmt: skip
# Endings of a plural noun that fix the case whatever the preposition says.
_PLURAL_CASE = (("ами", INS), ("ями", INS), ("ах", PREP), ("ях", PREP), ("ам", DAT), ("ям", DAT))
# Feminine nouns in -ь, and masculine nouns in -а/-я, that the ending rule would get wrong.
_FEMININE_SOFT = frozenset("ночь дверь вещь часть жизнь мысль роль цель боль соль площадь лошадь тетрадь кровать "
                           "печь речь мышь ложь новость область неделя".split())  # fmt: skip
_MASCULINE_A = frozenset("мужчина мужчины мужчину папа папы дедушка дедушки юноша юноши дядя дяди судья судьи".split())
_SOFT_FEMININE_ENDINGS = ("ость", "есть", "чь", "щь", "шь", "жь")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s+$")
_WORD_AFTER = re.compile(r"\s*([^\W\d_]+)")
CONTEXT = 40  # characters looked at on each side


def word_before(text: str, start: int) -> str:
    """The word right before ``start`` (only spaces between), lower case; "" when none."""
    found = _WORD_BEFORE.search(text[max(0, start - CONTEXT) : start])
    return found.group(1).lower() if found else ""


def word_after(text: str, end: int) -> str:
    """The word right after ``end`` (only spaces between), lower case; "" when none."""
    found = _WORD_AFTER.match(text, end, min(len(text), end + CONTEXT))
    return found.group(1).lower() if found else ""


def case_of(text: str, start: int, noun: str = "") -> int:
    """The case a number at ``start`` is read in, from the preposition before it and ``noun`` after it."""
    for ending, case in _PLURAL_CASE:
        if noun.endswith(ending) and len(noun) > len(ending) + 1:
            return case
    return PREPOSITION_CASE.get(word_before(text, start), NOM)


def gender_of(noun: str, n: int, case: int = NOM) -> str:
    """The gender of ``noun`` as it stands after the number ``n`` in ``case`` (masculine when nothing tells)."""
    if not noun:
        return MASCULINE
    if noun in _FEMININE_SOFT or noun.endswith(_SOFT_FEMININE_ENDINGS):
        return FEMININE
    if noun in _MASCULINE_A:
        return MASCULINE
    form = counting_form(n)
    if form == FEW:
        return FEMININE if noun.endswith(("ы", "и")) else MASCULINE  # две книги; два стола, два окна
    if form != ONE:
        return MASCULINE  # пять: the same word for every gender
    if case in (NOM, ACC):
        if noun.endswith(("а", "я", "у", "ю")):
            return FEMININE  # книга, книгу
        return NEUTER if noun.endswith(("о", "е", "ё")) else MASCULINE
    if case == GEN:
        return FEMININE if noun.endswith(("ы", "и")) else MASCULINE
    if case == INS:
        return FEMININE if noun.endswith(("ой", "ей")) else MASCULINE
    return MASCULINE  # dative and prepositional endings do not tell
