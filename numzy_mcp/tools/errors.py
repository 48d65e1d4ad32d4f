"""Error translation and scopes for MCP: a ``NumzyError`` becomes an ``isError`` result the model can act on.

Anything else stays masked by FastMCP (``mask_error_details=True``).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ParamSpec, TypeVar

from fastmcp import FastMCP
from fastmcp.exceptions import ToolError
from fastmcp.tools import Tool
from mcp.types import ToolAnnotations
from pydantic import BaseModel

from numzy_mcp.errors import NumzyError
from numzy_mcp.tools.auth import require_scopes

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


def scoped(scopes: Sequence[str], fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Wrap a tool so it first checks the caller's API key has ``scopes``."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        require_scopes(scopes)
        return await fn(*args, **kwargs)

    return wrapper


@functools.cache
def output_schema(model: type[BaseModel]) -> dict[str, Any] | None:
    """The output schema FastMCP would derive for a tool returning ``model`` (for tools that return ToolResult)."""

    async def returns() -> Any: ...

    returns.__annotations__["return"] = model
    return Tool.from_function(returns).output_schema


def numzy_tool(
    mcp: FastMCP,
    *,
    scopes: Sequence[str] | None = None,
    output: type[BaseModel] | None = None,
    **options: Any,
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """``@mcp.tool(**options)`` plus scope checks and domain-error translation.

    Args:
        mcp: the server.
        scopes: API-key scopes the tool needs over HTTP. Default: ``receipts:read`` for a tool annotated
            read-only, else ``receipts:write``. Rule-editing tools pass ``("rules:write",)``.
        output: the model a tool returning ``ToolResult`` (e.g. with resource links) puts in structuredContent;
            it becomes the tool's output schema.
        **options: passed to ``mcp.tool``.
    """
    if scopes is None:
        annotations = options.get("annotations")
        read_only = isinstance(annotations, ToolAnnotations) and annotations.read_only_hint is True
        scopes = ("receipts:read",) if read_only else ("receipts:write",)
    if output is not None:
        options["output_schema"] = output_schema(output)
    needed = tuple(scopes)

    def register(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        wrapped = domain_errors(scoped(needed, fn))
        mcp.tool(**options)(wrapped)
        return wrapped

    return register
