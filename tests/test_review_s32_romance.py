"""Spanish, French, Italian and Portuguese readings from review s32: rates after an amount ("2 €/kg", "9,99 €/mois"),
a unit's symbol after a price's article ("3,50 € le kg"), e-mail and web addresses, references before a Roman
numeral ("chap. III"), a title's capital at the start of a sentence, and ranges of amounts ("1.000-2.000 €")."""

from __future__ import annotations

import pytest

from kokoro_tui.text.normalize import normalize

RATES = [
    ("f", "soit 2 €/kg de moins", "soit deux euros le kilo de moins"),
    ("e", "Cuesta 2,50 €/kg", "Cuesta dos euros con cincuenta céntimos por kilo"),
    ("i", "Costa 2,50 €/kg", "Costa due euro e cinquanta centesimi al chilo"),
    ("p", "Custa R$ 2,50/kg", "Custa dois reais e cinquenta centavos o quilo"),
    ("f", "9,99 €/mois", "neuf euros et quatre-vingt-dix-neuf centimes par mois"),
    ("e", "9,99 €/mes", "nueve euros con noventa y nueve céntimos por mes"),
    ("i", "9,99 €/mese", "nove euro e novantanove centesimi al mese"),
    ("p", "R$ 9,99/mês", "nove reais e noventa e nove centavos por mês"),
    ("f", "15 €/h", "quinze euros par heure"),
    ("e", "15 €/h", "quince euros por hora"),
    ("i", "15 €/h", "quindici euro all'ora"),
    ("p", "R$ 15/h", "quinze reais por hora"),
    ("f", "1 200 €/an", "mille deux cents euros par an"),
    ("e", "1.200 €/año", "mil doscientos euros por año"),
    ("i", "1.200 €/anno", "milleduecento euro all'anno"),
    ("p", "R$ 1.200/ano", "mil e duzentos reais por ano"),
    ("f", "30 €/personne", "trente euros par personne"),
    ("e", "30 €/persona", "treinta euros por persona"),
    ("i", "30 €/persona", "trenta euro a persona"),
    ("p", "R$ 30/pessoa", "trinta reais por pessoa"),
    ("f", "3 000 €/m²", "trois mille euros le mètre carré"),
    ("f", "Il coûte 2 €/kg.", "Il coûte deux euros le kilo."),
    ("e", "1,5 millones €/año", "uno coma cinco millones de euros por año"),
    ("p", "R$ 10 mil/mês", "dez mil reais por mês"),
    # after an amount that is no price: the rate's preposition
    ("f", "50 mg/jour", "cinquante milligrammes par jour"),
    ("f", "10 m/s", "dix mètres par seconde"),
    ("e", "10 m/s", "diez metros por segundo"),
    ("i", "10 m/s", "dieci metri al secondo"),
    ("p", "10 m/s", "dez metros por segundo"),
    ("f", "3 %/an", "trois pour cent par an"),
    # a unit that already holds its "/" keeps its reading
    ("f", "120 km/h", "cent vingt kilomètres-heure"),
    ("e", "120 km/h", "ciento veinte kilómetros por hora"),
    ("i", "120 km/h", "centoventi chilometri orari"),
    ("p", "120 km/h", "cento e vinte quilômetros por hora"),
]
UNIT_AFTER_PRICE = [
    ("f", "Ça coûte 3,50 € le kg", "Ça coûte trois euros et cinquante centimes le kilo"),
    ("f", "3,50 € par kg", "trois euros et cinquante centimes par kilo"),
    ("e", "3,50 € el kg", "tres euros con cincuenta céntimos el kilo"),
    ("e", "a 3 € por kg", "a tres euros por kilo"),
    ("i", "3,50 € al kg", "tre euro e cinquanta centesimi al chilo"),
    ("p", "R$ 3,50 o kg", "três reais e cinquenta centavos o quilo"),
    ("p", "R$ 3 por kg", "três reais por quilo"),
    ("f", "5 € le m²", "cinq euros le mètre carré"),
]
ADDRESSES = [
    ("f", "écrivez à jean@exemple.fr", "écrivez à jean arobase exemple point f r"),
    ("e", "escribe a jean@ejemplo.es", "escribe a jean arroba ejemplo punto es"),
    ("i", "scrivi a jean@esempio.it", "scrivi a jean chiocciola esempio punto it"),
    ("p", "escreva para jean@exemplo.com.br", "escreva para jean arroba exemplo ponto com ponto b r"),
    ("f", "jean.dupont@exemple.fr", "jean point dupont arobase exemple point f r"),
    ("e", "info-ventas@tienda.com", "info guion ventas arroba tienda punto com"),
    ("i", "mario_rossi@posta.it", "mario trattino basso rossi chiocciola posta punto it"),
    ("f", "contact2024@exemple.fr", "contact deux mille vingt-quatre arobase exemple point f r"),
    ("f", "www.exemple.fr/page", "w w w point exemple point f r slash page"),
    ("f", "Voir https://www.exemple.fr/page.", "Voir w w w point exemple point f r slash page."),
    ("e", "Visite www.ejemplo.es/pagina.", "Visite w w w punto ejemplo punto es barra pagina."),
    ("i", "www.esempio.it/pagina", "w w w punto esempio punto it slash pagina"),
    ("p", "www.exemplo.com.br/pagina", "w w w ponto exemplo ponto com ponto b r barra pagina"),
    ("f", "sur exemple.fr aujourd'hui", "sur exemple point f r aujourd'hui"),
    # an address inside a web address is read once, with the web address
    (
        "f",
        "https://exemple.fr/contact/jean@exemple.fr",
        "exemple point f r slash contact slash jean arobase exemple point f r",
    ),
    ("e", "(ver jean@ejemplo.es)", "(ver jean arroba ejemplo punto es)"),
    ("f", "mailto:jean@exemple.fr", "jean arobase exemple point f r"),
]
REFERENCES = [
    ("f", "Voir p. 45, chap. III.", "Voir page 45, chapitre trois."),
    ("f", "vol. II", "volume deux"),
    ("f", "chap. I", "chapitre premier"),
    ("f", "art. 5", "article 5"),
    ("e", "vol. 3 y art. 5", "volumen 3 y artículo 5"),
    ("i", "vol. 3 e art. 5", "volume 3 e articolo 5"),
    ("p", "vol. 3 e art. 5", "volume 3 e artigo 5"),
    ("e", "Véase cap. XII.", "Véase capítulo doce."),
    ("p", "Veja cap. XII.", "Veja capítulo doze."),
]
# An abbreviation before a Roman numeral reads as its word does: "cap. IV" as "capítulo IV".
ROMAN_AFTER_ABBREVIATION = [
    ("e", "cap. IV", "capítulo IV"),
    ("i", "cap. IV", "capitolo IV"),
    ("p", "cap. IV", "capítulo IV"),
    ("e", "vol. II", "volumen II"),
    ("i", "vol. II", "volume II"),
    ("p", "vol. II", "volume II"),
]
CAPITALS = [
    ("e", "Sr. y Sra. Pérez llegaron.", "Señor y señora Pérez llegaron."),
    ("e", "Llegó tarde. Sr. Pérez, siéntese.", "Llegó tarde. Señor Pérez, siéntese."),
    ("e", "¿Sra. López?", "¿Señora López?"),
    ("e", "El Sr. García llegó.", "El señor García llegó."),  # inside a sentence: lower case
    ("e", "Pág. 12 del libro", "Página 12 del libro"),
    ("f", "M. Dupont est là.", "Monsieur Dupont est là."),
    ("f", 'Il dit : "M. Dupont arrive."', 'Il dit : "Monsieur Dupont arrive."'),
    ("f", "Merci, M. Dupont.", "Merci, monsieur Dupont."),
    ("i", "Sig. Rossi è qui.", "Signor Rossi è qui."),
    ("i", "Ecco il Sig. Rossi.", "Ecco il signor Rossi."),
    ("p", "Sr. Silva chegou.", "Senhor Silva chegou."),
    ("p", "Chegou. Dra. Souza também.", "Chegou. Doutora Souza também."),
    ("e", "el Sr. Dr. López", "el señor doctor López"),  # an abbreviation's period ends no sentence
]
RANGES = [
    ("e", "El 25 % de 1.000 es 250.", "El veinticinco por ciento de mil es 250."),
    ("e", "1.000-2.000", "mil a dos mil"),
    ("e", "2,5-3,5 km", "dos coma cinco a tres coma cinco kilómetros"),
    ("e", "1.000,50-2.000,75", "mil coma cincuenta a dos mil coma setenta y cinco"),
    ("p", "1.000-2.000", "mil a dois mil"),
    ("p", "2,5-3,5 km", "dois vírgula cinco a três vírgula cinco quilômetros"),
    ("e", "1.000-2.000 €", "mil a dos mil euros"),
    ("f", "10 000-20 000 €", "dix mille à vingt mille euros"),
    ("i", "1.000-2.000 €", "mille a duemila euro"),
    ("p", "R$ 1.000-2.000", "mil a dois mil reais"),
    ("p", "R$ 12.000-R$ 15.000", "doze mil a quinze mil reais"),
    ("e", "5-10 %", "cinco a diez por ciento"),
    ("p", "2,5-3,5%", "dois vírgula cinco a três vírgula cinco por cento"),
]
UNCHANGED = [
    ("f", "et/ou"),
    ("e", "y/o"),
    ("i", "e/o"),
    ("p", "e/ou"),
    ("f", "le train Paris/Lyon"),
    ("e", "el vuelo Madrid/Barcelona"),
    ("i", "la tratta Roma/Milano"),
    ("p", "a ponte Rio/Niterói"),
    ("f", "entrée/sortie"),
    ("f", "Le kg est une unité."),  # a symbol after an article but after no price
    ("e", "por kg de peso"),
    ("f", "prix en €/mois"),  # no amount before the "/"
    ("e", "24/7"),
    ("f", "le fichier rapport.pdf"),
    ("i", "la foto.jpg è pronta"),
]


def _cases(table: list[tuple[str, str, str]]) -> list[object]:
    return [pytest.param(code, written, spoken, id=f"{code}-{written}") for code, written, spoken in table]


@pytest.mark.parametrize(("code", "written", "spoken"), _cases(RATES))
def test_rate_after_an_amount(code: str, written: str, spoken: str) -> None:
    assert normalize(written, code).text == spoken


@pytest.mark.parametrize(("code", "written", "spoken"), _cases(UNIT_AFTER_PRICE))
def test_unit_symbol_after_a_price(code: str, written: str, spoken: str) -> None:
    assert normalize(written, code).text == spoken


@pytest.mark.parametrize(("code", "written", "spoken"), _cases(ADDRESSES))
def test_addresses(code: str, written: str, spoken: str) -> None:
    assert normalize(written, code).text == spoken


@pytest.mark.parametrize(("code", "written", "spoken"), _cases(REFERENCES))
def test_references(code: str, written: str, spoken: str) -> None:
    assert normalize(written, code).text == spoken


@pytest.mark.parametrize(("code", "written", "full"), _cases(ROMAN_AFTER_ABBREVIATION))
def test_roman_after_an_abbreviation_reads_as_after_its_word(code: str, written: str, full: str) -> None:
    spoken = normalize(written, code).text
    assert spoken == normalize(full, code).text
    assert not spoken.endswith(("I", "V"))


@pytest.mark.parametrize(("code", "written", "spoken"), _cases(CAPITALS))
def test_title_keeps_the_capital_of_a_sentence_start(code: str, written: str, spoken: str) -> None:
    assert normalize(written, code).text == spoken


@pytest.mark.parametrize(("code", "written", "spoken"), _cases(RANGES))
def test_ranges_of_amounts(code: str, written: str, spoken: str) -> None:
    assert normalize(written, code).text == spoken


@pytest.mark.parametrize(
    ("code", "written"), [pytest.param(code, text, id=f"{code}-{text}") for code, text in UNCHANGED]
)
def test_left_unchanged(code: str, written: str) -> None:
    assert normalize(written, code).text == written


def test_address_maps_back_to_the_whole_address() -> None:
    text = "écrivez à jean@exemple.fr"
    norm = normalize(text, "f")
    at = norm.text.index("arobase")
    start, end = norm.source_span(at, at + len("arobase"))
    assert text[start:end] == "jean@exemple.fr"


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Ouvert 24h/24, 7j/7.", "Ouvert 24 heures sur 24, 7 jours sur 7."),  # was "minuit/24, 7j/7"
        ("Ouvert 24 h/24 et 7 j / 7", "Ouvert 24 heures sur 24 et 7 jours sur 7"),
        ("Il est 8h.", "Il est huit heures."),
    ],
)
def test_french_around_the_clock(text: str, spoken: str) -> None:
    assert normalize(text, "f").text == spoken
