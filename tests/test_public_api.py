"""The public API: one import line for a Python user, and importing the package alone stays light."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("torch", "transformers", "onnxruntime", "misaki", "spacy", "sklearn", "typer", "textual")


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_importing_kokoro_tui_loads_no_torch_and_no_face():
    loaded = run_python(f"import json, sys, kokoro_tui; print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))")
    assert json.loads(loaded) == []


def test_the_readme_names_come_from_the_package_itself():
    code = (
        "import json, sys\n"
        "from kokoro_tui import Pipeline, KokoroModel, VoiceStore, load_model\n"
        "from kokoro_tui.model.kokoro import KokoroModel as M\n"
        "from kokoro_tui.model.loading import load_model as L\n"
        "from kokoro_tui.speech.pipeline import Pipeline as P\n"
        "from kokoro_tui.voices.store import VoiceStore as V\n"
        "print(json.dumps([KokoroModel is M, load_model is L, Pipeline is P, VoiceStore is V,"
        " sorted(m for m in ('typer', 'textual') if m in sys.modules)]))"
    )
    assert json.loads(run_python(code)) == [True, True, True, True, []]


def test_every_exported_name_resolves_and_unknown_names_fail():
    import kokoro_tui

    assert set(kokoro_tui.__all__) == set(kokoro_tui._EXPORTS) | {"__version__"}
    for name in kokoro_tui.__all__:
        assert getattr(kokoro_tui, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        kokoro_tui.Nope  # noqa: B018


def test_help_on_what_the_pipeline_hands_out_says_what_it_holds():
    import kokoro_tui

    for name in ("Speech", "SpeechChunk", "WordTimestamp"):
        doc = getattr(kokoro_tui, name).__doc__
        assert doc and not doc.startswith(f"{name}("), name  # not the signature a dataclass fills in
