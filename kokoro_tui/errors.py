"""User-facing errors: one clear line on stderr and exit code 2, never a traceback."""

from __future__ import annotations


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
