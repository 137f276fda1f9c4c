"""Russian G2P, the letter rules: one table per rule, stress given by marks so only the rule is tested.

Words are written with "+" before the stressed vowel (the festvox-ru and RUSLAN convention),
so each case checks reduction, assimilation, devoicing, palatalisation, ё and the exceptions
independently of the stress lexicon. The other Russian tests: stress (test_text_russian_stress),
numbers and the rest of normalisation (test_text_russian_numbers), real text (test_text_russian_corpus).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from kokoro_tui.model.config import DEFAULT_VOCAB
from kokoro_tui.text.alphabet_ru import CONSONANT_PHONE, VOWEL_PHONES
from kokoro_tui.text.exceptions_ru import STEMS, WORDS
from kokoro_tui.text.g2p_ru import RussianG2P
from kokoro_tui.text.lexicon_ru import builtin, vowel_count
from kokoro_tui.text.respell_ru import respell

# What Russian may write: the vocabulary less misaki's capital diphthong symbols (A I O Q S T W Y).
ALLOWED = {symbol for symbol in DEFAULT_VOCAB if not symbol.isupper()}


@pytest.fixture(scope="module")
def g2p(tmp_path_factory: pytest.TempPathFactory) -> RussianG2P:
    """The built-in lexicon only: an empty user lexicon, whatever the developer's data home holds."""
    empty = tmp_path_factory.mktemp("lexicon") / "ru_stress.tsv"
    empty.write_text("", encoding="utf-8")
    return RussianG2P(lexicon=empty)


def read(g2p: RussianG2P, text: str) -> str:
    """Phonemes of ``text`` as the chunker joins them: a space where the token says so."""
    return "".join(token.phonemes + (" " if token.space_after and token.phonemes else "") for token in g2p(text)).strip()


REDUCTION = [
    ("молок+о", "məlɐkˈo"),  # о: ɐ right before the stress, ə further
    ("голов+а", "ɡəlɐvˈa"),
    ("хорош+о", "xərɐʂˈo"),
    ("вод+а", "vɐdˈa"),
    ("огор+од", "ɐɡɐrˈot"),  # word-initial о is ɐ wherever it stands
    ("эт+аж", "ɪtˈaʂ"),
    ("г+ород", "ɡˈorət"),  # after the stress: ə
    ("+окна", "ˈoknə"),
    ("яз+ык", "jɪzˈɨk"),  # after a soft consonant or j: ɪ (ikanye)
    ("час+ы", "ʨɪsˈɨ"),
    ("пят+ак", "pʲɪtˈak"),
    ("перев+од", "pʲɪrʲɪvˈot"),
    ("нед+еля", "nʲɪdʲˈelʲə"),  # я after the stress: ə; е: ɪ
    ("п+оле", "pˈolʲɪ"),
    ("жен+а", "ʒɨnˈa"),  # е after ж ш ц before the stress: ɨ
    ("цен+а", "ʦɨnˈa"),
    ("с+олнце", "sˈonʦə"),  # е after ц after the stress: ə
    ("северо-з+апад", "sʲɪvʲˈerəzˈapət"),  # after a part's own stress: posttonic, though another follows
]

ASSIMILATION = [
    ("сд+елать", "zʲdʲˈelətʲ"),  # voiced before voiced
    ("пр+осьба", "prˈozʲbə"),
    ("вокз+ал", "vɐɡzˈal"),
    ("вх+од", "fxˈot"),  # voiceless before voiceless
    ("л+одка", "lˈotkə"),
    ("тв+ой", "tvˈoj"),  # в never voices what is before it
    ("в т+ом", "ftˈom"),  # across a preposition
    ("к д+ому", "ɡdˈomʊ"),
    ("от д+ома", "ɐd dˈomə"),
    ("без ш+апки", "bʲɪʂ ʂˈapkʲɪ"),  # з before ш: ш
    ("сш+ить", "ʂːˈɨtʲ"),
    ("с бр+атом", "zbrˈatəm"),
]

DEVOICING = [
    ("дуб", "dˈup"),
    ("гл+аз", "ɡlˈas"),
    ("нож", "nˈoʂ"),
    ("кровь", "krˈofʲ"),
    ("друг", "drˈuk"),
    ("гв+оздь", "ɡvˈosʲtʲ"),  # a whole final cluster
    ("из д+ома", "ɪz dˈomə"),  # a preposition before a voiced consonant keeps its voicing
]

PALATALISATION = [
    ("мат", "mˈat"),
    ("мать", "mˈatʲ"),  # ь
    ("лук", "lˈuk"),
    ("люк", "lʲˈuk"),  # ю
    ("был", "bˈɨl"),
    ("бил", "bʲˈil"),  # и
    ("ж+изнь", "ʒˈɨzʲnʲ"),  # ж is always hard (и after it is ɨ); з before a soft н is soft
    ("шёл", "ʂˈol"),
    ("ц+ирк", "ʦˈɨrk"),
    ("чай", "ʨˈaj"),  # ч and щ are always soft
    ("щ+ука", "ɕːˈukə"),
    ("съ+ел", "sjˈel"),  # ъ: hard, then j
    ("сем+ья", "sʲɪmʲjˈa"),  # ь before я: soft, then j
    ("+есть", "jˈesʲtʲ"),
    ("п+ончик", "pˈonʲʨɪk"),  # н before ч
    ("Росс+ия", "rɐsʲːˈijə"),  # a doubled consonant is soft as its second half
]

YO = [
    ("ёлка", "jˈolkə"),  # ё is stressed without a mark, and is o (ɵ is not in the vocabulary)
    ("тётя", "tʲˈotʲə"),
    ("берёза", "bʲɪrʲˈozə"),
    ("лёгкий", "lʲˈoxkʲɪj"),
]

EXCEPTIONS = [
    ("что", "ʂtˈo"),
    ("чт+обы", "ʂtˈobɨ"),
    ("кон+ечно", "kɐnʲˈeʂnə"),
    ("ск+учно", "skˈuʂnə"),
    ("ег+о", "jɪvˈo"),  # -ого/-его: в
    ("н+ового", "nˈovəvə"),
    ("мн+ого", "mnˈoɡə"),  # unless the г is the stem's
    ("сег+одня", "sʲɪvˈodnʲə"),
    ("здр+авствуйте", "zdrˈastvʊjtʲɪ"),
    ("ч+увство", "ʨˈustvə"),
    ("с+олнце", "sˈonʦə"),
    ("ч+естный", "ʨˈesnɨj"),
    ("п+оздно", "pˈoznə"),
    ("уч+иться", "ʊʨˈiʦə"),  # -ться, -тся
    ("м+оется", "mˈojɪʦə"),
    ("сч+астье", "ɕːˈasʲtʲjɪ"),
    ("мужч+ина", "mʊɕːˈinə"),
    ("л+ётчик", "lʲˈoʨːɪk"),
    ("дв+адцать", "dvˈaʦːətʲ"),
    ("д+етский", "dʲˈeʦkʲɪj"),
    ("пож+алуйста", "pɐʒˈalʊstə"),
    ("каф+е", "kɐfˈɛ"),  # a loanword's hard consonant before е
    ("бог", "bˈox"),
    ("дождь", "dˈoʂtʲ"),
]

WORDS_TOGETHER = [
    ("с игр+ой", "sɨɡrˈoj"),  # и after a hard preposition: ɨ
    ("в окн+о", "vɐknˈo"),  # в is joined to its word, and counted in its syllables
    ("на гор+е", "nə ɡɐrʲˈe"),
    ("не был", "nʲˈe bɨl"),  # the stress moves onto не
    ("и", "ɪ"),  # unstressed words said alone
    ("но", "nɐ"),
    ("к+асса", "kˈasːə"),  # a double consonant before a vowel is long
    ("кл+асс", "klˈas"),
    ("кто-то", "ktˈotə"),  # a hyphenated word is one word
    ("из-за", "ɪzzˈa"),
    ("по-р+усски", "pɐrˈuskʲɪ"),
]

SPELLED = [
    ("СССР", "ˈɛs ˈɛs ˈɛs ˈɛr"),
    ("МГУ", "ˈɛm ɡˈɛ ˈu"),
    ("ООН", "ɐˈon"),  # said as a word
    ("USB", "jˈu ˈɛs bʲˈi"),
    ("Google", "ɡˈuɡl"),  # Latin sounded out
]


@pytest.mark.parametrize(
    ("word", "expected"),
    REDUCTION + ASSIMILATION + DEVOICING + PALATALISATION + YO + EXCEPTIONS + WORDS_TOGETHER + SPELLED,
)
def test_letter_rules(g2p: RussianG2P, word: str, expected: str) -> None:
    assert read(g2p, word) == expected


def test_respellings_keep_every_vowel_in_place() -> None:
    """The stress found for the written word points at a vowel: respelling may not move or drop vowels."""
    def vowels(word: str) -> list[str]:
        return [char.replace("э", "е") for char in word if char in "аеёиоуыэюя"]  # э for е is the point

    for written, spoken in list(WORDS.items()) + list(STEMS.items()):
        assert vowels(spoken) == vowels(written), written
    assert respell("сегодняшний") == "севодняшний"


def test_every_symbol_is_in_the_vocabulary(g2p: RussianG2P) -> None:
    """The phone tables and every word of the lexicon produce only vocabulary symbols, no letters of the text."""
    assert set("".join(CONSONANT_PHONE.values()) + "".join(VOWEL_PHONES) + "ʲːˈ") <= ALLOWED
    words = " ".join(entry.spelling for entry in builtin().values())
    phonemes = read(g2p, words)
    assert set(phonemes) <= ALLOWED | {" "}
    assert not [char for char in phonemes if "CYRILLIC" in unicodedata.name(char, "")]
    assert phonemes.count("ˈ") == sum(vowel_count(word) > 0 for word in words.split())


def test_punctuation_is_kept_as_the_other_languages_keep_it(g2p: RussianG2P) -> None:
    text = "«Да», — сказал он; (нет) / ну… & что?!"
    tokens = g2p(text)
    assert read(g2p, text) == "dˈa, — skɐzˈal ˈon; (nʲˈet) nˈu… ʂtˈo?!"
    marks = [text[t.start : t.end] for t in tokens if t.is_punct]
    assert marks == ["«", "»,", "—", ";", "(", ")", "/", "…", "&", "?!"]  # « » / & are silent, still spans
    assert all(token.phonemes or token.is_punct for token in tokens)


def test_stress_mark_spans_and_unknown_letters(g2p: RussianG2P) -> None:
    """A marked word keeps its whole written span; a word with no Russian reading is empty, never dropped."""
    text = "вол+ос ἄλφα і ї"
    tokens = g2p(text)
    assert [text[t.start : t.end] for t in tokens] == ["вол+ос", "ἄλφα", "і", "ї"]
    assert [t.phonemes for t in tokens] == ["vɐlˈos", "", "ˈi", "jˈi"]


def test_the_data_home_lexicon_is_read(tmp_home, tmp_path: Path) -> None:
    (tmp_home.root).mkdir(parents=True)
    (tmp_home.root / "ru_stress.tsv").write_text("замок\tзам+ок\n", encoding="utf-8")
    assert read(RussianG2P(), "замок") == "zɐmˈok"
    other = tmp_path / "mine.tsv"
    other.write_text("з+амок\n", encoding="utf-8")
    assert read(RussianG2P(lexicon=other), "замок") == "zˈamək"
