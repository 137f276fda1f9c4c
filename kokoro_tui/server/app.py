"""The FastAPI application: routes, the web page, errors, the API key, the access log and request board,
and the model's lifetime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.concurrency import run_in_threadpool

from kokoro_tui import __version__
from kokoro_tui.server import routes_catalog, routes_phonemes, routes_speech
from kokoro_tui.server.access_log import AccessLog
from kokoro_tui.server.api_errors import install_error_handlers
from kokoro_tui.server.auth import require_api_key
from kokoro_tui.server.routes_page import install_page
from kokoro_tui.server.service import PipelineFactory, SpeechService
from kokoro_tui.server.settings import ServerSettings
from kokoro_tui.speech.request_board import RequestBoard, ServerIdentity


def create_app(settings: ServerSettings, pipelines: PipelineFactory | None = None) -> FastAPI:
    """The speech server. Its start-up starts the synthesis thread, which loads and warms the model
    (``app.state.service.start()`` may be called before, to fail before the port opens), then puts
    the request board up in the data home's ``servers/``, for the dashboard; its shutdown takes it down."""
    service = SpeechService(settings, pipelines)
    board = RequestBoard(service.home.servers, identity(settings), queued=lambda: service.active_requests)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(service.start)
        board.start()
        try:
            yield
        finally:
            board.close()
            await run_in_threadpool(service.close)

    app = FastAPI(title="kokoro-tui speech server", version=__version__, lifespan=lifespan)
    app.state.service = service
    app.state.board = board
    install_error_handlers(app)
    app.add_middleware(AccessLog, board=board)
    keyed = [Depends(require_api_key)]
    app.include_router(routes_catalog.public)
    app.include_router(routes_catalog.router, dependencies=keyed)
    app.include_router(routes_speech.router, dependencies=keyed)
    app.include_router(routes_phonemes.router, dependencies=keyed)
    install_page(app)  # public: the page holds no secret, and its API requests carry the key
    return app


def identity(settings: ServerSettings) -> ServerIdentity:
    """How the board names this server: its address as a client would write it, and how it runs."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host  # an IPv6 address
    return ServerIdentity(url=f"http://{host}:{settings.port}", backend=settings.backend, device=settings.device,
                          precision=settings.precision, max_requests=settings.max_requests,
                          keyed=settings.api_key is not None)
