"""Normalisation table: what a person says for each kind of written token, and the map back."""

from __future__ import annotations

import pytest

from kokoro_tui.text import numbers
from kokoro_tui.text.normalize import Piece, Rule, rewrite
from kokoro_tui.text.reading import normalize

US = [
    # phone numbers: digit by digit, groups separated by a pause
    ("Call 555-123-4567.", "Call five five five, one two three, four five six seven."),
    ("+1 (555) 123-4567", "plus one, five five five, one two three, four five six seven"),
    ("(555) 123-4567", "five five five, one two three, four five six seven"),
    # dates: ISO, US month-first, written month names
    ("2024-03-05", "March fifth, twenty twenty-four"),
    ("5/3/2024", "May third, twenty twenty-four"),
    ("March 5, 2024", "March fifth, twenty twenty-four"),
    ("on 5 March", "on March fifth"),
    # times
    ("3:30 pm", "three thirty PM"),
    ("14:05", "fourteen oh five"),
    ("15:00", "fifteen hundred"),
    ("3:00", "three o'clock"),
    ("10am", "ten AM"),
    # money
    ("$3.50", "three dollars and fifty cents"),
    ("£20", "twenty pounds"),
    ("€5", "five euros"),
    ("$1.2 million", "one point two million dollars"),
    ("$1", "one dollar"),
    ("$0.05", "five cents"),
    # percent, cardinals, decimals, negatives
    ("50%", "fifty percent"),
    ("1,234", "one thousand two hundred thirty-four"),
    ("3.14", "three point one four"),
    ("-3 degrees", "minus three degrees"),
    ("7 cats", "seven cats"),
    # ordinals
    ("1st", "first"),
    ("22nd", "twenty-second"),
    ("103rd", "one hundred third"),
    # years and decades
    ("in 1984", "in nineteen eighty-four"),
    ("in 2005", "in two thousand five"),
    ("in 2010", "in twenty ten"),
    ("the 2010s", "the twenty tens"),
    ("the 1980s", "the nineteen eighties"),
    ("the '80s", "the eighties"),
    ("pages 5-10", "pages five to ten"),
    # abbreviations
    ("Dr. Smith", "Doctor Smith"),
    ("Mr. and Mrs. Lee", "Mister and Missus Lee"),
    ("St. Louis", "Saint Louis"),
    ("on Baker St.", "on Baker Street."),
    ("apples, etc. The end", "apples, et cetera. The end"),
    ("fruit, e.g. apples", "fruit, for example apples"),
    ("that, i.e. this", "that, that is this"),
    ("cats vs. dogs", "cats versus dogs"),
    ("No. 5", "number five"),
    ("I said no.", "I said no."),
    # URLs and e-mail addresses
    ("https://example.com", "example dot com"),
    ("www.example.com/docs", "W W W dot example dot com slash docs"),
    ("see example.org.", "see example dot org."),
    ("john.doe@example.com", "john dot doe at example dot com"),
    # unicode punctuation and whitespace
    ("“Hi,” she said", "“Hi,” she said"),
    ("it’s", "it's"),
    ("wait – what", "wait — what"),
    ("so...", "so…"),
    ("a\u00a0b", "a b"),
    ("a  \t b", "a b"),
    ("fun 😀 times", "fun times"),
    ("one\n\n\ntwo", "one\ntwo"),
    ("one\ntwo", "one two"),
]

GB = [
    ("5/3/2024", "the fifth of March, twenty twenty-four"),
    ("2024-03-05", "the fifth of March, twenty twenty-four"),
    ("March 5", "March the fifth"),
    ("1,205", "one thousand two hundred and five"),
    ("in 2005", "in two thousand and five"),
    ("£3.50", "three pounds and fifty pence"),
]


@pytest.mark.parametrize(("written", "spoken"), US)
def test_american_reading(written: str, spoken: str) -> None:
    assert normalize(written, "a").text == spoken


@pytest.mark.parametrize(("written", "spoken"), GB)
def test_british_reading(written: str, spoken: str) -> None:
    assert normalize(written, "b").text == spoken


def test_other_languages_keep_numbers_for_espeak() -> None:
    assert normalize("Tengo 23 años… “sí”", "e").text == "Tengo 23 años… “sí”"
    assert normalize("मैं ठीक हूँ।", "h").text == "मैं ठीक हूँ."


def test_mandarin_numbers_read_by_cn2an() -> None:
    assert normalize("2024年", "z").text == "二零二四年"
    assert normalize("50%", "z").text == "百分之五十"


def test_spans_point_back_to_the_original() -> None:
    text = "Pay $3.50 to Dr. Smith now."
    norm = normalize(text, "a")
    assert norm.text == "Pay three dollars and fifty cents to Doctor Smith now."
    for word, original in [("dollars", "$3.50"), ("Doctor", "Dr."), ("Smith", "Smith"), ("Pay", "Pay"), ("now", "now")]:
        at = norm.text.index(word)
        start, end = norm.source_span(at, at + len(word))
        assert text[start:end] == original
    # A span inside a verbatim word maps character for character.
    at = norm.text.index("mit")
    assert norm.source_span(at, at + 3) == (text.index("mit"), text.index("mit") + 3)


def test_pieces_cover_the_original_in_order() -> None:
    text = "On 2024-03-05, call 555-123-4567 (ext. 5) — 50% off!"
    norm = normalize(text, "a")
    position = 0
    for piece in norm.pieces:
        assert piece.start == position
        if piece.verbatim:
            assert piece.text == text[piece.start : piece.end]
        position = piece.end
    assert position == len(text)


def test_declined_rule_leaves_text_alone() -> None:
    import re

    rule = Rule("even", re.compile(r"\d"), lambda m: "even" if int(m.group()) % 2 == 0 else None)
    norm = rewrite("1 2 3", [rule])
    assert norm.text == "1 even 3"
    assert norm.pieces[1] == Piece("even", 2, 3, verbatim=False)


def test_invalid_dates_and_times_are_not_rewritten_as_dates() -> None:
    assert "thirteenth" not in normalize("13/45/2024", "a").text
    assert normalize("25:99", "a").text != "twenty-five ninety-nine"


def test_number_words() -> None:
    assert numbers.cardinal(1234567) == "one million two hundred thirty-four thousand five hundred sixty-seven"
    assert numbers.year(1905) == "nineteen oh five"
    assert numbers.year(1900) == "nineteen hundred"
    assert numbers.year(2000) == "two thousand"
    assert numbers.decade(2000) == "two thousands"
    assert numbers.decimal("-0.5") == "minus zero point five"
