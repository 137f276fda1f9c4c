"""Hindi reading before espeak-ng: phone numbers digit by digit in Hindi words, and what espeak garbles.

espeak-ng reads plain integers in Hindi, so numbers stay digits wherever that is right.
"""

from __future__ import annotations

import pytest

from kokoro_tui.text.normalize import normalize

HINDI = [
    ("9876543210", "नौ आठ सात छह पाँच, चार तीन दो एक शून्य"),
    ("98765 43210", "नौ आठ सात छह पाँच, चार तीन दो एक शून्य"),
    ("+91 98765 43210", "प्लस नौ एक, नौ आठ सात छह पाँच, चार तीन दो एक शून्य"),
    ("011 2345 6789", "शून्य एक एक, दो तीन चार पाँच, छह सात आठ नौ"),
    ("5/3/2024", "5 मार्च 2024"),
    ("3:45", "3 बजकर 45 मिनट"),
    ("3:00", "3 बजे"),
    ("₹500", "500 रुपये"),
    ("₹1", "1 रुपया"),
    ("₹5.50", "5 रुपये 50 पैसे"),
    ("3.5%", "3 दशमलव पाँच प्रतिशत"),
    ("1,23,456", "123456"),
    ("3.14", "3 दशमलव एक चार"),
    ("007", "शून्य शून्य सात"),
    ("मैं 23 साल का हूँ", "मैं 23 साल का हूँ"),
]


@pytest.mark.parametrize(("written", "spoken"), HINDI)
def test_hindi_reading(written: str, spoken: str) -> None:
    assert normalize(written, "h").text == spoken
