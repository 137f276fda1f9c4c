"""Russian stress: every source, and the order in which they are trusted.

marks > user lexicon > built-in lexicon > the guesser (ё, prefix + known word, known stem,
ending statistics). Small lexicons made here keep each case independent of the shipped one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kokoro_tui.errors import KokoroError
from kokoro_tui.text.lexicon_ru import BUILTIN, Entry, builtin, load_user, parse, split_marks
from kokoro_tui.text.stress_guess_ru import Source, StressGuesser
from kokoro_tui.text.stress_ru import StressReader

REPO = Path(__file__).resolve().parents[1]


def lexicon(*marked: str) -> dict[str, Entry]:
    return dict(filter(None, (parse(word) for word in marked)))


@pytest.mark.parametrize(
    ("written", "plain", "stress"),
    [
        ("зам+ок", "замок", 1),  # "+" before the vowel: the corpora's mark
        ("+окна", "окна", 0),
        ("сем+ья", "семья", 1),  # a "+" before ь marks the vowel after it
        ("за\u0301мок", "замок", 0),  # an acute accent after the vowel
        ("замо\u0300к", "замок", 1),  # a grave accent too
        ("х+а+ос", "хаос", 0),  # two marks: the first counts
        ("замок", "замок", None),
    ],
)
def test_marks(written: str, plain: str, stress: int | None) -> None:
    assert split_marks(written) == (plain, stress)


def test_each_source_in_order_of_trust() -> None:
    built_in = lexicon("з+амок", "ос+ел", "раб+ота", "в+ажно", "х+од", "говор+ить", "говор+ю")
    user = lexicon("зам+ок")
    reader = StressReader(user=user, lexicon=built_in)
    cases = [
        ("з+амок", 0, Source.MARK),  # a mark beats the user's lexicon
        ("замок", 1, Source.USER),  # the user's lexicon beats the built-in one
        ("работа", 1, Source.LEXICON),
        ("осёл", 1, Source.YO),  # a written ё is another word than the listed "осел"
        ("березёнка", 2, Source.YO),
        ("неважно", 1, Source.PREFIX),  # не + в+ажно
        ("выход", 0, Source.PREFIX),  # вы- takes the stress
        ("работами", 1, Source.STEM),  # the stem of раб+ота
        ("говорили", 2, Source.STEM),  # говор- is stressed on its ending in every listed form
        ("кот", 0, Source.ONE_VOWEL),
    ]
    for word, stress, source in cases:
        found = reader(word)
        assert (found.stress, found.source) == (stress, source), word


def test_lexicon_restores_yo() -> None:
    found = StressReader(lexicon=lexicon("ещё", "её"))("еще")
    assert (found.spelling, found.stress, found.source) == ("ещё", 1, Source.LEXICON)
    assert StressReader()("Еще").spelling == "ещё"


def test_endings_vote_for_unknown_words() -> None:
    guesser = StressGuesser(lexicon("созд+ание", "жел+ание", "назв+ание", "восп+итание", "стар+ание"))
    assert guesser.guess("прыгание") == (1, Source.ENDING)  # -ание: the а before -ние


def test_user_lexicon_files(tmp_path: Path) -> None:
    path = tmp_path / "ru_stress.tsv"
    path.write_text("# my words\nзамок\tзам+ок\nмук+а  # flour, not torment\nёлка\n\n", encoding="utf-8")
    assert load_user(path) == {"замок": Entry("замок", 1), "мука": Entry("мука", 1), "елка": Entry("ёлка", 0)}
    with pytest.raises(KokoroError, match="no Russian stress lexicon"):
        load_user(tmp_path / "missing.tsv")


def test_builtin_lexicon_is_package_data() -> None:
    """The TSV ships with the wheel (pyproject package-data) and is read through importlib.resources."""
    config = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    section = config.split("[tool.setuptools.package-data]", 1)[1].split("\n[", 1)[0]
    assert re.search(r'"kokoro_tui\.text" = \[[^]]*"data/\*\.tsv"', section), section
    assert (REPO / "kokoro_tui" / "text" / "data" / BUILTIN).is_file()
    assert len(builtin()) > 3000
    assert builtin()["молоко"] == Entry("молоко", 2)
