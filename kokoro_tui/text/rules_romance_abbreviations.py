"""Abbreviations of Spanish, French, Italian and Portuguese text, said in full.

espeak-ng knows a few ("Sr." is señor) but keeps their period as a full stop, so "El Sr.
García" was cut into two sentences with a falling tone on "señor"; the rest it spells or
misreads ("EE. UU." as "e e u u", French "M." as the letter "èm", Italian "Dott." as
"dott"). Three kinds, each with the context that makes it unambiguous:

- a title stands before a name ("Sr. García", "M. Dupont", "Sig.ra Rossi");
- a reference stands before a number ("pág. 12", "n.º 5", "n° 3");
- any other is read wherever it is written ("etc.", "p. ej.", "EE. UU."), and keeps its
  period where a sentence also ends with it.

The words keep the capital of a sentence's first word ("Sr. y Sra. Pérez" -> "Señor y señora
Pérez"): inside a sentence a title is written with a capital that is not said ("el señor").
The period of a title or a reference ("Sr.", "pág.") ends no sentence, so "el Sr. Dr. López"
stays "el señor doctor López".
"""

from __future__ import annotations

import re

from kokoro_tui.text.punctuation import keep_period
from kokoro_tui.text.rewrite import Rule, Speaker, alternation

# Number references share the sign for "número" across the languages.
_NUMBER_SIGNS = ("n.º", "nº", "n°")

TITLES: dict[str, dict[str, str]] = {
    "e": {
        "Sr.": "señor", "Sres.": "señores", "Sra.": "señora", "Sras.": "señoras", "Srta.": "señorita",
        "Dr.": "doctor", "Dres.": "doctores", "Dra.": "doctora", "Lic.": "licenciado", "Lcdo.": "licenciado",
        "Lcda.": "licenciada", "Ing.": "ingeniero", "Prof.": "profesor", "Profa.": "profesora", "Dña.": "doña",
        "Sto.": "santo", "Sta.": "santa", "Gral.": "general", "Av.": "avenida", "Avda.": "avenida",
    },
    "f": {
        "M.": "monsieur", "MM.": "messieurs", "Mme": "madame", "Mmes": "mesdames", "Mlle": "mademoiselle",
        "Mlles": "mesdemoiselles", "Dr": "docteur", "Dr.": "docteur", "Pr": "professeur", "Pr.": "professeur",
        "Mgr": "monseigneur",
    },
    "i": {
        "Sig.": "signor", "Sigg.": "signori", "Sig.ra": "signora", "Sig.na": "signorina", "Dott.": "dottor",
        "Dott.ssa": "dottoressa", "Prof.": "professor", "Prof.ssa": "professoressa", "Ing.": "ingegner",
        "Avv.": "avvocato", "Arch.": "architetto", "On.": "onorevole", "Mons.": "monsignor", "P.za": "piazza",
        "P.zza": "piazza", "C.so": "corso",
    },
    "p": {
        "Sr.": "senhor", "Srs.": "senhores", "Sra.": "senhora", "Sras.": "senhoras", "Srta.": "senhorita",
        "Dr.": "doutor", "Drs.": "doutores", "Dra.": "doutora", "Dras.": "doutoras", "Prof.": "professor",
        "Profa.": "professora", "Av.": "avenida", "Sto.": "santo", "Sta.": "santa", "Exmo.": "excelentíssimo",
        "Exma.": "excelentíssima",
    },
}  # fmt: skip

REFERENCES: dict[str, dict[str, str]] = {
    "e": {
        **dict.fromkeys(_NUMBER_SIGNS, "número"), "núm.": "número", "núms.": "números", "pág.": "página",
        "págs.": "páginas", "cap.": "capítulo", "vol.": "volumen", "art.": "artículo", "tel.": "teléfono",
    },
    "f": {
        **dict.fromkeys(_NUMBER_SIGNS, "numéro"), "p.": "page", "pp.": "pages", "chap.": "chapitre",
        "vol.": "volume", "art.": "article", "tél.": "téléphone",
    },
    "i": {
        **dict.fromkeys(_NUMBER_SIGNS, "numero"), "n.": "numero", "nn.": "numeri", "pag.": "pagina",
        "pagg.": "pagine", "cap.": "capitolo", "vol.": "volume", "art.": "articolo", "tel.": "telefono",
    },
    "p": {
        **dict.fromkeys(_NUMBER_SIGNS, "número"), "pág.": "página", "págs.": "páginas", "cap.": "capítulo",
        "vol.": "volume", "art.": "artigo", "tel.": "telefone",
    },
}  # fmt: skip

OTHERS: dict[str, dict[str, str]] = {
    "e": {
        "etc.": "etcétera", "p. ej.": "por ejemplo", "EE. UU.": "Estados Unidos", "Ud.": "usted",
        "Uds.": "ustedes", "Vd.": "usted", "Vds.": "ustedes", "a. C.": "antes de Cristo",
        "d. C.": "después de Cristo", "aprox.": "aproximadamente",
    },
    "f": {
        "etc.": "etcétéra", "p. ex.": "par exemple", "av. J.-C.": "avant Jésus-Christ",
        "apr. J.-C.": "après Jésus-Christ", "J.-C.": "Jésus-Christ", "c.-à-d.": "c'est-à-dire",
        "env.": "environ",
    },
    "i": {
        "ecc.": "eccetera", "etc.": "eccetera", "p. es.": "per esempio", "ad es.": "ad esempio",
        "a.C.": "avanti Cristo", "d.C.": "dopo Cristo", "S.p.A.": "società per azioni",
    },
    "p": {
        "etc.": "etcétera", "p. ex.": "por exemplo", "EUA": "Estados Unidos", "a.C.": "antes de Cristo",
        "d.C.": "depois de Cristo", "V. Exa.": "Vossa Excelência", "Ltda.": "limitada", "Cia.": "companhia",
    },
}  # fmt: skip


def _alternatives(written: dict[str, str]) -> str:
    """The written forms as one alternation, longest first; "p. ej." also matches "p.ej."."""
    return alternation(written).replace(r"\ ", r"\s?")


# What may stand between a sentence's end and its first word: spaces, opening quotes and brackets, a dash.
_OPENING = r"[\s\"“«‘'(\[¿¡—-]*"
# A sentence starts at the start of the text, after a line break, after a word closed by ". ! ? …", or in
# quotation marks after a colon ('Il dit : « M. Dupont arrive »').
_SENTENCE_START = re.compile(rf"(?:^|\n|(?P<word>[\w.]*)[.!?…][\"”»’')\]]*\s|:\s*[\"“«]){_OPENING}$")


def _key(form: str) -> str:
    return re.sub(r"\s", "", form).lower()


def abbreviation_periods(code: str) -> frozenset[str]:
    """The titles and references of language ``code`` whose period ends no sentence ("sr.", "pág.")."""
    return frozenset(_key(form) for form in (*TITLES[code], *REFERENCES[code]) if form.endswith("."))


def sentence_case(m: re.Match[str], words: str, stops: frozenset[str]) -> str:
    """``words`` with a capital where the written abbreviation has one and opens a sentence."""
    if not m.group()[:1].isupper() or not words[:1].islower():
        return words
    start = _SENTENCE_START.search(m.string, max(0, m.start() - 40), m.start())
    if start is None or (start["word"] is not None and f"{start['word']}.".lower() in stops):
        return words
    return words[0].upper() + words[1:]


def _speaker(table: dict[str, str], stops: frozenset[str], period: bool = False) -> Speaker:
    """Says a match found in ``table`` (spaces and, for references, case do not matter)."""
    spoken = {_key(form): words for form, words in table.items()}

    def speak(m: re.Match[str]) -> str:
        words = sentence_case(m, spoken[_key(m.group())], stops)
        return keep_period(m, words) if period else words

    return speak


def rules(code: str) -> list[Rule]:
    """Titles before a name, references before a number, then the rest."""
    titles, references, others = TITLES[code], REFERENCES[code], OTHERS[code]
    stops = abbreviation_periods(code)
    return [
        Rule(
            "title",
            re.compile(rf"(?<![\w.])(?:{_alternatives(titles)})(?=\s+[^\W\d_])"),
            _speaker(titles, stops),
        ),
        Rule(
            "reference",
            re.compile(rf"(?<![\w.])(?:{_alternatives(references)})(?=\s?\d)", re.IGNORECASE),
            _speaker(references, stops),
        ),
        Rule(
            "abbreviation",
            re.compile(rf"(?<![\w.])(?:{_alternatives(others)})(?![^\W_])"),
            _speaker(others, stops, period=True),
        ),
    ]
