"""REST adapter: ``create_app(service)`` returns a FastAPI app; MCP (streamable HTTP) is mounted at /mcp."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastmcp import FastMCP
from fastmcp.utilities.lifespan import combine_lifespans
from starlette.routing import Route

from numzy_mcp import __version__
from numzy_mcp.api.auth import McpBearerAuth
from numzy_mcp.api.deps import rules_scope_by_method, scope_by_method
from numzy_mcp.api.errors import install_error_handlers
from numzy_mcp.api.limits import BodyLimit
from numzy_mcp.api.routes import receipts, rules, uploads
from numzy_mcp.service import NumzyService


def create_app(
    service: NumzyService,
    mcp: FastMCP | None = None,
    *,
    manage_service: bool = True,
    require_auth: bool | None = None,
) -> FastAPI:
    """Build the REST app; with ``mcp`` its streamable-HTTP endpoint is served at ``/mcp`` in the same process.

    REST and MCP share one bearer-key policy (``numzy_mcp.api.auth``): a presented key must be valid;
    without a key, loopback callers act as the local owner unless ``require_auth``.

    Args:
        service: the use-case layer.
        mcp: the MCP server to mount, if any.
        manage_service: start the service (migrations, workers) with the app and close it after.
        require_auth: refuse requests without an API key even from loopback; default
            ``settings.require_auth`` (``NUMZY_REQUIRE_AUTH``), else False.
    """
    if require_auth is None:
        require_auth = service.settings.require_auth

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncGenerator[None]:
        if manage_service:
            await service.start()
        try:
            yield
        finally:
            if manage_service:
                await service.close()

    mcp_app = mcp.http_app(path="/mcp", host_origin_protection="auto") if mcp is not None else None
    lifespans: list[Any] = [lifespan] if mcp_app is None else [lifespan, mcp_app.lifespan]
    app = FastAPI(
        title="Numzy",
        version=__version__,
        summary="Receipts in, audited expense records out.",
        lifespan=combine_lifespans(*lifespans),
    )
    app.state.service = service
    app.state.require_auth = require_auth
    install_error_handlers(app)

    app.add_middleware(BodyLimit, max_upload_bytes=service.settings.limits.max_upload_bytes)

    @app.get("/health", tags=["health"])
    async def health() -> dict[str, Any]:  # pyright: ignore[reportUnusedFunction]
        """Liveness and database reachability."""
        return await service.health()

    app.include_router(receipts.router, dependencies=[Depends(scope_by_method)])
    app.include_router(uploads.router)
    app.include_router(rules.router, dependencies=[Depends(rules_scope_by_method)])
    if mcp_app is not None:
        # A route for exactly /mcp (any method), not a mount at "/": unknown paths stay FastAPI's JSON 404/405.
        app.router.routes.append(Route("/mcp", McpBearerAuth(mcp_app, service, require_auth=require_auth)))
    return app
