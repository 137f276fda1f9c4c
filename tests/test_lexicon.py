"""The user's lexicon: matching, the TSV file, `kokoro lexicon add|list|remove`, and the pipeline applying it."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from test_text_chunk import fake_g2p
from typer.testing import CliRunner

from kokoro_tui import atomic
from kokoro_tui.books.book import Chapter
from kokoro_tui.books.workfolder import Voicing, chapter_key
from kokoro_tui.cli.main import app
from kokoro_tui.errors import KokoroError
from kokoro_tui.speech import pipeline as pipeline_module
from kokoro_tui.speech.pipeline import Pipeline
from kokoro_tui.text.frontend import TextFrontend
from kokoro_tui.text.lexicon import Lexicon, make_entry
from kokoro_tui.text.lexicon_file import HEADER, add_entry, read_lexicon, remove_entries

runner = CliRunner()


def kokoro(*args: str):
    return runner.invoke(app, list(args))


def found(lexicon: Lexicon, text: str, lang: str = "a") -> list[tuple[str, str]]:
    return [(text[o.start : o.end], o.phonemes) for o in lexicon.find(text, lang)]


def test_whole_words_without_case_in_their_language() -> None:
    lexicon = Lexicon(
        [
            make_entry("tomato", "təmˈɑːtoʊ"),
            make_entry("New York", "nˈu jˈɔɹk", "a"),
            make_entry("New York City", "nˈu jˈɔɹk sˈɪɾi"),
            make_entry("tomato", "tomˈate", "e"),
        ]
    )
    text = "Tomato, 'TOMATO' tomatoes tomato's green-tomato tomato-green xtomato; New  York City or New\nYork."
    assert found(lexicon, text) == [
        ("Tomato", "təmˈɑːtoʊ"),
        ("TOMATO", "təmˈɑːtoʊ"),
        ("New  York City", "nˈu jˈɔɹk sˈɪɾi"),
        ("New\nYork", "nˈu jˈɔɹk"),
    ]
    assert found(lexicon, "Un tomato, New York.", "e") == [("tomato", "tomˈate")]  # New York is for English only
    assert found(lexicon, "tomato", "b") == [("tomato", "təmˈɑːtoʊ")]
    assert Lexicon().find("anything", "a") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", ""), "no phonemes"),
        (("x", "tə ʘ"), "no phoneme symbol ʘ"),
        (("  ", "a"), "the word is empty"),
        (("...", "a"), "no letter or digit"),
        ((" #kokoro", "a"), "'#kokoro' starts with '#', which marks a comment"),
        (("x", "a", "zz"), "unknown language code 'zz'"),
    ],
)
def test_bad_entries_are_refused_saying_why(args, message) -> None:
    with pytest.raises(KokoroError, match=message):
        make_entry(*args)


def test_the_file_changes_one_entry_at_a_time_and_keeps_the_rest(tmp_path) -> None:
    path = tmp_path / "lexicon.tsv"
    assert read_lexicon(path, print).entries == ()
    assert add_entry(path, make_entry("tomato", "təmˈɑːtoʊ")) is None
    assert path.read_text(encoding="utf-8") == HEADER + "tomato\ttəmˈɑːtoʊ\n"
    path.write_text(path.read_text(encoding="utf-8") + "# my note\nbad line\nNew York\tnˈu jˈɔɹk\ta", encoding="utf-8")
    assert add_entry(path, make_entry("TOMATO", "təmˈeɪtoʊ")).phonemes == "təmˈɑːtoʊ"  # the same word: replaced
    add_entry(path, make_entry("tomato", "tomˈate", "e"))  # another language: added
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == [
        HEADER.strip(),
        "TOMATO\ttəmˈeɪtoʊ",
        "# my note",
        "bad line",
        "New York\tnˈu jˈɔɹk\ta",
        "tomato\ttomˈate\te",
    ]
    warnings: list[str] = []
    entries = read_lexicon(path, warnings.append).entries
    assert [(e.word, e.lang) for e in entries] == [("TOMATO", None), ("New York", "a"), ("tomato", "e")]
    assert warnings == ["lexicon.tsv line 4 is skipped: not word<TAB>phonemes or word<TAB>phonemes<TAB>language"]
    assert [e.lang for e in remove_entries(path, "Tomato", "e")] == ["e"]
    assert [e.word for e in remove_entries(path, "tomato")] == ["TOMATO"]
    assert remove_entries(path, "tomato") == []
    assert path.read_text(encoding="utf-8").splitlines()[1:] == ["# my note", "bad line", "New York\tnˈu jˈɔɹk\ta"]


def test_a_byte_order_mark_does_not_hide_the_first_entry(tmp_path) -> None:
    """Notepad saves UTF-8 with a BOM; the first word must still be found, and a change keeps it."""
    path = tmp_path / "lexicon.tsv"
    path.write_bytes("\ufefftomato\ttəmˈɑːtoʊ\n".encode())
    assert [entry.word for entry in read_lexicon(path, print).entries] == ["tomato"]
    assert add_entry(path, make_entry("tomato", "təmˈeɪtoʊ")).phonemes == "təmˈɑːtoʊ"
    assert path.read_text(encoding="utf-8") == "tomato\ttəmˈeɪtoʊ\n"


def test_simultaneous_adds_keep_every_entry(tmp_path, monkeypatch) -> None:
    """Six adds at once (as six `kokoro lexicon add … &`): each reads, changes and writes the file in turn."""
    from kokoro_tui.text import lexicon_file

    write = lexicon_file._write
    monkeypatch.setattr(lexicon_file, "_write", lambda *args: (time.sleep(0.05), write(*args)))
    path = tmp_path / "lexicon.tsv"
    words = [f"word{number}" for number in range(6)]
    with ThreadPoolExecutor(len(words)) as pool:
        list(pool.map(lambda word: add_entry(path, make_entry(word, "ə")), words))
    assert sorted(entry.word for entry in read_lexicon(path, print).entries) == words


def test_a_lexicon_locked_too_long_is_one_line(tmp_path, monkeypatch) -> None:
    from filelock import FileLock


    monkeypatch.setattr(atomic, "LOCK_TIMEOUT_S", 0.1)
    path = tmp_path / "lexicon.tsv"
    with FileLock(tmp_path / ".lexicon.tsv.lock"), pytest.raises(KokoroError, match="stayed locked") as caught:
        add_entry(path, make_entry("tomato", "ə"))
    assert caught.value.exit_code == 1 and not path.exists()


def test_cli_add_list_remove_round_trip(tmp_home) -> None:
    assert kokoro("lexicon", "list", "--json").stdout.strip() == "[]"
    added = kokoro("lexicon", "add", "tomato", "/təmˈɑːtoʊ/")
    assert added.exit_code == 0 and "added: tomato → /təmˈɑːtoʊ/ (every language)" in added.stderr
    assert kokoro("lexicon", "add", "New York", "nˈu  jˈɔɹk", "--lang", "en-us").exit_code == 0
    replaced = kokoro("lexicon", "add", "Tomato", "təmˈeɪtoʊ")
    assert "replaced" in replaced.stderr and "(was /təmˈɑːtoʊ/)" in replaced.stderr
    assert json.loads(kokoro("lexicon", "list", "--json").stdout) == [
        {"word": "Tomato", "phonemes": "təmˈeɪtoʊ", "lang": None},
        {"word": "New York", "phonemes": "nˈu jˈɔɹk", "lang": "a"},
    ]
    table = kokoro("lexicon", "list")
    assert "New York" in table.stdout and "təmˈeɪtoʊ" in table.stdout and "2 entries" in table.stderr
    assert tmp_home.lexicon.is_file()
    removed = kokoro("lexicon", "remove", "new york", "--lang", "a")
    assert removed.exit_code == 0 and "removed: New York" in removed.stderr
    assert [e["word"] for e in json.loads(kokoro("lexicon", "list", "--json").stdout)] == ["Tomato"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "tomato", ""), "no phonemes given for 'tomato'"),
        (("add", "tomato", "tə ʘ"), "the model has no phoneme symbol ʘ"),
        (("add", "tomato", "tə", "--lang", "zz"), "unknown language code 'zz'"),
        (("remove", "nothing"), "no lexicon entry for 'nothing'"),
        (("add", "#kokoro", "kˈoʊkəɹoʊ"), "'#kokoro' starts with '#'"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(tmp_home, args, message) -> None:
    result = kokoro("lexicon", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {message}") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output and not tmp_home.lexicon.exists()


@pytest.fixture
def home_pipeline(tmp_home, monkeypatch):
    """Pipelines of the test home on the real front end with the fake G2P (no model is needed for text_chunks)."""
    monkeypatch.setattr(pipeline_module, "make_frontend", lambda lang, in_child=False: TextFrontend(lang, g2p=fake_g2p))
    return tmp_home


def test_the_pipeline_applies_its_homes_lexicon_with_or_without_markup(home_pipeline) -> None:
    kokoro("lexicon", "add", "tomato", "təmˈɑːtoʊ")
    kokoro("lexicon", "add", "soup", "sˈup", "--lang", "b")
    text = "Tomato soup, [tomato](/tomˈAto/)."
    (chunk,) = Pipeline(on_warning=pytest.fail).text_chunks(text)
    assert chunk.phonemes == "təmˈɑːtoʊ soup, tomˈAto."
    (plain,) = Pipeline(markup=False, on_warning=pytest.fail).text_chunks(text)
    assert plain.phonemes.startswith("təmˈɑːtoʊ soup, təmˈɑːtoʊ")  # markup off: the lexicon still applies
    (british,) = Pipeline(voice="bf_emma", on_warning=pytest.fail).text_chunks("Tomato soup.")
    assert british.phonemes == "təmˈɑːtoʊ sˈup."


def test_a_bad_lexicon_line_is_a_warning_not_a_failure(home_pipeline) -> None:
    home_pipeline.lexicon.parent.mkdir(parents=True)
    home_pipeline.lexicon.write_text("tomato\n", encoding="utf-8")
    warnings: list[str] = []
    (chunk,) = Pipeline(on_warning=warnings.append).text_chunks("Tomato.")
    assert chunk.phonemes == "tomato." and warnings == [
        "lexicon.tsv line 1 is skipped: not word<TAB>phonemes or word<TAB>phonemes<TAB>language"
    ]


def test_a_book_chapter_renders_again_only_when_a_word_it_says_changes() -> None:
    voicing = Voicing("af_heart", "d", "a", 1.0, 0.6, "torch", "auto", None, True)
    lexicon = Lexicon([make_entry("tomato", "təmˈɑːtoʊ")])
    changed = Lexicon([make_entry("tomato", "təmˈeɪtoʊ"), make_entry("potato", "pətˈeɪtoʊ")])
    with_word, without = Chapter("One", ("A tomato.",)), Chapter("Two", ("A pear.",))

    def key(chapter: Chapter, lex: Lexicon) -> str:
        return chapter_key(chapter, voicing, lex.said_in(chapter.text, "a"))

    assert key(with_word, lexicon) != key(with_word, changed)
    assert key(without, lexicon) == key(without, changed) == chapter_key(without, voicing)
    assert chapter_key(without, voicing) != chapter_key(without, replace(voicing, markup=False))
