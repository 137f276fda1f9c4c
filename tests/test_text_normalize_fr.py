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
    # abbreviations
    ("M. Dupont et Mme Martin", "Monsieur Dupont et madame Martin"),  # a capital where the text had one
    ("MM. Dupont et Durand", "Messieurs Dupont et Durand"),
    ("etc. Bonjour", "etcétéra. Bonjour"),
    ("p. ex. une pomme", "par exemple une pomme"),
    ("en 52 av. J.-C. il", "en 52 avant Jésus-Christ il"),
    ("n° 5", "numéro 5"),
    ("5 m. Puis", "cinq mètres. Puis"),  # a unit's "m.", not monsieur
    # ordinals
    ("le 2e jour", "le deuxième jour"),
    ("la 1re fois", "la première fois"),
    ("le 3ème étage", "le troisième étage"),
    ("la 2nde guerre", "la seconde guerre"),
    ("le 80e anniversaire", "le quatre-vingtième anniversaire"),
    ("les 1ers arrivés", "les premiers arrivés"),
    # Roman numerals: cardinals, "premier", and ordinals where a suffix says so
    ("Louis XIV et Henri IV", "Louis quatorze et Henri quatre"),
    ("François Ier", "François premier"),
    ("Jean-Paul II", "Jean-Paul deux"),
    ("au XIXe siècle", "au dix-neuvième siècle"),
    ("la Ve République", "la cinquième République"),
    ("chapitre IV", "chapitre quatre"),
    ("Le chat", "Le chat"),
    # money with a scale word: the currency after it
    ("1,5 milliard €", "un virgule cinq milliard d'euros"),
    ("€2 millions", "deux millions d'euros"),
    # fractions
    ("1/2", "un demi"),
    ("2/3 des votants", "deux tiers des votants"),
    ("3/4", "trois quarts"),
    # units
    ("2,5 kg", "deux virgule cinq kilogrammes"),
    ("1,5 kg", "un virgule cinq kilogramme"),
    ("130 km/h", "cent trente kilomètres-heure"),
    ("1 min", "une minute"),
    ("25 °C", "vingt-cinq degrés Celsius"),
    ("20 cl de lait", "vingt centilitres de lait"),
    ("J'ai 23 ans", "J'ai 23 ans"),
]


@pytest.mark.parametrize(("written", "spoken"), FRENCH)
def test_french_reading(written: str, spoken: str) -> None:
    assert normalize(written, "f").text == spoken
