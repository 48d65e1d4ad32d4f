"""A cap on request bodies, whether or not they declare their length.

The largest legitimate body is one upload as base64 inside JSON (4/3 of the upload limit) plus some
room for the envelope. A declared ``Content-Length`` above the cap is refused at once; a chunked body
is counted as it arrives and refused when it passes the cap, so neither can fill memory or disk.

Requests to ``/mcp`` have the MCP SDK's own 4 MiB cap, whose refusal is a plain-text 413 that MCP
clients can only report as "Server returned an error response". They are capped here first and
refused with a JSON-RPC error the client shows to the agent, saying how to send a larger file.
"""

from __future__ import annotations

from mcp.server.transport_security import DEFAULT_MAX_REQUEST_BODY_SIZE
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from numzy_mcp.api.errors import error_response

__all__ = ["BodyLimit"]

_ENVELOPE = 1 << 20
MCP_BODY_CAP = DEFAULT_MAX_REQUEST_BODY_SIZE
"""The MCP SDK refuses larger request bodies on ``/mcp``; Numzy refuses them first, in JSON-RPC."""
_MCP_TOO_LARGE = -32600  # JSON-RPC "Invalid Request"


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

    @staticmethod
    def mcp_message() -> str:
        """What a refused MCP client (an agent) is told: the limit and the way around it."""
        return (
            f"The MCP request is larger than {MCP_BODY_CAP} bytes (MCP over HTTP caps a request there; "
            "a file sent as content_base64 grows by a third). Send one smaller file per call, or stage a "
            "large file first: POST /uploads (multipart field `file`) returns an upload_id, then call "
            "upload_receipt(upload_id=...). Over stdio, pass `path` instead."
        )

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _is_mcp(scope):
            body = {"jsonrpc": "2.0", "id": None, "error": {"code": _MCP_TOO_LARGE, "message": self.mcp_message()}}
            await JSONResponse(body, status_code=413)(scope, receive, send)
            return
        await error_response(413, "too_large", self.message)(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting its body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        mcp = _is_mcp(scope)
        cap = min(self.cap, MCP_BODY_CAP) if mcp else self.cap
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > cap:
            await self._refuse(scope, receive, send)
            return
        if mcp and scope.get("method") == "POST":
            await self._buffered(scope, receive, send, cap)
            return
        seen = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
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

    async def _buffered(self, scope: Scope, receive: Receive, send: Send, cap: int) -> None:
        """An MCP POST, read whole (at most ``cap`` bytes, as the SDK would) before the app sees it.

        The SDK and its app answer an error raised while they read with their own plain-text 413, so a
        chunked body past the cap is refused here, in JSON-RPC, before they start.
        """
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body.extend(message.get("body", b""))
            if len(body) > cap:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _is_mcp(scope: Scope) -> bool:
    path = str(scope.get("path", ""))
    return path == "/mcp" or path.startswith("/mcp/")
