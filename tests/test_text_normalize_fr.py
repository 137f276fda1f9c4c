"""French reading before espeak-ng: phone numbers in pairs, dates, "14h30", money, decimals."""

from __future__ import annotations

import pytest

from kokoro_tui.text.normalize import normalize

FRENCH = [
    ("01 23 45 67 89", "zéro un, vingt-trois, quarante-cinq, soixante-sept, quatre-vingt-neuf"),
    ("06.12.34.56.78", "zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit"),
    ("+33 1 23 45 67 89", "plus trente-trois, un, vingt-trois, quarante-cinq, soixante-sept, quatre-vingt-neuf"),
    ("555-123-4567", "cinq cinq cinq, un deux trois, quatre cinq six sept"),
    ("5/3/2024", "cinq mars deux mille vingt-quatre"),
    ("01/01/2024", "premier janvier deux mille vingt-quatre"),
    ("2024-03-05", "cinq mars deux mille vingt-quatre"),
    ("3:45", "trois heures quarante-cinq"),
    ("14h30", "quatorze heures trente"),
    ("14 h", "quatorze heures"),
    ("1:00", "une heure"),
    ("21:00", "vingt et une heures"),
    ("0:00", "minuit"),
    ("12:15", "midi quinze"),
    ("50 %", "cinquante pour cent"),
    ("3,5 %", "trois virgule cinq pour cent"),
    ("5 €", "cinq euros"),
    ("1 €", "un euro"),
    ("21 €", "vingt et un euros"),
    ("5,50 €", "cinq euros et cinquante centimes"),
    ("1 000 000 €", "un million d'euros"),
    ("$12", "douze dollars"),
    ("1 234", "mille deux cent trente-quatre"),
    ("1 234 567", "un million deux cent trente-quatre mille cinq cent soixante-sept"),
    ("3,14", "trois virgule quatorze"),
    ("10 000-20 000", "dix mille à vingt mille"),
    ("1990-1995", "1990 à 1995"),
    ("-5 degrés", "moins 5 degrés"),
    ("12345678901", "un deux trois quatre cinq six sept huit neuf zéro un"),
    ("J'ai 23 ans", "J'ai 23 ans"),
]


@pytest.mark.parametrize(("written", "spoken"), FRENCH)
def test_french_reading(written: str, spoken: str) -> None:
    assert normalize(written, "f").text == spoken
