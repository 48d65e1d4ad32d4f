"""Error translation and scopes for MCP: a ``NumzyError`` becomes an ``isError`` result the model can act on.

Anything else stays masked by FastMCP (``mask_error_details=True``).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ParamSpec, TypeVar

from fastmcp import FastMCP
from fastmcp.exceptions import ToolError, ValidationError
from fastmcp.server.middleware import CallNext, Middleware, MiddlewareContext
from fastmcp.tools import Tool, ToolResult
from mcp.types import CallToolRequestParams, ToolAnnotations
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails

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


class ArgumentErrors(Middleware):
    """Bad tool arguments come back as one plain sentence per problem, with ``(code: invalid_input)``.

    FastMCP's own message is pydantic's multi-line dump with documentation links; an agent acts more
    reliably on "limit: must be at most 100" than on ``[type=less_than_equal, input_value=1000]``.
    """

    async def on_call_tool(
        self,
        context: MiddlewareContext[CallToolRequestParams],
        call_next: CallNext[CallToolRequestParams, ToolResult],
    ) -> ToolResult:
        """Run the call; rewrite an argument-validation failure."""
        try:
            return await call_next(context)
        except ValidationError as error:
            cause = error.__cause__
            if not isinstance(cause, PydanticValidationError):
                raise
            problems = "; ".join(_problem(item) for item in cause.errors(include_url=False))
            raise ToolError(
                f"Invalid arguments for {context.message.name}: {problems}. Fix them and call again; "
                "the tool's input schema lists each argument. (code: invalid_input)"
            ) from None


def _problem(item: ErrorDetails) -> str:
    where = ".".join(str(part) for part in item["loc"]) or "arguments"
    kind = item["type"]
    if kind in ("missing_argument", "missing"):
        return f"{where} is required"
    if kind == "unexpected_keyword_argument":
        return f"{where} is not an argument of this tool"
    return f"{where}: {item['msg']}"
