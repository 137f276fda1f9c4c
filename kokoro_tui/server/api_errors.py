"""Errors as OpenAI's API returns them: a 4xx status and ``{"error": {"message", "type", "param", "code"}}``.

OpenAI clients read the message from that body and raise their typed errors from the status,
so every refusal the server makes (bad input, missing key, full queue, unknown route) takes
this one shape. A user mistake the pipeline finds (a ``KokoroError``) is a 400, never a 500.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from kokoro_tui.errors import KokoroError
from kokoro_tui.server.access_log import LoggedFailure, request_record
from kokoro_tui.server.scheduler import Closed

# status -> OpenAI's error type for it
ERROR_TYPES: dict[int, str] = {401: "authentication_error", 429: "rate_limit_error", 500: "server_error",
                               503: "server_error"}
INVALID_REQUEST = "invalid_request_error"


class ApiError(Exception):
    """A refusal with its HTTP status; ``param`` names the request field at fault, if one is."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code
        self.headers = headers or {}


def error_response(error: ApiError) -> JSONResponse:
    body = {
        "message": error.message,
        "type": ERROR_TYPES.get(error.status, INVALID_REQUEST),
        "param": error.param,
        "code": error.code,
    }
    return JSONResponse({"error": body}, status_code=error.status, headers=error.headers)


def bad_request(error: KokoroError, param: str | None = None) -> ApiError:
    return ApiError(400, str(error), param=param)


def shutting_down() -> ApiError:
    """A request that came, or was still waiting, as the server stops."""
    return ApiError(503, "the server is shutting down", code="server_shutting_down")


def _validation_error(error: RequestValidationError) -> ApiError:
    """FastAPI's 422 list of problems as one 400: the first problem, named by its field."""
    first = error.errors()[0] if error.errors() else {}
    if first.get("type") == "json_invalid":
        return ApiError(400, "the request body is not valid JSON", code="json_invalid")
    location = [str(part) for part in first.get("loc", ()) if part != "body"]
    param = ".".join(location) or None
    message = str(first.get("msg", "invalid request"))
    return ApiError(400, f"{param}: {message}" if param else message, param=param, code=first.get("type"))


def refusal(error: Exception) -> ApiError | None:
    """The answer to an error the server expects of a request (its mistake, a missing key, a full queue,
    the shutdown); None for a fault of the server itself, which is logged with its traceback."""
    if isinstance(error, ApiError):
        return error
    if isinstance(error, KokoroError):
        return bad_request(error)
    if isinstance(error, RequestValidationError):
        return _validation_error(error)
    if isinstance(error, HTTPException):
        return ApiError(error.status_code, str(error.detail), headers=dict(error.headers or {}))
    if isinstance(error, Closed):
        return shutting_down()
    return None


def install_error_handlers(app: FastAPI) -> None:
    """Route every error the app can meet to ``error_response``; a refusal's message also goes on the
    request's record, for the access log line and the board."""

    async def refuse(request: Request, error: Exception) -> JSONResponse:
        answer = refusal(error)
        assert answer is not None, f"no refusal for {type(error).__name__}"
        request_record(request).error = answer.message
        return error_response(answer)

    async def crash(request: Request, error: Exception) -> JSONResponse:
        """The machine failed, not the request: the access log has logged it with its traceback."""
        fault = error.__cause__ if isinstance(error, LoggedFailure) and error.__cause__ is not None else error
        return error_response(ApiError(500, f"internal error: {type(fault).__name__}"))

    for expected in (ApiError, KokoroError, RequestValidationError, HTTPException, Closed):
        app.add_exception_handler(expected, refuse)
    app.add_exception_handler(Exception, crash)
