"""`kokoro dub` given its own subtitle file as an output (cli/dub.py): refused before any synthesis, the file kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tiny_models import one_thread_tiny_home
from typer.testing import CliRunner

from kokoro_tui.cli.main import app
from kokoro_tui.home import ENV_VAR, DataHome

SRT = "1\n00:00:00,500 --> 00:00:01,500\nHello.\n"
FAST = ["--device", "cpu", "--precision", "fp32"]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataHome]:
    yield from one_thread_tiny_home(tmp_path_factory.mktemp("dub-review") / "home")


@pytest.fixture
def at_home(home: DataHome, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_VAR, str(home.root))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "film.srt").write_text(SRT, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "outputs",
    [["-o", "track.wav", "--timestamps", "film.srt"], ["-o", "./film.srt", "--format", "wav"]],
    ids=["timestamps", "track"],
)
def test_an_output_that_is_the_subtitle_file_is_refused_and_the_file_kept(at_home: Path, outputs: list[str]) -> None:
    done = CliRunner().invoke(app, ["dub", "film.srt", *outputs, *FAST])
    assert done.exit_code == 2, done.output
    assert done.stderr.startswith("error: ") and "film.srt is the subtitle file being dubbed" in done.stderr
    assert (at_home / "film.srt").read_text(encoding="utf-8") == SRT
    assert sorted(path.name for path in at_home.iterdir()) == ["film.srt"]
