"""Normalisation table: what a person says for each kind of written token, and the map back."""

from __future__ import annotations

import pytest

from kokoro_tui.text import numbers
from kokoro_tui.text.normalize import normalize
from kokoro_tui.text.rewrite import Piece, Rule, rewrite

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


# Reading-aloud gaps found by an audit: each was read wrongly before.
US_AUDIT = [
    # dates: "the 3rd of May" as written, month/day without a year, dotted day.month.year
    ("the 3rd of May", "the third of May"),
    ("on the 5th of March, 2024", "on the fifth of March, twenty twenty-four"),
    ("3rd of May", "the third of May"),
    ("on 12/25", "on December twenty-fifth"),
    ("iOS 17 came out 9/12.", "iOS seventeen came out September twelfth."),
    ("by 7/4", "by July fourth"),
    ("3/4 cup", "three quarters cup"),  # a fraction, not the 4th of March
    ("03.05.2024", "May third, twenty twenty-four"),
    ("25.12.2024", "December twenty-fifth, twenty twenty-four"),
    ("24/7", "twenty-four seven"),
    ("open 24/7/365", "open twenty-four seven three sixty-five"),
    # times around midnight, and ranges of times
    ("0:00", "midnight"),
    ("00:00", "midnight"),
    ("24:00", "midnight"),
    ("0:30", "twelve thirty AM"),
    ("00:05", "twelve oh five AM"),
    ("12:00", "twelve o'clock"),
    ("2:30pm-4pm", "two thirty PM to four PM"),
    ("2-4pm", "two to four PM"),
    ("9am–5pm.", "nine AM to five PM."),
    ("10:00-11:30", "ten o'clock to eleven thirty"),
    ("1990-1995", "nineteen ninety to nineteen ninety-five"),
    ("pages 10-20", "pages ten to twenty"),
    ("from 500-1000 people", "from five hundred to one thousand people"),
    # emergency numbers, phone numbers, codes and long digit runs
    ("911", "nine one one"),
    ("Call 911.", "Call nine one one."),
    ("dial 999", "dial nine nine nine"),
    ("call 112 or 999", "call one one two or nine nine nine"),
    ("999 bottles", "nine hundred ninety-nine bottles"),
    ("112 pages", "one hundred twelve pages"),
    ("07946 095812", "zero seven nine four six, zero nine five eight one two"),
    ("+44 7946 095812", "plus four four, seven nine four six, zero nine five eight one two"),
    ("+44 (0)20 7946 0958", "plus four four, two zero, seven nine four six, zero nine five eight"),
    ("020 7946 0958", "zero two zero, seven nine four six, zero nine five eight"),
    ("(020) 7946 0958", "zero two zero, seven nine four six, zero nine five eight"),
    ("555 123 4567", "five five five, one two three, four five six seven"),
    ("1-800-555-1234", "one, eight zero zero, five five five, one two three four"),
    ("+1 555 123 4567", "plus one, five five five, one two three, four five six seven"),
    ("12345678901", "one two three four five six seven eight nine zero one"),
    ("12000000", "twelve million"),
    ("1234567", "one million two hundred thirty-four thousand five hundred sixty-seven"),
    ("12,345,678", "twelve million three hundred forty-five thousand six hundred seventy-eight"),
    ("Agent 007", "Agent zero zero seven"),
    ("7" * 20 + "th", " ".join(["seven"] * 20)),
    # Roman numerals after names and numbering words; pronoun "I" and words of I/V/X letters kept
    ("World War II", "World War Two"),
    ("Henry VIII", "Henry the Eighth"),
    ("Henry VIII's wives", "Henry the Eighth's wives"),
    ("Louis XIV", "Louis the Fourteenth"),
    ("Pope John XXIII", "Pope John the Twenty-Third"),
    ("Elizabeth I was queen", "Elizabeth the First was queen"),
    ("Chapter IV", "Chapter four"),
    ("Part I.", "Part one."),
    ("type II diabetes", "type two diabetes"),
    ("Final Fantasy VII", "Final Fantasy Seven"),
    ("I am here", "I am here"),
    ("Henry I think so", "Henry I think so"),
    ("Then I left", "Then I left"),
    ("MIX the CV at DC", "MIX the CV at DC"),
    ("The XX chromosome", "The XX chromosome"),
    ("Malcolm X", "Malcolm X"),
    ("Give IV fluids", "Give IV fluids"),
    # units after a number
    ("10 km", "ten kilometers"),
    ("1 km", "one kilometer"),
    ("5 kg", "five kilograms"),
    ("250 g", "two hundred fifty grams"),
    ("5 mg", "five milligrams"),
    ("100 m", "one hundred meters"),
    ("2.5 cm", "two point five centimeters"),
    ("3 mm", "three millimeters"),
    ("26.2 mi", "twenty-six point two miles"),
    ("6 ft 2 in", "six feet two inches"),
    ("1 ft", "one foot"),
    ("12 in x 4 in", "twelve inches x four inches"),
    ("3 in a row", "three in a row"),
    ("5 lb", "five pounds"),
    ("8 oz", "eight ounces"),
    ("60 mph", "sixty miles per hour"),
    ("100 km/h", "one hundred kilometers per hour"),
    ("20 °C", "twenty degrees Celsius"),
    ("-1 °C", "minus one degree Celsius"),
    ("72°F", "seventy-two degrees Fahrenheit"),
    ("90°", "ninety degrees"),
    ("500 ml", "five hundred milliliters"),
    ("2 l", "two liters"),
    ("16 GB", "sixteen gigabytes"),
    ("1 TB", "one terabyte"),
    ("512 MB", "five hundred twelve megabytes"),
    ("64 KB", "sixty-four kilobytes"),
    ("3.2 GHz", "three point two gigahertz"),
    ("50 Hz", "fifty hertz"),
    ("2 kW", "two kilowatts"),
    ("60 W", "sixty watts"),
    ("12 V", "twelve volts"),
    ("30 s", "thirty seconds"),
    ("1.5s", "one point five seconds"),
    ("200 ms", "two hundred milliseconds"),
    ("5 min", "five minutes"),
    ("2 h", "two hours"),
    ("5-10 kg", "five to ten kilograms"),
    ("1984 km", "one thousand nine hundred eighty-four kilometers"),
    ("50%", "fifty percent"),
]

GB_AUDIT = [
    ("the 3rd of May", "the third of May"),
    ("3rd of May", "the third of May"),
    ("25/12", "the twenty-fifth of December"),
    ("on the 25/12", "on the twenty-fifth of December"),
    ("03.05.2024", "the third of May, twenty twenty-four"),
    ("24/7", "twenty-four seven"),
    ("ring 999", "ring nine nine nine"),
    ("10 km", "ten kilometres"),
    ("1 km", "one kilometre"),
    ("500 ml", "five hundred millilitres"),
    ("2 l", "two litres"),
    ("100 km/h", "one hundred kilometres per hour"),
    ("World War II", "World War Two"),
]


@pytest.mark.parametrize(("written", "spoken"), US_AUDIT)
def test_american_reading_aloud(written: str, spoken: str) -> None:
    assert normalize(written, "a").text == spoken


@pytest.mark.parametrize(("written", "spoken"), GB_AUDIT)
def test_british_reading_aloud(written: str, spoken: str) -> None:
    assert normalize(written, "b").text == spoken


@pytest.mark.parametrize("lang", ["a", "b", "e", "f", "h", "i", "p", "z"])
@pytest.mark.parametrize("length", [16, 22, 307, 5000])
def test_digit_runs_of_any_length_are_read_digit_by_digit(lang: str, length: int) -> None:
    mark = "," if lang in "abhz" else "."
    grouped = "1" + f"{mark}000" * (length // 3)
    for text in ("7" * length, "7" * length + "%", "$" + "7" * length, grouped):
        norm = normalize(text, lang)
        assert not any(c.isdigit() for c in norm.text if c != "%"), (lang, text[:20], norm.text[:80])


def test_new_rewrites_map_back_to_their_written_form() -> None:
    text = "Call 07946 095812 at 0:00 on 12/25, 2:30pm-4pm, 10 km from Henry VIII's house."
    norm = normalize(text, "a")
    for word, original in [
        ("zero seven", "07946 095812"),
        ("midnight", "0:00"),
        ("December", "12/25"),
        ("thirty PM to four", "2:30pm-4pm"),
        ("kilometers", "10 km"),
        ("Eighth", "VIII"),
        ("house", "house"),
    ]:
        at = norm.text.index(word)
        start, end = norm.source_span(at, at + len(word))
        assert text[start:end] == original, (word, text[start:end])


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
    assert "February" not in normalize("due 2/30", "a").text
    assert "February" not in normalize("31.02.2024", "a").text
    assert normalize("25:99", "a").text != "twenty-five ninety-nine"


def test_number_words() -> None:
    assert numbers.cardinal(1234567) == "one million two hundred thirty-four thousand five hundred sixty-seven"
    assert numbers.year(1905) == "nineteen oh five"
    assert numbers.year(1900) == "nineteen hundred"
    assert numbers.year(2000) == "two thousand"
    assert numbers.decade(2000) == "two thousands"
    assert numbers.decimal("-0.5") == "minus zero point five"
