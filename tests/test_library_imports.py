"""The library stays usable without the faces: no library module imports textual (or typer)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "kokoro_tui"
FACES = {"cli", "tui"}
# Every package except the faces, found on disk so that a new package is covered without asking.
LIBRARY_PACKAGES = sorted(p.name for p in PACKAGE_ROOT.iterdir() if (p / "__init__.py").is_file() and p.name not in FACES)

SCRIPT = """
import importlib, json, pkgutil, sys
imported = []
for package in sys.argv[1:]:
    module = importlib.import_module(f"kokoro_tui.{package}")
    imported.append(module.__name__)
    for info in pkgutil.walk_packages(module.__path__, prefix=f"kokoro_tui.{package}."):
        importlib.import_module(info.name)
        imported.append(info.name)
print(json.dumps({"imported": imported, "faces": sorted(m for m in ("textual", "typer") if m in sys.modules)}))
"""


def test_library_modules_never_import_textual_or_typer():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *LIBRARY_PACKAGES], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "kokoro_tui.training.runlog" in report["imported"]
    assert "kokoro_tui.voices.store" in report["imported"]
    assert {"kokoro_tui.backends.registry", "kokoro_tui.evaluation.spectral", "kokoro_tui.speech.worker"} <= set(
        report["imported"]
    )
    assert report["faces"] == [], f"a library module pulled in {report['faces']}"


def test_dashboard_helpers_without_widgets_stay_free_of_textual():
    """The pieces of tui/ that a script might reuse (its catalog) and the playback it shares with the CLI do not
    drag Textual in."""
    script = (
        "import sys, kokoro_tui.tui.catalog, kokoro_tui.speech.playback;"
        "print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
