"""One log line per request, written when its response has ended (a stream's last byte included):
method, path, status, milliseconds, seconds of audio made."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("kokoro_tui.server")
METER = "audio_meter"  # key of the request's AudioMeter in the ASGI scope's state


@dataclass
class AudioMeter:
    seconds: float = 0.0


def audio_meter(request: Request) -> AudioMeter:
    """The request's audio counter; routes add to it, the access log reads it at the end."""
    meter = getattr(request.state, METER, None)
    if meter is None:
        meter = AudioMeter()
        setattr(request.state, METER, meter)
    return meter


class AccessLog:
    """Pure ASGI middleware (not ``BaseHTTPMiddleware``), so a streamed response is timed to its end."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})  # shared with the routes' Request.state
        started = time.perf_counter()
        status = 500  # unless a response starts

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            meter = state.get(METER) or AudioMeter()
            elapsed_ms = 1000 * (time.perf_counter() - started)
            log.info("%s %s %d %.0f ms %.2f s audio", scope["method"], scope["path"], status, elapsed_ms, meter.seconds)
