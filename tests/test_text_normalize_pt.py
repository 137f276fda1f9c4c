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
    ("Tenho 23 anos", "Tenho 23 anos"),
]


@pytest.mark.parametrize(("written", "spoken"), PORTUGUESE)
def test_portuguese_reading(written: str, spoken: str) -> None:
    assert normalize(written, "p").text == spoken
