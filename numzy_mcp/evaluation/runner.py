"""Run an extractor over a dataset folder and score it: the synchronous, pure evaluation core."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from numzy_mcp.evaluation.datasets import DatasetKind, EvalDocument, load_dataset
from numzy_mcp.evaluation.report import DocumentResult, EvaluationReport, FieldAccuracy, Miss, Task3Score
from numzy_mcp.evaluation.scoring import FIELD_RULES, TASK3_FIELDS, TASK3_NORMALISER, check_document, normalise_text
from numzy_mcp.evaluation.scoring import task3_items as submitted_items
from numzy_mcp.receipts import ExtractedFields

__all__ = ["DocumentExtractor", "EvalProgress", "ExtractorOutput", "evaluate", "evaluate_documents"]


@dataclass(slots=True)
class ExtractorOutput:
    """Fields plus what producing them cost (for paid extractors)."""

    fields: ExtractedFields
    cost_usd: Decimal | None = None
    input_tokens: int = 0
    output_tokens: int = 0


DocumentExtractor = Callable[[EvalDocument], ExtractedFields | ExtractorOutput]
"""Reads one document (its ``path``, or its given ``lines``) and returns the fields."""
EvalProgress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each document."""


def _percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _task3(documents: list[EvalDocument], outputs: list[ExtractedFields | None]) -> list[Task3Score]:
    counts = {key: [0, 0, 0] for key in (*TASK3_FIELDS, "all")}  # correct, predicted, expected
    for document, fields in zip(documents, outputs, strict=True):
        submitted = submitted_items(fields) if fields is not None else {}
        for key in TASK3_FIELDS:
            want = normalise_text(document.printed.get(key))
            got = normalise_text(submitted.get(key))
            for bucket in (key, "all"):
                counts[bucket][0] += bool(want and got == want)
                counts[bucket][1] += bool(got)
                counts[bucket][2] += bool(want)
    scores: list[Task3Score] = []
    for key, (correct, predicted, expected) in counts.items():
        precision, recall = _ratio(correct, predicted), _ratio(correct, expected)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(Task3Score(field=key, correct=correct, predicted=predicted, expected=expected,
                                 precision=precision, recall=recall, f1=f1))  # fmt: skip
    return scores


def evaluate_documents(
    documents: list[EvalDocument],
    extractor: DocumentExtractor,
    *,
    dataset: str = "",
    kind: DatasetKind | str = "",
    extractor_name: str = "offline",
    progress: EvalProgress | None = None,
) -> EvaluationReport:
    """Run ``extractor`` on each document and score the results.

    One failing document is recorded (``error``, every field wrong) and the run goes on.

    Args:
        documents: Labelled documents (see :func:`load_dataset`).
        extractor: Turns one document into fields.
        dataset: A name for the report.
        kind: The dataset layout, for the report.
        extractor_name: The extractor's name, for the report.
        progress: Called as ``progress(done, total)`` after every document.

    Returns:
        The report.
    """
    totals: dict[str, list[int]] = {}
    results: list[DocumentResult] = []
    outputs: list[ExtractedFields | None] = []
    seconds: list[float] = []
    cost, input_tokens, output_tokens, errors = Decimal(0), 0, 0, 0
    for done, document in enumerate(documents, start=1):
        started = time.perf_counter()
        error: str | None = None
        doc_cost: Decimal | None = None
        try:
            produced = extractor(document)
        except Exception as exc:  # noqa: BLE001 one bad document must not stop the evaluation
            produced, error = ExtractedFields(), f"{type(exc).__name__}: {exc}"
            errors += 1
        elapsed = time.perf_counter() - started
        seconds.append(elapsed)
        if isinstance(produced, ExtractorOutput):
            fields, doc_cost = produced.fields, produced.cost_usd
            input_tokens += produced.input_tokens
            output_tokens += produced.output_tokens
            cost += doc_cost or 0
        else:
            fields = produced
        outputs.append(None if error else fields)
        checks = check_document(document, fields)
        for check in checks:
            bucket = totals.setdefault(check.field, [0, 0])
            bucket[0] += check.correct
            bucket[1] += check.scored
        primary = [c for c in checks if not c.secondary]
        misses = [Miss(field=c.field, expected=c.expected, got=c.got) for c in primary if c.correct < c.scored]
        results.append(
            DocumentResult(
                id=document.id,
                seconds=round(elapsed, 3),
                correct=sum(c.correct for c in primary),
                scored=sum(c.scored for c in primary),
                cost_usd=doc_cost,
                error=error,
                misses=misses,
            )
        )
        if progress is not None:
            progress(done, len(documents))
    ordered = sorted(seconds)
    sroie = any(d.printed for d in documents)
    return EvaluationReport(
        dataset=dataset,
        kind=str(kind),
        extractor=extractor_name,
        documents=len(documents),
        fields=[FieldAccuracy(field=k, correct=c, scored=s, accuracy=_ratio(c, s)) for k, (c, s) in totals.items()],
        task3=_task3(documents, outputs) if sroie else [],
        task3_normaliser=TASK3_NORMALISER if sroie else None,
        comparison=dict(FIELD_RULES),
        latency_p50=round(statistics.median(ordered), 3) if ordered else 0.0,
        latency_p95=round(_percentile(ordered, 0.95), 3),
        latency_mean=round(statistics.mean(ordered), 3) if ordered else 0.0,
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        cost_usd=cost,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        errors=errors,
        results=results,
    )


def evaluate(
    folder: Path,
    extractor: DocumentExtractor,
    *,
    limit: int | None = None,
    extractor_name: str = "offline",
    progress: EvalProgress | None = None,
) -> EvaluationReport:
    """Evaluate an extractor on a dataset folder whose layout is detected from its files.

    Args:
        folder: A dataset folder (sroie-dev, synthetic-dev, pdf-dev or cord-dev layout).
        extractor: Turns one document into fields.
        limit: Evaluate only the first N documents.
        extractor_name: The extractor's name, for the report.
        progress: Called as ``progress(done, total)`` after every document.

    Returns:
        The report.

    Raises:
        ValueError: The folder's layout is not recognised.
    """
    documents = load_dataset(folder, limit=limit)
    kind = documents[0].kind if documents else ""
    return evaluate_documents(
        documents, extractor, dataset=folder.name, kind=kind, extractor_name=extractor_name, progress=progress
    )
