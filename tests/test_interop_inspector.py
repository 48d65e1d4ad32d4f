"""The official MCP Inspector CLI against Numzy over stdio and over HTTP (with a key), in both protocol eras.

Each call runs (npm registry needed once; the package is cached in the user's npm cache):

    npx -y @modelcontextprotocol/inspector@2.12.0 --cli --format json -q [--protocol-era modern] \\
        .venv/bin/numzy mcp -e NUMZY_DATA_DIR=… -e NUMZY_PROCESS_SAMPLES=false --cwd … --method tools/list
    npx -y @modelcontextprotocol/inspector@2.12.0 --cli --format json -q [--protocol-era modern] \\
        http://127.0.0.1:PORT/mcp --header "Authorization: Bearer nzk_…" --method tools/list

then `--method tools/call --tool-name upload_receipt --tool-args-json '{…}'` and `get_receipt`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_interop_http import RunningServer, numzy_server, png_b64

INSPECTOR = "@modelcontextprotocol/inspector@2.12.0"
NPX = shutil.which("npx")
NUMZY = Path(sys.executable).with_name("numzy")
ERAS = {"legacy": [], "modern": ["--protocol-era", "modern"]}
pytestmark = [
    pytest.mark.skipif(NPX is None, reason="npx (Node.js) is not installed; the MCP Inspector CLI needs it"),
    pytest.mark.skipif(not NUMZY.exists(), reason=f"the numzy console script is not installed at {NUMZY}"),
    pytest.mark.xdist_group("interop_inspector"),
    pytest.mark.timeout(300),
]
NPM_CACHE = os.environ.get("npm_config_cache") or str(Path.home() / ".npm")  # noqa: SIM112 (npm spells it so)


def inspector(home: Path, era: str, target: list[str], *options: str) -> dict[str, Any]:
    """Run one Inspector CLI call and return its JSON result; fail with its stderr otherwise."""
    assert NPX is not None
    env = {
        **os.environ,
        "HOME": str(home),  # the Inspector writes ~/.mcp-inspector
        "npm_config_cache": NPM_CACHE,  # …but keep the npx download cached across runs
        "npm_config_update_notifier": "false",
        "npm_config_loglevel": "error",
    }
    # the target goes before the options: several of them (--header, --tool-arg) take many values
    args = [NPX, "-y", INSPECTOR, "--cli", "--format", "json", "-q", *ERAS[era], *target, *options]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, f"exit {done.returncode}\nstdout: {done.stdout[-2000:]}\nstderr: {done.stderr[-2000:]}"
    return json.loads(done.stdout)["result"]


def upload_then_get(home: Path, era: str, target: list[str], options: list[str], seed: int) -> None:
    listed = inspector(home, era, target, *options, "--method", "tools/list")
    names = {tool["name"] for tool in listed["tools"]}
    assert {"upload_receipt", "upload_receipts", "get_receipt", "search_receipts", "delete_receipt"} <= names
    upload = next(tool for tool in listed["tools"] if tool["name"] == "upload_receipt")
    assert upload["annotations"]["idempotentHint"] is True
    assert "outputSchema" in upload

    arguments = json.dumps({"content_base64": png_b64(seed), "filename": "inspector.png", "wait": False})
    uploaded = inspector(
        home, era, target, *options, "--method", "tools/call", "--tool-name", "upload_receipt",
        "--tool-args-json", arguments,
    )  # fmt: skip
    assert uploaded["isError"] is False
    receipt_id = uploaded["structuredContent"]["receipt"]["id"]
    assert {block["type"] for block in uploaded["content"]} == {"text", "resource_link"}

    got = inspector(
        home, era, target, *options, "--method", "tools/call", "--tool-name", "get_receipt",
        "--tool-arg", f"receipt_id={receipt_id}",
    )  # fmt: skip
    assert got["structuredContent"]["id"] == receipt_id
    assert got["structuredContent"]["filename"] == "inspector.png"


@pytest.fixture(scope="module")
def http_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with numzy_server(tmp_path_factory.mktemp("inspector-serve")) as running:
        yield running


@pytest.mark.parametrize("era", ["legacy", "modern"])
def test_inspector_over_stdio_lists_tools_uploads_and_reads_back(tmp_path: Path, era: str) -> None:
    data_dir = tmp_path / "data"
    options = ["-e", f"NUMZY_DATA_DIR={data_dir}", "-e", "NUMZY_PROCESS_SAMPLES=false", "--cwd", str(tmp_path)]
    upload_then_get(tmp_path, era, [str(NUMZY), "mcp"], options, seed=100 if era == "legacy" else 101)


@pytest.mark.parametrize("era", ["legacy", "modern"])
def test_inspector_over_http_with_a_key_lists_tools_uploads_and_reads_back(
    tmp_path: Path, http_server: RunningServer, era: str
) -> None:
    options = ["--header", f"Authorization: Bearer {http_server.key}"]
    upload_then_get(tmp_path, era, [http_server.url], options, seed=102 if era == "legacy" else 103)
