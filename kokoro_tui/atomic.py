"""Atomic file writes: a temp file in the target directory, fsync, then rename.

An interrupted write (Ctrl-C, SIGTERM, crash, full disk) never leaves a half-written WAV,
checkpoint or voice behind, and never clobbers the previous good file. A target that cannot
be written (missing or read-only directory, a directory in the way) is a KokoroError naming
the path, and ``check_writable`` finds that out before any slow work is done.

Targets are treated as a shell redirection treats them: an existing device, FIFO or socket
(``-o /dev/null``, ``-o >(aplay)``) is written in place, never replaced by a regular file; a
symlink is followed, and the file it points to is replaced, so the link survives.

A writer killed by SIGKILL cannot remove its temp file, so temp files carry their writer's PID
(``.NAME.kokoro-PID-XXXXXXXX.part``) and every write sweeps its folder of those whose writer is gone.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kokoro_tui.errors import KokoroError, path_error

LOCK_TIMEOUT_S = 60.0  # a read-modify-write holds its lock for milliseconds; a minute means something is stuck
_TEMP_TAG = "kokoro"
_TEMP_SUFFIX = ".part"
# The writer's PID sits between the tag and mkstemp's random letters (never '.' or '-').
_TEMP_NAME = re.compile(rf"^\..+\.{_TEMP_TAG}-(\d+)-[a-z0-9_]+{re.escape(_TEMP_SUFFIX)}$")


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _os_error(code: int, path: Path) -> OSError:
    return OSError(code, os.strerror(code), str(path))


def _resolve(target: Path) -> tuple[Path, bool]:
    """Where ``target``'s bytes go, and whether they go there directly rather than by rename.

    Anything that exists but is neither a regular file nor a directory is written in place; its
    name is kept as given, since a pipe's ``/dev/fd/N`` link has no path to resolve to.
    """
    try:
        mode: int | None = os.stat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):  # nothing there yet (or a dangling link): made later
        mode = None
    except OSError as error:  # a symlink loop, a directory that cannot be searched
        raise path_error("write", target, error) from error
    if mode is None or stat.S_ISREG(mode):
        return Path(os.path.realpath(target)), False
    if stat.S_ISDIR(mode):
        raise path_error("write", target, _os_error(errno.EISDIR, target))
    return target, True


def temp_file_writer(name: str) -> int | None:
    """The PID of the process that made temp file ``name``, or None if ``name`` is not one of ours."""
    match = _TEMP_NAME.match(name)
    return int(match[1]) if match else None


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists; one we may not signal (another user's) counts as alive."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # not ours, or not a PID at all: leave its file alone
        pass
    return True


def _remove_stale_temps(directory: Path) -> None:
    """Remove the temp files in ``directory`` whose writer died without cleaning up (SIGKILL)."""
    try:
        names = os.listdir(directory)
    except OSError:  # the write itself will say what is wrong with the folder
        return
    for name in names:
        writer = temp_file_writer(name)
        if writer is not None and not process_alive(writer):
            try:
                if (directory / name).is_dir():  # a folder being written (atomic_directory)
                    shutil.rmtree(directory / name)
                else:
                    os.unlink(directory / name)
            except OSError:  # swept by another writer meanwhile, or not ours to remove
                pass


def make_parent(path: Path, named: Path | None = None) -> None:
    """Create ``path``'s directory if missing, or raise the KokoroError a write would, naming
    ``named`` (``path`` itself by default)."""
    named = named or path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # mkdir found a file where a directory of the path should be
        raise path_error("write", named, _os_error(errno.ENOTDIR, path.parent)) from None
    except OSError as error:
        raise path_error("write", named, error) from error


def _create_temp(real: Path, target: Path) -> Path:
    """The empty temp file beside ``real`` (its directory made if needed), or a KokoroError naming ``target``."""
    make_parent(real, target)
    _remove_stale_temps(real.parent)
    try:
        prefix = f".{real.name}.{_TEMP_TAG}-{os.getpid()}-"
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=_TEMP_SUFFIX, dir=real.parent)
    except OSError as error:
        raise path_error("write", target, error) from error
    os.close(fd)
    return Path(name)


def _commit(tmp: Path, real: Path, target: Path) -> None:
    """Give the finished temp file the umask's mode (mkstemp made it 0600, and a writer that replaces
    the file it was handed, as safetensors does, makes its own), flush it to disk, rename it into place."""
    try:
        os.chmod(tmp, 0o666 & ~_current_umask())
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, real)
    except OSError as error:
        raise path_error("write", target, error) from error


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield the path to write ``target``'s bytes to: a temp file renamed over ``target`` (or the
    file its symlink points to) on success, or ``target`` itself when it is a device or FIFO."""
    target = Path(target)
    real, direct = _resolve(target)
    if direct:
        yield target
        return
    tmp = _create_temp(real, target)
    try:
        yield tmp
        _commit(tmp, real, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_directory(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty temp folder beside ``target`` to fill; on success it replaces ``target`` whole.

    A folder cannot be renamed over a non-empty one, so an old ``target`` is first renamed aside
    and removed after the swap: a reader sees the old folder or the new one, never a mix, and an
    interrupted write leaves the old folder as it was.
    """
    target = Path(target).absolute()
    if target.exists() and not target.is_dir():
        raise path_error("write", target, _os_error(errno.ENOTDIR, target))
    make_parent(target)
    _remove_stale_temps(target.parent)
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.{_TEMP_TAG}-{os.getpid()}-", suffix=_TEMP_SUFFIX,
                                     dir=target.parent))  # fmt: skip
    except OSError as error:
        raise path_error("write", target, error) from error
    try:
        yield work
        os.chmod(work, 0o777 & ~_current_umask())  # mkdtemp makes 0700; finished folders follow the umask
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.{_TEMP_TAG}-{os.getpid()}-", suffix=_TEMP_SUFFIX,
                                        dir=target.parent))  # fmt: skip
            os.replace(target, old / target.name)
        try:
            os.replace(work, target)
        except OSError as error:
            if old is not None:
                os.replace(old / target.name, target)
            raise path_error("write", target, error) from error
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
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
    """Raise the KokoroError ``atomic_path(target)`` would raise, now, before the slow work.

    A device or FIFO is only checked for permission: opening a FIFO would wait for its reader.
    """
    target = Path(target)
    real, direct = _resolve(target)
    if not direct:
        _probe(real.parent, target)
    elif not os.access(target, os.W_OK):
        raise path_error("write", target, _os_error(errno.EACCES, target))


def check_writable_dir(directory: str | os.PathLike[str]) -> None:
    """Raise a KokoroError now if files cannot be made in ``directory`` (created later if missing)."""
    directory = Path(directory)
    _probe(directory, directory)


def refuse_existing(target: str | os.PathLike[str], force: bool, elsewhere: str) -> None:
    """An existing ``target`` is replaced only with ``force`` (--force): the user may want to keep it.
    ``elsewhere`` ends the hint, saying how else to write."""
    if Path(target).exists() and not force:
        raise KokoroError(f"{target} already exists", hint=f"pass --force to overwrite, or {elsewhere}")


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_path(target) as out:
        try:
            out.write_bytes(data)
        except OSError as error:  # a full disk, mostly
            raise path_error("write", target, error) from error


def atomic_write_text(target: str | os.PathLike[str], text: str) -> None:
    atomic_write_bytes(target, text.encode("utf-8"))


@contextmanager
def exclusive(lock_file: Path, what: str, written: Path) -> Iterator[None]:
    """Hold the inter-process lock ``lock_file`` around a read-modify-write of ``what`` (the voice store,
    the lexicon), so that two kokoro processes changing it at once cannot each drop the other's change.
    A lock that cannot be made is the KokoroError a write of ``written`` would give, found first: filelock
    takes a refused lock file for one another process holds, and waits out its timeout."""
    from filelock import FileLock, Timeout

    _probe(lock_file.parent, written)
    lock = FileLock(lock_file, timeout=LOCK_TIMEOUT_S)
    try:
        lock.acquire()
    except Timeout:
        raise KokoroError(
            f"{what} stayed locked by another kokoro process for {LOCK_TIMEOUT_S:.0f} s",
            hint="try again when it is done",
            exit_code=1,
        ) from None
    except OSError as error:  # a read-only data home, mostly
        raise path_error("write", written, error) from error
    try:
        yield
    finally:
        lock.release()
