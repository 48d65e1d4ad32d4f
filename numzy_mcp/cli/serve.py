"""`numzy serve`: process the sample receipts, then serve REST with MCP at /mcp; `numzy mcp`: stdio."""

from __future__ import annotations

import json
import shutil
import socket
import sys
from pathlib import Path
from typing import Any

from numzy_mcp.cli.process import RECEIPT_SUFFIXES, process_paths
from numzy_mcp.settings import Settings

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"


def claude_config(settings: Settings) -> dict[str, Any]:
    """A Claude Desktop / Claude Code configuration that runs this installation over stdio on the same data."""
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


def port_is_free(host: str, port: int) -> bool:
    """Whether ``host:port`` can be bound now (checked before the slow start-up work)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


async def serve(settings: Settings, host: str, port: int) -> int:
    """Run the server until interrupted; 2 when the port is taken."""
    import uvicorn

    from numzy_mcp.api import create_app
    from numzy_mcp.service import NumzyService
    from numzy_mcp.tools import build_mcp

    if not port_is_free(host, port):
        print(f"error: {host}:{port} is already in use. Stop the other server or pass --port.", file=sys.stderr)
        return 2
    service = NumzyService.from_settings(settings)
    await service.start()
    try:
        if settings.process_samples and SAMPLES_DIR.is_dir():
            samples = sorted(p for p in SAMPLES_DIR.iterdir() if p.suffix.lower() in RECEIPT_SUFFIXES)
            print(f"Processing {len(samples)} sample receipts from {SAMPLES_DIR} …", flush=True)
            async for doc in process_paths(service, settings.default_team, samples):
                fields = doc.get("fields") or {}
                print(
                    f"  {Path(doc['file']).name}: {doc['status']}, {fields.get('merchant')!r}, "
                    f"total {fields.get('total')} {fields.get('currency') or ''}, date {fields.get('date')} "
                    f"→ {doc.get('decision')}",
                    flush=True,
                )
        app = create_app(service, build_mcp(service), manage_service=False)
        base = f"http://{host}:{port}"
        print(
            f"\nNumzy is running on the embedded default (SQLite and files in {settings.data_dir.resolve()}).\n"
            f"  REST API:      {base}  (docs: {base}/docs, health: {base}/health)\n"
            f"  MCP endpoint:  {base}/mcp  (streamable HTTP)\n"
            f"  Claude Desktop (stdio) configuration:\n{json.dumps(claude_config(settings), indent=2)}\n",
            flush=True,
        )
        config = uvicorn.Config(app, host=host, port=port, log_level="info", lifespan="on")
        await uvicorn.Server(config).serve()
    finally:
        await service.close()
    return 0


async def mcp_stdio(settings: Settings) -> None:
    """Serve MCP over stdio as the local owner (files may be uploaded by path)."""
    from numzy_mcp.service import NumzyService
    from numzy_mcp.tools import build_mcp

    service = NumzyService.from_settings(settings)
    await service.start()
    try:
        await build_mcp(service, allow_local_paths=True).run_stdio_async(show_banner=False)
    finally:
        await service.close()
