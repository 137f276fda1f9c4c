"""Registry source, voice part: the 54 stock voices from the npm package ``kokoro-js@1.2.1``.

``npm pack`` fetches the tarball into a temp dir (npm's own cache makes a second fetch cheap); we read
``package/voices/NAME.bin`` members straight out of it without extracting anything to disk, so no member
path can escape, and check each voice's size, shape and values before it is stored.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from kokoro_tui.assets.manifest import NPM_PACKAGE, NPM_VOICE_DIR, VOICE_BYTES, voice_count
from kokoro_tui.assets.progress import NullProgress, ProgressSink
from kokoro_tui.errors import KokoroError, MissingAssetError, NetworkError
from kokoro_tui.model.config import STYLE_DIM
from kokoro_tui.voices.pack import ROWS, as_pack

NPM_TIMEOUT_S = 600
_MEMBER = re.compile(rf"{re.escape(NPM_VOICE_DIR)}/([a-z0-9_-]+)\.bin")


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise MissingAssetError(
            f"npm is not installed; the registry source fetches the voices from the npm package {NPM_PACKAGE}",
            hint="install Node.js with npm, or use `kokoro download --source hf` where the hub is reachable",
        )
    return npm


def _last_error_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and "npm warn" not in line.lower()]
    errors = [line for line in lines if "err" in line.lower()]
    return (errors or lines or ["no output"])[-1]


def npm_pack(workdir: Path) -> Path:
    """Fetch the kokoro-js tarball into ``workdir`` and return its path."""
    try:
        result = subprocess.run(
            [_npm(), "pack", NPM_PACKAGE, "--silent"],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise NetworkError(f"`npm pack {NPM_PACKAGE}` did not finish in {NPM_TIMEOUT_S} s") from None
    tarballs = sorted(workdir.glob("*.tgz"))
    if result.returncode != 0 or not tarballs:
        raise NetworkError(f"`npm pack {NPM_PACKAGE}` failed: {_last_error_line(result.stderr)}")
    return tarballs[0]


def read_voices(tarball: Path, names: list[str], progress: ProgressSink | None = None) -> Iterator[tuple[str, np.ndarray]]:
    """Yield ``(name, pack)`` for each requested voice in the tarball, each checked."""
    progress = progress or NullProgress()
    wanted = set(names)
    task = progress.add_task(voice_count(len(names)), total=len(names) * VOICE_BYTES)
    try:
        with tarfile.open(tarball, "r:gz") as archive:
            members = {}
            for member in archive.getmembers():
                match = _MEMBER.fullmatch(member.name)
                if match and match.group(1) in wanted:
                    members[match.group(1)] = member
            absent = sorted(wanted - set(members))
            if absent:
                raise KokoroError(f"{NPM_PACKAGE} has no voice {', '.join(absent)}")
            for name in names:
                member = members[name]
                if not member.isreg() or member.size != VOICE_BYTES:
                    raise KokoroError(
                        f"{NPM_PACKAGE}: voices/{name}.bin has {member.size:,} bytes, expected {VOICE_BYTES:,}"
                    )
                handle = archive.extractfile(member)
                data = handle.read() if handle else b""
                if len(data) != VOICE_BYTES:
                    raise KokoroError(f"{NPM_PACKAGE}: voices/{name}.bin is truncated in the tarball")
                yield name, as_pack(np.frombuffer(data, dtype="<f4").reshape(ROWS, STYLE_DIM), f"{NPM_PACKAGE}:{name}")
                progress.advance(task, VOICE_BYTES)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise KokoroError(f"{tarball.name}: unreadable tarball ({error})") from None


def fetch_voices(names: list[str], progress: ProgressSink | None = None) -> Iterator[tuple[str, np.ndarray]]:
    """``npm pack`` into a temp dir, then yield the requested voices; the temp dir is always removed."""
    progress = progress or NullProgress()
    with tempfile.TemporaryDirectory(prefix="kokoro-npm-") as workdir:
        task = progress.add_task(f"npm pack {NPM_PACKAGE}", total=None)
        tarball = npm_pack(Path(workdir))
        size = tarball.stat().st_size
        progress.update(task, total=size, completed=size)
        yield from read_voices(tarball, names, progress)
