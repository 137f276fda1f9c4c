"""`kokoro phonemize` through Typer's CliRunner and a real subprocess; text/ never imports torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kokoro_tui.cli.main import app

runner = CliRunner()


def test_phonemize_argument_one_line_per_chunk() -> None:
    result = runner.invoke(app, ["phonemize", "Hello, world. It costs $5!"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["həlˈO, wˈɜɹld.", "ˌɪt kˈɔsts fˈIv dˈɑləɹz!"]


def test_phonemize_stdin_and_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["phonemize", "-", "--lang", "e"], input="Hola, amigo.")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ˈola, amˈiɣo."
    path = tmp_path / "in.txt"
    path.write_text("Hi.\n\nBye.", encoding="utf-8")
    result = runner.invoke(app, ["phonemize", "--file", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["hˈI.", "bˈI."]


def test_phonemize_errors_exit_2() -> None:
    cases = {
        ("--lang", "q", "hi"): "unknown language code 'q'",
        ("!!!",): "nothing to speak",
        ("   ",): "empty",
    }
    for args, message in cases.items():
        result = runner.invoke(app, ["phonemize", *args])
        assert result.exit_code == 2, result.output
        assert message in result.output


def test_phonemize_process_reads_stdin_without_torch() -> None:
    """The real command: stdin piped in, phonemes out, exit 0, and torch never imported."""
    script = (
        "import sys; sys.argv = ['kokoro', 'phonemize', '--lang', 'a']\n"
        "from kokoro_tui.cli.main import run\n"
        "try:\n    run()\nfinally:\n    print('TORCH', 'torch' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input="Good morning.", capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ɡˈʊd mˈɔɹnɪŋ.\n"
    assert "TORCH False" in done.stderr


def test_phonemize_process_error_is_one_line_exit_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kokoro_tui", "phonemize", "--lang", "zz", "hello"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: unknown language code 'zz'") and done.stderr.count("\n") == 1


def test_text_modules_never_import_torch() -> None:
    here = Path(__file__).resolve().parents[1] / "kokoro_tui" / "text"
    modules = sorted(p.stem for p in here.glob("*.py") if p.stem != "__init__")  # every one, new ones too
    assert {"frontend", "g2p_en", "vocab", "normalize", "decoding", "blocks"} <= set(modules)
    script = (
        "import importlib, sys\n"
        + "".join(f"importlib.import_module('kokoro_tui.text.{name}')\n" for name in modules)
        + "heavy = ('torch', 'typer', 'textual', 'misaki', 'spacy')\n"
        + "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
        + "import kokoro_tui.cli.phonemize\n"
        + "print('torch' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "False"]


def test_phonemize_long_digit_run_is_read_digit_by_digit_without_a_traceback() -> None:
    # num2words used to overflow on this (an OverflowError traceback out of numbers.py).
    result = runner.invoke(app, ["phonemize", "-"], input="7" * 307 + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("sˈɛvən") == 307
    result = runner.invoke(app, ["phonemize", "-", "--lang", "e"], input="7" * 307 + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("sjˈete") == 307
