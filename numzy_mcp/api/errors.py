"""Error translation for REST: every failure is ``{"error": {"code", "message"}}`` with a 4xx status."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from numzy_mcp.errors import NumzyError, Unauthorized

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str) -> JSONResponse:
    """The one error body shape."""
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Map domain errors, validation errors and HTTP errors to the error body."""

    @app.exception_handler(NumzyError)
    async def numzy_error(_request: Request, error: NumzyError) -> JSONResponse:  # pyright: ignore[reportUnusedFunction]
        response = error_response(error.http_status, error.code, error.message)
        if isinstance(error, Unauthorized):
            response.headers["WWW-Authenticate"] = 'Bearer realm="numzy"'
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:  # pyright: ignore[reportUnusedFunction]
        parts: list[str] = []
        for item in error.errors():
            location = ".".join(str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path"))
            parts.append(f"{location or 'request'}: {item.get('msg', 'invalid')}")
        return error_response(422, "invalid_input", "; ".join(parts) or "The request is not valid.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:  # pyright: ignore[reportUnusedFunction]
        codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 401: "unauthorized"}
        return error_response(
            error.status_code, codes.get(error.status_code, f"http_{error.status_code}"), str(error.detail)
        )

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, error: Exception) -> JSONResponse:  # pyright: ignore[reportUnusedFunction]
        log.exception("unhandled error", exc_info=error)
        return error_response(500, "internal_error", "Something went wrong on our side; the request was not applied.")
