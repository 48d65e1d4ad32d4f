"""A cap on request bodies, whether or not they declare their length.

The largest legitimate body is one upload as base64 inside MCP JSON (4/3 of the upload limit) plus
some room for the envelope. A declared ``Content-Length`` above the cap is refused at once; a chunked
body is counted as it arrives and refused when it passes the cap, so neither can fill memory or disk.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from numzy_mcp.api.errors import error_response

__all__ = ["BodyLimit"]

_ENVELOPE = 1 << 20


class _TooLarge(HTTPException):
    """The body passed the cap while the app was reading it (the app's handler answers 413)."""

    def __init__(self, message: str) -> None:
        super().__init__(413, message)


class BodyLimit:
    """ASGI middleware: 413 ``too_large`` for bodies over ``4/3 × max_upload_bytes + 1 MiB``."""

    def __init__(self, app: ASGIApp, *, max_upload_bytes: int) -> None:
        """Wrap ``app``.

        Args:
            app: The ASGI app.
            max_upload_bytes: The upload limit the cap is derived from.
        """
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        self.cap = (max_upload_bytes * 4) // 3 + _ENVELOPE

    @property
    def message(self) -> str:
        """What a refused client is told."""
        return f"The request body is larger than the {self.max_upload_bytes}-byte upload limit allows."

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        await error_response(413, "too_large", self.message)(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting its body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > self.cap:
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.cap:
                    raise _TooLarge(self.message)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send)
