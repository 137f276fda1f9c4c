"""Brazilian Portuguese reading before espeak-ng: phone numbers ("meia" for six), dates, times, reais.

espeak-ng's pt-br voice reads the dash of "10-20" as "menos", so ranges are rewritten too.
"""

from __future__ import annotations

import pytest

from kokoro_tui.text.normalize import normalize

PORTUGUESE = [
    ("(11) 91234-5678", "um um, nove um dois três quatro, cinco meia sete oito"),
    ("+55 11 91234-5678", "mais cinco cinco, um um, nove um dois três quatro, cinco meia sete oito"),
    ("5/3/2024", "cinco de março de dois mil e vinte e quatro"),
    ("01/01/2024", "primeiro de janeiro de dois mil e vinte e quatro"),
    ("3:45", "três e quarenta e cinco"),
    ("3:30", "três e meia"),
    ("1:00", "uma hora"),
    ("2:00", "duas horas"),
    ("15:00", "quinze horas"),
    ("0:00", "meia-noite"),
    ("50%", "cinquenta por cento"),
    ("R$ 5", "cinco reais"),
    ("R$ 1,50", "um real e cinquenta centavos"),
    ("R$ 1.234,56", "mil duzentos e trinta e quatro reais e cinquenta e seis centavos"),
    ("5 €", "cinco euros"),
    ("US$ 12", "doze dólares"),
    ("1.000.000 €", "um milhão de euros"),
    ("1.984", "mil novecentos e oitenta e quatro"),
    ("3,14", "três vírgula catorze"),
    ("páginas 10-20", "páginas 10 a 20"),
    ("12345678901", "um dois três quatro cinco seis sete oito nove zero um"),  # "seis", not "meia": a code
    # abbreviations
    ("o Sr. Silva e a Dra. Souza", "o senhor Silva e a doutora Souza"),
    ("frutas, legumes etc.", "frutas, legumes etcétera."),
    ("p. ex. uma maçã", "por exemplo uma maçã"),
    ("nº 5, pág. 12", "número 5, página 12"),
    ("os EUA e o Brasil", "os Estados Unidos e o Brasil"),
    # ordinals
    ("o 1º lugar", "o primeiro lugar"),
    ("a 21ª edição", "a vigésima primeira edição"),
    ("o 1° lugar", "o primeiro lugar"),
    # Roman numerals: ordinals up to ten, cardinals above and before a month
    ("Dom Pedro II", "Dom Pedro segundo"),
    ("Bento XVI", "Bento dezesseis"),
    ("no século XIX", "no século dezenove"),
    ("Rua XV de Novembro", "Rua quinze de Novembro"),
    ("a II Guerra Mundial", "a segunda Guerra Mundial"),
    # times written with an "h"
    ("às 8h", "às oito horas"),
    ("às 14h30", "às catorze e trinta"),
    ("das 8h às 18h", "das oito horas às dezoito horas"),
    # money with a scale word: the currency after it
    ("R$ 1,5 bilhão", "um vírgula cinco bilhão de reais"),
    ("US$ 3 bilhões", "três bilhões de dólares"),
    ("R$ 10 mil", "dez mil reais"),
    # fractions
    ("1/2 xícara", "meia xícara"),
    ("3/4 de xícara", "três quartos de xícara"),
    # units
    ("2,5 kg", "dois vírgula cinco quilogramas"),
    ("1,5 kg", "um vírgula cinco quilograma"),
    ("100 km/h", "cem quilômetros por hora"),
    ("200 g de farinha", "duzentos gramas de farinha"),
    ("Tenho 23 anos", "Tenho 23 anos"),
]


@pytest.mark.parametrize(("written", "spoken"), PORTUGUESE)
def test_portuguese_reading(written: str, spoken: str) -> None:
    assert normalize(written, "p").text == spoken
