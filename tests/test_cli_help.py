"""Every command's help reads as written: rich markup eats no bracketed text, and docstring paragraphs reflow."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer
from rich.markup import render
from typer.testing import CliRunner

from kokoro_tui.cli.main import app, prose_help


def _commands() -> Iterator[tuple[str, object]]:
    def walk(command: object, path: str) -> Iterator[tuple[str, object]]:
        yield path, command
        for name, sub_command in getattr(command, "commands", {}).items():
            yield from walk(sub_command, f"{path} {name}")

    yield from walk(typer.main.get_command(app), "kokoro")


COMMANDS = list(_commands())


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_help_texts_survive_rich_markup(path, command):
    texts = [command.help or ""] + [getattr(param, "help", None) or "" for param in command.params]
    for text in texts:
        # an escaped bracket (\[) is meant; any other markup rich would take is a help text losing words
        assert render(text).plain == text.replace("\\[", "["), f"{path}: rich markup changes {text!r}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_help_paragraphs_have_no_hard_line_breaks(path, command):
    for paragraph in (command.help or "").split("\n\n"):
        assert "\n" not in paragraph.strip(), f"{path}: a paragraph keeps its source line breaks"


def test_prose_help_joins_lines_and_keeps_paragraphs():
    assert prose_help("First line\n    goes on.\n\n    Second\n    paragraph.\n") == "First line goes on.\n\nSecond paragraph."


def test_book_help_prints_its_second_paragraph_as_one_flow():
    shown = CliRunner().invoke(app, ["book", "--help"], env={"COLUMNS": "200"}).output
    assert "choosing some of them, resuming a killed run" in shown



def test_every_lang_option_that_lists_codes_lists_them_all():
    """The codes come from the language table, so a language added there (Russian was missed) shows everywhere."""
    from kokoro_tui.cli.options import LANGUAGE_CODES
    from kokoro_tui.text.languages import LANGUAGES

    assert set(LANGUAGE_CODES.split(",")) == set(LANGUAGES)
    listing = [(path, param.help) for path, command in COMMANDS for param in command.params
               if "--lang" in getattr(param, "opts", ()) and "only its entry" not in (param.help or "").lower()]
    assert len(listing) >= 8
    for path, text in listing:
        assert LANGUAGE_CODES in text, f"{path} --lang: {text!r}"
