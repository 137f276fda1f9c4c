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
FACES = {"cli", "tui"}
# Top-level modules every layer may use.
COMMON = {"errors", "atomic", "home"}
# The torch-free facts of the model (sample rate, style width, token limit, vocabulary) and the
# device names: readable from every layer.
SHARED_MODEL_MODULES = {"model.config", "model.device"}

# package -> project packages it may never import (besides the faces, which no library package imports)
NEVER: dict[str, set[str]] = {
    "model": {"text", "speech", "voices", "backends", "assets", "convert", "analysis", "analysis.render",
              "training", "evaluation", "audio"},
    "text": {"speech", "voices", "backends", "assets", "convert", "analysis", "analysis.render", "training",
             "evaluation", "audio", "model"},
    "audio": {"text", "speech", "voices", "backends", "assets", "convert", "analysis", "analysis.render",
              "training", "evaluation", "model"},
    "voices": {"speech", "backends", "assets", "convert", "analysis", "analysis.render", "training", "evaluation",
               "audio", "model"},
    # downloads put the stock voices into the voice store, so assets sits above voices
    "assets": {"speech", "backends", "analysis", "analysis.render", "training", "evaluation", "audio", "text"},
    "convert": {"speech", "voices", "backends", "analysis", "analysis.render", "training", "evaluation", "audio",
                "text"},
    "backends": {"speech", "voices", "analysis", "analysis.render", "training", "evaluation", "audio"},
    "speech": {"analysis", "analysis.render", "training", "evaluation", "convert", "model"},
    "evaluation": {"speech", "voices", "backends", "assets", "convert", "analysis", "analysis.render", "training",
                   "text", "model"},
    "analysis": {"analysis.render", "speech", "backends", "assets", "convert", "training", "evaluation", "audio"},
    "analysis.render": {"speech", "backends", "assets", "convert", "training", "evaluation", "audio"},
    "training": set(),
    "cli": {"tui"},  # except cli/tui.py, the command that opens the dashboard
    "tui": {"cli"},
}
# Third-party libraries a package may never import.
NEVER_LIBRARIES: dict[str, set[str]] = {
    "text": {"torch", "transformers", "onnxruntime"},
    "voices": {"transformers", "onnxruntime"},
    "evaluation": {"transformers", "onnxruntime"},
}
FACE_LIBRARIES = {"typer", "textual", "rich.console", "fastapi", "uvicorn"}
ALLOWED = {("cli.tui", "tui")}  # (module, package): `kokoro tui` launches the dashboard


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


def imports_of(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            if node.module == "kokoro_tui":
                yield from (f"kokoro_tui.{alias.name}" for alias in node.names)


def violations() -> list[str]:
    found = []
    for module, path in modules():
        package = package_of(module)
        if "." not in module.removeprefix("kokoro_tui.") and package not in NEVER:
            continue  # a top-level module (errors, atomic, home, __main__, the package itself)
        for imported in imports_of(path):
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
            if (module.removeprefix("kokoro_tui."), target) in ALLOWED:
                continue
            if target in FACES and package not in FACES or target in NEVER[package]:
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
