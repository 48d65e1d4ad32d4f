"""`numzy serve` as a real subprocess on a free loopback port, driven by the official `mcp` client with a key."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from tests.images import image_bytes

pytestmark = [pytest.mark.xdist_group("interop_http"), pytest.mark.timeout(120)]
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class RunningServer:
    url: str
    key: str
    data_dir: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def numzy_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "NUMZY_DATA_DIR": str(data_dir), "NUMZY_PROCESS_SAMPLES": "false"}
    env.pop("NUMZY_DATABASE_URL", None)
    return env


def create_key(data_dir: Path, *scopes: str) -> str:
    args = [sys.executable, "-m", "numzy_mcp.cli", "keys", "create", "--name", "interop"]
    for scope in scopes:
        args += ["--scope", scope]
    done = subprocess.run(args, env=numzy_env(data_dir), capture_output=True, text=True, timeout=60, check=True)
    secret = done.stdout.strip().splitlines()[0]
    assert secret.startswith("nzk_"), done.stdout + done.stderr
    return secret


@contextlib.contextmanager
def numzy_server(data_dir: Path) -> Generator[RunningServer]:
    """`numzy serve` with auth required and one full-scope key; killed afterwards."""
    key = create_key(data_dir)
    port = free_port()
    env = {**numzy_env(data_dir), "NUMZY_REQUIRE_AUTH": "true"}
    log = (data_dir / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "numzy_mcp.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--no-samples"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, (data_dir / "serve.log").read_text()
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            assert time.monotonic() < deadline, "numzy serve did not answer /health in time"
            time.sleep(0.1)
        yield RunningServer(url=f"http://127.0.0.1:{port}/mcp", key=key, data_dir=data_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with numzy_server(tmp_path_factory.mktemp("serve")) as running:
        yield running


def png_b64(seed: int) -> str:
    return base64.b64encode(image_bytes(seed=seed)).decode()


@pytest.mark.parametrize("era", ["auto", "legacy"])
async def test_official_client_over_http_uploads_and_reads_back_with_a_key(server: RunningServer, era: str) -> None:
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {server.key}"}, timeout=60)
    async with http, Client(streamable_http_client(server.url, http_client=http), mode=era) as client:  # pyright: ignore[reportArgumentType]
        tools = await client.list_tools()
        assert {"upload_receipt", "get_receipt", "delete_receipt"} <= {tool.name for tool in tools.tools}

        seed = 90 if era == "auto" else 91
        uploaded = await client.call_tool(
            "upload_receipt", {"content_base64": png_b64(seed), "filename": "a.png", "wait": False}
        )
        assert not uploaded.is_error, uploaded.content
        receipt = (uploaded.structured_content or {})["receipt"]
        assert any(block.type == "resource_link" for block in uploaded.content)

        got = await client.call_tool("get_receipt", {"receipt_id": receipt["id"]})
        assert (got.structured_content or {})["id"] == receipt["id"]
        resource = await client.read_resource(f"receipt://{receipt['id']}")
        assert receipt["id"] in resource.contents[0].text  # pyright: ignore[reportAttributeAccessIssue]
        prompt = await client.get_prompt("write_rule", {"policy": "No alcohol"})
        assert "No alcohol" in prompt.messages[0].content.text  # pyright: ignore[reportAttributeAccessIssue]


async def test_a_request_past_the_mcp_body_cap_tells_the_agent_how_to_send_the_file(server: RunningServer) -> None:
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {server.key}"}, timeout=60)
    too_big = base64.b64encode(os.urandom(3_300_000)).decode()  # 4.4 MB of base64: past the 4 MiB cap
    async with http, Client(streamable_http_client(server.url, http_client=http)) as client:  # pyright: ignore[reportArgumentType]
        with pytest.raises(MCPError) as caught:
            await client.call_tool("upload_receipt", {"content_base64": too_big, "filename": "big.jpg"})
        assert "upload_id" in str(caught.value) and "POST /uploads" in str(caught.value)
        still = await client.list_tools()  # the session survives the refusal
        assert still.tools


def test_a_chunked_mcp_body_past_the_cap_gets_the_same_json_rpc_refusal(server: RunningServer) -> None:
    arguments = {"content_base64": "A" * (4 * 1024 * 1024 + 10), "filename": "x.jpg"}
    call = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "tools/call",
        "params": {"name": "upload_receipt", "arguments": arguments},
    }
    body = json.dumps(call).encode()
    headers = {
        "Authorization": f"Bearer {server.key}",
        "Accept": "application/json, text/event-stream",
        "Content-Type": "application/json",
    }
    chunks = iter([body[i : i + 65536] for i in range(0, len(body), 65536)])  # no Content-Length
    refused = httpx.post(server.url, content=chunks, headers=headers, timeout=30)

    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith("application/json")
    assert "upload_id" in refused.json()["error"]["message"]


def test_http_with_a_wrong_key_is_401_with_an_invalid_token_challenge(server: RunningServer) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    wrong = httpx.post(server.url, json=body, headers={"Authorization": "Bearer nzk_wrong"}, timeout=10)

    assert wrong.status_code == 401
    assert 'error="invalid_token"' in wrong.headers["www-authenticate"]


def test_http_without_a_key_is_401_when_auth_is_required(server: RunningServer) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    anonymous = httpx.post(server.url, json=body, timeout=10)

    assert anonymous.status_code == 401
