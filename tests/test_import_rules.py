"""The layers of shared/design.md, checked on the source: which package may never import which.

Every import counts, at module level or inside a function (a lazy import is still a dependency).
A package the table does not know fails the test, so a new package must say where it sits.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "kokoro_tui"
FACES = {"cli", "tui", "server"}
# Top-level modules every layer may use.
COMMON = {"errors", "atomic", "home"}
# The torch-free facts of the model (sample rate, style width, token limit, vocabulary) and the
# device names: readable from every layer.
SHARED_MODEL_MODULES = {"model.config", "model.device"}

# package -> project packages it may never import (besides the faces, which no library package imports)
NEVER: dict[str, set[str]] = {
    "model": {"text", "speech", "voices", "backends", "assets", "convert", "analysis", "analysis.render",
              "training", "evaluation", "audio", "books"},
    "text": {"speech", "voices", "backends", "assets", "convert", "analysis", "analysis.render", "training",
             "evaluation", "audio", "model", "books"},
    "audio": {"text", "speech", "voices", "backends", "assets", "convert", "analysis", "analysis.render",
              "training", "evaluation", "model", "books"},
    "voices": {"speech", "backends", "assets", "convert", "analysis", "analysis.render", "training", "evaluation",
               "audio", "model", "books"},
    # downloads put the stock voices into the voice store, so assets sits above voices
    "assets": {"speech", "backends", "analysis", "analysis.render", "training", "evaluation", "audio", "text",
               "books"},
    "convert": {"speech", "voices", "backends", "analysis", "analysis.render", "training", "evaluation", "audio",
                "text", "books"},
    "backends": {"speech", "voices", "analysis", "analysis.render", "training", "evaluation", "audio", "books"},
    "speech": {"analysis", "analysis.render", "training", "evaluation", "convert", "model", "books"},
    "evaluation": {"speech", "voices", "backends", "assets", "convert", "analysis", "analysis.render", "training",
                   "text", "model", "books"},
    "analysis": {"analysis.render", "speech", "backends", "assets", "convert", "training", "evaluation", "audio",
                 "books"},
    "analysis.render": {"speech", "backends", "assets", "convert", "training", "evaluation", "audio", "books"},
    "training": {"books"},
    # Books sit above the speech pipeline (shared/design.md): the network only through it, and of training
    # only the run-log schema (PARTLY below).
    "books": {"model", "backends", "assets", "convert", "analysis", "analysis.render", "evaluation", "audio"},
    "cli": {"tui", "server"},  # except cli/tui.py, which opens the dashboard, and cli/serve.py (LAZY_ONLY)
    "tui": {"cli", "server"},
    # The HTTP face reaches the network only through the speech pipeline (and the voice store, the text
    # front end, the data home for its listings).
    "server": {"cli", "tui", "model", "backends", "convert", "analysis", "analysis.render", "training",
               "evaluation", "audio"},
}
# package -> {package it may import only in part: the modules it may import}
PARTLY: dict[str, dict[str, set[str]]] = {"books": {"training": {"training.runlog"}}}
# Third-party libraries a package may never import.
NEVER_LIBRARIES: dict[str, set[str]] = {
    "text": {"torch", "transformers", "onnxruntime"},
    "voices": {"transformers", "onnxruntime"},
    "evaluation": {"transformers", "onnxruntime"},
    "server": {"typer", "textual"},
    "books": {"torch", "transformers", "onnxruntime"},
}
FACE_LIBRARIES = {"typer", "textual", "rich.console", "fastapi", "starlette", "uvicorn"}
ALLOWED = {("cli.tui", "tui")}  # (module, package): `kokoro tui` launches the dashboard
# (module, package) allowed only inside a function: `kokoro serve` runs the server, and no other
# command (nor `kokoro --help`) may pay for importing fastapi.
LAZY_ONLY = {("cli.serve", "server")}


def package_of(dotted: str) -> str:
    """``kokoro_tui.analysis.render.writer`` -> ``analysis.render``; ``kokoro_tui.errors`` -> ``errors``."""
    parts = dotted.split(".")[1:]
    if parts[:2] == ["analysis", "render"]:
        return "analysis.render"
    return parts[0] if parts else ""


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        relative = path.relative_to(PACKAGE_ROOT.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), path


def imports_of(path: Path) -> Iterator[tuple[str, bool]]:
    """``(imported module, whether the import sits inside a function)`` for every import of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = (node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))
    lazy = {id(inner) for function in functions for inner in ast.walk(function)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, id(node) in lazy) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, id(node) in lazy
            if node.module == "kokoro_tui":
                yield from ((f"kokoro_tui.{alias.name}", id(node) in lazy) for alias in node.names)


def violations() -> list[str]:
    found = []
    for module, path in modules():
        package = package_of(module)
        if "." not in module.removeprefix("kokoro_tui.") and package not in NEVER:
            continue  # a top-level module (errors, atomic, home, __main__, the package itself)
        for imported, lazy in imports_of(path):
            root = imported.split(".")[0]
            if root != "kokoro_tui":
                if root in NEVER_LIBRARIES.get(package, set()) or (
                    package not in FACES and any(imported == lib or imported.startswith(lib + ".") for lib in FACE_LIBRARIES)
                ):
                    found.append(f"{module} imports {imported}")
                continue
            target = package_of(imported)
            short = imported.removeprefix("kokoro_tui.")
            if target == package or target in COMMON or short in SHARED_MODEL_MODULES or not target:
                continue
            pair = (module.removeprefix("kokoro_tui."), target)
            if pair in ALLOWED or (pair in LAZY_ONLY and lazy):
                continue
            partly = PARTLY.get(package, {}).get(target)
            if target in FACES and package not in FACES or target in NEVER[package] or (
                partly is not None and not any(short == allowed or short.startswith(allowed + ".") for allowed in partly)
            ):
                found.append(f"{module} imports {imported}")
    return found


def test_every_package_has_a_place_in_the_layers():
    packages = {package_of(module) for module, _ in modules() if "." in module.removeprefix("kokoro_tui.")}
    packages -= {""}
    unknown = {p for p in packages if p not in NEVER and p not in COMMON}
    assert unknown == set(), f"add these packages to NEVER in {__file__}: {sorted(unknown)}"


def test_no_package_imports_across_the_layers():
    assert violations() == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import torch\n", "kokoro_tui.text.fake imports torch"),
        ("from kokoro_tui.speech.pipeline import Pipeline\n", "kokoro_tui.text.fake imports kokoro_tui.speech.pipeline"),
        ("def lazy():\n    import typer\n", "kokoro_tui.text.fake imports typer"),
    ],
)
def test_the_checker_sees_a_forbidden_import(tmp_path, monkeypatch, source, expected):
    """The rules are not vacuous: a planted module in text/ breaking each kind of rule is caught."""
    root = tmp_path / "kokoro_tui"
    (root / "text").mkdir(parents=True)
    (root / "text" / "fake.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PACKAGE_ROOT", root)
    assert violations() == [expected]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from kokoro_tui.training.runlog import RunLogWriter\nfrom kokoro_tui.speech.pipeline import Pipeline\n", []),
        ("from kokoro_tui.training.voice_job import make_voice\n", ["kokoro_tui.books.fake imports kokoro_tui.training.voice_job"]),
        ("from kokoro_tui.cli.console import err\n", ["kokoro_tui.books.fake imports kokoro_tui.cli.console"]),
        ("def f():\n    from kokoro_tui.model.kokoro import KokoroModel\n", ["kokoro_tui.books.fake imports kokoro_tui.model.kokoro"]),
        ("import torch\n", ["kokoro_tui.books.fake imports torch"]),
    ],
)
def test_books_use_the_speech_pipeline_and_of_training_only_the_run_log(tmp_path, monkeypatch, source, expected):
    """books/ may read the run-log schema but no other part of training, nor a face, nor the network directly."""
    path = tmp_path / "kokoro_tui" / "books" / "fake.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PACKAGE_ROOT", tmp_path / "kokoro_tui")
    assert violations() == expected


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("cli/serve.py", "from kokoro_tui.server.app import create_app\n", ["kokoro_tui.cli.serve imports kokoro_tui.server.app"]),
        ("cli/serve.py", "def serve():\n    from kokoro_tui.server.app import create_app\n", []),
        ("cli/say.py", "def say():\n    from kokoro_tui.server.app import create_app\n", ["kokoro_tui.cli.say imports kokoro_tui.server.app"]),
        ("server/app.py", "def f():\n    from kokoro_tui.cli.main import app\n", ["kokoro_tui.server.app imports kokoro_tui.cli.main"]),
        ("server/app.py", "from kokoro_tui.model.kokoro import KokoroModel\n", ["kokoro_tui.server.app imports kokoro_tui.model.kokoro"]),
        ("server/app.py", "import fastapi\nfrom kokoro_tui.speech.pipeline import Pipeline\n", []),
    ],
)
def test_the_server_is_a_face_that_the_cli_imports_only_lazily(tmp_path, monkeypatch, module, source, expected):
    """cli/serve.py may import the server inside its command only; the server reaches speech, never cli/ or model/."""
    path = tmp_path / "kokoro_tui" / module
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PACKAGE_ROOT", tmp_path / "kokoro_tui")
    assert violations() == expected
