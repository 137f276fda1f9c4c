"""English readings from review s32: ranges with thousands separators, names with hyphenated numbers, version
ranges, IEEE standard numbers, odds with a scale, aircraft models, and the letter X after a product's name."""

from __future__ import annotations

import pytest

from kokoro_tui import Pipeline
from kokoro_tui.text.normalize import normalize

THOUSANDS_RANGES = [
    ("We sold 1,200-1,500 units.", "We sold one thousand two hundred to one thousand five hundred units."),
    ("Open 9-5, daily.", "Open nine to five, daily."),  # a comma after a range was read "nine-5"
    ("pages 10-15, 20-25, and 30", "pages ten to fifteen, twenty to twenty-five, and thirty"),
    ("It cost $1,200-$1,500.", "It cost one thousand two hundred dollars to one thousand five hundred dollars."),
    ("1,200\u20131,500", "one thousand two hundred to one thousand five hundred"),
    ("10,000-20,000 people", "ten thousand to twenty thousand people"),
    ("from 1,500-2,000 in 1990", "from one thousand five hundred to two thousand in nineteen ninety"),
]
HYPHENATED_NAMES = [
    ("the F-16 and MiG-29", "the F sixteen and MiG twenty-nine"),
    ("the Su-57", "the Su fifty-seven"),
    ("an AK-47", "an AK forty-seven"),
    ("a Tu-144", "a Tu one forty-four"),
    ("R2-D2", "R two D two"),
    ("the T-800", "the T eight hundred"),
    ("a B-52", "a B fifty-two"),
    ("COVID-19", "COVID nineteen"),
    ("SARS-CoV-2", "SARS CoV two"),
    ("x86-64", "x eighty-six sixty-four"),
    ("a Boeing 777-300ER", "a Boeing seven seventy-seven three hundred ER"),
]
VERSION_RANGES = [
    ("Python 3.9-3.12 is supported.", "Python three point nine to three point twelve is supported."),
    ("Python 3.9\u20133.12", "Python three point nine to three point twelve"),
    ("Ubuntu 20.04-22.04", "Ubuntu twenty point zero four to twenty-two point zero four"),
    ("It costs 3.9-3.12 now", "It costs three point nine to three point one two now"),
]
IEEE_NUMBERS = [
    ("IEEE 802.11", "I triple E eight oh two dot eleven"),
    ("Wi-Fi 802.11ac", "Wi-Fi eight oh two dot eleven A-C"),
    ("Wi-Fi 802.11n is fast", "Wi-Fi eight oh two dot eleven N is fast"),
    ("Ethernet is 802.3.", "Ethernet is eight oh two dot three."),
    ("IEEE 1394.1", "I triple E thirteen ninety-four dot one"),
    ("802.11-2020", "eight oh two dot eleven twenty twenty"),
    ("the IEEE 754 standard", "the I triple E seven hundred fifty-four standard"),
    ("It weighs 802.5 kg", "It weighs eight hundred two point five kilograms"),
    ("It is 3.11 today", "It is three point one one today"),
]
ODDS = [
    ("a one-in-10M chance", "a one in ten million chance"),
    ("a 10M-row table", "a ten million-row table"),
    ("odds of 1-in-1M", "odds of one in one million"),
    ("a 1-in-3 chance", "a one in three chance"),
]
AIRCRAFT = [
    ("a Boeing 747-400 landed", "a Boeing seven forty-seven four hundred landed"),
    ("Boeing 777-300ER", "Boeing seven seventy-seven three hundred ER"),
    ("the Airbus A320", "the Airbus A-three-twenty"),
    ("an A380-800", "an A-three-eighty eight hundred"),
    ("the 737 MAX", "the seven thirty-seven MAX"),
    ("a Boeing 737", "a Boeing seven thirty-seven"),
    ("the 787-9", "the seven eighty-seven nine"),
    ("pages 10-15", "pages ten to fifteen"),
    ("the 2020-21 season", "the twenty twenty to twenty-one season"),
    ("737 people", "seven hundred thirty-seven people"),
    ("pages 727-737", "pages seven hundred twenty-seven to seven hundred thirty-seven"),
]
LETTER_X = [
    ("PS5 and Xbox Series X", "PS5 and Xbox Series X"),
    ("the Xbox Series S", "the Xbox Series S"),
    ("the Tesla Model X", "the Tesla Model X"),
    ("the iPhone X", "the iPhone ten"),  # Apple's names say ten
    ("Mac OS X", "Mac OS ten"),
    ("World War II", "World War Two"),
    ("Chapter X", "Chapter ten"),
    ("Louis XIV", "Louis the Fourteenth"),
    ("Season X", "Season ten"),
]


def _said(text: str) -> str:
    return normalize(text, "a").text


@pytest.mark.parametrize(("text", "spoken"), THOUSANDS_RANGES)
def test_1_a_range_of_numbers_with_thousands_separators_is_read_whole(text: str, spoken: str) -> None:
    assert _said(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), HYPHENATED_NAMES)
def test_2_a_name_with_a_hyphenated_number_is_read_whole_and_no_word_is_dropped(
    text: str, spoken: str, tmp_home
) -> None:
    assert _said(text) == spoken
    warnings: list[str] = []
    chunks = list(Pipeline(voice="af_heart", on_warning=warnings.append).text_chunks(text))
    spoken_chars = {
        index for chunk in chunks for word in chunk.words if word.phoneme_end > word.phoneme_start
        for index in range(word.start_char, word.end_char)
    }  # fmt: skip
    assert not warnings
    assert all(index in spoken_chars for index, char in enumerate(text) if char.isalnum())


@pytest.mark.parametrize(("text", "spoken"), VERSION_RANGES)
def test_3_both_ends_of_a_version_range_after_a_versioned_name_are_versions(text: str, spoken: str) -> None:
    assert _said(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), IEEE_NUMBERS)
def test_4_ieee_standard_numbers_are_read_as_names(text: str, spoken: str) -> None:
    assert _said(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), ODDS)
def test_5_a_scaled_number_in_hyphenated_odds_is_a_quantity(text: str, spoken: str) -> None:
    assert _said(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), AIRCRAFT)
def test_6_aircraft_models_are_read_as_names_and_real_ranges_stay_ranges(text: str, spoken: str) -> None:
    assert _said(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), LETTER_X)
def test_7_x_after_a_product_name_is_the_letter_and_other_numerals_stay(text: str, spoken: str) -> None:
    assert _said(text) == spoken
