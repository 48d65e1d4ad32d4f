"""Dependencies shared by the routes: the service, the caller (API key or local owner), the team, scopes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from numzy_mcp.api.auth import authenticate
from numzy_mcp.errors import Forbidden
from numzy_mcp.service import NumzyService, Principal


def get_service(request: Request) -> NumzyService:
    """The service the app was built with."""
    service: NumzyService = request.app.state.service
    return service


async def get_principal(request: Request) -> Principal:
    """The caller: a valid bearer API key, or the local owner on loopback (see ``numzy_mcp.api.auth``).

    Raises:
        Unauthorized: invalid key, or no key where one is required.
    """
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    service: NumzyService = request.app.state.service
    require_auth: bool = request.app.state.require_auth
    principal = await authenticate(
        service,
        request.headers.get("authorization"),
        request.client.host if request.client else None,
        require_auth=require_auth,
    )
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_team(principal: PrincipalDep) -> str:
    """The caller's team."""
    return principal.team_id


def require_scopes(*scopes: str) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency refusing callers whose key lacks ``scopes`` (403)."""

    async def check(request: Request) -> Principal:
        principal = await get_principal(request)
        missing = principal.missing(*scopes)
        if missing:
            raise Forbidden(
                f"This API key lacks the scope(s) {', '.join(missing)}. "
                f"Create a key with them: numzy keys create --scope {' --scope '.join(missing)}."
            )
        return principal

    return check


async def scope_by_method(request: Request) -> Principal:
    """``receipts:read`` for GET and HEAD, ``receipts:write`` for every other method (the receipts router)."""
    scope = "receipts:read" if request.method in ("GET", "HEAD") else "receipts:write"
    return await require_scopes(scope)(request)


async def rules_scope_by_method(request: Request) -> Principal:
    """``receipts:read`` to read rules and dry-run them, ``rules:write`` to change them (the rules router)."""
    reading = request.method in ("GET", "HEAD") or request.url.path.endswith(("/dry_run", "/from_text"))
    return await require_scopes("receipts:read" if reading else "rules:write")(request)


ServiceDep = Annotated[NumzyService, Depends(get_service)]
TeamDep = Annotated[str, Depends(get_team)]
