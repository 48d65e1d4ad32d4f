"""Bearer API keys for REST and for MCP over HTTP, and the embedded-default policy.

Policy:

- A request that presents ``Authorization: Bearer <key>`` must present a valid, unrevoked key; it then
  acts as the key's team with the key's scopes. An invalid key is always 401, even from loopback.
- A request without a key is the local owner (default team, every scope) when it comes from a loopback
  address (127.0.0.0/8, ::1) and ``require_auth`` is off: the embedded default, where the server and
  its only user share a machine. Otherwise it is 401.
- Turn ``require_auth`` on (``NUMZY_REQUIRE_AUTH=true``) whenever anything other than you can reach the
  port through loopback, e.g. behind a reverse proxy on the same host.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Sequence

from fastmcp.server.auth import AccessToken
from mcp.server.auth.middleware.auth_context import AuthContextMiddleware
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from starlette.authentication import AuthCredentials
from starlette.types import ASGIApp, Receive, Scope, Send

from numzy_mcp.errors import Unauthorized
from numzy_mcp.service import NumzyService, Principal
from numzy_mcp.service.keys import KEY_ID_CLAIM, TEAM_CLAIM

LOCAL_OWNER_CLIENT = "local-owner"


def is_loopback(host: str | None) -> bool:
    """Whether a client address is this machine."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bearer_secret(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, if that is what was sent."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def authenticate(
    service: NumzyService, authorization: str | None, client_host: str | None, *, require_auth: bool
) -> Principal:
    """Apply the policy above to one request.

    Raises:
        Unauthorized: invalid key, or no key where one is required.
    """
    secret = bearer_secret(authorization)
    if secret is not None:
        return await service.authenticate(secret)
    if authorization:
        raise Unauthorized("Send the API key as 'Authorization: Bearer <key>'.")
    if not require_auth and is_loopback(client_host):
        return Principal.local_owner(service.settings.default_team)
    raise Unauthorized(
        "An API key is required. Send 'Authorization: Bearer <key>'; create one with `numzy keys create --name NAME`."
    )


def access_token(principal: Principal, secret: str | None) -> AccessToken:
    """The FastMCP access token MCP tools read the caller from."""
    claims: dict[str, str] = {TEAM_CLAIM: principal.team_id}
    if principal.key_id is not None:
        claims[KEY_ID_CLAIM] = principal.key_id
    return AccessToken(
        token=secret or LOCAL_OWNER_CLIENT,
        client_id=principal.key_id or LOCAL_OWNER_CLIENT,
        scopes=sorted(principal.scopes),
        claims=claims,
    )


def _header(scope: Scope, name: bytes) -> str | None:
    headers: Sequence[tuple[bytes, bytes]] = scope.get("headers", [])
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class McpBearerAuth:
    """ASGI middleware in front of the MCP app: the policy above, then the token on the request for the tools."""

    def __init__(self, app: ASGIApp, service: NumzyService, *, require_auth: bool) -> None:
        self.app = AuthContextMiddleware(app)
        self.service = service
        self.require_auth = require_auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Authenticate HTTP requests; pass lifespan and other scopes through."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        authorization = _header(scope, b"authorization")
        client = scope.get("client")
        try:
            principal = await authenticate(
                self.service, authorization, client[0] if client else None, require_auth=self.require_auth
            )
        except Unauthorized as error:
            await _unauthorized(send, error.message, invalid=bearer_secret(authorization) is not None)
            return
        token = access_token(principal, bearer_secret(authorization))
        scope["user"] = AuthenticatedUser(token)
        scope["auth"] = AuthCredentials(token.scopes)
        await self.app(scope, receive, send)


async def _unauthorized(send: Send, message: str, *, invalid: bool) -> None:
    body = json.dumps({"error": {"code": "unauthorized", "message": message}}).encode()
    challenge = 'Bearer error="invalid_token"' if invalid else 'Bearer realm="numzy"'
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"www-authenticate", challenge.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
