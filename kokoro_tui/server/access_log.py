"""Each request seen whole: one log line when its response has ended (a stream's last byte included),
and its record on the request board (``speech.request_board``) from its start to its end.

The log line: method, path, status, milliseconds, seconds of audio made; then, for a body cut off,
how many bytes went out, and for a failure, why. The board, which the dashboard's Server pane reads,
also gets the time to the first body byte and what the route was asked for
(``request_record(request).describe(…)``).

How a request can end badly, and what the line and the record say:

- refused before its response (a 4xx, a 503): the error handler puts the refusal's message in the record;
- a fault of the server (an unexpected exception): 500, logged here at error level with its traceback;
  before the response, Starlette then answers the JSON 500;
- broken off after its response started (the stream's synthesis failed): the route puts the status and
  message of an expected failure in the record and raises ``LoggedFailure``, or lets a fault through.
  Either way an exception reaches the ASGI server, which closes the connection without ending the body
  (no last chunk), so the client sees it incomplete rather than a short file that looks whole;
- the client went away (the app returns without ending the response): ``CANCELLED`` (499);
- the ASGI server's shutdown cancelled it: 503.

An exception that leaves the app is also reported by uvicorn, traceback and all: what leaves this
middleware is a ``LoggedFailure`` or the shutdown's cancellation, whose reports ``ALREADY_LOGGED`` drops.
"""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kokoro_tui.speech.request_board import API_PREFIXES, CANCELLED, RequestBoard, RequestRecord

log = logging.getLogger("kokoro_tui.server")
RECORD = "request_record"  # key of the request's RequestRecord in the ASGI scope's state
ASGI_SERVER_LOG = "uvicorn.error"  # where uvicorn reports an exception that left the app
CLIENT_WENT_AWAY = "the client went away"
SERVER_STOPPED = 503  # a request cut off by the server's shutdown


class LoggedFailure(Exception):
    """A request's failure, logged with the request: raised on (from the error) so that the ASGI server
    drops the connection of a response that has started, and Starlette answers 500 for one that has not.
    A route raises it for an expected failure after its response started, with why in the record."""


class AlreadyLogged(logging.Filter):
    """Drops the ASGI server's report of a ``LoggedFailure`` or of a request its shutdown cancelled: the access
    log has logged either with its request (the server says how many it cancelled, in a line of its own)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], (LoggedFailure, asyncio.CancelledError)))


ALREADY_LOGGED = AlreadyLogged()


def request_record(request: Request) -> RequestRecord:
    """The request's record; routes describe the request in it and add the audio they make."""
    return getattr(request.state, RECORD)


class AccessLog:
    """Pure ASGI middleware (not ``BaseHTTPMiddleware``), so a streamed response is timed to its end."""

    def __init__(self, app: ASGIApp, board: RequestBoard) -> None:
        self.app = app
        self.board = board
        logging.getLogger(ASGI_SERVER_LOG).addFilter(ALREADY_LOGGED)  # once: a filter is added only once

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        client = scope.get("client")
        on_board = path.startswith(API_PREFIXES)
        if on_board:
            record = self.board.begin(scope["method"], path, client[0] if client else None)
        else:  # kept off the board, but the routes' bookkeeping works the same
            record = RequestRecord(0, scope["method"], path, None, time.time())
        scope.setdefault("state", {})[RECORD] = record  # shared with the routes' Request.state
        started = time.perf_counter()
        answered = False  # the response's start (status and headers) went out
        ended = False  # its last body message went out too
        fault: Exception | None = None  # an unexpected exception, logged with its traceback

        async def sending(message: Message) -> None:
            nonlocal answered, ended
            if message["type"] == "http.response.start":
                record.status, answered = message["status"], True
            elif message["type"] == "http.response.body":
                body = message.get("body", b"")
                if body and record.first_byte_s is None:
                    record.first_byte_s = time.perf_counter() - started
                record.bytes_sent += len(body)
                ended = not message.get("more_body", False)
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except LoggedFailure:  # the route has put the failure in the record
            raise
        except Exception as error:
            fault = error
            record.status, record.error = 500, f"{type(error).__name__}: {error}"
            raise LoggedFailure from error
        except asyncio.CancelledError:  # the ASGI server's shutdown, its grace period over
            record.status, record.error = SERVER_STOPPED, "the server stopped before the response ended"
            raise
        else:
            if not ended:  # Starlette stops a response whose client has gone (or never starts it)
                record.status = CANCELLED
        finally:
            record.elapsed_s = time.perf_counter() - started
            record.truncated = answered and not ended
            if record.status == CANCELLED and record.error is None:
                record.error = CLIENT_WENT_AWAY
            if on_board:
                self.board.finish(record)
            _log(scope["method"], path, record, fault)


def _log(method: str, path: str, record: RequestRecord, fault: BaseException | None) -> None:
    """The request's one line: error level with the traceback for a fault, warning for a body the server
    broke off, info for the rest (a refusal, a departed client)."""
    line, args = "%s %s %d %.0f ms %.2f s audio", [method, path, record.status, 1000 * (record.elapsed_s or 0),
                                                   record.audio_s]
    if record.truncated:
        line += ", cut off after %d bytes"
        args.append(record.bytes_sent)
    if record.error is not None:
        line += ": %s"
        args.append(record.error)
    if fault is not None:
        log.error(line, *args, exc_info=fault)
    else:
        level = logging.WARNING if record.truncated and record.status != CANCELLED else logging.INFO
        log.log(level, line, *args)
