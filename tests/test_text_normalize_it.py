"""Italian reading before espeak-ng: phone numbers, dates, times, money, decimals."""

from __future__ import annotations

import pytest

from kokoro_tui.text.normalize import normalize

ITALIAN = [
    ("333 123 4567", "tre tre tre, uno due tre, quattro cinque sei sette"),
    ("06 1234 5678", "zero sei, uno due tre quattro, cinque sei sette otto"),
    ("+39 333 123 4567", "più tre nove, tre tre tre, uno due tre, quattro cinque sei sette"),
    ("5/3/2024", "cinque marzo duemilaventiquattro"),
    ("1/1/2024", "primo gennaio duemilaventiquattro"),
    ("3:45", "tre e quarantacinque"),
    ("3:15", "tre e un quarto"),
    ("3:30", "tre e mezza"),
    ("1:00", "una in punto"),
    ("15:00", "quindici"),
    ("0:00", "mezzanotte"),
    ("50%", "cinquanta per cento"),
    ("5 €", "cinque euro"),
    ("1 €", "un euro"),
    ("5,50 €", "cinque euro e cinquanta centesimi"),
    ("1.000.000 €", "un milione di euro"),
    ("$12", "dodici dollari"),
    ("1.234", "milleduecentotrentaquattro"),
    ("3,14", "tre virgola quattordici"),
    ("1990-1995", "1990 a 1995"),
    ("Ho 23 anni", "Ho 23 anni"),
]


@pytest.mark.parametrize(("written", "spoken"), ITALIAN)
def test_italian_reading(written: str, spoken: str) -> None:
    assert normalize(written, "i").text == spoken
