"""Evaluation: read labelled dataset folders, run an extractor, score fields, latency, memory and cost.

Synchronous and pure: the CLI (``numzy eval``), the service and the MCP tool build on :func:`evaluate`
and :func:`render_markdown`.
"""

from numzy_mcp.evaluation.datasets import DatasetKind, EvalDocument, detect_kind, load_dataset
from numzy_mcp.evaluation.extractors import offline_document_extractor
from numzy_mcp.evaluation.report import (
    DocumentResult,
    EvaluationReport,
    FieldAccuracy,
    Miss,
    Task3Score,
    render_markdown,
)
from numzy_mcp.evaluation.runner import (
    DocumentExtractor,
    EvalProgress,
    ExtractorOutput,
    evaluate,
    evaluate_documents,
)
from numzy_mcp.evaluation.scoring import TASK3_NORMALISER, normalise_text

__all__ = [
    "TASK3_NORMALISER",
    "DatasetKind",
    "DocumentExtractor",
    "DocumentResult",
    "EvalDocument",
    "EvalProgress",
    "EvaluationReport",
    "ExtractorOutput",
    "FieldAccuracy",
    "Miss",
    "Task3Score",
    "detect_kind",
    "evaluate",
    "evaluate_documents",
    "load_dataset",
    "normalise_text",
    "offline_document_extractor",
    "render_markdown",
]
