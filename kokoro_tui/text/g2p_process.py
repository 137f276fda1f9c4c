"""A language's G2P in a child process, so that a cold process reads its text while it loads the model.

A cold ``kokoro say`` spent about 3.5 s importing spaCy and misaki (and torch, which thinc imports
when it can) before it began loading the model, which takes as long again: two serial waits on a
two-core machine. ``G2PProcess`` starts ``python -m kokoro_tui.text.g2p_process LANG`` at once; the
child loads the G2P on the second core while this process loads the model, then answers each
``g2p(text)`` over a pipe. The child never imports torch (spaCy's English tagger runs on numpy), so
it loads in about 2 s and holds about 250 MB instead of 430.

Any failure of the child (it cannot start, cannot load, dies, or a call raises) switches to the
in-process G2P for good and repeats the call there, so results and errors are those of
``load_g2p``: the child only ever saves time.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import IO, Any

from kokoro_tui.text.g2p import load_g2p
from kokoro_tui.text.languages import language
from kokoro_tui.text.tokens import G2P, RawToken

_READY = "ready"
_TOKENS = "tokens"
_FAILED = "failed"


class G2PProcess:
    """The G2P of ``lang`` served by a child process (see the module docstring); a ``G2P``."""

    def __init__(self, lang: str) -> None:
        self.lang = language(lang).code
        self._lock = threading.Lock()
        self._local: G2P | None = None
        self._ready = False
        try:
            self._child: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-m", __name__, self.lang],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                start_new_session=True,  # Ctrl-C is this process's to handle; the child ends when its stdin does
            )
        except OSError:
            self._child = None

    def __call__(self, text: str) -> list[RawToken]:
        with self._lock:
            if self._child is not None:
                try:
                    return self._ask(text)
                except Exception:  # noqa: BLE001 - whatever went wrong apart, the call is repeated here
                    self._stop()
            if self._local is None:
                self._local = load_g2p(self.lang)
        return self._local(text)

    def _ask(self, text: str) -> list[RawToken]:
        assert self._child is not None and self._child.stdin is not None and self._child.stdout is not None
        if not self._ready:
            _expect(self._child.stdout, _READY)
            self._ready = True
        pickle.dump(text, self._child.stdin)
        self._child.stdin.flush()
        return _expect(self._child.stdout, _TOKENS)

    def close(self) -> None:
        """End the child (it is ended anyway when this process exits); later calls run here."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        child, self._child = self._child, None
        if child is None:
            return
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        child.kill()  # it holds nothing to save, and its interpreter's teardown would take a second
        child.wait()


class _ChildFailed(Exception):
    """The child could not load the G2P or could not read a text."""


def _expect(stream: IO[bytes], kind: str) -> Any:
    message, payload = pickle.load(stream)
    if message != kind:
        raise _ChildFailed(payload)
    return payload


def serve(lang: str) -> None:
    """The child's side: load the G2P, say so, then answer texts from stdin until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a library's print must not corrupt the replies
    sys.modules["torch"] = None  # type: ignore[assignment]  # thinc then skips its 1.5 s torch import
    try:
        _answer(lang, replies, sys.stdin.buffer)
    except OSError:  # the parent is gone (it finished or was interrupted): nobody is left to answer
        os._exit(0)


def _answer(lang: str, replies: IO[bytes], requests: IO[bytes]) -> None:
    """Load the G2P (the first reply says whether it loaded), then read each text; stop at a failure,
    which the parent repeats in its own process and reports from there."""
    g2p: G2P | None = None
    for text in _requests(requests):
        try:
            if g2p is None:
                g2p, kind, payload = load_g2p(lang), _READY, None
            else:
                kind, payload = _TOKENS, g2p(text)
        except Exception as error:  # noqa: BLE001 - reported by the parent, see above
            kind, payload = _FAILED, repr(error)
        pickle.dump((kind, payload), replies)
        replies.flush()
        if kind == _FAILED:
            return


def _requests(stream: IO[bytes]) -> Iterator[str | None]:
    """None (the load), then each text the parent sends, until it closes the pipe."""
    yield None
    while True:
        try:
            yield pickle.load(stream)
        except EOFError:
            return


if __name__ == "__main__":
    serve(sys.argv[1])
