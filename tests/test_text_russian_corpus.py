"""Russian on real text: all 620 festvox-ru transcripts through the front end, every word spoken
and accounted for in the word spans; and the Russian paths of `kokoro phonemize` and the Pipeline.

festvox-ru (Debian's msu_ru_nsh voice database) is fetched once with `apt-get download` and
only its transcript file is kept, in the test data home's cache, like the real model assets.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import unicodedata
from pathlib import Path

import pytest
from conftest import REPO, TEST_HOME_VAR
from typer.testing import CliRunner

from kokoro_tui.cli.main import app
from kokoro_tui.model.config import DEFAULT_VOCAB
from kokoro_tui.speech.pipeline import Pipeline
from kokoro_tui.text.frontend import TextFrontend
from kokoro_tui.text.languages import language

FESTVOX_PACKAGE = "festvox-ru"
TRANSCRIPTS = "msu_ru_nsh_clunits/etc/txt.done.data"
ALLOWED = {symbol for symbol in DEFAULT_VOCAB if not symbol.isupper()}


def _extract_transcripts(work: Path) -> bytes:
    """apt-get download the package into ``work`` and read the transcript file out of its data tarball."""
    download = ["apt-get", "download", "-q", FESTVOX_PACKAGE]
    if subprocess.run(download, cwd=work, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=False)  # a fresh machine's empty lists
        done = subprocess.run(download, cwd=work, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.fail(f"apt-get download {FESTVOX_PACKAGE} failed: {done.stderr.strip()}")
    (deb,) = work.glob(f"{FESTVOX_PACKAGE}_*.deb")
    unpack = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    with unpack, tarfile.open(fileobj=unpack.stdout, mode="r|") as tar:
        for member in tar:
            if member.name.endswith(TRANSCRIPTS):
                return tar.extractfile(member).read()
    pytest.fail(f"{FESTVOX_PACKAGE} has no {TRANSCRIPTS}")


@pytest.fixture(scope="session")
def festvox_ru() -> list[str]:
    """The 620 festvox-ru transcripts, "+" stress marks kept (downloaded on the first run only)."""
    root = Path(os.environ.get(TEST_HOME_VAR) or REPO / ".test-home").expanduser().resolve()
    cached = root / "cache" / FESTVOX_PACKAGE / "txt.done.data"
    if not cached.is_file():
        if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
            pytest.skip(f"fetching {FESTVOX_PACKAGE} needs apt-get and dpkg-deb (a Debian-based system)")
        with tempfile.TemporaryDirectory() as work:
            data = _extract_transcripts(Path(work))
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(cached)
    lines = re.findall(r'^\( \S+ "(.*)" \)$', cached.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(lines) == 620
    return lines


def test_every_festvox_word_is_spoken_and_placed(festvox_ru: list[str]) -> None:
    frontend = TextFrontend("r")
    skipped = []
    marked = 0
    for text in festvox_ru:
        chunks = list(frontend.chunks(text, on_skip=skipped.append))
        spans = []
        for chunk in chunks:
            assert set(chunk.phonemes) <= ALLOWED, chunk.phonemes
            assert not [char for char in chunk.phonemes if "CYRILLIC" in unicodedata.name(char)]
            for word in chunk.words:
                assert word.text == text[word.start_char : word.end_char]
                assert word.phoneme_end > word.phoneme_start, word
                spans.append((word.start_char, word.end_char))
        for match in re.finditer(r"[^\W\d_]+", text):
            assert any(start <= match.start() and match.end() <= end for start, end in spans), (match.group(), text)
        marked += text.count("+")
    assert skipped == []
    assert marked > 150  # "+" marks were read as stress inside their words, not as words or symbols


def test_phonemize_russian_with_its_caution() -> None:
    runner = CliRunner()
    for code in ("r", "ru"):
        result = runner.invoke(app, ["phonemize", "-l", code, "В 10:30 я купил 2 книги."])
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == "vdʲˈesʲətʲ trʲˈiʦːətʲ jˈa kʊpʲˈil dvʲˈe knʲˈiɡʲɪ."
        assert result.stderr.strip() == f"warning: {language('r').caution}"


def test_pipeline_reads_russian_with_timestamps_spans() -> None:
    """Pipeline(lang="r") chunks Russian without loading a model; every word keeps its span."""
    warnings: list[str] = []
    pipeline = Pipeline(voice="af_heart", lang="r", on_warning=warnings.append)
    text = "Привет! Как дела? В 2024 году — 5 км."
    chunks = list(pipeline.text_chunks(text))
    assert [chunk.text for chunk in chunks] == ["Привет!", "Как дела?", "В 2024 году — 5 км."]
    words = [word.text for chunk in chunks for word in chunk.words]
    assert words == ["Привет", "Как", "дела", "В", "2024", "году", "5 км"]
    assert warnings == ["no stock Kokoro voice was trained on Russian: expect an accent"]
