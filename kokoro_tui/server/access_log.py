"""Each request seen whole: one log line when its response has ended (a stream's last byte included),
and its record on the request board (``speech.request_board``) from its start to its end.

The log line: method, path, status, milliseconds, seconds of audio made. The board, which the
dashboard's Server pane reads, also gets the time to the first body byte and what the route was
asked for (``request_record(request).describe(…)``).
"""

from __future__ import annotations

import logging
import time

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kokoro_tui.speech.request_board import API_PREFIXES, RequestBoard, RequestRecord

log = logging.getLogger("kokoro_tui.server")
RECORD = "request_record"  # key of the request's RequestRecord in the ASGI scope's state


def request_record(request: Request) -> RequestRecord:
    """The request's record; routes describe the request in it and add the audio they make."""
    return getattr(request.state, RECORD)


class AccessLog:
    """Pure ASGI middleware (not ``BaseHTTPMiddleware``), so a streamed response is timed to its end."""

    def __init__(self, app: ASGIApp, board: RequestBoard) -> None:
        self.app = app
        self.board = board

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

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            elif message["type"] == "http.response.body" and message.get("body") and record.first_byte_s is None:
                record.first_byte_s = time.perf_counter() - started
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            record.elapsed_s = time.perf_counter() - started
            if record.status is None:  # no response started: the client sees the connection fail
                record.status = 500
            if on_board:
                self.board.finish(record)
            log.info("%s %s %d %.0f ms %.2f s audio", scope["method"], path, record.status, 1000 * record.elapsed_s,
                     record.audio_s)
