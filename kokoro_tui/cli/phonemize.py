"""`kokoro phonemize`: print the phonemes Kokoro would speak, one line per chunk.

Light on purpose: no model, no torch; only the text front end (spaCy for English).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kokoro_tui.cli.complete import complete_lang


def phonemize(
    text: Annotated[Optional[str], typer.Argument(help="Text; '-' or absent reads stdin.", show_default=False)] = None,
    lang: Annotated[
        str, typer.Option("--lang", "-l", help="Language code a,b,e,f,h,i,j,p,r,z.", autocompletion=complete_lang)
    ] = "a",
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Read the text from a file.")] = None,
) -> None:
    """Print the phonemes of TEXT (or --file, or stdin), one line per chunk of at most 510 tokens."""
    from kokoro_tui.cli.console import err
    from kokoro_tui.cli.say import read_input
    from kokoro_tui.text.frontend import TextFrontend
    from kokoro_tui.text.g2p_en import import_spacy_without_torch
    from kokoro_tui.text.languages import language
    from kokoro_tui.text.skipped import SkipReport

    source = read_input(text, file)
    import_spacy_without_torch()
    frontend, skipped = TextFrontend(lang), SkipReport()
    caution = language(frontend.lang).caution
    if caution:
        err.print(f"warning: {caution}", markup=False, highlight=False, soft_wrap=True)
    for chunk in frontend.chunks(source, on_skip=skipped):
        typer.echo(chunk.phonemes)
    message = skipped.message(language(frontend.lang).name)
    if message:
        err.print(f"warning: {message}", markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("phonemize")(phonemize)
