"""English readings from review s32, second round: units after a price, ratios and stopwatch times, house numbers,
written durations, key chords, weekday abbreviations, maths operators, "no." and "vol. II", time units and run
distances."""

from __future__ import annotations

import pytest

from kokoro_tui import Pipeline
from kokoro_tui.text.normalize import normalize

RATES = [
    ("It costs €2.50/kg or £3 per lb.", "It costs two euros fifty per kilogram or three pounds per pound."),
    ("$9.99/month", "nine dollars ninety-nine per month"),
    ("$10/month", "ten dollars per month"),
    ("5 km/h", "five kilometers per hour"),
    ("100 requests/sec", "one hundred requests per second"),
    ("the price per kg", "the price per kilogram"),
    ("100 Mbps", "one hundred megabits per second"),
    ("1 Gbps", "one gigabit per second"),
    ("56 kbps", "fifty-six kilobits per second"),
    ("20 MB/s", "twenty megabytes per second"),
    ("1.5 GB/s", "one point five gigabytes per second"),
    ("and/or his/her", "and/or his/her"),
    ("pros/cons", "pros/cons"),
]
COLONS = [
    ("The ratio was 16:9 and the score 2:1.", "The ratio was sixteen to nine and the score two to one."),
    ("a 4:3 screen", "a four to three screen"),
    ("a 1:100,000 map", "a one to one hundred thousand map"),
    ("He ran 10K in 46:30", "He ran ten K in forty-six thirty"),
    ("in 59:05 flat", "in fifty-nine oh five flat"),
    ("It ended 3-2 at 90:00.", "It ended three to two at ninety minutes."),  # was "ninety hundred"
    ("at 22:15", "at twenty-two fifteen"),
    ("3:30 pm", "three thirty PM"),
    ("Genesis 1:1", "Genesis one one"),
    ("Step 1: mix", "Step one: mix"),
]
HOUSE_NUMBERS = [
    ("Dr. Smith lives at 221B Baker St.", "Doctor Smith lives at two twenty-one B Baker Street."),
    ("aisle 5B", "aisle five B"),
    ("Room 12A is free", "Room twelve-A is free"),
    ("flat 3a", "flat three-A"),
    ("$5B", "five billion dollars"),
    ("16B parameters", "sixteen billion parameters"),
    ("5B users", "five billion users"),
    ("10M Americans", "ten million Americans"),
    ("Llama-3-70B", "Llama-3 seventy B"),
    ("a 7B model", "a 7B model"),
    ("3M", "3M"),
    ("a room 12m wide", "a room twelve meters wide"),
]
DURATIONS = [
    ("it took 3h 20m", "it took three hours twenty minutes"),
    ("1h30m", "one hour thirty minutes"),
    ("2h 15min", "two hours fifteen minutes"),
    ("45s", "forty-five seconds"),
    ("1m 30s", "one minute thirty seconds"),
    ("2h 5m 10s", "two hours five minutes ten seconds"),
    ("the wall is 20m high", "the wall is twenty meters high"),
    ("in his 30s", "in his thirties"),
]
KEYS = [
    ("Use Ctrl+C to stop, or press Alt+F4.", "Use control C to stop, or press alt F four."),
    ("Ctrl+Shift+T", "control shift T"),
    ("Cmd+Q", "command Q"),
    ("Shift+Tab", "shift tab"),
    ("Ctrl-Alt-Del", "control alt delete"),
    ("press Ctrl + Z", "press control Z"),
    ("press Ctrl+A", "press control-A"),
    ("C++", "C++"),
    ("1+1", "one+one"),
]
WEEKDAYS = [
    ("on Tue, Jan 5th", "on Tuesday, January fifth"),
    ("by Fri.", "by Friday."),
    ("Mon.\u2013Wed.", "Monday to Wednesday."),
    ("open Mon-Fri", "open Monday to Friday"),
    ("Monday\u2013Friday", "Monday to Friday"),
    ("Sat, Mar 2", "Saturday, March second"),
    ("on Thurs at noon", "on Thursday at noon"),
    ("the Sun rose", "the Sun rose"),
    ("Sat down", "Sat down"),
    ("Wed in June, they left", "Wed in June, they left"),
    ("Closed Sun.", "Closed Sunday."),
    ("We basked in the warm Sun.", "We basked in the warm Sun."),  # the period alone was taken for a day
    ("He married her. They Wed.", "He married her. They Wed."),
]
MATHS = [
    ("x = 3 + 4 * 2 and y >= 10.", "x equals three plus four times two and y greater than or equal to ten."),
    ("3 \u2265 2", "three greater than or equal to two"),
    ("a <= b", "a less than or equal to b"),
    ("x != 0", "x not equal to zero"),
    ("x \u2260 y", "x not equal to y"),
    ("10 \u00f7 2", "ten divided by two"),
    ("if x > 5", "if x greater than five"),
    ("3 < 4", "three less than four"),
    ("2 \u00d7 n", "two times n"),
    ("count >= limit", "count greater than or equal to limit"),
]
NOT_MATHS = ["a -> b", "> quote", "<b>bold</b>", "*emphasis*", "I *love* it", "a <p>", "I <3 you"]
NUMBERED = [
    ("Order no. 12345 ships", "Order number twelve thousand three hundred forty-five ships"),
    ("see nos. 5 and 6", "see numbers five and six"),
    ("No. 7", "number seven"),
    ("(vol. II)", "(volume two)"),
    ("(ch. IV)", "(chapter four)"),
    ("(Chapter II)", "(Chapter two)"),
    ("I said no. Then I left.", "I said no. Then I left."),
    ("I said no. 5 times!", "I said no. five times!"),  # a lower-case "no" before a count is the word
]
TIME_UNITS = [
    ("2 yrs", "two years"),
    ("1 yr", "one year"),
    ("3 hrs", "three hours"),
    ("5 mins", "five minutes"),
    ("10 secs", "ten seconds"),
    ("6 mos", "six months"),
    ("ran 5k", "ran five K"),
    ("a 10K race", "a ten K race"),
    ("$5k", "five thousand dollars"),
    ("10k users", "ten thousand users"),
]


def _said(text: str, code: str = "a") -> str:
    return normalize(text, code).text


def _phonemes(text: str) -> str:
    warnings: list[str] = []
    chunks = list(Pipeline(voice="af_heart", on_warning=warnings.append).text_chunks(text))
    return "".join(chunk.phonemes for chunk in chunks)


@pytest.mark.parametrize(("text", "spoken"), RATES)
def test_1_a_unit_after_a_slash_or_per_following_an_amount_is_read(text: str, spoken: str) -> None:
    assert _said(text) == spoken


def test_1_a_rate_is_read_in_british_english_too() -> None:
    assert _said("€2.50/kg", "b") == "two euros fifty per kilogram"


@pytest.mark.parametrize(("text", "spoken"), COLONS)
def test_2_a_colon_between_numbers_that_is_no_time_is_a_ratio_or_a_stopwatch_time(text: str, spoken: str) -> None:
    assert _said(text) == spoken


def test_2_a_ratio_leaves_no_colon_in_the_phonemes(tmp_home) -> None:
    assert ":" not in _phonemes("The ratio was 16:9 and he ran it in 46:30.")


@pytest.mark.parametrize(("text", "spoken"), HOUSE_NUMBERS)
def test_3_a_number_with_a_letter_is_a_house_number_unless_a_count_is_meant(text: str, spoken: str) -> None:
    assert _said(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), DURATIONS)
def test_4_a_written_duration_reads_m_after_hours_as_minutes(text: str, spoken: str) -> None:
    assert _said(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), KEYS)
def test_5_key_chords_are_read_as_keys(text: str, spoken: str) -> None:
    assert _said(text) == spoken


def test_5_a_key_chord_leaves_no_plus_in_the_phonemes(tmp_home) -> None:
    assert "+" not in _phonemes("Use Ctrl+C to stop.")


@pytest.mark.parametrize(("text", "spoken"), WEEKDAYS)
def test_6_weekday_abbreviations_are_read_as_days_where_a_day_is_meant(text: str, spoken: str) -> None:
    assert _said(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), MATHS)
def test_7_maths_operators_between_operands_are_read(text: str, spoken: str) -> None:
    assert _said(text) == spoken


@pytest.mark.parametrize("text", NOT_MATHS)
def test_7_arrows_markup_and_quotes_are_no_comparison(text: str) -> None:
    said = _said(text)
    assert not any(word in said for word in ("greater", "less", "times", "equal"))


def test_7_a_comparison_is_never_left_as_an_equals_sign() -> None:
    for code in ("a", "b", "e", "f"):
        assert "=" not in _said("if count >= limit or n <= 5", code)


@pytest.mark.parametrize(("text", "spoken"), NUMBERED)
def test_8_no_before_a_number_and_a_numeral_after_vol_are_numbers(text: str, spoken: str) -> None:
    assert _said(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), TIME_UNITS)
def test_9_abbreviated_time_units_and_run_distances_are_read(text: str, spoken: str) -> None:
    assert _said(text) == spoken
