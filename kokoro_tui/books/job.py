"""``make_book``: a book file spoken into an M4B with chapters, or one file per chapter.

The one entry point every face calls (``kokoro book``; a Python user too). It reads the book,
picks the chapters, renders each one into the work folder unless its key is already there
(``workfolder``), then lays them end to end (``timeline``) into the outputs, each written
atomically; chapter files of earlier runs that these replace are removed (``split_files``). The
run log goes into the work folder, linked from ``HOME/runs``.

A book piped in (``kokoro book -``) comes as ``BookJob.data``: it has no file name, so it needs an
output, which names it instead (its title when it has none, its work folder, its run).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kokoro_tui.atomic import check_writable, check_writable_dir
from kokoro_tui.books.book import Book, Chapter, Cover, sniff_cover
from kokoro_tui.books.cover_stream import COVER_FORMATS
from kokoro_tui.books.m4b import write_m4b
from kokoro_tui.books.narrate import narrate
from kokoro_tui.books.outputs import (
    SPLIT_FORMATS,
    SUBTITLE_FORMATS,
    TIMINGS_FORMAT,
    split_name,
    write_split,
    write_subtitles,
    write_word_timings,
)
from kokoro_tui.books.progress import Events, RunReport
from kokoro_tui.books.reader import read_book
from kokoro_tui.books.selection import select_chapters
from kokoro_tui.books.split_files import claim, remove_replaced
from kokoro_tui.books.timeline import Part, Placed, place
from kokoro_tui.books.workfolder import (
    AUDIO_FORMAT,
    DIGEST_CHARS,
    RenderedChapter,
    Voicing,
    WorkFolder,
    chapter_key,
    path_digest,
)
from kokoro_tui.errors import KokoroError, path_error
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech.audio_io import open_file_writer
from kokoro_tui.speech.pipeline import Pipeline, load_voice
from kokoro_tui.training.runlog import LOG_NAME, RunLogWriter, link_run
from kokoro_tui.voices.names import DEFAULT_VOICE

M4B = "m4b"
DEFAULT_SPLIT_FORMAT = "mp3"
MAX_PAUSE_S = 60.0
# Phonemes per chunk at most (the model takes 510). A chunk's synthesis memory grows with its audio, and a
# book's paragraphs fill every chunk to the cap: the whole US Constitution as an M4B peaked at 1,773 MiB with
# chunks of up to 510 phonemes (about 28 s) and at 1,474 MiB with 250 (1,281 MiB once the generator also
# trimmed its heap between blocks). Kokoro-FastAPI cuts its chunks at 250 as well. What changes is where a
# run of sentences is split (between whole sentences); a sentence over 250 phonemes is cut at a clause.
BOOK_CHUNK_TOKENS = 250
STDIN_NAME = "stdin"  # what a book piped in is called until an output names it
# A book piped in is Markdown when a line opens with an ATX heading ("# One", "## Two"), else plain text:
# the one hint the bytes give (an EPUB or PDF is told by its bytes, as any file is: ``reader``).
_MARKDOWN_HEADING = re.compile(rb"^#{1,6}[ \t]+\S", re.MULTILINE)


@dataclass(frozen=True)
class BookJob:
    """What `kokoro book` asks for: read ``source`` (EPUB, PDF, Markdown, HTML or text) into an M4B or
    chapter files; ``make_book`` runs it, resuming from the work folder."""

    source: Path
    output: Path | None = None  # default: SOURCE_STEM.m4b, or the folder SOURCE_STEM with --split-chapters
    chapters: str | None = None  # "3-7", "1,3,5-6"; None for all
    split: bool = False
    audio_format: str | None = None  # of split files: mp3 (default), opus, flac, wav
    subtitles: str | None = None  # srt, vtt or ass, beside each audio file
    word_timings: bool = False  # JSON beside each audio file
    paragraph_pause_s: float = 0.6
    chapter_pause_s: float = 1.5  # between chapters of the M4B
    title: str | None = None  # default: the book's
    author: str | None = None
    cover: Path | None = None  # JPEG or PNG; default: the book's
    voice: str = DEFAULT_VOICE
    lang: str | None = None
    speed: float = 1.0
    backend: str = "torch"
    model: Path | None = None  # a fine-tuned .safetensors (torch) or an .onnx file; None: the home's model
    device: str = "auto"
    precision: str = "auto"
    seed: int | None = None
    markup: bool = True  # inline markup obeyed (a switch holds to its paragraph's end); False: brackets as written
    data: bytes | None = None  # the book itself when it has no file (stdin); ``source`` is then not read


@dataclass(frozen=True)
class BookResult:
    output: Path  # the M4B, or the folder of chapter files
    outputs: tuple[Path, ...]  # audio files, then subtitles and timings
    chapters: int
    rendered: int  # chapters spoken in this run
    reused: int  # chapters found in the work folder
    audio_s: float
    work_folder: Path
    removed: tuple[Path, ...] = ()  # chapter files of earlier runs that this run's replace (``split_files``)


def _check(job: BookJob) -> str:
    """The audio format, once every option is known to be usable (before anything slow)."""
    for name, value in (("--paragraph-pause", job.paragraph_pause_s), ("--chapter-pause", job.chapter_pause_s)):
        if not 0 <= value <= MAX_PAUSE_S:
            raise KokoroError(f"{name} {value} is out of range", hint=f"use 0 to {MAX_PAUSE_S:g} seconds")
    if job.subtitles is not None and job.subtitles not in SUBTITLE_FORMATS:
        raise KokoroError(f"unknown subtitle format {job.subtitles!r}", hint=f"use {', '.join(SUBTITLE_FORMATS)}")
    if not job.split:
        if job.audio_format not in (None, M4B):
            raise KokoroError(f"one book file is M4B, not {job.audio_format}", hint="add --split-chapters for other formats")
        return M4B
    fmt = job.audio_format or DEFAULT_SPLIT_FORMAT
    if fmt not in SPLIT_FORMATS:
        raise KokoroError(f"unknown format {fmt!r} for chapter files", hint=f"use {', '.join(SPLIT_FORMATS)}")
    if job.cover is not None and fmt not in COVER_FORMATS:
        carried = " or ".join(f for f in SPLIT_FORMATS if f in COVER_FORMATS)
        raise KokoroError(
            f"{fmt} chapter files cannot carry a cover", hint=f"use --format {carried}, or leave out --cover"
        )
    return fmt


def model_identity(model: Path | None) -> str | None:
    """The model file as a chapter key sees it: path, size and modification time, so a model trained
    again (written anew) renders the book again, without hashing hundreds of MB on every run."""
    if model is None:
        return None
    try:
        stat = model.stat()
    except OSError as error:
        raise path_error("read", model, error) from error
    return f"{model.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


def needs_output() -> KokoroError:
    """The refusal of a piped-in book without -o: there is no file name to name the audiobook after."""
    return KokoroError("a book read from stdin needs -o: it has no file name to name the audiobook after",
                       hint="add -o BOOK.m4b, or -o FOLDER with --split-chapters")


def _output(job: BookJob) -> Path:
    """The M4B file, or the folder of chapter files; one named as another audio format is refused, since
    an M4B called ``book.mp3`` would play nowhere that trusts the name."""
    if job.data is not None and job.output is None:
        raise needs_output()
    default = Path.cwd() / job.source.stem if job.split else Path.cwd() / f"{job.source.stem}.{M4B}"
    output = job.output or default
    if not job.split and output.is_dir():
        return output / default.name
    suffix = output.suffix.lower().lstrip(".")
    if not job.split and suffix in SPLIT_FORMATS:
        raise KokoroError(f"{output.name}: one book file is M4B, not {suffix}",
                          hint=f"name it .{M4B}, or add --split-chapters for {suffix} files")
    return output


def book_name(job: BookJob, output: Path | None) -> str:
    """What the book is called where it says nothing: its file's name, or the output's for one piped in."""
    if job.data is None:
        return job.source.stem
    return output.stem if output is not None else STDIN_NAME


def read_source(job: BookJob, name: str, warn: Callable[[str], None]) -> Book:
    """The book of ``job``: its file, or its ``data`` read as a file called ``name`` (``_MARKDOWN_HEADING``
    chooses .md or .txt), so that every reader and its checks serve a piped-in book alike."""
    if job.data is None:
        return read_book(job.source, warn)
    if not job.data.strip():  # said here: the spooled file's name would mean nothing to the user
        raise KokoroError("the book on stdin is empty")
    suffix = ".md" if _MARKDOWN_HEADING.search(job.data) else ".txt"
    with tempfile.TemporaryDirectory(prefix="kokoro-book-") as folder:
        spooled = Path(folder) / f"{name}{suffix}"
        spooled.write_bytes(job.data)
        return read_book(spooled, warn)


def _work_digest(job: BookJob, output: Path) -> str:
    """The work folder's name: the book file's path, or for a piped-in book the output's (the same
    command, fed the same text again, resumes)."""
    if job.data is None:
        return path_digest(job.source)
    return hashlib.sha256(b"stdin:" + os.fsencode(output.resolve())).hexdigest()[:DIGEST_CHARS]


def _cover(job: BookJob, book: Book) -> Cover | None:
    if job.cover is None:
        return book.cover
    try:
        cover = sniff_cover(job.cover.read_bytes())
    except OSError as error:
        raise path_error("read", job.cover, error) from error
    if cover is None:
        raise KokoroError(f"the cover {job.cover.name} is neither JPEG nor PNG")
    return cover


def run_name(name: str, digest: str) -> str:
    """``book-NAME-DIGEST``: the run's name in ``HOME/runs``, one per work folder (``book_name``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "book"
    return f"book-{slug}-{digest[:8]}"


def _render(
    pipeline: Pipeline, folder: WorkFolder, key: str, chapter: Chapter, pause_s: float, report: RunReport, position: int
) -> RenderedChapter:
    def paragraph_done(chars: int, audio_s: float) -> None:
        report.paragraph(position, chapter.title, chars, audio_s)

    with open_file_writer(folder.audio_path(key), AUDIO_FORMAT) as writer:
        told = narrate(pipeline, chapter, pause_s, writer, paragraph_done)
    if not told.samples:  # a FLAC of no frames is a file libsndfile cannot open again; its record is enough
        folder.audio_path(key).unlink()
    rendered = folder.save_timings(key, told.samples, told.words)
    report.chapter_saved(str(rendered.audio.relative_to(folder.root)), chapter.title)
    return rendered


def _write_outputs(
    job: BookJob, folder: WorkFolder, fmt: str, output: Path, placed: list[Placed], count: int, title: str,
    author: str | None, cover: Cover | None,
) -> tuple[list[Path], list[Path]]:
    """(the audio files, the subtitle and timing files beside them); ``count``: the book's chapters. Split files
    are claimed in ``folder``'s record before they are written (``split_files.claim``)."""
    if job.split:
        stems = [split_name(item.part.number, count, item.part.title, fmt).rpartition(".")[0] for item in placed]
        beside = [*([job.subtitles] if job.subtitles else []), *([TIMINGS_FORMAT] if job.word_timings else [])]
        claim(folder, output, [f"{stem}.{suffix}" for stem in stems for suffix in (fmt, *beside)])
        audio_files = write_split(output, placed, count, fmt, title, author, cover)
        groups = [(path, place([item.part], 0)) for path, item in zip(audio_files, placed)]
    else:
        write_m4b(output, placed, title, author, cover)
        audio_files, groups = [output], [(output, placed)]
    extras = [write_subtitles(path, items, job.subtitles) for path, items in groups if job.subtitles]
    extras += [write_word_timings(path, items, title) for path, items in groups if job.word_timings]
    return audio_files, extras


def make_book(
    home: DataHome, job: BookJob, events: Events | None = None, warn: Callable[[str], None] | None = None
) -> BookResult:
    """Speak ``job.source`` as ``job`` says; a second call with the same book reuses every chapter it can."""
    warn = warn or (lambda message: warnings.warn(message, stacklevel=2))
    fmt = _check(job)
    output = _output(job)
    name = book_name(job, output)
    book = read_source(job, name, warn)
    chosen = select_chapters(job.chapters, len(book.chapters))
    cover = _cover(job, book)
    title = job.title or book.title or name
    author = job.author or book.author
    if job.split:
        check_writable_dir(output)
    else:
        check_writable(output)
    pipeline = Pipeline(
        voice=job.voice, lang=job.lang, speed=job.speed, backend=job.backend, model=job.model,
        device=job.device, seed=job.seed,
        home=home, on_warning=warn, precision=job.precision, markup=job.markup, max_chunk_tokens=BOOK_CHUNK_TOKENS,
    )
    voicing = Voicing(
        voice=job.voice, voice_digest=hashlib.sha256(load_voice(home, job.voice).tobytes()).hexdigest(),
        lang=pipeline.lang, speed=job.speed, paragraph_pause_s=job.paragraph_pause_s, backend=job.backend,
        precision=job.precision, seed=job.seed, markup=job.markup, model=model_identity(job.model),
        max_chunk_tokens=pipeline.max_chunk_tokens,
    )
    folder = WorkFolder(home, _work_digest(job, output))
    said = [pipeline.lexicon.said_in(chapter.text, pipeline.lang) for chapter in book.chapters]
    keys = [chapter_key(chapter, voicing, lexicon) for chapter, lexicon in zip(book.chapters, said)]
    found = {index: folder.rendered(keys[index]) for index in chosen}
    reused = sum(found[index] is not None for index in chosen)
    to_speak = sum(len(p) for index in chosen if found[index] is None for p in book.chapters[index].paragraphs)
    run = run_name(name, folder.digest)
    with RunLogWriter(folder.root / LOG_NAME) as log:
        link_run(home.runs, run, folder.root)
        report = RunReport(log, events, len(chosen), to_speak)
        report.start(run, {
            "source": STDIN_NAME if job.data is not None else str(job.source.resolve()), "title": title, "chapters": job.chapters or "all",
            "output": str(output), "voice": job.voice, "lang": pipeline.lang, "speed": job.speed,
            "backend": job.backend, "markup": job.markup, "paragraph_pause_s": job.paragraph_pause_s,
            "chapter_pause_s": job.chapter_pause_s, "reused_chapters": reused,
        })
        try:
            parts = []
            for position, index in enumerate(chosen, 1):
                chapter = book.chapters[index]
                report.chapter_started(position, chapter.title, reused=found[index] is not None)
                rendered = found[index] or _render(
                    pipeline, folder, keys[index], chapter, job.paragraph_pause_s, report, position
                )
                if not rendered.samples:
                    warn(f"chapter {index + 1} ({chapter.title}) has nothing the voice can say; left out of the book")
                    continue
                parts.append(
                    Part(index + 1, chapter.title, chapter.text, rendered.audio, rendered.samples, rendered.words)
                )
            if not parts:
                raise KokoroError(f"the chosen chapters of {job.source.name} hold nothing the voice can say")
            placed = place(parts, 0 if job.split else round(job.chapter_pause_s * SAMPLE_RATE))  # split files: no pause
            audio_files, extras = _write_outputs(job, folder, fmt, output, placed, len(book.chapters), title, author, cover)
            removed = remove_replaced(
                folder, output, [*audio_files, *extras], fmt, {index + 1 for index in chosen}, len(book.chapters)
            ) if job.split else []
            folder.prune(set(keys))
        except Exception as error:
            report.end("failed", str(error))
            raise
        except BaseException:
            report.end("interrupted", f"the chapters done are kept in {folder.root}; the same command resumes")
            raise
        report.end("completed", f"wrote {output}")
    return BookResult(
        output=output, outputs=(*audio_files, *extras), chapters=len(parts), rendered=len(chosen) - reused,
        reused=reused, audio_s=placed[-1].end / SAMPLE_RATE, work_folder=folder.root, removed=tuple(removed),
    )
