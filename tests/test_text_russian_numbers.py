"""Russian normalisation: numbers in the case and gender their context asks for, dates, times,
money, units, ordinals, symbols; and the words they become keep their written spans."""

from __future__ import annotations

import pytest

from kokoro_tui.text.frontend import TextFrontend
from kokoro_tui.text.normalize import normalize
from kokoro_tui.text.numbers_ru import DAT, FEMININE, GEN, INS, NEUTER, PLURAL, PREP, cardinal, decimal, ordinal

CARDINALS = [
    (0, GEN, "m", "ноля"),
    (1, INS, FEMININE, "одной"),
    (2, INS, "m", "двумя"),
    (8, INS, "m", "восемью"),
    (21, "nom", FEMININE, "двадцать одна"),
    (40, DAT, "m", "сорока"),
    (300, INS, "m", "тремястами"),
    (1000, "nom", "m", "тысяча"),
    (21000, "nom", "m", "двадцать одна тысяча"),
    (2345678, GEN, "m", "двух миллионов трёхсот сорока пяти тысяч шестисот семидесяти восьми"),
]
ORDINALS = [
    (3, PREP, FEMININE, "третьей"),
    (2024, PREP, "m", "две тысячи двадцать четвёртом"),
    (1990, GEN, PLURAL, "тысяча девятьсот девяностых"),
    (2000, "nom", "m", "двухтысячный"),
    (40, "nom", "m", "сороковой"),
    (100, DAT, NEUTER, "сотому"),
]

READING = [
    # case from the preposition, gender from the noun
    ("в 5 часов", "в пять часов"),
    ("до 5 часов", "до пяти часов"),
    ("к 5 часам", "к пяти часам"),
    ("с 2 друзьями", "с двумя друзьями"),  # a plural noun's ending wins: instrumental
    ("о 3 книгах", "о трёх книгах"),
    ("21 год", "двадцать один год"),
    ("1 книга", "одна книга"),
    ("прочитал 21 книгу", "прочитал двадцать одну книгу"),
    ("2 книги", "две книги"),
    ("22 минуты", "двадцать две минуты"),
    ("1 окно", "одно окно"),
    ("1 ночь", "одна ночь"),
    ("1 000 000 рублей", "миллион рублей"),
    # dates and years
    ("в 2024 году", "в две тысячи двадцать четвёртом году"),
    ("к 2024 году", "к две тысячи двадцать четвёртому году"),
    ("2024 год", "две тысячи двадцать четвёртый год"),
    ("в 1990-х годах", "в тысяча девятьсот девяностых годах"),
    ("в 2024 г.", "в две тысячи двадцать четвёртом году."),
    ("в 1941–1945 гг.", "в тысяча девятьсот сорок первых — тысяча девятьсот сорок пятых годах."),
    ("Сегодня 5 марта.", "Сегодня пятое марта."),
    ("Он родился 5 марта 2024 г.", "Он родился пятого марта две тысячи двадцать четвёртого года."),
    ("в 2024 г. он", "в две тысячи двадцать четвёртом году он"),  # the dot is the abbreviation's only
    ("с 1 мая", "с первого мая"),
    ("05.03.2024", "пятое марта две тысячи двадцать четвёртого года"),
    ("2024-03-05", "пятое марта две тысячи двадцать четвёртого года"),
    ("с 5 по 10 марта", "с пятого по десятое марта"),  # по with a date: up to and including, accusative
    ("5-10 марта", "пятое-десятое марта"),
    ("5 и 6 мая", "пятое и шестое мая"),
    # times
    ("в 10:30", "в десять тридцать"),
    ("до 10:30", "до десяти тридцати"),
    ("в 9:05", "в девять ноль пять"),
    ("в 9:00", "в девять часов"),
    ("в 21:01", "в двадцать один ноль один"),
    # money
    ("$3.50", "три доллара пятьдесят центов"),
    ("100 ₽", "сто рублей"),
    ("1 ₽", "один рубль"),
    ("5 руб. 50 коп.", "пять рублей пятьдесят копеек."),
    ("5 руб. за штуку", "пять рублей за штуку"),
    ("€10", "десять евро"),
    ("около 5 $", "около пяти долларов"),
    # units and percent
    ("50%", "пятьдесят процентов"),
    ("на 1%", "на один процент"),
    ("5 км", "пять километров"),
    ("2 км", "два километра"),
    ("1 т", "одна тонна"),
    ("3,5 кг", "три целых пять десятых килограмма"),
    ("100 км/ч", "сто километров в час"),
    ("+5 °C", "плюс пять градусов Цельсия"),
    ("5 млн рублей", "пять миллионов рублей"),
    # ordinals, decimals, codes, symbols
    ("5-й", "пятый"),
    ("21-го", "двадцать первого"),
    ("1-я", "первая"),
    ("для 3-х человек", "для трёх человек"),
    ("3,14", "три целых четырнадцать сотых"),
    ("0,5", "ноль целых пять десятых"),
    ("5-7 дней", "пять — семь дней"),
    ("-5", "минус пять"),
    ("007", "ноль ноль семь"),
    ("8 (495) 123-45-67", "восемь четыреста девяносто пять, сто двадцать три, сорок пять, шестьдесят семь"),
    ("№ 5", "номер пять"),
    ("т.е. да", "то есть да"),
    ("и т.д.", "и так далее."),
    ("XIX век", "девятнадцатый век"),
    ("в XX веке", "в двадцатом веке"),
    # a ruler's number: an ordinal in the case and gender of the name
    ("Пётр I", "Пётр первый"),
    ("Екатерина II", "Екатерина вторая"),
    ("указ Петра I", "указ Петра первого"),
    ("при Николае II", "при Николае втором"),
    ("с Екатериной II", "с Екатериной второй"),
    ("Людовика XIV", "Людовика четырнадцатого"),
    ("глава IV", "глава четвёртая"),
    ("том III", "том третий"),
    ("А. С. Пушкин", "а эс Пушкин"),  # initials: letter names, and no sentence end
    ("С.П. Королёв", "эс пэ Королёв"),
    ("г. Москва, ул. Ленина, д. 5", "город Москва, улица Ленина, дом пять"),
]


@pytest.mark.parametrize(("n", "case", "gender", "spoken"), CARDINALS)
def test_cardinals(n: int, case, gender: str, spoken: str) -> None:
    assert cardinal(n, 0 if case == "nom" else case, gender) == spoken


@pytest.mark.parametrize(("n", "case", "gender", "spoken"), ORDINALS)
def test_ordinals(n: int, case, gender: str, spoken: str) -> None:
    assert ordinal(n, 0 if case == "nom" else case, gender) == spoken


def test_decimals() -> None:
    assert decimal(1, "25") == "одна целая двадцать пять сотых"
    assert decimal(3, "14159") == "три запятая один четыре один пять девять"


@pytest.mark.parametrize(("written", "spoken"), READING)
def test_reading(written: str, spoken: str) -> None:
    assert normalize(written, "r").text == spoken


def test_no_digit_is_left_for_the_g2p() -> None:
    for text in ("7" * 40, "7" * 5000, "mp3", "COVID-19", "1.2.3", "10 000 000 000", "+7 999 123 45 67", "3 : 4"):
        assert not any(char.isdigit() for char in normalize(text, "r").text), text


def test_rewritten_words_keep_their_written_spans() -> None:
    text = "В 2024 году, 5 марта в 10:30, я отдал $3.50 за 2 км."
    (chunk,) = TextFrontend("r").chunks(text)
    words = {w.text: w.normalized for w in chunk.words}
    assert words["2024"] == "две тысячи двадцать четвёртом"
    assert words["10:30"] == "десять тридцать"
    assert words["$3.50"] == "три доллара пятьдесят центов"
    assert words["2 км"] == "два километра"
    assert chunk.phonemes.endswith(".")  # "км." keeps the sentence's full stop
    assert all(w.phoneme_end > w.phoneme_start for w in chunk.words)
