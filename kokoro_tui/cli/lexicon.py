"""`kokoro lexicon`: the user's pronunciations (``HOME/lexicon.tsv``), said wherever the word occurs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kokoro_tui.cli.complete import complete_lang
from kokoro_tui.cli.console import err, out
from kokoro_tui.cli.options import LANGUAGE_CODES, JsonOption
from kokoro_tui.errors import KokoroError

if TYPE_CHECKING:
    from kokoro_tui.text.lexicon import Entry

lexicon_app = typer.Typer(
    name="lexicon",
    help="Your pronunciations: a word said as the phonemes you give, in every text, before G2P.",
    no_args_is_help=True,
)

EntryLang = Annotated[
    Optional[str],
    typer.Option(
        "--lang",
        "-l",
        help=f"Only in this language ({LANGUAGE_CODES}); default: every language.",
        autocompletion=complete_lang,
        show_default=False,
    ),
]


def _path():
    from kokoro_tui.home import resolve_home

    return resolve_home().lexicon


def _tell(line: str) -> None:
    err.print(line, markup=False, highlight=False, soft_wrap=True)


def _said(entry: Entry) -> str:
    return f"{entry.word} → /{entry.phonemes}/ ({f'language {entry.lang}' if entry.lang else 'every language'})"


@lexicon_app.command("add")
def add(
    word: Annotated[str, typer.Argument(help="The word, or words ('New York'), as written; any case.")],
    phonemes: Annotated[str, typer.Argument(help="Its phonemes in Kokoro's IPA, e.g. təmˈɑːtoʊ.")],
    lang: EntryLang = None,
) -> None:
    """Say WORD as PHONEMES from now on (replacing its entry for the same language)."""
    from kokoro_tui.text.lexicon import make_entry
    from kokoro_tui.text.lexicon_file import add_entry

    entry = make_entry(word, phonemes, lang)
    replaced = add_entry(_path(), entry)
    was = f" (was /{replaced.phonemes}/)" if replaced is not None and replaced.phonemes != entry.phonemes else ""
    _tell(f"{'replaced' if replaced else 'added'}: {_said(entry)}{was}")


@lexicon_app.command("list")
def list_entries(as_json: JsonOption = False) -> None:
    """Every entry, in the order of the file."""
    from kokoro_tui.text.lexicon_file import read_lexicon

    path = _path()
    entries = read_lexicon(path, lambda message: _tell(f"warning: {message}")).entries
    if as_json:
        rows = [{"word": entry.word, "phonemes": entry.phonemes, "lang": entry.lang} for entry in entries]
        print(json.dumps(rows, ensure_ascii=False))
        return
    if not entries:
        _tell(f"no entries yet in {path}: add one with `kokoro lexicon add WORD PHONEMES`")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table("word", "phonemes", "language", box=None, pad_edge=False)
    for entry in entries:  # as Text: a word's brackets are not rich markup
        table.add_row(Text(entry.word), Text(entry.phonemes), entry.lang or "every")
    out.print(table)
    _tell(f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} in {path}")


@lexicon_app.command("remove")
def remove(
    word: Annotated[str, typer.Argument(help="The word, as it was added (any case).")],
    lang: Annotated[
        Optional[str],
        typer.Option(
            "--lang",
            "-l",
            help="Only its entry for this language; default: all its entries.",
            autocompletion=complete_lang,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Forget WORD's pronunciation: the G2P reads it again."""
    from kokoro_tui.text.languages import language
    from kokoro_tui.text.lexicon_file import remove_entries

    code = language(lang).code if lang else None
    removed = remove_entries(_path(), word, code)
    if not removed:
        where = f" for language {code}" if code else ""
        raise KokoroError(f"no lexicon entry for {word!r}{where}", hint="`kokoro lexicon list` shows them")
    for entry in removed:
        _tell(f"removed: {_said(entry)}")


def register(app: typer.Typer) -> None:
    app.add_typer(lexicon_app)
