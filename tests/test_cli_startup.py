"""`kokoro --help` stays light: importing the CLI pulls in none of the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys
import time

HEAVY = ("torch", "transformers", "textual", "sklearn", "misaki", "matplotlib", "onnxruntime", "fastapi", "uvicorn", "av")


def test_cli_import_loads_no_heavy_library():
    probe = (
        "import json, sys\n"
        "import kokoro_tui.cli.main\n"
        f"print(json.dumps(sorted(name for name in {list(HEAVY)!r} if name in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout) == [], f"imported at CLI start-up: {done.stdout.strip()}"


def test_help_runs_and_lists_the_commands(capsys):
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "kokoro_tui", "--help"], capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "download" in done.stdout and "voices" in done.stdout
    with capsys.disabled():
        print(f"\n`python -m kokoro_tui --help` took {elapsed:.2f} s")
