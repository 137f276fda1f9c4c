"""`kokoro phonemize`: print the phonemes Kokoro would speak, one line per chunk.

Light on purpose: no model, no torch; only the text front end (spaCy for English). Inline markup
and the data home's lexicon are applied as `kokoro say` applies them, so this is where to check a
pronunciation; voice switches are not checked against the store (no voice speaks here), but what
follows one is read in its voice's language, as `say` reads it, unless --lang is given.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from kokoro_tui.cli.complete import complete_lang
from kokoro_tui.cli.options import LANGUAGE_CODES, NoMarkupOption, TextFileOption


def phonemize(
    text: Annotated[Optional[str], typer.Argument(help="Text; '-' or absent reads stdin.", show_default=False)] = None,
    lang: Annotated[
        Optional[str],
        typer.Option(
            "--lang", "-l", help=f"Language code {LANGUAGE_CODES} (default: a; a voice switch's own after it).",
            autocompletion=complete_lang, show_default=False,
        ),
    ] = None,
    file: TextFileOption = None,
    no_markup: NoMarkupOption = False,
) -> None:
    """Print the phonemes of TEXT (or --file, or stdin), one line per chunk of at most 510 tokens."""
    from kokoro_tui.cli.console import err
    from kokoro_tui.cli.say import read_input
    from kokoro_tui.home import resolve_home
    from kokoro_tui.speech.pipeline import DEFAULT_LANG, MAX_SPEED, MIN_SPEED, voice_language
    from kokoro_tui.text.frontend import TextFrontend
    from kokoro_tui.text.g2p_en import import_spacy_without_torch
    from kokoro_tui.text.languages import language
    from kokoro_tui.text.lexicon_file import read_lexicon
    from kokoro_tui.text.markup import Cue, MarkupRules, parse_markup, plain_script
    from kokoro_tui.text.script import ChunkReader, LexiconLookup, read_script
    from kokoro_tui.text.skipped import SkipReport

    def warn(message: str) -> None:
        err.print(f"warning: {message}", markup=False, highlight=False, soft_wrap=True)

    source = read_input(text, file)
    import_spacy_without_torch()
    frontend, skipped, home = TextFrontend(lang or DEFAULT_LANG), SkipReport(), resolve_home()
    frontends = {frontend.lang: frontend}
    caution = language(frontend.lang).caution
    if caution:
        warn(caution)
    script = plain_script(source) if no_markup else parse_markup(source, MarkupRules((MIN_SPEED, MAX_SPEED)))
    for problem in script.warnings:
        warn(problem)
    lexicon = read_lexicon(home.lexicon, warn)

    def reader_for_voice(spec: str) -> tuple[ChunkReader, LexiconLookup]:
        code = frontend.lang if lang else voice_language(spec, home) or frontend.lang
        if code not in frontends:
            frontends[code] = TextFrontend(code)
        return frontends[code].chunks, lambda stretch: lexicon.find(stretch, code)

    parts = read_script(script, frontend.chunks, lambda stretch: lexicon.find(stretch, frontend.lang), on_skip=skipped,
                        reader_for_voice=reader_for_voice)  # fmt: skip
    for part in parts:
        if not isinstance(part, Cue):
            typer.echo(part.phonemes)
    message = skipped.message(language(frontend.lang).name)
    if message:
        warn(message)


def register(app: typer.Typer) -> None:
    app.command("phonemize")(phonemize)
