"""The composition root: ``numzy serve | mcp | process FILE… | migrate``.

Builds ``Settings``, the service and the adapters; nothing is built at import time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import shutil
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from numzy_mcp.settings import Settings

SAMPLES_DIR = Path(__file__).parent / "samples"
RECEIPT_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".pdf"}


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    if getattr(args, "data_dir", None):
        settings = settings.model_copy(update={"data_dir": Path(args.data_dir)})
    return settings


def _claude_config(settings: Settings) -> dict[str, Any]:
    executable = shutil.which("numzy") or str(Path(sys.argv[0]).resolve())
    return {
        "mcpServers": {
            "numzy": {
                "command": executable,
                "args": ["mcp"],
                "env": {"NUMZY_DATA_DIR": str(settings.data_dir.resolve())},
            }
        }
    }


async def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from numzy_mcp.api import create_app
    from numzy_mcp.service import NumzyService
    from numzy_mcp.tools import build_mcp

    service = NumzyService.from_settings(settings)
    await service.start()
    try:
        if settings.process_samples and SAMPLES_DIR.is_dir():
            samples = sorted(p for p in SAMPLES_DIR.iterdir() if p.suffix.lower() in RECEIPT_SUFFIXES)
            print(f"Processing {len(samples)} sample receipts from {SAMPLES_DIR} …", flush=True)
            async for doc in _process(service, settings.default_team, samples):
                fields = doc.get("fields") or {}
                print(
                    f"  {doc['file']}: {doc['status']}, {fields.get('merchant')!r}, total {fields.get('total')} "
                    f"{fields.get('currency') or ''}, date {fields.get('date')} → {doc.get('decision')}",
                    flush=True,
                )
        app = create_app(service, build_mcp(service), manage_service=False)
        base = f"http://{host}:{port}"
        print(
            f"\nNumzy is running on the embedded default (SQLite and files in {settings.data_dir.resolve()}).\n"
            f"  REST API:      {base}  (docs: {base}/docs, health: {base}/health)\n"
            f"  MCP endpoint:  {base}/mcp  (streamable HTTP)\n"
            f"  Claude Desktop (stdio) configuration:\n{json.dumps(_claude_config(settings), indent=2)}\n",
            flush=True,
        )
        config = uvicorn.Config(app, host=host, port=port, log_level="info", lifespan="on")
        await uvicorn.Server(config).serve()
    finally:
        await service.close()


async def _process(service: Any, team: str, paths: Sequence[Path]) -> AsyncIterator[dict[str, Any]]:
    """Upload every path, then yield one document per receipt, in order, as each finishes."""
    from numzy_mcp.errors import NumzyError

    queued: list[tuple[Path, str | None, dict[str, Any] | None]] = []
    for path in paths:
        try:
            result = await service.upload(team, path.read_bytes(), path.name)
            queued.append((path, result.receipt.id, None))
        except (NumzyError, OSError) as error:
            code = getattr(error, "code", "io_error")
            queued.append(
                (path, None, {"file": str(path), "status": "refused", "error": {"code": code, "message": str(error)}})
            )
    for path, receipt_id, refused in queued:
        if refused is not None or receipt_id is None:
            yield refused or {}
            continue
        view = await service.wait_for_receipt(team, receipt_id, timeout=3600)
        doc: dict[str, Any] = {"file": str(path), **view.model_dump(mode="json")}
        if view.status.value == "completed":
            doc["explanation"] = (await service.explain_receipt(team, receipt_id)).text
        yield doc


async def _process_command(settings: Settings, paths: list[Path], pretty: bool) -> int:
    from numzy_mcp.service import NumzyService

    service = NumzyService.from_settings(settings)
    await service.start()
    failures = 0
    try:
        async for doc in _process(service, settings.default_team, paths):
            failures += doc.get("status") != "completed"
            print(json.dumps(doc, indent=2 if pretty else None, ensure_ascii=False), flush=True)
    finally:
        await service.close()
    return 1 if failures else 0


async def _mcp_stdio(settings: Settings) -> None:
    from numzy_mcp.service import NumzyService
    from numzy_mcp.tools import build_mcp

    service = NumzyService.from_settings(settings)
    await service.start()
    try:
        await build_mcp(service, allow_local_paths=True).run_stdio_async(show_banner=False)
    finally:
        await service.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="numzy", description="Receipts in, audited expense records out.")
    parser.add_argument("--data-dir", help="Folder for the SQLite database and files (env NUMZY_DATA_DIR).")
    parser.add_argument("-v", "--verbose", action="store_true", help="Log debug messages to stderr.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="Run the REST API with MCP at /mcp (processes the samples first).")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--no-samples", action="store_true", help="Skip processing the bundled sample receipts.")
    commands.add_parser("mcp", help="Run the MCP server over stdio (for Claude Desktop / Claude Code).")
    process = commands.add_parser("process", help="Upload, extract and audit files; print one JSON per receipt.")
    process.add_argument("paths", nargs="+", type=Path)
    process.add_argument("--pretty", action="store_true", help="Indent the JSON.")
    commands.add_parser("migrate", help="Apply database migrations.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``numzy`` command."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    settings = _settings(args)
    if args.command == "serve":
        if args.no_samples:
            settings = settings.model_copy(update={"process_samples": False})
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve(settings, args.host or settings.host, args.port or settings.port))
        return 0
    if args.command == "mcp":
        asyncio.run(_mcp_stdio(settings))
        return 0
    if args.command == "process":
        return asyncio.run(_process_command(settings, list(args.paths), args.pretty))
    if args.command == "migrate":
        from numzy_mcp.storage.db import migrate

        migrate(settings.resolved_database_url())
        print(f"Database at {settings.resolved_database_url()} is up to date.")
        return 0
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
