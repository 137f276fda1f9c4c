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
    # abbreviations
    ("il Sig. Rossi e la Sig.ra Bianchi", "il signor Rossi e la signora Bianchi"),
    ("la Dott.ssa Verdi e il Prof. Neri", "la dottoressa Verdi e il professor Neri"),
    ("mele, pere, ecc.", "mele, pere, eccetera."),
    ("p. es. una mela", "per esempio una mela"),
    ("n. 5, pag. 12", "numero 5, pagina 12"),
    # ordinals: "°" is one after a determiner or before a month
    ("il 1° maggio", "il primo maggio"),
    ("1° maggio", "primo maggio"),
    ("l'8° posto", "l'ottavo posto"),
    ("alla 2° edizione", "alla seconda edizione"),
    ("la 3ª volta", "la terza volta"),
    ("fa 30° all'ombra", "fa 30° all'ombra"),
    # Roman numerals: ordinals that agree, cardinals before a month
    ("Elisabetta II", "Elisabetta seconda"),
    ("Via XX Settembre", "Via venti Settembre"),
    # times with a point
    ("alle 20.30", "alle venti e trenta"),
    ("dalle 9.00 alle 18.00", "dalle nove in punto alle diciotto"),
    ("costa 3.50", "costa tre punto cinquanta"),
    # money with a scale word: the currency after it
    ("€1,5 miliardi", "uno virgola cinque miliardi di euro"),
    # fractions
    ("1/2 chilo", "mezzo chilo"),
    ("1/4 di latte", "un quarto di latte"),
    # units
    ("2,5 kg", "due virgola cinque chilogrammi"),
    ("100 km/h", "cento chilometri orari"),
    ("1 km", "un chilometro"),
    ("Ho 23 anni", "Ho 23 anni"),
]


@pytest.mark.parametrize(("written", "spoken"), ITALIAN)
def test_italian_reading(written: str, spoken: str) -> None:
    assert normalize(written, "i").text == spoken
