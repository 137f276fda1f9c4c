"""`kokoro book`: EPUB, PDF, Markdown and plain text books into chapters, spoken by the tiny random model.

The books are made here: an EPUB with zipfile (EPUB 3 nav and EPUB 2 NCX), a PDF with fpdf2 (running
head, page numbers, hyphenation, indented paragraphs, bookmarks or none), Markdown and text as strings.
The whole path runs on them: chapters and titles, the M4B read back with PyAV (chapter marks, length,
tags, cover), chapter files, subtitles, the run log, a run killed after its first chapter and resumed,
and options that re-render only what they change.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile
from tiny_models import one_thread_tiny_home, tiny_kokoro
from typer.testing import CliRunner

from kokoro_tui.books import job as job_module
from kokoro_tui.books.book import Book, Chapter
from kokoro_tui.books.job import BOOK_CHUNK_TOKENS, BookJob, BookResult, make_book
from kokoro_tui.books.pdf_layout import join_lines, page_paragraphs, strip_running_lines
from kokoro_tui.books.progress import BookProgress
from kokoro_tui.books.reader import read_book
from kokoro_tui.books.selection import select_chapters
from kokoro_tui.books.timeline import untimed_words
from kokoro_tui.books.workfolder import CHAPTERS_DIR, Voicing, WorkFolder, chapter_key, path_digest
from kokoro_tui.cli.main import app
from kokoro_tui.errors import KokoroError
from kokoro_tui.home import ENV_VAR, DataHome
from kokoro_tui.model.checkpoint import save_safetensors
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech.types import WordTimestamp
from kokoro_tui.training.runlog import LOG_NAME, RunState, read_run_log

EPUB_TITLES = ["The First Chapter", "The Second Chapter", "The Third Chapter"]
PDF_TITLES = ["Chapter 1: Arrival", "Chapter 2: The Storm", "Chapter 3: Home Again"]
RUNNING_HEAD = "The Tiny Book"
FAST = {"device": "cpu", "precision": "fp32"}
MARKDOWN = """# Three Small Chapters

## One

The first chapter has a paragraph.

And a second paragraph, after a pause.

## Two

The second chapter is short.

## Three

◆ ◆ ◆

The third chapter ends the book.
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataHome]:
    yield from one_thread_tiny_home(tmp_path_factory.mktemp("books") / "home")


def png(width: int = 4, height: int = 3) -> bytes:
    """A real (tiny, red) PNG, so that the M4B cover can be probed for its size."""

    def block(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xc8\x1e\x1e" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + block(b"IHDR", header) + block(b"IDAT", zlib.compress(rows)) + block(b"IEND", b"")


def xhtml(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        f'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>x</title></head><body>{body}</body></html>'
    )


def make_epub(path: Path, *, nav: bool = True) -> Path:
    """Cover page, contents, three chapters (the third starts at an anchor inside the second's file and
    runs on into a file the contents do not name), a copyright page; a footnote and its mark."""
    docs = {
        "cover.xhtml": xhtml('<img src="images/cover.png" alt="cover"/>'),
        "ch1.xhtml": xhtml(
            "<h1>The First Chapter</h1><p>It was a bright cold day in April.</p><p>The clocks were striking "
            '<em>thirteen</em>.<a epub:type="noteref" href="#n1">1</a></p>'
            '<aside epub:type="footnote" id="n1"><p>A footnote nobody reads aloud.</p></aside>'
        ),
        "ch2.xhtml": xhtml(
            "<h1>The Second Chapter</h1><p>Call me Ishmael, said the sailor.</p>"
            '<section id="third"><h1>The Third Chapter</h1><p>Happy families are all alike.</p></section>'
        ),
        "ch2b.xhtml": xhtml("<p>Every unhappy family is unhappy in its own way.</p>"),
        "copyright.xhtml": xhtml("<p>Copyright 2024 Ann Author. All rights reserved.</p>"),
    }
    toc = [("Cover", "cover.xhtml"), ("The First Chapter", "text/../ch1.xhtml"), ("The Second Chapter", "ch2.xhtml"),
           ("The Third Chapter", "ch2.xhtml#third"), ("Copyright", "copyright.xhtml")]
    manifest = "".join(f'<item id="{name[:-6]}" href="{name}" media-type="application/xhtml+xml"/>' for name in docs)
    manifest += '<item id="img" href="images/cover.png" media-type="image/png" properties="cover-image"/>'
    if nav:
        links = "".join(f'<li><a href="{href}">{title}</a></li>' for title, href in toc)
        docs["nav.xhtml"] = xhtml(f'<nav epub:type="toc"><h1>Contents</h1><ol>{links}</ol></nav>')
        manifest += '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        spine_toc = ""
    else:
        points = "".join(
            f'<navPoint id="p{n}"><navLabel><text>{title}</text></navLabel><content src="{href}"/></navPoint>'
            for n, (title, href) in enumerate(toc)
        )
        docs["toc.ncx"] = f'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>{points}</navMap></ncx>'
        manifest += '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
        spine_toc = ' toc="ncx"'
    order = ["cover", *(["nav"] if nav else []), "ch1", "ch2", "ch2b", "copyright"]
    spine = "".join(f'<itemref idref="{name}"/>' for name in order)
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>The Tiny Book</dc:title>'
        f"<dc:creator>Ann Author</dc:creator></metadata><manifest>{manifest}</manifest>"
        f"<spine{spine_toc}>{spine}</spine></package>"
    )
    container = (
        '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        '<rootfiles><rootfile full-path="OEBPS/content.opf"/></rootfiles></container>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OEBPS/content.opf", opf)
        for name, text in docs.items():
            archive.writestr(f"OEBPS/{name}", text)
        archive.writestr("OEBPS/images/cover.png", png())
    return path


def make_pdf(path: Path, *, bookmarks: bool) -> Path:
    """A title page, then two pages a chapter under a running head and "- N -" page numbers; each paragraph
    starts indented and breaks "hyphen-" / "ated" across its first line end."""
    from fpdf import FPDF

    class Pdf(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:
                self.set_font("Helvetica", size=9)
                self.cell(0, 8, RUNNING_HEAD, align="C")
                self.ln(14)

        def footer(self) -> None:
            if self.page_no() > 1:
                self.set_y(-15)
                self.set_font("Helvetica", size=9)
                self.cell(0, 8, f"- {self.page_no()} -", align="C")

    pdf = Pdf()
    pdf.set_title("The Tiny Book")
    pdf.set_author("Ann Author")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 24)
    pdf.cell(0, 40, "The Tiny Book", align="C")
    for number, title in enumerate(PDF_TITLES, 1):
        for half in range(2):
            pdf.add_page()
            if half == 0:
                if bookmarks:
                    pdf.start_section(title)
                pdf.set_font("Helvetica", "B", 16)
                pdf.cell(0, 10, title)
                pdf.ln(16)
            pdf.set_font("Helvetica", size=11)
            for paragraph in range(2):
                mark = f"{number}{half}{paragraph}"
                lines = [f"Paragraph {mark} of chapter {number} holds a long hyphen-",
                         f"ated word, and then sentence {mark} goes on", f"and ends at mark {mark}."]
                for row, line in enumerate(lines):
                    pdf.set_x(pdf.l_margin + (8 if row == 0 else 0))
                    pdf.cell(0, 6, line)
                    pdf.ln(6)
    pdf.output(str(path))
    return path


def titles(book: Book) -> list[str]:
    return [chapter.title for chapter in book.chapters]


def words_of(book: Book) -> str:
    return " ".join(chapter.text for chapter in book.chapters)


# Reading: no synthesis.


@pytest.mark.parametrize("nav", [True, False], ids=["epub3-nav", "epub2-ncx"])
def test_epub_chapters_follow_the_spine_with_titles_from_the_contents(tmp_path, nav):
    book = read_book(make_epub(tmp_path / "b.epub", nav=nav), pytest.fail)
    assert (book.title, book.author) == ("The Tiny Book", "Ann Author")
    assert titles(book) == EPUB_TITLES  # cover, contents and copyright pages left out
    assert book.chapters[0].paragraphs == (
        "The First Chapter", "It was a bright cold day in April.", "The clocks were striking thirteen."
    )  # the footnote and its mark "1" are not read in line
    assert book.chapters[2].paragraphs[-1] == "Every unhappy family is unhappy in its own way."  # a file without an entry runs on
    assert "Ishmael" not in book.chapters[2].text and "Happy" not in book.chapters[1].text
    assert book.cover is not None and (book.cover.kind, book.cover.data) == ("png", png())


@pytest.mark.parametrize("bookmarks", [True, False], ids=["bookmarks", "headings"])
def test_pdf_loses_running_heads_and_page_numbers_and_joins_hyphenation(tmp_path, bookmarks):
    book = read_book(make_pdf(tmp_path / "b.pdf", bookmarks=bookmarks), pytest.fail)
    assert (book.title, book.author) == ("The Tiny Book", "Ann Author")
    assert titles(book) == PDF_TITLES
    text = words_of(book)
    assert RUNNING_HEAD not in text and not any(f"- {page} -" in text for page in range(2, 8))
    assert "hyphen-" not in text and text.count("hyphenated word") == 12
    first = book.chapters[0].paragraphs
    assert first[0] == PDF_TITLES[0] and len(first) == 5  # the heading, then two paragraphs on each of two pages
    assert first[3] == "Paragraph 110 of chapter 1 holds a long hyphenated word, and then sentence 110 goes on and ends at mark 110."


def test_pdf_layout_page_numbers_in_a_running_head_and_a_paragraph_across_pages():
    pages = [
        ["A Book    3", "", "    The first line of a para-", "graph that runs on", "", "Page 3 of 9"],
        ["A Book    4", "", "onto the next page.", "    A new paragraph, 4 lines in.", "", "Page 4 of 9"],
        ["A Book    5", "", "    The last one.", "", "Page 5 of 9"],
    ]
    cleaned = strip_running_lines(pages)
    assert [line for page in cleaned for line in page if "Book" in line or "Page" in line] == []
    assert [p.text for p in page_paragraphs(cleaned)] == [
        "The first line of a paragraph that runs on onto the next page.", "A new paragraph, 4 lines in.", "The last one."
    ]
    assert join_lines("a well-", "Known") == "a well- Known" and join_lines("soft\u00ad", "ware") == "software"


def test_markdown_headings_make_the_chapters_and_a_lone_top_heading_the_title(tmp_path):
    path = tmp_path / "three.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    book = read_book(path, pytest.fail)
    assert book.title == "Three Small Chapters"
    assert titles(book) == ["One", "Two", "Three"]
    assert book.chapters[0].paragraphs == ("One", "The first chapter has a paragraph.", "And a second paragraph, after a pause.")


def test_plain_text_chapters_from_headings_from_gaps_or_one(tmp_path):
    gutenberg = tmp_path / "alice.txt"
    gutenberg.write_text(
        "Title: Tiny Tale\nAuthor: Some Body\n\n*** START OF THE PROJECT GUTENBERG EBOOK TINY ***\n\n"
        "CHAPTER I.\nDown the Rabbit-Hole\n\n\nAlice was beginning to get very tired\nof sitting by her sister.\n\n"
        "CHAPTER II.\n\nThe Pool of Tears\n\nCuriouser and curiouser!\n\n*** END OF THE PROJECT GUTENBERG EBOOK TINY ***\n"
        "The licence.\n",
        encoding="utf-8",
    )
    book = read_book(gutenberg, pytest.fail)
    assert (book.title, book.author) == ("Tiny Tale", "Some Body")
    assert titles(book) == ["CHAPTER I. Down the Rabbit-Hole", "CHAPTER II. The Pool of Tears"]
    assert book.chapters[0].paragraphs[1] == "Alice was beginning to get very tired of sitting by her sister."
    assert "licence" not in words_of(book)
    gaps = tmp_path / "gaps.txt"
    gaps.write_text("Opening words here.\n\n\n\nThe Second Part\n\nMore words.\n\n\n\nThe Third\n\nEnd.\n", encoding="utf-8")
    assert titles(read_book(gaps, pytest.fail)) == ["gaps", "The Second Part", "The Third"]
    plain = tmp_path / "plain.txt"
    plain.write_text("Just one paragraph.\n\nAnd another.\n", encoding="utf-8")
    assert titles(read_book(plain, pytest.fail)) == ["plain"]


def test_chapter_selection():
    assert select_chapters("3-7", 9) == [2, 3, 4, 5, 6]
    assert select_chapters("1,3,5-6", 9) == [0, 2, 4, 5]
    assert select_chapters("8-, 2", 9) == [1, 7, 8]
    assert select_chapters(None, 3) == [0, 1, 2]
    for wrong in ("0", "4-2", "10", "x", "1,,2"):
        with pytest.raises(KokoroError):
            select_chapters(wrong, 9)


def test_a_backwards_range_and_a_piped_book_without_output_are_refused(home):
    with pytest.raises(KokoroError, match="runs backwards"):
        select_chapters("4-2", 9)
    with pytest.raises(KokoroError, match="needs -o"):
        make_book(home, BookJob(Path("-"), data=MARKDOWN.encode(), **FAST))


# The whole path, on the tiny model.


def chapter_samples(audio: Path) -> int:
    """The length of a chapter file in the work folder, as its record says and as the file holds."""
    samples = json.loads(audio.with_suffix(".json").read_text())["samples"]
    assert soundfile.info(str(audio)).frames == samples
    return samples


def chapter_records(result: BookResult) -> list[int]:
    """Samples of each chapter file of the work folder."""
    return [chapter_samples(path) for path in (result.work_folder / CHAPTERS_DIR).glob("*.flac")]


def test_epub_to_m4b_through_the_cli(home, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(home.root))
    source = make_epub(tmp_path / "tiny.epub")
    listed = CliRunner().invoke(app, ["book", str(source), "--list-chapters"])
    assert listed.exit_code == 0 and all(title in listed.stdout for title in EPUB_TITLES)
    output = tmp_path / "tiny.m4b"
    done = CliRunner().invoke(app, ["book", str(source), "-o", str(output), "--subtitles", "srt", "--word-timings",
                                    "--chapter-pause", "1.5", "--device", "cpu", "--precision", "fp32"])
    assert done.exit_code == 0, done.output
    runs = [run for run in home.runs.iterdir() if run.name.startswith("book-tiny-")]
    assert len(runs) == 1 and runs[0].is_symlink()
    log = read_run_log(runs[0] / LOG_NAME)
    parts = [chapter_samples(runs[0] / record.path) for record in log if record.kind == "sample"]  # in reading order
    pause = round(1.5 * SAMPLE_RATE)
    starts = np.cumsum([0] + [samples + pause for samples in parts[:-1]])
    with av.open(str(output)) as m4b:
        assert m4b.metadata["major_brand"].strip() == "M4B"
        assert (m4b.metadata["title"], m4b.metadata["artist"]) == ("The Tiny Book", "Ann Author")
        marks = m4b.chapters()
        audio = m4b.streams.audio[0]
        assert audio.duration * audio.time_base == pytest.approx((sum(parts) + pause * (len(parts) - 1)) / SAMPLE_RATE)
        assert m4b.duration / 1e6 == pytest.approx((sum(parts) + pause * (len(parts) - 1)) / SAMPLE_RATE, abs=1e-3)
        covers = [s for s in m4b.streams.video if s.disposition & av.stream.Disposition.attached_pic]
        assert len(covers) == 1 and bytes(next(m4b.demux(covers[0]))) == png()
    assert [mark["metadata"]["title"] for mark in marks] == EPUB_TITLES
    assert [float(mark["start"] * mark["time_base"]) for mark in marks] == pytest.approx(starts / SAMPLE_RATE, abs=1e-3)
    subtitles = output.with_suffix(".srt").read_text(encoding="utf-8")
    assert subtitles.startswith("1\n00:00:00") and "Ishmael" in subtitles
    timings = json.loads(output.with_suffix(".json").read_text(encoding="utf-8"))
    assert [c["title"] for c in timings["chapters"]] == EPUB_TITLES
    third = timings["chapters"][2]
    word = third["words"][0]
    assert third["text"][word["start_char"] : word["end_char"]] == word["word"] and word["start"] >= third["start"]
    state = RunState(runs[0].name, runs[0])
    for record in log:
        state.apply(record)
    assert state.status == "completed" and state.progress == 1.0 and state.sample_path.is_file()


def test_pdf_chapters_into_one_file_each(home, tmp_path):
    source = make_pdf(tmp_path / "tiny.pdf", bookmarks=True)
    job = BookJob(source, output=tmp_path / "parts", chapters="2-3", split=True, audio_format="wav", subtitles="vtt", **FAST)
    result = make_book(home, job, warn=pytest.fail)
    names = sorted(path.name for path in result.outputs)
    assert names == ["02 - Chapter 2 The Storm.vtt", "02 - Chapter 2 The Storm.wav",
                     "03 - Chapter 3 Home Again.vtt", "03 - Chapter 3 Home Again.wav"]  # numbered in the book
    records = chapter_records(result)
    lengths = [soundfile.info(str(path)).frames for path in result.outputs if path.suffix == ".wav"]
    assert sorted(lengths) == sorted(records)  # each file is its chapter, no chapter pause
    assert result.audio_s == pytest.approx(sum(lengths) / SAMPLE_RATE)
    with av.open(str(result.outputs[0])) as first:
        assert first.metadata.get("title") == PDF_TITLES[1]
    assert (tmp_path / "parts" / "02 - Chapter 2 The Storm.vtt").read_text().startswith("WEBVTT")


def test_a_killed_run_resumes_and_options_re_render_only_what_they_change(home, tmp_path):
    source = tmp_path / "three.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    job = BookJob(source, output=tmp_path / "three.m4b", **FAST)

    def kill_after_the_first_chapter(state: BookProgress) -> None:
        if state.chapter == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        make_book(home, job, kill_after_the_first_chapter, warn=print)
    assert not job.output.exists()
    kept = {path: path.stat().st_mtime_ns for path in WorkFolder(home, path_digest(source)).chapters.iterdir()}
    assert len(kept) == 2  # the first chapter's audio and timings

    resumed = make_book(home, job, warn=print)
    assert (resumed.rendered, resumed.reused) == (2, 1)
    assert all(path.stat().st_mtime_ns == mtime for path, mtime in kept.items())
    log = read_run_log(resumed.work_folder / LOG_NAME)
    assert [record.status for record in log if record.kind == "end"] == ["interrupted", "completed"]
    assert m4b_samples(job.output) == sum(chapter_records(resumed)) + 2 * round(1.5 * SAMPLE_RATE)

    assert make_book(home, replace(job, chapter_pause_s=0.5), warn=print).rendered == 0
    faster = make_book(home, replace(job, speed=1.3), warn=print)
    assert (faster.rendered, faster.reused) == (3, 0)
    assert faster.audio_s < resumed.audio_s
    source.write_text(MARKDOWN.replace("The second chapter is short.", "The second chapter is now longer."), encoding="utf-8")
    edited = make_book(home, replace(job, speed=1.3), warn=print)
    assert (edited.rendered, edited.reused) == (1, 2)
    assert len(os.listdir(edited.work_folder / CHAPTERS_DIR)) == 6  # older renderings pruned: three chapters, two files each
    next((edited.work_folder / CHAPTERS_DIR).glob("*.flac")).write_bytes(b"damaged")
    repaired = make_book(home, replace(job, speed=1.3), warn=print)
    assert (repaired.rendered, repaired.reused) == (1, 2)


def m4b_samples(path: Path) -> int:
    with av.open(str(path)) as m4b:
        audio = m4b.streams.audio[0]
        return int(audio.duration * audio.time_base * SAMPLE_RATE)


ODD_PROSE = """# Odd Words

## One

"Didn't you hear?" said Dr. Smith -- it cost $3.50 on 5/3/2024, e.g. at 4th & Main, by 10:30 a.m.

CHAPTER IV. Down the Rabbit-Hole; the U.S.A. in 1921 (roughly 60%), Mrs. O'Brien's café... a naïve résumé.

## Two

Numbers: 1,000,000 and 3.14159 and XIV; mail a@b.com or see www.example.org; ½ cup, 2nd-floor flat, 1990s.

'Twas the night before -- "Curiouser and curiouser!" cried Alice (she was so much surprised).
"""


def test_every_word_of_a_book_is_in_its_word_timings(home, tmp_path):
    """Nothing is dropped between the book and the listener: every word of each chapter's text lies in a timed word."""
    source = tmp_path / "odd.md"
    source.write_text(ODD_PROSE, encoding="utf-8")
    result = make_book(home, BookJob(source, output=tmp_path / "odd.m4b", word_timings=True, **FAST))
    timings = json.loads(result.output.with_suffix(".json").read_text(encoding="utf-8"))
    assert [chapter["title"] for chapter in timings["chapters"]] == ["One", "Two"]
    for chapter in timings["chapters"]:
        words = [WordTimestamp(w["word"], w["start"], w["end"], w["start_char"], w["end_char"]) for w in chapter["words"]]
        assert "Rabbit" in chapter["text"] or "Curiouser" in chapter["text"]
        assert untimed_words(chapter["text"], words) == []


def test_untimed_words_names_what_no_timing_covers():
    text = "One two three's four."
    timed = [WordTimestamp("One", 0.0, 0.2, 0, 3), WordTimestamp("four", 0.6, 0.8, 16, 20)]
    assert untimed_words(text, timed) == ["two", "three's"]


def test_a_book_read_by_another_model_file_renders_again_with_it(home, tmp_path):
    """`kokoro book --model FILE`: a fine-tuned model reads the book, and its chapters are not taken for the home model's."""
    import torch

    source = tmp_path / "two.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    job = BookJob(source, output=tmp_path / "two.m4b", chapters="1", seed=3, **FAST)
    stock = make_book(home, job, warn=print)
    model = tiny_kokoro()
    with torch.no_grad():
        for parameter in model.decoder.parameters():
            parameter.mul_(1.5)
    tuned = tmp_path / "tuned.safetensors"
    save_safetensors(model.state_dict(), tuned, model.config)
    other = make_book(home, replace(job, output=tmp_path / "tuned.m4b", model=tuned), warn=print)
    assert (other.rendered, other.reused) == (1, 0)
    assert not np.array_equal(decoded(stock.output), decoded(other.output))
    assert make_book(home, replace(job, output=tmp_path / "again.m4b", model=tuned), warn=print).rendered == 0
    with pytest.raises(KokoroError, match="model file not found"):
        make_book(home, replace(job, model=tmp_path / "missing.safetensors"), warn=print)


def decoded(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.concatenate([frame.to_ndarray().reshape(-1) for frame in container.decode(audio=0)])


def test_a_book_is_spoken_in_chunks_of_at_most_the_book_cap(home, tmp_path, monkeypatch):
    """A book's synthesis memory grows with its longest chunk, and its paragraphs fill chunks to the cap."""
    seen: list[int] = []

    class Recording(job_module.Pipeline):
        def stream(self, text, **options):
            for chunk in super().stream(text, **options):
                seen.append(len(chunk.phonemes))
                yield chunk

    monkeypatch.setattr(job_module, "Pipeline", Recording)
    sentence = "The keeper climbed the narrow stairs and lit the great lamp above the harbour"
    source = tmp_path / "long.txt"
    source.write_text(", and ".join([sentence] * 12) + ".", encoding="utf-8")  # one sentence of ~900 phonemes
    make_book(home, BookJob(source, output=tmp_path / "long.m4b", **FAST), warn=print)
    assert BOOK_CHUNK_TOKENS < 510 and len(seen) >= 4
    assert max(seen) <= BOOK_CHUNK_TOKENS < sum(seen) / 2


def test_a_chapter_spoken_with_another_chunk_cap_renders_again():
    voicing = Voicing("af_heart", "d", "a", 1.0, 0.6, "torch", "auto", None, True, max_chunk_tokens=BOOK_CHUNK_TOKENS)
    chapter = Chapter("One", ("A long paragraph.",))
    assert chapter_key(chapter, voicing) != chapter_key(chapter, replace(voicing, max_chunk_tokens=510))


def test_a_chapter_with_nothing_to_say_is_left_out_with_a_warning_and_resumes(home, tmp_path):
    """A "◆ ◆ ◆" chapter renders no audio: once a FLAC of no frames that broke the M4B and every resume."""
    source = tmp_path / "stars.md"
    source.write_text("# Stars\n\n## One\n\nThe first words.\n\n## ◆\n\n◆ ◆ ◆\n\n## Three\n\nThe last words.\n", encoding="utf-8")
    job = BookJob(source, output=tmp_path / "stars.m4b", **FAST)
    warned: list[str] = []
    first = make_book(home, job, warn=warned.append)
    assert "chapter 2 (◆) has nothing the voice can say; left out of the book" in warned
    with av.open(str(first.output)) as m4b:
        assert [mark["metadata"]["title"] for mark in m4b.chapters()] == ["One", "Three"]
    assert first.chapters == 2
    again = make_book(home, replace(job, split=True, output=tmp_path / "parts", audio_format="flac"), warn=warned.append)
    assert (again.rendered, again.reused, again.chapters) == (0, 3, 2)
    assert sorted(path.name for path in again.outputs) == ["01 - One.flac", "03 - Three.flac"]
    silent = tmp_path / "silent.md"
    silent.write_text("◆ ◆ ◆\n", encoding="utf-8")
    with pytest.raises(KokoroError, match="nothing the voice can say"):
        make_book(home, BookJob(silent, output=tmp_path / "silent.m4b", **FAST), warn=print)


def listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if not path.name.startswith("."))


def tags(path: Path) -> dict[str, str]:
    with av.open(str(path)) as container:
        return {key.lower(): value for key, value in container.metadata.items()}


def cover_of(path: Path) -> bytes | None:
    with av.open(str(path)) as container:
        pictures = [s for s in container.streams.video if s.disposition & av.stream.Disposition.attached_pic]
        return bytes(next(container.demux(pictures[0]))) if pictures else None


def test_split_files_are_numbered_in_the_book_and_replace_only_their_own_older_versions(home, tmp_path):
    """Batches of one book line up in one folder; a rerun after the book changed leaves one version of each
    chapter, and files this book did not write (by hand, another book's) stay whatever their names."""
    source = tmp_path / "three.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "02 - Mine.flac").write_bytes(b"not ours")
    (parts / "02 - Notes.txt").write_text("not ours either")
    job = BookJob(source, output=parts, split=True, audio_format="flac", **FAST)
    later = make_book(home, replace(job, chapters="2-3", subtitles="srt"), warn=pytest.fail)
    assert sorted(path.name for path in later.outputs) == ["02 - Two.flac", "02 - Two.srt", "03 - Three.flac", "03 - Three.srt"]
    assert tags(parts / "02 - Two.flac")["track"] == "2/3"
    first = make_book(home, replace(job, chapters="1"), warn=pytest.fail)
    assert first.removed == () and tags(parts / "01 - One.flac")["track"] == "1/3"
    assert listing(parts) == ["01 - One.flac", "02 - Mine.flac", "02 - Notes.txt", "02 - Two.flac", "02 - Two.srt",
                              "03 - Three.flac", "03 - Three.srt"]

    source.write_text(MARKDOWN.replace("## Two", "## Deux"), encoding="utf-8")  # a chapter retitled
    retitled = make_book(home, replace(job, chapters="2-3"), warn=pytest.fail)
    assert sorted(path.name for path in retitled.removed) == ["02 - Two.flac", "02 - Two.srt"]
    other = tmp_path / "other.md"
    other.write_text("# Other\n\n## Uno\n\nOne.\n\n## Dos\n\nTwo.\n", encoding="utf-8")
    assert make_book(home, BookJob(other, output=parts, chapters="2", split=True, audio_format="flac", **FAST)).removed == ()
    source.write_text(MARKDOWN.split("## Three")[0], encoding="utf-8")  # the last chapter gone
    shorter = make_book(home, replace(job, chapters="1"), warn=pytest.fail)
    assert sorted(path.name for path in shorter.removed) == ["03 - Three.flac", "03 - Three.srt"]
    assert listing(parts) == ["01 - One.flac", "02 - Deux.flac", "02 - Dos.flac", "02 - Mine.flac", "02 - Notes.txt"]
    assert (parts / "02 - Mine.flac").read_bytes() == b"not ours"


def test_split_files_carry_the_cover_where_their_format_can(home, tmp_path, monkeypatch):
    source = tmp_path / "three.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    cover = tmp_path / "cover.png"
    cover.write_bytes(png())
    job = BookJob(source, output=tmp_path / "parts", chapters="1", split=True, cover=cover, **FAST)
    for fmt in ("mp3", "flac"):
        made = make_book(home, replace(job, audio_format=fmt), warn=pytest.fail)
        assert [cover_of(path) for path in made.outputs] == [png()]
        assert tags(made.outputs[0])["title"] == "One"
    monkeypatch.setenv(ENV_VAR, str(home.root))
    for fmt in ("opus", "wav"):
        refused = CliRunner().invoke(app, ["book", str(source), "--split-chapters", "--format", fmt, "--cover", str(cover)])
        assert refused.exit_code != 0 and "Traceback" not in refused.output
        assert f"{fmt} chapter files cannot carry a cover" in refused.output


def test_split_files_written_before_an_interruption_are_still_replaced_later(home, tmp_path, monkeypatch):
    """A run stopped while it writes its chapter files has claimed them: a later run after the book changed
    replaces the one it wrote, instead of leaving two versions of that chapter."""
    from kokoro_tui.speech.av_audio import AvAudioWriter

    source = tmp_path / "three.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    parts = tmp_path / "parts"
    job = BookJob(source, output=parts, split=True, audio_format="flac", **FAST)
    finish, finished = AvAudioWriter.finish, []

    def stop_at_the_second(writer: AvAudioWriter) -> None:
        if finished:
            raise KeyboardInterrupt
        finish(writer)
        finished.append(writer)

    monkeypatch.setattr(AvAudioWriter, "finish", stop_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        make_book(home, job, warn=pytest.fail)
    monkeypatch.undo()
    assert listing(parts) == ["01 - One.flac"]

    source.write_text(MARKDOWN.replace("## One", "## Un"), encoding="utf-8")
    rerun = make_book(home, job, warn=pytest.fail)
    assert [path.name for path in rerun.removed] == ["01 - One.flac"]
    assert listing(parts) == ["01 - Un.flac", "02 - Two.flac", "03 - Three.flac"]
