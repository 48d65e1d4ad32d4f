"""Error translation for MCP: a ``NumzyError`` becomes an ``isError`` result whose text the model can act on.

Anything else stays masked by FastMCP (``mask_error_details=True``).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from fastmcp import FastMCP
from fastmcp.exceptions import ToolError

from numzy_mcp.errors import NumzyError

P = ParamSpec("P")
R = TypeVar("R")


def domain_errors(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Wrap a tool so domain errors reach the client as ``ToolError`` with their message and code."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await fn(*args, **kwargs)
        except NumzyError as error:
            raise ToolError(f"{error.message} (code: {error.code})") from error

    return wrapper


def numzy_tool(mcp: FastMCP, **options: Any) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """``@mcp.tool(**options)`` plus domain-error translation."""

    def register(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        wrapped = domain_errors(fn)
        mcp.tool(**options)(wrapped)
        return wrapped

    return register
