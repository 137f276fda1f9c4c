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
    # abbreviations: said in full, and a title's period ends no sentence
    ("El Sr. García llegó.", "El señor García llegó."),
    ("la Dra. López y el Dr. Pérez", "la doctora López y el doctor Pérez"),
    ("frutas, etc. Luego", "frutas, etcétera. Luego"),
    ("frutas, etc., y más", "frutas, etcétera, y más"),
    ("frutas, etc. Él llegó", "frutas, etcétera. Él llegó"),  # a capital outside A-Z ends the sentence too
    ("frutas, etc. él llegó", "frutas, etcétera él llegó"),
    ("p. ej. peras", "por ejemplo peras"),
    ("viajó a EE. UU. y volvió", "viajó a Estados Unidos y volvió"),
    ("n.º 5 y pág. 12", "número 5 y página 12"),
    # ordinals
    ("el 1.º de mayo", "el primero de mayo"),
    ("el 1º piso", "el primer piso"),
    ("quedó en 3.er lugar", "quedó en tercer lugar"),
    ("la 2.ª vez", "la segunda vez"),
    ("el 1° de mayo", "el primero de mayo"),
    ("a 25° hoy", "a 25° hoy"),  # a degree sign with no ordinal context stays a degree
    # Roman numerals: ordinals up to ten, cardinals above
    ("Felipe VI", "Felipe sexto"),
    ("Juan Pablo II", "Juan Pablo segundo"),
    ("la reina Isabel II", "la reina Isabel segunda"),
    ("Alfonso XIII", "Alfonso trece"),
    ("siglo V", "siglo quinto"),
    ("la II Guerra Mundial", "la segunda Guerra Mundial"),
    ("vitamina C", "vitamina C"),
    ("Malcolm X", "Malcolm X"),  # a lone X after a name is a letter
    ("Parte II", "Parte segunda"),
    # units
    ("2,5 kg", "dos coma cinco kilogramos"),
    ("1 kg de patatas", "un kilogramo de patatas"),
    ("a 100 km/h", "a cien kilómetros por hora"),
    ("200 g de harina", "doscientos gramos de harina"),
    ("-5 ºC", "menos cinco grados Celsius"),
    ("21 h", "veintiuna horas"),
    ("10-20 km", "diez a veinte kilómetros"),
    ("80 m2", "ochenta metros cuadrados"),
    # money with a scale word: the currency after it
    ("€1,5 millones", "uno coma cinco millones de euros"),
    ("€1 millón", "un millón de euros"),
    ("1,5 millones de €", "uno coma cinco millones de euros"),
    ("€10 mil", "diez mil euros"),
    # fractions
    ("1/2 taza de leche", "media taza de leche"),
    ("1/2 kilo", "medio kilo"),
    ("3/4 de litro", "tres cuartos de litro"),
    ("1 1/2", "uno y medio"),
    ("24/7", "24/7"),
    # times written with a point or an "h"
    ("a las 10.30", "a las diez y media"),
    ("a las 18:00 h", "a las dieciocho horas"),
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
