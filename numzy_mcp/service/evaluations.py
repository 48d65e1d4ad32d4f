"""Evaluation use cases: score an extractor on a labelled dataset folder, store and read the runs."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from numzy_mcp.errors import Forbidden, InvalidInput, NotFound, Unsupported
from numzy_mcp.evaluation import (
    EvalDocument,
    EvaluationReport,
    ExtractorOutput,
    evaluate,
    offline_document_extractor,
    render_markdown,
)
from numzy_mcp.evaluation.extractors import llm_document_extractor
from numzy_mcp.extraction.llm import LlmExtractor
from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.service.base import ServiceBase, new_id
from numzy_mcp.storage.repositories import EvaluationRepo
from numzy_mcp.storage.tables import EvaluationRow

ExtractorName = Literal["offline", "llm"]
EvaluationProgress = Callable[[int, int], Coroutine[Any, Any, None]]


class EvaluationRun(BaseModel):
    """A stored evaluation: its id, when it ran, the report and the report as Markdown."""

    id: str
    created_at: dt.datetime
    report: EvaluationReport
    markdown: str = Field(description="The report rendered for a person: fields, task-3 scores, worst misses.")


class EvaluationCancelled(Exception):
    """Raised inside the worker thread to stop an evaluation whose caller went away."""


class EvaluationUseCases(ServiceBase):
    """Measuring extractors against labelled receipts."""

    def _dataset_folder(self, dataset: str | Path) -> Path:
        folder = Path(dataset).expanduser().resolve()
        roots = [root.expanduser().resolve() for root in self.settings.evaluation_roots]
        if roots and not any(folder.is_relative_to(root) for root in roots):
            raise Forbidden(f"{folder} is outside the dataset folders ({', '.join(map(str, roots))}).")
        if not folder.is_dir():
            raise NotFound(f"No dataset folder at {folder}. Pass a folder laid out like sroie-dev or synthetic-dev.")
        return folder

    def _evaluated_llm(self) -> LlmExtractor:
        """The model receipts are read with, or the configured one even when extraction stays offline."""
        if self._llm_extractor is not None:
            return self._llm_extractor
        if not self.settings.llm.model:
            raise Unsupported("No LLM is configured. Set NUMZY_LLM__MODEL (and NUMZY_LLM__API_KEY) or use 'offline'.")
        return LlmExtractor(self.settings.llm)

    async def run_evaluation(
        self,
        team_id: str,
        dataset: str | Path,
        *,
        extractor: ExtractorName = "offline",
        limit: int | None = None,
        progress: EvaluationProgress | None = None,
    ) -> EvaluationRun:
        """Run an extractor over a labelled dataset folder, store the report and return it.

        Cancelling the awaiting task stops the run after the current document; nothing is stored then.

        Raises:
            NotFound: the folder does not exist.
            Forbidden: the folder is outside ``evaluation_roots``.
            InvalidInput: the folder's layout is not a known dataset, or ``limit`` is not positive.
            Unsupported: ``extractor="llm"`` with no model configured.
        """
        if limit is not None and limit < 1:
            raise InvalidInput(f"limit must be at least 1; got {limit}.")
        folder = self._dataset_folder(dataset)
        if extractor == "offline":
            chosen = offline_document_extractor(self._extractor)
        else:
            chosen = llm_document_extractor(self._evaluated_llm(), self._extractor)
        stop = threading.Event()
        loop = asyncio.get_running_loop()

        def guarded(document: EvalDocument) -> ExtractedFields | ExtractorOutput:
            if stop.is_set():
                raise EvaluationCancelled
            return chosen(document)

        pending: list[concurrent.futures.Future[None]] = []

        def report_progress(done: int, total: int) -> None:
            if progress is not None and not stop.is_set():
                pending.append(asyncio.run_coroutine_threadsafe(progress(done, total), loop))

        def work() -> EvaluationReport:
            return evaluate(folder, guarded, limit=limit, extractor_name=extractor, progress=report_progress)

        task = asyncio.ensure_future(asyncio.to_thread(work))
        try:
            report = await asyncio.shield(task)
        except asyncio.CancelledError:
            stop.set()
            raise
        except ValueError as error:
            raise InvalidInput(f"{folder}: {error}") from error
        finally:
            await asyncio.gather(*(asyncio.wrap_future(f) for f in pending), return_exceptions=True)
        await self._ensure_team(team_id)
        run_id, now = new_id("evl"), self._clock()
        async with self._sessions.begin() as session:
            await EvaluationRepo(session, team_id).add(
                EvaluationRow(
                    id=run_id, team_id=team_id, dataset=str(folder), extractor=extractor,
                    documents=report.documents, report=report.model_dump(mode="json"), created_at=now,
                )
            )  # fmt: skip
        return EvaluationRun(id=run_id, created_at=now, report=report, markdown=render_markdown(report))

    async def get_evaluation(self, team_id: str, evaluation_id: str) -> EvaluationRun:
        """A stored run.

        Raises:
            NotFound: no such run in the team.
        """
        async with self._sessions() as session:
            row = await EvaluationRepo(session, team_id).get(evaluation_id)
        report = EvaluationReport.model_validate(row.report)
        return EvaluationRun(id=row.id, created_at=row.created_at, report=report, markdown=render_markdown(report))
