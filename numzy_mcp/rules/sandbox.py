"""Python rules run here: a pool of warm worker processes speaking JSON over pipes.

Each worker is ``python -I sandbox_worker.py`` with a scrubbed environment, an empty working
directory, and rlimits it sets on itself (address space, file size 0, no core files, 16 file
descriptors, a CPU-seconds soft limit raised before each evaluation by the evaluation's budget). The
parent enforces a wall-clock limit: past it, the worker is SIGKILLed and replaced. A worker is also
replaced after a ``MemoryError``, after any crash, and after ``max_evaluations`` evaluations, so
nothing a rule leaves behind outlives a bounded window. Results come back as JSON, never pickle.

``SandboxPool.run`` is synchronous and thread-safe (one evaluation per worker at a time);
``SandboxPool.arun`` runs it in a thread for async callers. Failures are results
(``SandboxResult.ok`` False with a ``kind``): ``refused``, ``error``, ``memory``, ``recursion``,
``killed-cpu-limit``, ``killed-wall-timeout`` or ``worker-crashed``.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

WORKER_SCRIPT = Path(__file__).with_name("sandbox_worker.py")
START_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class SandboxResult:
    """What one evaluation gave: a result, or why there is none."""

    ok: bool
    result: bool | int | float | str | None = None
    kind: str | None = None
    error: str | None = None


class _Worker:
    def __init__(self, python: str, memory_bytes: int, cwd: str) -> None:
        self.process = subprocess.Popen(
            [python, "-I", str(WORKER_SCRIPT), str(memory_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={},
            cwd=cwd,
            close_fds=True,
            start_new_session=True,
        )
        self.evaluations = 0
        self._buffer = b""
        ready = self._read_line(START_TIMEOUT_S)
        if ready is None or not json.loads(ready).get("ready"):
            self.kill()
            raise RuntimeError("the sandbox worker did not start")

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read_line(self, timeout: float) -> bytes | None:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            readable, _, _ = select.select([fd], [], [], left)
            if not readable:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return b""
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def request(self, payload: bytes, wall_s: float) -> SandboxResult:
        assert self.process.stdin is not None
        self.evaluations += 1
        try:
            self.process.stdin.write(payload)
            self.process.stdin.flush()
        except OSError:
            return self._died()
        line = self._read_line(wall_s)
        if line is None:
            self.kill()
            return SandboxResult(False, kind="killed-wall-timeout", error=f"the rule ran longer than {wall_s:g} s")
        if not line:
            return self._died()
        answer: dict[str, Any] = json.loads(line)
        if answer.get("ok") is True:
            return SandboxResult(True, result=answer.get("result"))
        return SandboxResult(False, kind=str(answer.get("kind", "error")), error=str(answer.get("error", ""))[:400])

    def _died(self) -> SandboxResult:
        code = self.process.wait()
        if code in (-signal.SIGXCPU, -signal.SIGKILL):
            return SandboxResult(False, kind="killed-cpu-limit", error="the rule used more CPU time than allowed")
        return SandboxResult(False, kind="worker-crashed", error=f"the sandbox worker crashed (exit status {code})")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


_RECYCLE = {"memory", "killed-wall-timeout", "killed-cpu-limit", "worker-crashed"}


class SandboxPool:
    """Warm worker processes for Python rules.

    Args:
        size: how many workers (concurrent evaluations).
        cpu_seconds: CPU budget of one evaluation (enforced by ``RLIMIT_CPU``, whole seconds).
        wall_seconds: wall-clock limit of one evaluation; past it the worker is killed and replaced.
        memory_bytes: the worker's address-space limit.
        iteration_budget: loop steps one evaluation may take.
        max_evaluations: a worker is replaced after this many evaluations.
        python: the interpreter to run workers with (default: this one).
    """

    def __init__(
        self,
        size: int = 2,
        *,
        cpu_seconds: float = 1.0,
        wall_seconds: float = 3.0,
        memory_bytes: int = 256 * 1024 * 1024,
        iteration_budget: int = 100_000,
        max_evaluations: int = 10_000,
        python: str = sys.executable,
    ) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self.cpu_seconds = cpu_seconds
        self.wall_seconds = wall_seconds
        self.memory_bytes = memory_bytes
        self.iteration_budget = iteration_budget
        self.max_evaluations = max_evaluations
        self._python = python
        self._dir = tempfile.TemporaryDirectory(prefix="numzy-sandbox-")
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._closed = False
        for _ in range(size):
            self._idle.put(None)  # a slot; the worker starts on first use

    def _spawn(self) -> _Worker:
        worker = _Worker(self._python, self.memory_bytes, self._dir.name)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._workers.discard(worker)

    def worker_pids(self) -> list[int]:
        """The process ids of the running workers (for monitoring and tests)."""
        with self._lock:
            return [worker.pid for worker in self._workers if worker.alive()]

    def warm_up(self) -> None:
        """Start every worker now rather than on first use."""
        slots = [self._idle.get() for _ in range(self._idle.qsize())]
        for slot in slots:
            self._idle.put(slot if slot is not None and slot.alive() else self._spawn())

    def run(self, source: str, mode: str, receipt: dict[str, Any]) -> SandboxResult:
        """Evaluate rule ``source`` (``expression`` or ``block``) on ``receipt`` (JSON data) in a worker."""
        if self._closed:
            raise RuntimeError("the sandbox pool is closed")
        payload = json.dumps(
            {"source": source, "mode": mode, "receipt": receipt, "cpu_s": self.cpu_seconds,
             "budget": self.iteration_budget}
        ).encode() + b"\n"  # fmt: skip
        worker = self._idle.get()
        try:
            if worker is None or not worker.alive():
                if worker is not None:
                    self._retire(worker)
                worker = None
                worker = self._spawn()
            result = worker.request(payload, self.wall_seconds)
            if result.kind in _RECYCLE or worker.evaluations >= self.max_evaluations or not worker.alive():
                self._retire(worker)
                worker = None
            return result
        finally:
            self._idle.put(worker)

    async def arun(self, source: str, mode: str, receipt: dict[str, Any]) -> SandboxResult:
        """``run`` in a thread, for async callers."""
        return await asyncio.to_thread(self.run, source, mode, receipt)

    def close(self) -> None:
        """Stop every worker and remove the working directory."""
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.kill()
        self._dir.cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
