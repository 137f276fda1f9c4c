"""User-facing errors: one clear line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import errno
import os


class KokoroError(Exception):
    """A mistake the user can fix (bad input, missing asset, no network).

    The CLI prints ``str(error)`` as one line and exits with ``exit_code``.
    """

    exit_code: int = 2

    def __init__(self, message: str, *, hint: str | None = None, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} ({self.hint})" if self.hint else message


class MissingAssetError(KokoroError):
    """An asset (model, vocab, voice) is not in the data home; the hint names the command that fixes it."""


class NetworkError(KokoroError):
    """A remote source could not be reached."""


class NothingToSayError(KokoroError):
    """The text holds nothing the voice can say (empty, only symbols, only words it cannot read).

    Its own kind so that a caller speaking many pieces (a book's paragraphs) can skip such a piece,
    while a missing model stays an error.
    """


# A path the user named cannot be used (it is missing, a directory, read-only, ...): a mistake in the
# command, exit 2 like every other. Anything else (disk full, I/O error, too many open files) is the
# machine failing a correct command: exit 1, so a script can tell "fix the arguments" from "retry".
_PATH_ERRNOS = frozenset({
    errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENAMETOOLONG,
    errno.EEXIST, errno.ELOOP, errno.ENOTEMPTY,
})


def os_error_exit_code(error: OSError) -> int:
    """2 when the path given is the problem, 1 when the machine is (see ``_PATH_ERRNOS``)."""
    return 2 if error.errno in _PATH_ERRNOS else 1


def os_error_reason(error: OSError) -> str:
    """The system's short reason ("No such file or directory"), without errno or file names."""
    return error.strerror or str(error) or type(error).__name__


def describe_os_error(error: OSError) -> str:
    """One line for an OSError that reached the top: the path(s) it concerns, then the reason."""
    paths = [os.fsdecode(name) for name in (error.filename, error.filename2) if name is not None]
    reason = os_error_reason(error)
    return f"{' → '.join(paths)}: {reason}" if paths else reason


def path_error(action: str, path: str | os.PathLike[str], error: OSError) -> KokoroError:
    """``cannot write /proc/x.wav: No such file or directory``, with the exit code of ``error``."""
    message = f"cannot {action} {os.fspath(path)}: {os_error_reason(error)}"
    return KokoroError(message, exit_code=os_error_exit_code(error))
