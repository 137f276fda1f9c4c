"""`kokoro serve`: the OpenAI-compatible speech server (kokoro_tui.server) under uvicorn.

Thin on purpose: parse the options, build the settings, warm the model, run uvicorn. The
server package (and fastapi) is imported inside the command only, so `kokoro --help` stays
instant. Options left out keep ``ServerSettings``' defaults, which the help names.
"""

from __future__ import annotations

import logging
import socket
from typing import Annotated, Any, Optional

import typer

from kokoro_tui.cli.console import err
from kokoro_tui.errors import KokoroError

MAX_PORT = 65535

API_KEY_VAR = "KOKORO_API_KEY"


def serve(
    host: Annotated[
        Optional[str],
        typer.Option("--host", help="Address to listen on (default: 127.0.0.1, this machine only).", show_default=False),
    ] = None,
    port: Annotated[Optional[int], typer.Option("--port", help="Port (default: 8880).", show_default=False)] = None,
    device: Annotated[Optional[str], typer.Option("--device", help="auto, cpu or cuda (default: auto).", show_default=False)] = None,
    backend: Annotated[
        Optional[str], typer.Option("--backend", help="torch, onnx, litert or tf (default: torch).", show_default=False)
    ] = None,
    precision: Annotated[
        Optional[str],
        typer.Option("--precision", help="auto, fp32 or int8, as for `kokoro say` (default: auto).", show_default=False),
    ] = None,
    api_key: Annotated[
        Optional[str],
        typer.Option("--api-key", envvar=API_KEY_VAR, help="Require 'Authorization: Bearer KEY' on every request but /health.", show_default=False),
    ] = None,
    max_requests: Annotated[
        Optional[int],
        typer.Option("--max-requests", help="Speech requests admitted at once; the next gets 429 (default: 8).", show_default=False),
    ] = None,
    max_input_chars: Annotated[
        Optional[int],
        typer.Option("--max-input-chars", help="Longest text a request may send (default: 20000).", show_default=False),
    ] = None,
) -> None:
    """Serve speech over HTTP: OpenAI's /v1/audio/speech and more, on one warmed-up model.

    The web page is at the server's address; `kokoro tui` (key 6) shows its requests live on the same data home.
    """
    import uvicorn

    from kokoro_tui.server.app import create_app
    from kokoro_tui.server.settings import ServerSettings

    given: dict[str, Any] = {"host": host, "port": port, "device": device, "backend": backend,
                             "precision": precision, "api_key": api_key, "max_requests": max_requests,
                             "max_input_chars": max_input_chars}
    for option, value in (("--max-requests", max_requests), ("--max-input-chars", max_input_chars)):
        if value is not None and value < 1:
            raise KokoroError(f"{option} must be at least 1, not {value}")
    if port is not None and not 1 <= port <= MAX_PORT:
        raise KokoroError(f"--port {port} is not a TCP port", hint=f"use 1 to {MAX_PORT}")
    settings = ServerSettings(**{name: value for name, value in given.items() if value is not None})
    check_can_listen(settings.host, settings.port)  # before the model loads, not after
    if not settings.local_only:
        err.print(f"warning: listening on {settings.host}: any machine that reaches it can use the server"
                  f"{'' if settings.api_key else ' (set --api-key)'}", markup=False, highlight=False, soft_wrap=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    # phonemizer (espeak-ng for the words misaki lacks) logs "words count mismatch" whenever espeak splits
    # a word differently; misaki reads its output word by word anyway, so it is noise in the request log.
    logging.getLogger("phonemizer").propagate = False
    app = create_app(settings)
    app.state.service.start()  # a missing model or voice is one line and exit 2, before the port opens
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False, log_level="info")


def check_can_listen(host: str, port: int) -> None:
    """Refuse, in one line, an address the server could not listen on (a port in use, a host not of this machine):
    uvicorn would find out only after the model loaded, and say it in four log lines."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is no conflict
            probe.bind((host, port))
    except OSError as error:
        reason = error.strerror or str(error)
        raise KokoroError(f"cannot listen on {host}:{port}: {reason}", hint="pick another --port or --host") from None


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
