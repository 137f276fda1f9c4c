"""Shell completion: voice names from the store's file names, blend specs, language codes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from kokoro_tui.cli.complete import complete_lang, voice_candidates
from kokoro_tui.cli.main import app

NAMES = ("af_heart", "af_bella", "am_adam", "bf_emma")


@pytest.fixture
def voices_dir(tmp_home):
    """Empty files are enough: completion reads names, never a pack."""
    tmp_home.voices.mkdir(parents=True)
    for name in NAMES:
        (tmp_home.voices / f"{name}.bin").write_bytes(b"")
    (tmp_home.voices / "af_heart.json").write_text("{}")  # sidecars are not voices
    (tmp_home.voices / ".af_hidden.bin.x1.part").write_bytes(b"")  # nor temp files
    return tmp_home.voices


def test_voice_names_complete_from_file_names(voices_dir):
    assert voice_candidates(voices_dir, "af_") == ["af_bella", "af_heart"]
    assert voice_candidates(voices_dir, "") == sorted(NAMES)
    assert voice_candidates(voices_dir, "zz") == []
    assert voice_candidates(voices_dir / "missing", "af") == []


def test_blend_specs_complete_their_last_voice(voices_dir):
    assert voice_candidates(voices_dir, "af_heart:0.7,a") == ["af_heart:0.7,af_bella", "af_heart:0.7,af_heart",
                                                               "af_heart:0.7,am_adam"]


def test_language_codes_complete_with_their_names():
    assert complete_lang("b") == [("b", "British English")]
    assert complete_lang("r") == [("r", "Russian")]
    assert len(complete_lang("")) == 10


def complete(words: str, home) -> list[str]:
    """What bash completion would offer for the last word of ``words``."""
    env = {"_KOKORO_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1),
           "KOKORO_HOME": str(home)}
    return CliRunner().invoke(app, [], env=env, prog_name="kokoro").output.split()


@pytest.mark.parametrize(("words", "expected"), [
    ("kokoro say --voice af_h", ["af_heart"]),
    ("kokoro voices show b", ["bf_emma"]),
    ("kokoro voices export am", ["am_adam"]),
    ("kokoro voices blend af_heart:1,bf", ["af_heart:1,bf_emma"]),
    ("kokoro voices pca-edit af_b", ["af_bella"]),
    ("kokoro say --lang z", ["z"]),
])
def test_commands_offer_the_completions(voices_dir, tmp_home, words, expected):
    assert complete(words, tmp_home.root) == expected


def test_completion_loads_no_heavy_library(voices_dir, tmp_home):
    probe = (
        "import sys, os; from kokoro_tui.cli.main import app;"
        "os.environ.update(_KOKORO_COMPLETE='complete_bash', COMP_WORDS='kokoro say --voice af_h', COMP_CWORD='3');"
        "\ntry: app(prog_name='kokoro')\nexcept SystemExit: pass\n"
        "print(sorted(m for m in ('numpy', 'torch') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={"KOKORO_HOME": str(tmp_home.root), "PATH": ""})
    assert done.stdout.split("\n") == ["af_heart", "[]", ""], done.stderr
