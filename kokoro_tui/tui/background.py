"""Heavy work off the UI thread, in daemon threads so that `q` quits at once.

Textual's ``@work(thread=True)`` runs on asyncio's default executor, whose threads the
interpreter joins at exit: pressing q during a 20-second analysis or a long synthesis
would leave the terminal frozen until it finished. ``background`` instead starts a
Textual (async) worker that awaits a daemon thread. The thread runs in a copy of the
worker's context, so ``get_current_worker().is_cancelled`` works inside it as usual, and
it posts its results back as messages.

Cancelling such a worker cannot stop its thread, so a superseded thread would still post a
stale result after the newer one; ``post_if_current`` drops it instead.

A job that raises must not end the dashboard (a Textual worker's error exits the app and prints
its traceback over the screen): ``background`` catches it, logs the traceback to Textual's log
(the devtools console, or the file named by ``TEXTUAL_LOG``) and posts the pane's own failure
message with one line that says what went wrong.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from textual.message import Message

from kokoro_tui.errors import KokoroError

T = TypeVar("T")


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


async def in_daemon_thread(function: Callable[..., T], *args: Any) -> T:
    """Run ``function(*args)`` in a new daemon thread (in this task's context) and await its result."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    context = contextvars.copy_context()

    def target() -> None:
        result, error = None, None
        try:
            result = context.run(function, *args)
        except BaseException as raised:  # handed to the awaiting task, which re-raises it
            error = raised
        try:
            loop.call_soon_threadsafe(_settle, future, result, error)
        except RuntimeError:  # the app (and its loop) is gone: nobody is waiting
            pass

    threading.Thread(target=target, daemon=True, name=getattr(function, "__name__", "kokoro-work")).start()
    return await future


def post_if_current(widget: Any, message: Any) -> None:
    """Post ``message`` from a background thread unless its worker was cancelled (superseded) meanwhile.

    Race-free: a newer worker cancels this one on the UI thread before it starts, so a message
    that passes this check is queued ahead of anything the newer worker posts.
    """
    from textual.worker import get_current_worker

    if not get_current_worker().is_cancelled:
        widget.post_message(message)


def failure_line(error: Exception) -> str:
    """One line for a job's error: a KokoroError (or the system's error) says what went wrong already;
    anything else is a bug, named as one with its type."""
    message = " ".join(str(error).split())
    if isinstance(error, (KokoroError, OSError)):
        return message
    return f"unexpected {type(error).__name__}" + (f": {message}" if message else "")


def background(
    *, group: str, exclusive: bool = True, failed: Callable[[str], Message] | None = None
) -> Callable[[Callable[..., None]], Callable[..., Any]]:
    """Decorate a widget method to run it in a daemon thread under a Textual worker of ``group``.

    If the method raises, ``failed(line)`` is posted to the widget (after what the method posted
    before it raised); without ``failed`` the error is only logged, for a job nobody waits on.
    A cancelled (superseded) job's error is dropped with its result.
    """

    def decorator(method: Callable[..., None]) -> Callable[..., Any]:
        @functools.wraps(method)
        def start(self: Any, *args: Any) -> Any:
            async def run() -> None:
                try:
                    await in_daemon_thread(method, self, *args)
                except Exception as error:
                    self.log.error(f"{method.__name__} failed:\n{''.join(traceback.format_exception(error))}")
                    if failed is not None:
                        self.post_message(failed(failure_line(error)))

            return self.run_worker(run, name=method.__name__, group=group, exclusive=exclusive)

        return start

    return decorator
