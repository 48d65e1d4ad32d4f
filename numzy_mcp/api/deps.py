"""Dependencies shared by the routes: the service and the caller's team."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from numzy_mcp.service import NumzyService


def get_service(request: Request) -> NumzyService:
    """The service the app was built with."""
    service: NumzyService = request.app.state.service
    return service


def get_team(request: Request) -> str:
    """The caller's team (the local owner on the embedded default)."""
    service: NumzyService = request.app.state.service
    return service.settings.default_team


ServiceDep = Annotated[NumzyService, Depends(get_service)]
TeamDep = Annotated[str, Depends(get_team)]
