"""Spanish reading before espeak-ng: phone numbers, dates, times, money, decimals and ranges.

espeak-ng reads plain integers in Spanish by itself ("23" stays "23"); these are the forms
it garbled: a phone number read as one cardinal, "5/3/2024" as "cinco barra tres barra ...".
"""

from __future__ import annotations

import pytest

from kokoro_tui.text.normalize import normalize

SPANISH = [
    ("555-123-4567", "cinco cinco cinco, uno dos tres, cuatro cinco seis siete"),
    ("+34 612 345 678", "más tres cuatro, seis uno dos, tres cuatro cinco, seis siete ocho"),
    ("612 34 56 78", "seis uno dos, tres cuatro, cinco seis, siete ocho"),
    ("5/3/2024", "cinco de marzo de dos mil veinticuatro"),
    ("01/01/2024", "uno de enero de dos mil veinticuatro"),
    ("2024-03-05", "cinco de marzo de dos mil veinticuatro"),
    ("5-3-24", "cinco de marzo de dos mil veinticuatro"),
    ("3:45", "tres y cuarenta y cinco"),
    ("3:15", "tres y cuarto"),
    ("3:30", "tres y media"),
    ("1:00", "una en punto"),
    ("15:00", "quince horas"),
    ("21:10", "veintiuna y diez"),
    ("0:00", "medianoche"),
    ("3:45:10", "tres y cuarenta y cinco y diez segundos"),
    ("50%", "cincuenta por ciento"),
    ("3,5 %", "tres coma cinco por ciento"),
    ("€5", "cinco euros"),
    ("5 €", "cinco euros"),
    ("1 €", "un euro"),
    ("21 €", "veintiún euros"),
    ("5,50 €", "cinco euros con cincuenta céntimos"),
    ("0,01 €", "un céntimo"),
    ("$12", "doce dólares"),
    ("1.000.000 €", "un millón de euros"),
    ("1.234", "mil doscientos treinta y cuatro"),
    ("12.345.678", "doce millones trescientos cuarenta y cinco mil seiscientos setenta y ocho"),
    ("3,14", "tres coma catorce"),
    ("0,05", "cero coma cero cinco"),
    ("3.5", "tres punto cinco"),
    ("1990-1995", "1990 a 1995"),
    ("páginas 10-20", "páginas 10 a 20"),
    ("-5 grados", "menos 5 grados"),
    ("12345678901", "uno dos tres cuatro cinco seis siete ocho nueve cero uno"),
    ("007", "cero cero siete"),
    # left to espeak-ng, which reads them right
    ("Tengo 23 años", "Tengo 23 años"),
    ("1, 2, 3", "1, 2, 3"),
    ("10.000-20.000", "diez mil a veinte mil"),
]


@pytest.mark.parametrize(("written", "spoken"), SPANISH)
def test_spanish_reading(written: str, spoken: str) -> None:
    assert normalize(written, "e").text == spoken


def test_spanish_rewrites_map_back() -> None:
    text = "Llama al 555-123-4567 el 5/3/2024 a las 3:45."
    norm = normalize(text, "e")
    expected = [("cinco cinco", "555-123-4567"), ("marzo", "5/3/2024"), ("cuarenta", "3:45"), ("Llama", "Llama")]
    for word, original in expected:
        at = norm.text.index(word)
        start, end = norm.source_span(at, at + len(word))
        assert text[start:end] == original
