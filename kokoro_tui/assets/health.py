"""`kokoro doctor` as a library call: every asset of a data home checked, each problem with its fix.

Nothing is changed here: a finding says what is wrong and which command repairs it (``fixes``), so
a broken home is always one named command away from a working one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kokoro_tui.assets import fixes
from kokoro_tui.assets.checks import (
    DOWNLOADED_MODEL_FILES,
    model_file_problem,
    reason,
    safetensors_problem,
    voice_problem,
)
from kokoro_tui.assets.manifest import CONFIG_NAME, ONNX_NAME, SAFETENSORS_NAME, WEIGHT_NAMES, model_dir
from kokoro_tui.atomic import process_alive, temp_file_writer
from kokoro_tui.errors import KokoroError
from kokoro_tui.home import DataHome
from kokoro_tui.voices.listing import voice_files
from kokoro_tui.voices.store import VoiceStore

ERROR = "error"  # something that uses the asset will fail
WARNING = "warning"  # harmless, but worth cleaning up


@dataclass(frozen=True)
class Finding:
    """One problem with one file (or folder) of the data home, and the command that repairs it."""

    severity: str
    path: Path
    problem: str
    fix: str

    def line(self) -> str:
        return f"{self.severity}: {self.path}: {self.problem}; fix: {self.fix}"

    def as_dict(self) -> dict[str, Any]:
        return {"severity": self.severity, "path": str(self.path), "problem": self.problem, "fix": self.fix}


def check_home(home: DataHome) -> list[Finding]:
    """Every problem in ``home``: model files, voices, and temp files left by interrupted writes."""
    if blocked := _not_a_folder(home.root):
        return [blocked]
    if not home.root.is_dir():
        return [Finding(ERROR, home.root, "no data home yet", f"{fixes.DOWNLOAD} fetches the model and the voices")]
    model_blocked = _not_a_folder(home.models) or _not_a_folder(model_dir(home))
    voices_blocked = _not_a_folder(home.voices)
    return [
        *([model_blocked] if model_blocked else _model_findings(home)),
        *([voices_blocked] if voices_blocked else _voice_findings(home)),
        *_temp_findings(home),
    ]


def _not_a_folder(path: Path) -> Finding | None:
    """A file (or a link to one) where the data home keeps a folder: nothing can be stored there, and the
    download that would otherwise be the fix fails on it."""
    if path.is_dir() or not (path.exists() or path.is_symlink()):
        return None
    return Finding(ERROR, path, "not a folder", fixes.move_aside(path))


def _model_findings(home: DataHome) -> list[Finding]:
    folder = model_dir(home)
    present = {name for name in (CONFIG_NAME, *WEIGHT_NAMES) if (folder / name).is_file()}
    if not present:
        return [Finding(ERROR, folder, "no model", f"{fixes.MODEL_DOWNLOAD} fetches it")]
    findings = []
    if not present & set(WEIGHT_NAMES):
        findings.append(Finding(ERROR, folder, "no model weights", f"{fixes.MODEL_DOWNLOAD} fetches them"))
    if CONFIG_NAME not in present:
        findings.append(Finding(ERROR, folder / CONFIG_NAME, "missing", f"{fixes.MODEL_DOWNLOAD} fetches it"))
    problems = {
        name: model_file_problem(folder / name, thorough=True) for name in DOWNLOADED_MODEL_FILES if name in present
    }
    findings += [
        Finding(ERROR, folder / name, problem, fixes.refetch_model_file(name))
        for name, problem in problems.items()
        if problem
    ]
    if SAFETENSORS_NAME in present:
        config_sound = problems.get(CONFIG_NAME) is None  # a damaged config says nothing of the layout
        problem = safetensors_problem(folder / SAFETENSORS_NAME, _expected_layout(home) if config_sound else None)
        if problem:
            onnx_sound = ONNX_NAME in present and problems[ONNX_NAME] is None
            findings.append(Finding(ERROR, folder / SAFETENSORS_NAME, problem, fixes.rebuild_safetensors(onnx_sound)))
    return findings


def _expected_layout(home: DataHome) -> dict[str, tuple[int, ...]]:
    """Tensor names and shapes of the model the home's config describes (v1.0's when it has none)."""
    from kokoro_tui.assets.model_store import model_config
    from kokoro_tui.convert.model_layout import expected_parameters

    return expected_parameters(model_config(home))


def _voice_findings(home: DataHome) -> list[Finding]:
    files = voice_files(home.voices)
    if not files:
        return [Finding(ERROR, home.voices, "no voices", f"{fixes.DOWNLOAD} fetches the stock voices")]
    store = VoiceStore(home)
    findings = []
    for name, path in files.items():
        origin, recipe = None, None
        try:
            info = store.info(name)
            origin, recipe = info.origin, info.recipe
        except KokoroError as error:  # an unreadable sidecar
            sidecar = home.voices / f"{name}.json"
            findings.append(Finding(ERROR, sidecar, reason(error, sidecar), fixes.repair_voice(name, None, None)))
        problem = voice_problem(path)
        if problem:
            findings.append(Finding(ERROR, path, problem, fixes.repair_voice(name, origin, recipe)))
    return findings


def _temp_findings(home: DataHome) -> list[Finding]:
    """Hidden ``*.part`` files, the temp files of atomic writes, and our own temp folders (of exports),
    unless their writer is still running; what lies inside a reported folder goes with it."""
    findings: list[Finding] = []
    for path in sorted(home.root.rglob(".*.part")):
        writer = temp_file_writer(path.name)
        if writer is None and path.is_dir():  # not a folder we made: not ours to suggest removing
            continue
        if any(finding.path in path.parents for finding in findings) or (writer is not None and process_alive(writer)):
            continue
        kind = "folder" if path.is_dir() else "file"
        findings.append(Finding(WARNING, path, f"temp {kind} of an interrupted write", fixes.remove_temp(path)))
    return findings
