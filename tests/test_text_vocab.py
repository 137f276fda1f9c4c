"""Phoneme <-> id conversion: unknown symbols are dropped and counted, never silently lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kokoro_tui.errors import KokoroError, MissingAssetError
from kokoro_tui.text.vocab import PhonemeVocab

TABLE = {" ": 16, ",": 3, "h": 50, "ə": 83, "l": 54, "ˈ": 156, "O": 31}


def test_round_trip() -> None:
    vocab = PhonemeVocab(TABLE)
    encoded = vocab.encode("həlˈO, həlˈO")
    assert encoded.ids == [50, 83, 54, 156, 31, 3, 16, 50, 83, 54, 156, 31]
    assert not encoded.unknown and encoded.describe_unknown() == ""
    assert vocab.decode([0, *encoded.ids, 0]) == "həlˈO, həlˈO"


def test_unknown_symbols_are_counted() -> None:
    encoded = PhonemeVocab(TABLE).encode("h¿ə¿❓")
    assert encoded.ids == [50, 83]
    assert encoded.unknown == {"¿": 2, "❓": 1}
    assert encoded.describe_unknown() == "3 unknown phoneme symbols dropped: ¿×2, ❓×1"


@pytest.mark.parametrize("wrapped", [True, False])
def test_reads_config_or_vocab_json(tmp_path: Path, wrapped: bool) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"vocab": TABLE, "n_token": 178} if wrapped else TABLE), encoding="utf-8")
    assert PhonemeVocab.from_file(path).ids == TABLE


def test_bad_vocab_files(tmp_path: Path) -> None:
    with pytest.raises(MissingAssetError):
        PhonemeVocab.from_file(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(KokoroError, match="cannot read"):
        PhonemeVocab.from_file(broken)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"vocab": ["a", "b"]}), encoding="utf-8")
    with pytest.raises(KokoroError, match="no phoneme vocabulary"):
        PhonemeVocab.from_file(wrong)
    with pytest.raises(KokoroError):
        PhonemeVocab({})


def test_a_language_is_named_by_its_code_its_espeak_name_or_its_iso_639_1_code():
    from kokoro_tui.text.languages import language

    named = {name: language(name).code for name in ("f", "fr-fr", "fr", "FR", "en", "en-us", "en-gb", "zh", "cmn",
                                                   "pt", "pt-br", "ru", " ja ")}  # fmt: skip
    assert named == {"f": "f", "fr-fr": "f", "fr": "f", "FR": "f", "en": "a", "en-us": "a", "en-gb": "b", "zh": "z",
                     "cmn": "z", "pt": "p", "pt-br": "p", "ru": "r", " ja ": "j"}  # fmt: skip
