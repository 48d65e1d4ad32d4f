"""Job queues. Embedded default: an in-process runner (the receipts table is the durable queue).

A job is ``(team_id, receipt_id)``; the handler does the work and decides retries (it re-enqueues
with a delay). The runner only guarantees: jobs run on ``workers`` tasks, one failing job never stops
the others, and ``join()`` waits until nothing is queued or running.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

log = logging.getLogger(__name__)

Handler = Callable[[str, str], Awaitable[None]]


class JobQueue(Protocol):
    """Where processing jobs go."""

    async def start(self, handler: Handler) -> None:
        """Begin running jobs with ``handler``."""
        ...

    async def enqueue(self, team_id: str, receipt_id: str, delay: float = 0.0) -> None:
        """Schedule a job, optionally after ``delay`` seconds."""
        ...

    async def join(self) -> None:
        """Wait until no job is queued, delayed or running."""
        ...

    async def stop(self) -> None:
        """Stop the workers; queued jobs stay pending in the database."""
        ...


class InProcessJobQueue:
    """An asyncio queue drained by ``workers`` tasks in this process."""

    def __init__(self, workers: int = 1) -> None:
        self._workers = workers
        self._queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._delayed: set[asyncio.Task[None]] = set()
        self._handler: Handler | None = None

    async def start(self, handler: Handler) -> None:
        """Start the worker tasks."""
        self._handler = handler
        self._tasks = [asyncio.create_task(self._work(), name=f"numzy-worker-{i}") for i in range(self._workers)]

    async def enqueue(self, team_id: str, receipt_id: str, delay: float = 0.0) -> None:
        """Queue a job now, or after ``delay`` seconds."""
        if delay <= 0:
            self._queue.put_nowait((team_id, receipt_id))
            return

        async def later() -> None:
            await asyncio.sleep(delay)
            self._queue.put_nowait((team_id, receipt_id))

        task = asyncio.create_task(later())
        self._delayed.add(task)
        task.add_done_callback(self._delayed.discard)

    async def _work(self) -> None:
        assert self._handler is not None
        while True:
            team_id, receipt_id = await self._queue.get()
            try:
                await self._handler(team_id, receipt_id)
            except Exception:  # the handler records failures; this is the last line of defence
                log.exception("job for receipt %s crashed", receipt_id)
            finally:
                self._queue.task_done()

    async def join(self) -> None:
        """Wait until the queue is empty, no delayed job waits and no job runs."""
        while True:
            if self._delayed:
                await asyncio.gather(*list(self._delayed), return_exceptions=True)
            await self._queue.join()
            if not self._delayed and self._queue.empty():
                return

    async def stop(self) -> None:
        """Cancel workers and delayed jobs."""
        for task in [*self._tasks, *self._delayed]:
            task.cancel()
        for task in [*self._tasks, *self._delayed]:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        self._delayed.clear()
