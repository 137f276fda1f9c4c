"""The nouns that numbers count in Russian text: units, currencies, time, each with all its forms.

"5 км" is "пять километров", "2 км" "два километра", "в 3 км" "в трёх километрах": the
noun's form follows the number and the case, so each noun carries its twelve forms (six
cases, singular and plural) and its gender (for один/одна and два/две).
"""

from __future__ import annotations

from dataclasses import dataclass

from kokoro_tui.text.numbers_ru import FEMININE, MASCULINE, counted


@dataclass(frozen=True)
class Noun:
    gender: str
    singular: tuple[str, ...]  # nominative, genitive, dative, accusative, instrumental, prepositional
    plural: tuple[str, ...]

    def counted(self, n: int, case: int) -> str:
        """The form that ``n`` of this noun take in ``case`` (1 километр, 2 километра, 5 километров)."""
        return counted(n, case, self.singular, self.plural)


def _hard(stem: str, genitive_plural: str | None = None) -> Noun:
    """A masculine noun declined like стол: километр, километра, ... километров."""
    return Noun(
        MASCULINE,
        (stem, stem + "а", stem + "у", stem, stem + "ом", stem + "е"),
        (stem + "ы", genitive_plural or stem + "ов", stem + "ам", stem + "ы", stem + "ами", stem + "ах"),
    )


def _feminine(stem: str, genitive_plural: str) -> Noun:
    """A feminine noun declined like минута: минуты, минуте, минуту ... минут."""
    soft = stem[-1] in "кгхжшчщ"  # копейки, not копейкы
    y = "и" if soft else "ы"
    return Noun(
        FEMININE,
        (stem + "а", stem + y, stem + "е", stem + "у", stem + "ой", stem + "е"),
        (stem + y, genitive_plural, stem + "ам", stem + y, stem + "ами", stem + "ах"),
    )


def _indeclinable(word: str, gender: str) -> Noun:
    return Noun(gender, (word,) * 6, (word,) * 6)


NOUNS: dict[str, Noun] = {
    "рубль": Noun(MASCULINE, ("рубль", "рубля", "рублю", "рубль", "рублём", "рубле"),
                  ("рубли", "рублей", "рублям", "рубли", "рублями", "рублях")),
    "копейка": _feminine("копейк", "копеек"),
    "доллар": _hard("доллар"),
    "цент": _hard("цент"),
    "евро": _indeclinable("евро", MASCULINE),
    "фунт": _hard("фунт"),
    "пенс": _hard("пенс"),
    "юань": Noun(MASCULINE, ("юань", "юаня", "юаню", "юань", "юанем", "юане"),
                 ("юани", "юаней", "юаням", "юани", "юанями", "юанях")),
    "процент": _hard("процент"),
    "градус": _hard("градус"),
    "километр": _hard("километр"),
    "метр": _hard("метр"),
    "сантиметр": _hard("сантиметр"),
    "миллиметр": _hard("миллиметр"),
    "килограмм": _hard("килограмм"),
    "грамм": _hard("грамм"),
    "тонна": _feminine("тонн", "тонн"),
    "литр": _hard("литр"),
    "миллилитр": _hard("миллилитр"),
    "гектар": _hard("гектар"),
    "час": _hard("час"),
    "минута": _feminine("минут", "минут"),
    "секунда": _feminine("секунд", "секунд"),
    "год": Noun(MASCULINE, ("год", "года", "году", "год", "годом", "году"),
                ("годы", "лет", "годам", "годы", "годами", "годах")),
    "миллион": _hard("миллион"),
    "миллиард": _hard("миллиард"),
    "тысяча": Noun(FEMININE, ("тысяча", "тысячи", "тысяче", "тысячу", "тысячей", "тысяче"),
                   ("тысячи", "тысяч", "тысячам", "тысячи", "тысячами", "тысячах")),
    "страница": Noun(FEMININE, ("страница", "страницы", "странице", "страницу", "страницей", "странице"),
                     ("страницы", "страниц", "страницам", "страницы", "страницами", "страницах")),
}  # fmt: skip

# Written abbreviations (lower case, without the final dot) and symbols -> noun.
ABBREVIATIONS: dict[str, str] = {
    "км": "километр", "м": "метр", "см": "сантиметр", "мм": "миллиметр", "кг": "килограмм", "г": "грамм",
    "гр": "грамм", "т": "тонна", "л": "литр", "мл": "миллилитр", "га": "гектар", "ч": "час", "мин": "минута",
    "сек": "секунда", "руб": "рубль", "р": "рубль", "коп": "копейка", "долл": "доллар", "млн": "миллион",
    "млрд": "миллиард", "тыс": "тысяча", "стр": "страница",
}  # fmt: skip
CURRENCY_SYMBOLS: dict[str, str] = {"₽": "рубль", "$": "доллар", "€": "евро", "£": "фунт", "¥": "юань"}
# Each currency's hundredth.
CENTS: dict[str, str] = {"рубль": "копейка", "доллар": "цент", "евро": "цент", "фунт": "пенс"}
