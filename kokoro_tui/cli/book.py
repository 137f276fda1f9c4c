"""`kokoro book`: a whole book (EPUB, PDF, Markdown, HTML, text) into an M4B with chapters, or one file per chapter."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kokoro_tui.cli.console import err, out, progress
from kokoro_tui.cli.options import (
    STDIN,
    BackendOption,
    DeviceOption,
    LangOption,
    ModelOption,
    NoMarkupOption,
    PrecisionOption,
    SeedOption,
    SpeedOption,
    VoiceOption,
)
from kokoro_tui.errors import KokoroError, path_error
from kokoro_tui.voices.names import DEFAULT_VOICE

if TYPE_CHECKING:
    from kokoro_tui.books.job import BookJob
    from kokoro_tui.books.progress import BookProgress


def book(
    file: Annotated[
        Path,
        typer.Argument(help=f"The book: .epub, .pdf, .md, .html or .txt; '{STDIN}' reads plain text or Markdown (# headings) from stdin, and needs -o.", show_default=False),
    ],
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="The M4B file (default: FILE's name with .m4b, here; an existing one is replaced), or the folder of --split-chapters (default: FILE's name).", show_default=False),
    ] = None,
    list_chapters: Annotated[bool, typer.Option("--list-chapters", help="Print each chapter's number, title and words, and stop.")] = False,
    chapters: Annotated[
        Optional[str], typer.Option("--chapters", help="Only these chapters, numbered as --list-chapters shows: 3-7, 1,3,5-6, 4-.", show_default=False)
    ] = None,
    split_chapters: Annotated[bool, typer.Option("--split-chapters", help="One audio file per chapter instead of one M4B.")] = False,
    audio_format: Annotated[
        Optional[str], typer.Option("--format", help="Of the --split-chapters files: mp3 (default), opus, flac or wav.", show_default=False)
    ] = None,
    subtitles: Annotated[
        Optional[str], typer.Option("--subtitles", help="srt, vtt or ass (karaoke) subtitles beside each audio file.", show_default=False)
    ] = None,
    word_timings: Annotated[bool, typer.Option("--word-timings", help="Each word's time, as JSON beside each audio file.")] = False,
    paragraph_pause: Annotated[float, typer.Option("--paragraph-pause", help="Seconds of silence between paragraphs.")] = 0.6,
    chapter_pause: Annotated[float, typer.Option("--chapter-pause", help="Seconds of silence between chapters of the M4B.")] = 1.5,
    title: Annotated[Optional[str], typer.Option("--title", help="Title tag (default: the book's).", show_default=False)] = None,
    author: Annotated[Optional[str], typer.Option("--author", help="Author tag (default: the book's).", show_default=False)] = None,
    cover: Annotated[Optional[Path], typer.Option("--cover", help="Cover picture, JPEG or PNG (default: the EPUB's).", show_default=False)] = None,
    voice: VoiceOption = DEFAULT_VOICE,
    lang: LangOption = None,
    speed: SpeedOption = 1.0,
    backend: BackendOption = "torch",
    model: ModelOption = None,
    device: DeviceOption = "auto",
    precision: PrecisionOption = "auto",
    seed: SeedOption = None,
    no_markup: NoMarkupOption = False,
) -> None:
    """Read a book aloud into an M4B audiobook with chapter marks (or one file per chapter).

    A command of its own rather than `say --file`: chapters, choosing some of them, resuming a
    killed run and the work folder that makes that possible are book ideas that `say` has no
    use for. Each chapter is kept in HOME/books/ as it is finished, so running the same command
    again after Ctrl-C (or with another option) speaks only what is missing or changed. The run
    log is linked into HOME/runs: `kokoro tui`'s Training pane follows it. Inline markup is read in
    every format (a switch holds to the end of its paragraph), and so is `kokoro lexicon`.
    """
    from kokoro_tui.books.job import BookJob, make_book
    from kokoro_tui.home import resolve_home

    seen: set[str] = set()

    def warn(message: str) -> None:
        if message not in seen:
            seen.add(message)
            err.print(f"warning: {message}", markup=False, highlight=False, soft_wrap=True)

    job = BookJob(
        source=file, output=output, chapters=chapters, split=split_chapters, audio_format=audio_format, subtitles=subtitles,
        word_timings=word_timings, paragraph_pause_s=paragraph_pause, chapter_pause_s=chapter_pause, title=title,
        author=author, cover=cover, voice=voice, lang=lang, speed=speed, backend=backend, model=model, device=device,
        precision=precision, seed=seed, markup=not no_markup,
    )
    if str(file) == STDIN:
        job = _from_stdin(job, list_chapters)
    if list_chapters:
        _list_chapters(job, warn)
        return
    try:
        with progress("eta") as bar:
            task = None

            def events(state: BookProgress) -> None:
                nonlocal task
                figures = f"chapter {state.chapter}/{state.chapters}{' (kept)' if state.reused else ''}: {state.title}"
                if task is None:
                    task = bar.add_task("speaking", total=max(state.chars_total, 1), figures=figures)
                bar.update(task, completed=state.chars_done, figures=figures)

            result = make_book(resolve_home(), job, events, warn)
    except KeyboardInterrupt:  # caught here, before click turns it into "Aborted!"
        err.print("interrupted: the finished chapters are kept, and the same command goes on from there")
        raise typer.Exit(130) from None
    minutes, seconds = divmod(round(result.audio_s), 60)
    err.print(
        f"wrote {result.output}: {result.chapters} chapter{'' if result.chapters == 1 else 's'}, "
        f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d} of audio ({result.rendered} spoken now, {result.reused} kept "
        f"from an earlier run)",
        markup=False, soft_wrap=True,
    )
    if result.removed:
        err.print(f"removed {len(result.removed)} older chapter file(s) that these replace", markup=False, soft_wrap=True)


def _from_stdin(job: BookJob, list_chapters: bool) -> BookJob:
    """``job`` with the book piped in as its data, as `say --file -` reads its text; refused before
    stdin is read when nothing would name the audiobook."""
    from dataclasses import replace

    from kokoro_tui.books.job import needs_output

    if job.output is None and not list_chapters:
        raise needs_output()
    if sys.stdin is None:  # started with stdin closed (`<&-`)
        raise KokoroError("the book is to come from stdin, and stdin is closed", hint="pass the book's file")
    try:
        return replace(job, data=sys.stdin.buffer.read())
    except OSError as error:  # stdin opened for writing only (`0>file`), a failing terminal
        raise path_error("read", "stdin", error) from None


def _list_chapters(job: BookJob, warn: Callable[[str], None]) -> None:
    from rich.table import Table

    from kokoro_tui.books.job import book_name, read_source

    found = read_source(job, book_name(job, job.output), warn)
    table = Table("#", "title", "words", box=None, title=" — ".join(filter(None, (found.title, found.author))) or None)
    for number, chapter in enumerate(found.chapters, 1):
        table.add_row(str(number), chapter.title, str(chapter.words))
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command("book")(book)
