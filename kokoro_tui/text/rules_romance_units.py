"""Units after a number ("2,5 kg", "100 km/h", "25 °C", "5 min"), said as words that agree with it.

espeak-ng spells most unit symbols ("m" as the letter "eme", "g" as "je", "ml" as "eme ele",
"km/h" as "ka eme barra hache") and says "kg" in the singular after any number ("dos coma
cinco kilogramo"). A symbol is only read as a unit right after a number, so "m" elsewhere is
still a letter. The number agrees with its unit ("un kilómetro", "una hora", "une minute")
and the unit with its number: plural after anything but one in Spanish and Italian, from two
on in French and Portuguese ("1,5 kilogramme", "1,5 quilo"). The same table names the unit of
a rate ("2 €/kg", "10 m/s", rules_romance_rates), where a price's "kg" is the shorter "kilo".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kokoro_tui.text.rewrite import alternation
from kokoro_tui.text.romance_words import LEXICONS, counting


@dataclass(frozen=True)
class Unit:
    one: str
    many: str
    feminine: bool = False
    priced: str = ""  # the shorter name said after a price, where there is one ("deux euros le kilo")

    @property
    def per_price(self) -> str:
        """The name said after a price: "kilo" for "kg", else the unit's own name."""
        return self.priced or self.one


UNITS: dict[str, dict[str, Unit]] = {
    "e": {
        "km": Unit("kilómetro", "kilómetros"), "m": Unit("metro", "metros"), "cm": Unit("centímetro", "centímetros"),
        "mm": Unit("milímetro", "milímetros"), "kg": Unit("kilogramo", "kilogramos", priced="kilo"),
        "g": Unit("gramo", "gramos"),
        "mg": Unit("miligramo", "miligramos"), "l": Unit("litro", "litros"), "L": Unit("litro", "litros"),
        "ml": Unit("mililitro", "mililitros"), "mL": Unit("mililitro", "mililitros"),
        "cl": Unit("centilitro", "centilitros"), "km/h": Unit("kilómetro por hora", "kilómetros por hora"),
        "m²": Unit("metro cuadrado", "metros cuadrados"), "km²": Unit("kilómetro cuadrado", "kilómetros cuadrados"),
        "°C": Unit("grado Celsius", "grados Celsius"), "min": Unit("minuto", "minutos"),
        "h": Unit("hora", "horas", feminine=True), "s": Unit("segundo", "segundos"),
    },
    "f": {
        "km": Unit("kilomètre", "kilomètres"), "m": Unit("mètre", "mètres"), "cm": Unit("centimètre", "centimètres"),
        "mm": Unit("millimètre", "millimètres"), "kg": Unit("kilogramme", "kilogrammes", priced="kilo"),
        "g": Unit("gramme", "grammes"), "mg": Unit("milligramme", "milligrammes"), "l": Unit("litre", "litres"),
        "L": Unit("litre", "litres"), "ml": Unit("millilitre", "millilitres"), "mL": Unit("millilitre", "millilitres"),
        "cl": Unit("centilitre", "centilitres"), "km/h": Unit("kilomètre-heure", "kilomètres-heure"),
        "m²": Unit("mètre carré", "mètres carrés"), "km²": Unit("kilomètre carré", "kilomètres carrés"),
        "°C": Unit("degré Celsius", "degrés Celsius"), "min": Unit("minute", "minutes", feminine=True),
        "s": Unit("seconde", "secondes", feminine=True),
    },
    "i": {
        "km": Unit("chilometro", "chilometri"), "m": Unit("metro", "metri"), "cm": Unit("centimetro", "centimetri"),
        "mm": Unit("millimetro", "millimetri"), "kg": Unit("chilogrammo", "chilogrammi", priced="chilo"),
        "g": Unit("grammo", "grammi"), "mg": Unit("milligrammo", "milligrammi"), "l": Unit("litro", "litri"),
        "L": Unit("litro", "litri"), "ml": Unit("millilitro", "millilitri"), "mL": Unit("millilitro", "millilitri"),
        "cl": Unit("centilitro", "centilitri"), "km/h": Unit("chilometro orario", "chilometri orari"),
        "m²": Unit("metro quadrato", "metri quadrati"), "km²": Unit("chilometro quadrato", "chilometri quadrati"),
        "°C": Unit("grado Celsius", "gradi Celsius"), "min": Unit("minuto", "minuti"),
        "s": Unit("secondo", "secondi"),
    },
    "p": {
        "km": Unit("quilômetro", "quilômetros"), "m": Unit("metro", "metros"),
        "cm": Unit("centímetro", "centímetros"), "mm": Unit("milímetro", "milímetros"),
        "kg": Unit("quilograma", "quilogramas", priced="quilo"), "g": Unit("grama", "gramas"),
        "mg": Unit("miligrama", "miligramas"),
        "l": Unit("litro", "litros"), "L": Unit("litro", "litros"), "ml": Unit("mililitro", "mililitros"),
        "mL": Unit("mililitro", "mililitros"), "km/h": Unit("quilômetro por hora", "quilômetros por hora"),
        "m²": Unit("metro quadrado", "metros quadrados"), "km²": Unit("quilômetro quadrado", "quilômetros quadrados"),
        "°C": Unit("grau Celsius", "graus Celsius"), "min": Unit("minuto", "minutos"),
        "s": Unit("segundo", "segundos"),
    },
}  # fmt: skip

# Squares are also typed with a plain 2 ("80 m2"); "°C" with a space or an ordinal sign ("25 ºC").
_SPELLINGS = {"m2": "m²", "km2": "km²", "ºC": "°C"}
# Languages that put a unit in the plural from two on; the others from anything but one.
_PLURAL_FROM_TWO = frozenset("fp")


def written_forms(code: str) -> list[str]:
    """Every way language ``code`` writes its unit symbols ("m²" and "m2")."""
    return [*UNITS[code], *(form for form, symbol in _SPELLINGS.items() if symbol in UNITS[code])]


def symbols(code: str) -> str:
    """The unit symbols of language ``code`` as one alternation, longest first."""
    # "25 ° C": a space may stand between the degree sign and the C.
    return alternation(written_forms(code)).replace("C", r"\s?C")


def unit_of(code: str, symbol: str) -> Unit:
    """The unit a symbol stands for, however it is written ("m2", "° C")."""
    written = re.sub(r"\s", "", symbol)
    return UNITS[code][_SPELLINGS.get(written, written)]


def measure_words(code: str, symbol: str, whole: int, fraction: str, amount: str) -> str:
    """'2,5 kg' -> amount "dos coma cinco" and "kilogramos"; a whole number agrees ("una hora", "un metro")."""
    unit = unit_of(code, symbol)
    if not fraction:
        return counting(LEXICONS[code], whole, unit.one if whole == 1 else unit.many, unit.feminine)
    many = whole >= 2 if code in _PLURAL_FROM_TWO else True
    return f"{amount} {unit.many if many else unit.one}"
