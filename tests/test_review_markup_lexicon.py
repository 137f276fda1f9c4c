"""A power user's lexicon: typographic apostrophes, Chinese and Japanese entries, phrases at a paragraph
break, over-long or slash-quoted phonemes, and a file an editor saved in another encoding."""

from __future__ import annotations

import pytest

from kokoro_tui.errors import KokoroError
from kokoro_tui.text.lexicon import Lexicon, make_entry
from kokoro_tui.text.lexicon_file import read_lexicon


def found(lexicon: Lexicon, text: str, lang: str = "a") -> list[tuple[str, str]]:
    return [(text[o.start : o.end], o.phonemes) for o in lexicon.find(text, lang)]


def test_a_books_curly_apostrophe_and_hyphen_match_the_plain_ones_typed() -> None:
    lexicon = Lexicon([make_entry("O'Brien", "oʊbɹˈaɪən"), make_entry("Jean-Luc", "ʒˈɑ̃lˈuk")])
    text = "O’Brien met Jean‐Luc; o‘brien and O'Brien’s car."
    assert found(lexicon, text) == [("O’Brien", "oʊbɹˈaɪən"), ("Jean‐Luc", "ʒˈɑ̃lˈuk"), ("o‘brien", "oʊbɹˈaɪən")]
    # typed either way, it is the one entry
    assert make_entry("O’Brien", "x").key == make_entry("o'brien", "x").key


@pytest.mark.parametrize(
    ("entry", "lang", "text", "spans"),
    [
        ("東京", "j", "東京に行きます。東京都。", ["東京", "東京"]),
        ("北京", "z", "我爱北京天安门。", ["北京"]),
        ("iPhone", "j", "でiPhoneを買う", ["iPhone"]),
    ],
)
def test_chinese_and_japanese_entries_are_found_in_text_without_spaces(entry, lang, text, spans) -> None:
    lexicon = Lexicon([make_entry(entry, "toːkʲoː", lang)])
    assert [span for span, _ in found(lexicon, text, lang)] == spans


def test_a_spaced_script_still_needs_whole_words() -> None:
    lexicon = Lexicon([make_entry("tomato", "təmˈɑːtoʊ"), make_entry("3D", "θɹˈiːdˈiː")])
    assert found(lexicon, "tomatoes atomato 13D tomato-green tomato") == [("tomato", "təmˈɑːtoʊ")]


def test_a_phrase_wraps_at_a_line_end_but_never_spans_a_paragraph_break() -> None:
    lexicon = Lexicon([make_entry("New York City", "nˈuː jˈɔːɹk sˈɪɾi")])
    assert found(lexicon, "I love New York\n\nCity life.") == []  # else "City" is said twice
    assert found(lexicon, "I love New York\r\n\r\nCity life.") == []
    assert found(lexicon, "I love New York\r\n  City life.") == [("New York\r\n  City", "nˈuː jˈɔːɹk sˈɪɾi")]


def test_phonemes_longer_than_the_model_takes_are_refused() -> None:
    with pytest.raises(KokoroError, match="511 phoneme symbols, more than the 510"):
        make_entry("long", "a" * 511)
    assert make_entry("long", "a" * 510).phonemes == "a" * 510


def test_a_plain_g_is_refused_saying_what_to_write() -> None:
    with pytest.raises(KokoroError, match="write ɡ \\(U\\+0261\\) for g"):
        make_entry("Gandalf", "ˈgændɑlf")


def test_a_hand_edited_line_may_quote_its_phonemes_in_slashes(tmp_path) -> None:
    path = tmp_path / "lexicon.tsv"
    path.write_text("tomato\t/təmˈɑːtoʊ/\n", encoding="utf-8")
    messages: list[str] = []
    assert [(e.word, e.phonemes) for e in read_lexicon(path, messages.append).entries] == [("tomato", "təmˈɑːtoʊ")]
    assert messages == []


def test_a_line_saved_in_another_encoding_is_skipped_not_the_whole_lexicon(tmp_path) -> None:
    path = tmp_path / "lexicon.tsv"
    path.write_bytes("tomato\ttəmˈɑːtoʊ\n".encode() + "café\tkafe\n".encode("latin-1") + "x\tks\n".encode())
    messages: list[str] = []
    entries = read_lexicon(path, messages.append).entries
    assert [entry.word for entry in entries] == ["tomato", "x"]
    assert messages == ["lexicon.tsv line 2 is skipped: it is not UTF-8 text"]
