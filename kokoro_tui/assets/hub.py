"""Hugging Face hub source: ``hexgrad/Kokoro-82M`` (config.json, kokoro-v1_0.pth, voices/*.pt).

Files are fetched with huggingface_hub into ``HOME/cache/hf`` (its ``.incomplete`` files make an
interrupted download resume), checked, then moved into the data home. A reachability probe with a
short timeout comes first, so an offline machine gets one clear line within seconds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from kokoro_tui.assets.checks import config_problem, voice_problem
from kokoro_tui.assets.checksums import is_sha256, sha256_file
from kokoro_tui.assets.manifest import CONFIG_NAME, HF_ENDPOINT_DEFAULT, HF_REPO, PTH_NAME, model_dir
from kokoro_tui.assets.probe import unreachable_reason
from kokoro_tui.assets.progress import NullProgress, ProgressSink
from kokoro_tui.errors import KokoroError, NetworkError
from kokoro_tui.home import DataHome
from kokoro_tui.voices.formats import read_voice_file
from kokoro_tui.voices.store import VoiceStore

ETAG_TIMEOUT_S = 5.0
HUB_MODEL_FILES: tuple[str, ...] = (CONFIG_NAME, PTH_NAME)  # the model files the hub publishes


def endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", HF_ENDPOINT_DEFAULT).rstrip("/")


def check_reachable() -> None:
    """Raise NetworkError with one line when the hub cannot be reached (or offline mode is set)."""
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}:
        raise NetworkError("the Hugging Face hub is switched off (HF_HUB_OFFLINE is set)")
    reason = unreachable_reason(endpoint())
    if reason:
        raise NetworkError(f"cannot reach the Hugging Face hub ({reason})", hint="try `kokoro download --source registry`")


def _rich_tqdm(progress: ProgressSink) -> type:
    """A silent tqdm class that forwards byte counts to our progress display."""
    from tqdm import tqdm

    class ForwardingTqdm(tqdm):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.pop("name", None)
            kwargs["disable"] = True
            super().__init__(*args, **kwargs)
            self._task = progress.add_task(
                str(kwargs.get("desc") or "download"), total=kwargs.get("total"), completed=kwargs.get("initial") or 0
            )

        def update(self, n: float | None = 1) -> bool | None:
            progress.advance(self._task, n or 0)
            return super().update(n)

    return ForwardingTqdm


def _hub_call(what: str, call: Callable[[], Any]) -> Any:
    """Run one hub request; any failure becomes a one-line NetworkError."""
    try:
        return call()
    except KokoroError:
        raise
    except Exception as error:  # the hub client raises HTTP, OS and its own error types
        text = str(error).strip().splitlines()
        raise NetworkError(f"{what} from the Hugging Face hub failed: {text[0] if text else type(error).__name__}") from None


def _refuse_damaged(filename: str, staged: Path, problem: str | None) -> None:
    """Raise for a fetched file with a ``problem``, removing it first: the hub client would otherwise find it
    complete in the staging folder and hand it back on every later run."""
    if problem:
        staged.unlink(missing_ok=True)
        raise NetworkError(f"{filename} from the Hugging Face hub is damaged: {problem}", hint="run again to fetch it again")


class HubSource:
    """Fetches from the hub into one data home."""

    def __init__(self, home: DataHome, progress: ProgressSink | None = None) -> None:
        self.home = home
        self.progress = progress or NullProgress()
        self.staging = home.cache / "hf"

    def _fetch(self, filename: str) -> Path:
        from huggingface_hub import hf_hub_download

        return Path(
            _hub_call(
                f"downloading {filename}",
                lambda: hf_hub_download(
                    HF_REPO,
                    filename,
                    local_dir=self.staging,
                    etag_timeout=ETAG_TIMEOUT_S,
                    tqdm_class=_rich_tqdm(self.progress),
                ),
            )
        )

    def _expected_sha256(self, filename: str) -> str | None:
        from huggingface_hub import get_hf_file_metadata, hf_hub_url

        meta = _hub_call(f"checking {filename}", lambda: get_hf_file_metadata(hf_hub_url(HF_REPO, filename), timeout=ETAG_TIMEOUT_S))
        etag = (meta.etag or "").strip('"')
        return etag if is_sha256(etag) else None

    def fetch_model(self, names: Collection[str]) -> list[str]:
        """The named ``HUB_MODEL_FILES`` into the model dir, each checked, then swapped in whole over any
        file already there (a damaged one included); returns the names fetched."""
        target_dir = self.home.ensure(model_dir(self.home))
        fetched = []
        for filename in [name for name in HUB_MODEL_FILES if name in names]:
            target = target_dir / filename
            staged = self._fetch(filename)
            if filename == CONFIG_NAME:
                _refuse_damaged(filename, staged, config_problem(staged))
            else:
                expected = self._expected_sha256(filename)
                if expected and sha256_file(staged) != expected:
                    staged.unlink()
                    raise NetworkError(f"{filename} from the hub does not match its checksum; run again to refetch")
            os.replace(staged, target)
            fetched.append(filename)
        return fetched

    def voice_names(self) -> list[str]:
        from huggingface_hub import list_repo_files

        files = _hub_call("listing the voices", lambda: list_repo_files(HF_REPO))
        return sorted(Path(name).stem for name in files if name.startswith("voices/") and name.endswith(".pt"))

    def fetch_voices(self, names: list[str]) -> list[str]:
        """``voices/NAME.pt`` for each name, checked and stored as stock voices.

        Stored as raw ``.bin`` like the registry voices: same values, and reading them needs no torch.
        """
        available = set(self.voice_names())
        absent = [name for name in names if name not in available]
        if absent:
            raise KokoroError(f"{HF_REPO} has no voice {', '.join(absent)}")
        store = VoiceStore(self.home)
        for name in names:
            filename = f"voices/{name}.pt"
            staged = self._fetch(filename)
            _refuse_damaged(filename, staged, voice_problem(staged))
            store.save(name, read_voice_file(staged), "stock", {"source": f"hf:{HF_REPO}"}, fmt="bin", replace=True)
            staged.unlink()
        return names
