"""`kokoro book` on the command line, on the tiny model: a book piped in, and outputs refused before any work."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from tiny_models import one_thread_tiny_home
from typer.testing import CliRunner

from kokoro_tui.cli.main import app
from kokoro_tui.home import ENV_VAR, DataHome

FAST = ["--device", "cpu", "--precision", "fp32"]
MARKDOWN = "# Piped\n\n## One\n\nThe first chapter.\n\n## Two\n\nThe second chapter.\n"
PLAIN = "Chapter 1\n\nIt began here.\n\nChapter 2\n\nIt ended there.\n"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataHome]:
    yield from one_thread_tiny_home(tmp_path_factory.mktemp("book-cli") / "home")


@pytest.fixture
def at_home(home: DataHome, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny home as KOKORO_HOME, and tmp_path as the current folder; returns tmp_path."""
    monkeypatch.setenv(ENV_VAR, str(home.root))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def book(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["book", *args], input=stdin)


def one_error_line(result, code: int = 2) -> str:
    assert (result.exit_code, result.stdout) == (code, ""), result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_a_book_piped_in_needs_an_output_name(at_home):
    message = one_error_line(book("-", *FAST, stdin=MARKDOWN))
    assert "stdin needs -o" in message
    assert not any(at_home.iterdir())  # no "-.m4b", no "book.m4b"


def test_a_markdown_book_piped_in_becomes_a_chaptered_m4b_and_resumes(at_home):
    output = at_home / "piped.m4b"
    done = book("-", "-o", str(output), *FAST, stdin=MARKDOWN)
    assert done.exit_code == 0, done.output
    with av.open(str(output)) as m4b:
        assert [mark["metadata"]["title"] for mark in m4b.chapters()] == ["One", "Two"]
        assert m4b.metadata["title"] == "Piped"
    again = book("-", "-o", str(output), *FAST, stdin=MARKDOWN)
    assert again.exit_code == 0 and "0 spoken now, 2 kept" in again.stderr, again.output
    assert sorted(path.name for path in at_home.iterdir()) == ["piped.m4b"]


def test_a_plain_text_book_piped_in_lists_its_chapters(at_home):
    listed = book("-", "--list-chapters", stdin=PLAIN)
    assert listed.exit_code == 0, listed.output
    assert "Chapter 1" in listed.stdout and "Chapter 2" in listed.stdout
    assert one_error_line(book("-", "-o", "x.m4b", *FAST, stdin="\n\n")) == "error: the book on stdin is empty\n"


def test_an_m4b_named_as_another_audio_format_is_refused(at_home):
    source = at_home / "b.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    message = one_error_line(book(str(source), "-o", str(at_home / "b.mp3"), *FAST))
    assert "M4B, not mp3" in message and "--split-chapters" in message
    assert sorted(path.name for path in at_home.iterdir()) == ["b.md"]


def test_a_backwards_chapter_range_is_named_so(at_home):
    source = at_home / "b.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    assert one_error_line(book(str(source), "--chapters", "2-1", *FAST)) == (
        "error: the chapter range 2-1 runs backwards (write it 1-2)\n"
    )


def test_ctrl_c_mid_chapter_leaves_no_half_written_file_and_the_same_command_resumes(home, at_home, monkeypatch):
    from kokoro_tui.books import job as job_module

    source = at_home / "b.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    real = job_module.narrate
    told = []

    def narrate_then_stop(pipeline, chapter, pause_s, writer, paragraph_done):
        told.append(chapter.title)
        if len(told) == 2:  # the second chapter's audio file is open: stopped mid-write
            raise KeyboardInterrupt
        return real(pipeline, chapter, pause_s, writer, paragraph_done)

    monkeypatch.setattr(job_module, "narrate", narrate_then_stop)
    stopped = book(str(source), *FAST)
    assert stopped.exit_code == 130 and "interrupted" in stopped.stderr, stopped.output
    assert sorted(path.name for path in at_home.iterdir()) == ["b.md"]
    assert not [path for path in home.books.rglob("*") if path.name.startswith(".")]  # no temp file of the chapter
    monkeypatch.setattr(job_module, "narrate", real)
    resumed = book(str(source), *FAST)
    assert resumed.exit_code == 0 and "1 spoken now, 1 kept" in resumed.stderr, resumed.output
    folder = next(line for line in resumed.stderr.splitlines() if line.startswith("wrote"))
    assert folder.startswith(f"wrote {at_home / 'b.m4b'}")
