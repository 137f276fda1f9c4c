"""The optional API key: with one configured, every API route but ``/health`` wants ``Authorization: Bearer KEY``
(the web page and its files hold no secret and are served to anyone; its API requests carry the key)."""

from __future__ import annotations

import hmac

from fastapi import Request

from kokoro_tui.server.api_errors import ApiError


async def require_api_key(request: Request) -> None:
    """A FastAPI dependency: 401 unless the request carries the server's key (compared in constant time)."""
    key = request.app.state.service.settings.api_key
    if key is None:
        return
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), key.encode()):
        raise ApiError(401, "missing or wrong API key: send 'Authorization: Bearer KEY'", code="invalid_api_key",
                       headers={"WWW-Authenticate": "Bearer"})
