"""The web page at ``/``: type a text, pick a voice or a blend, and hear it with each word highlighted.

Plain HTML, JavaScript and CSS shipped as package data in ``static/``: no build step and no CDN,
so the page works offline and behind a proxy that mounts the server under a prefix (its URLs are
relative). It is a client of the public API only (``/v1/audio/voices``, ``/dev/captioned_speech``),
so it needs no key to load; its requests carry the key the user types, when the server wants one.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from starlette.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).with_name("static")
STATIC_PATH = "/static"  # where index.html finds app.js and style.css
# The page loads nothing from elsewhere: a script injected into it could not load or send anything either.
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'self'"}

router = APIRouter()


@router.get("/", include_in_schema=False)
async def index() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", headers=PAGE_HEADERS)


def install_page(app: FastAPI) -> None:
    """Serve the page at ``/`` and its script and style sheet under ``STATIC_PATH``."""
    app.include_router(router)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="static")
