"""How a command ends when the world around it fails: the reader of stdout left, a path or the
machine refused an operation (an OSError no command turned into a KokoroError), or Ctrl-C."""

from __future__ import annotations

import atexit
import os
import sys
import threading

from kokoro_tui.errors import describe_os_error, os_error_exit_code

CLOSED_PIPE_EXIT = 141  # 128 + SIGPIPE: what the shell reports for `yes | head`, so pipefail scripts treat it alike
CLOSED_PIPE_MESSAGE = "error: the output pipe was closed by the reader"
INTERRUPTED_EXIT = 130  # 128 + SIGINT


def last_line(line: str) -> None:
    """Print the command's last word on stderr, if stderr is still there to take it."""
    try:
        print(line, file=sys.stderr, flush=True)
    except OSError:  # stderr is gone too (a closed terminal): nothing left to tell
        pass


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that what it still buffers goes there at exit instead of failing again
    (the interpreter would print an "Exception ignored" notice and exit 120)."""
    try:
        stdout_fd = sys.stdout.fileno()
    except (OSError, ValueError):  # not a real stream (an in-process test runner): nothing to silence
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stdout_fd)
    os.close(devnull)


def drain_stdout() -> None:
    """Write out what stdout still buffers while a failure can be told: at exit, a `print` held back until
    then (stdout into a file or a pipe is block-buffered) was lost on a full disk with exit status 0.
    On failure the rest is discarded, and the OSError raised."""
    try:
        sys.stdout.flush()
    except OSError:
        _discard_stdout()
        raise


def closed_pipe() -> int:
    """Say the reader went away, point stdout at /dev/null so the flush at exit stays silent, and
    return the exit status."""
    _discard_stdout()
    last_line(CLOSED_PIPE_MESSAGE)
    return CLOSED_PIPE_EXIT


def failed_os_call(error: OSError) -> int:
    """One line for an OSError that reached the top, and its exit status (2: a path, 1: the machine)."""
    last_line(f"error: {describe_os_error(error)}")
    return os_error_exit_code(error)


def interrupted() -> int:
    """Say the command was interrupted (Ctrl-C) and return the shell's status for SIGINT."""
    last_line("interrupted")
    return INTERRUPTED_EXIT


def leave(status: object) -> None:
    """End the process with ``status`` (a ``SystemExit`` code) without the interpreter's teardown.

    Once torch is loaded, Python's finalisation (every module, tensor and thread pool freed one by
    one) took about 1 s after the work was done: a third of what a short `kokoro say` should take.
    Output is flushed and the atexit handlers run first; while any other thread is alive the normal
    exit is kept, so that it can finish.
    """
    if isinstance(status, str):
        last_line(status)
        status = 1
    code = 0 if status is None else status if isinstance(status, int) else 1
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader left, or the stream is closed: nothing more to say
            pass
    os._exit(code)
