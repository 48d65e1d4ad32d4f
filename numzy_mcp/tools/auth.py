"""Who is calling an MCP tool: the API key's principal over HTTP, the local owner over stdio and in memory.

Over HTTP the REST app's bearer middleware (``numzy_mcp.api.auth``) authenticates every request and puts an
``AccessToken`` carrying the team in its claims on the request; tools read it with ``get_access_token``.
An HTTP request without one means the middleware is missing, and the call is refused (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fastmcp.exceptions import ToolError
from fastmcp.server.dependencies import get_access_token, get_http_request

from numzy_mcp.service import Principal
from numzy_mcp.service.keys import KEY_ID_CLAIM, TEAM_CLAIM


def _in_http_request() -> bool:
    try:
        get_http_request()
    except RuntimeError:
        return False
    return True


def current_principal(local: Callable[[], Principal]) -> Principal:
    """The caller: from the request's access token over HTTP, else ``local()`` (stdio, in-memory)."""
    token = get_access_token()
    if token is None:
        if _in_http_request():
            raise ToolError(
                "Not authenticated. Send 'Authorization: Bearer <key>' (create one with `numzy keys create`)."
            )
        return local()
    team = token.claims.get(TEAM_CLAIM)
    if not isinstance(team, str):
        raise ToolError("The access token names no Numzy team. Use an API key from `numzy keys create`.")
    key_id = token.claims.get(KEY_ID_CLAIM)
    return Principal(team_id=team, scopes=frozenset(token.scopes), key_id=key_id if isinstance(key_id, str) else None)


def require_scopes(scopes: Sequence[str]) -> None:
    """Refuse the call when the caller's key lacks one of ``scopes`` (no token outside HTTP: the local owner)."""
    if not scopes:
        return
    token = get_access_token()
    if token is None:
        if _in_http_request():
            raise ToolError(
                "Not authenticated. Send 'Authorization: Bearer <key>' (create one with `numzy keys create`)."
            )
        return
    missing = [scope for scope in scopes if scope not in token.scopes]
    if missing:
        raise ToolError(
            f"This API key lacks the scope(s) {', '.join(missing)} (code: forbidden). "
            f"Ask the team owner for a key with them: numzy keys create --scope {' --scope '.join(missing)}."
        )
