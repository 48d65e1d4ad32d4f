"""The composition root: ``numzy serve | mcp | process FILE… | migrate | keys | rules | eval``.

Builds ``Settings``, the service and the adapters; nothing is built at import time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from numzy_mcp.cli import evaluate, keys, rules
from numzy_mcp.settings import Settings


def _common() -> argparse.ArgumentParser:
    """Options every command takes, before or after the command name."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", default=argparse.SUPPRESS, help="Folder for the SQLite database and files (NUMZY_DATA_DIR)."
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="Log debug messages to stderr."
    )
    return common


def _parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="numzy", description="Receipts in, audited expense records out.", parents=[common]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", parents=[common], help="Run the REST API with MCP at /mcp (processes the samples first)."
    )
    serve.add_argument("--host", default=None, help="Interface to listen on (NUMZY_HOST, default 127.0.0.1).")
    serve.add_argument("--port", type=int, default=None, help="Port (NUMZY_PORT, default 8000).")
    serve.add_argument("--no-samples", action="store_true", help="Skip processing the bundled sample receipts.")
    commands.add_parser(
        "mcp", parents=[common], help="Run the MCP server over stdio (for Claude Desktop / Claude Code)."
    )
    process = commands.add_parser(
        "process", parents=[common], help="Upload, extract and audit files; print one JSON per receipt."
    )
    process.add_argument("paths", nargs="+", type=Path)
    process.add_argument("--pretty", action="store_true", help="Indent the JSON.")
    commands.add_parser("migrate", parents=[common], help="Apply database migrations.")
    keys.add_parser(commands, [common])
    rules.add_parser(commands, [common])
    evaluate.add_parser(commands, [common])
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    if getattr(args, "data_dir", None):
        settings = settings.model_copy(update={"data_dir": Path(args.data_dir)})
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``numzy`` command."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = _settings(args)
    except ValidationError as error:
        # each setting and what is wrong with it; never the values (an API key may be among them)
        for problem in error.errors(include_input=False, include_url=False):
            name = "NUMZY_" + "__".join(str(part) for part in problem["loc"]).upper()
            print(f"error (invalid_settings): {name}: {problem['msg']}", file=sys.stderr)
        return 2
    if args.command == "serve":
        from numzy_mcp.cli.serve import serve

        if args.no_samples:
            settings = settings.model_copy(update={"process_samples": False})
        with contextlib.suppress(KeyboardInterrupt):
            return asyncio.run(serve(settings, args.host or settings.host, args.port or settings.port))
        return 0
    if args.command == "mcp":
        from numzy_mcp.cli.serve import mcp_stdio

        asyncio.run(mcp_stdio(settings))
        return 0
    if args.command == "process":
        from numzy_mcp.cli.process import process

        return asyncio.run(process(settings, list(args.paths), args.pretty))
    if args.command == "migrate":
        from numzy_mcp.storage.db import migrate

        migrate(settings.resolved_database_url())
        print(f"Database at {settings.resolved_database_url()} is up to date.")
        return 0
    if args.command == "keys":
        return asyncio.run(keys.run(settings, args))
    if args.command == "rules":
        return asyncio.run(rules.run(settings, args))
    if args.command == "eval":
        return asyncio.run(evaluate.run(settings, args))
    raise AssertionError(args.command)
