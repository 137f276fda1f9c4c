"""Atomic file writes: a temp file in the target directory, fsync, then rename.

An interrupted write (Ctrl-C, SIGTERM, crash, full disk) never leaves a half-written WAV,
checkpoint or voice behind, and never clobbers the previous good file. A target that cannot
be written (missing or read-only directory, a directory in the way) is a KokoroError naming
the path, and ``check_writable`` finds that out before any slow work is done.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kokoro_tui.errors import path_error


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _os_error(code: int, path: Path) -> OSError:
    return OSError(code, os.strerror(code), str(path))


def _refuse_directory(target: Path) -> None:
    if target.is_dir():
        raise path_error("write", target, _os_error(errno.EISDIR, target))


def _create_temp(target: Path) -> Path:
    """The empty temp file beside ``target`` (its directory made if needed), or a KokoroError."""
    _refuse_directory(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except FileExistsError:  # mkdir found a file where a directory of the path should be
        raise path_error("write", target, _os_error(errno.ENOTDIR, target.parent)) from None
    except OSError as error:
        raise path_error("write", target, error) from error
    os.close(fd)
    return Path(name)


def _commit(tmp: Path, target: Path) -> None:
    try:
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as error:
        raise path_error("write", target, error) from error


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it over ``target`` on success."""
    target = Path(target)
    tmp = _create_temp(target)
    os.chmod(tmp, 0o666 & ~_current_umask())  # mkstemp makes 0600; finished files follow the umask
    try:
        yield tmp
        _commit(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _nearest_existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _probe(directory: Path, named: Path) -> None:
    """Create and remove a temp file in ``directory``, or its nearest existing ancestor if it is
    still to be made; a failure is the KokoroError a real write would give, naming ``named``."""
    base = _nearest_existing(directory)
    if not base.is_dir():
        raise path_error("write", named, _os_error(errno.ENOTDIR, base))
    try:
        fd, name = tempfile.mkstemp(prefix=".kokoro.", suffix=".probe", dir=base)
    except OSError as error:
        raise path_error("write", named, error) from error
    os.close(fd)
    os.unlink(name)


def check_writable(target: str | os.PathLike[str]) -> None:
    """Raise the KokoroError ``atomic_path(target)`` would raise, now, before the slow work."""
    target = Path(target)
    _refuse_directory(target)
    _probe(target.parent, target)


def check_writable_dir(directory: str | os.PathLike[str]) -> None:
    """Raise a KokoroError now if files cannot be made in ``directory`` (created later if missing)."""
    directory = Path(directory)
    _probe(directory, directory)


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_path(target) as tmp:
        try:
            tmp.write_bytes(data)
        except OSError as error:  # a full disk, mostly
            raise path_error("write", target, error) from error


def atomic_write_text(target: str | os.PathLike[str], text: str) -> None:
    atomic_write_bytes(target, text.encode("utf-8"))
