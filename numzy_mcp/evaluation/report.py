"""The evaluation report model and its Markdown rendering."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from numzy_mcp.receipts import DecimalStr

__all__ = ["DocumentResult", "EvaluationReport", "FieldAccuracy", "Miss", "Task3Score", "render_markdown"]


class FieldAccuracy(BaseModel):
    """Accuracy of one field over the documents that label it."""

    field: str
    correct: int
    scored: int
    accuracy: float = Field(description="correct / scored, in [0, 1]; 0 when nothing was scored.")


class Task3Score(BaseModel):
    """SROIE task-3 micro precision, recall and F1 for one key (or ``all``)."""

    field: str
    correct: int
    predicted: int = Field(description="Non-empty predicted items.")
    expected: int = Field(description="Non-empty ground-truth items.")
    precision: float
    recall: float
    f1: float


class Miss(BaseModel):
    """One wrong field of one document."""

    field: str
    expected: str
    got: str


class DocumentResult(BaseModel):
    """What happened on one document."""

    id: str
    seconds: float
    correct: int
    scored: int
    cost_usd: DecimalStr | None = None
    error: str | None = None
    misses: list[Miss] = Field(default_factory=list[Miss])


class EvaluationReport(BaseModel):
    """Per-field accuracy, SROIE task-3 scores, timings, memory and cost of one evaluation run."""

    dataset: str
    kind: str
    extractor: str
    documents: int
    fields: list[FieldAccuracy]
    task3: list[Task3Score] = Field(default_factory=list[Task3Score])
    task3_normaliser: str | None = None
    comparison: dict[str, str] = Field(default_factory=dict, description="How each kind of value is compared.")
    latency_p50: float
    latency_p95: float
    latency_mean: float
    peak_rss_mb: float
    cost_usd: DecimalStr = Decimal(0)
    input_tokens: int = 0
    output_tokens: int = 0
    errors: int = 0
    results: list[DocumentResult] = Field(default_factory=list[DocumentResult])

    def accuracy(self, field: str) -> float | None:
        """The accuracy of one field, or None when it was not scored."""
        return next((f.accuracy for f in self.fields if f.field == field), None)

    def worst(self, limit: int = 10) -> list[DocumentResult]:
        """Documents with the most misses (errors first), at most ``limit``."""
        bad = [r for r in self.results if r.misses or r.error]
        bad.sort(key=lambda r: (r.error is None, -len(r.misses), r.id))
        return bad[:limit]


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def _cell(text: str, width: int = 90) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def render_markdown(report: EvaluationReport, *, worst: int = 10) -> str:
    """Render a report as Markdown: field table, task-3 table, timings and the worst misses.

    Args:
        report: The evaluation report.
        worst: How many documents to list under "Worst misses".

    Returns:
        Markdown text.
    """
    out = [
        f"# Evaluation: {report.dataset} ({report.kind}, {report.documents} documents, extractor {report.extractor})",
        "",
        "| field | accuracy | correct / scored |",
        "| --- | --- | --- |",
    ]
    out += [f"| {f.field} | {_pct(f.accuracy)} | {f.correct} / {f.scored} |" for f in report.fields]
    if report.task3:
        out += ["", "## SROIE task 3 (micro)", "", "| key | precision | recall | F1 |", "| --- | --- | --- | --- |"]
        out += [f"| {t.field} | {_pct(t.precision)} | {_pct(t.recall)} | {_pct(t.f1)} |" for t in report.task3]
        out += ["", f"Normaliser: {report.task3_normaliser}."]
    out += [
        "",
        "## Cost",
        "",
        (
            f"- latency per document: p50 {report.latency_p50:.2f} s, p95 {report.latency_p95:.2f} s, "
            f"mean {report.latency_mean:.2f} s"
        ),
        f"- peak RSS: {report.peak_rss_mb:.0f} MB",
        f"- cost: ${report.cost_usd} ({report.input_tokens} input / {report.output_tokens} output tokens)",
        f"- errors: {report.errors}",
    ]
    if report.comparison:
        out += ["", "Comparison: " + "; ".join(f"{k}: {v}" for k, v in report.comparison.items()) + "."]
    rows = report.worst(worst)
    if rows:
        out += ["", "## Worst misses", "", "| document | field | expected | got |", "| --- | --- | --- | --- |"]
        for result in rows:
            if result.error:
                out.append(f"| {result.id} | (error) | | {_cell(result.error)} |")
            for miss in result.misses:
                out.append(f"| {result.id} | {miss.field} | {_cell(miss.expected)} | {_cell(miss.got)} |")
    return "\n".join(out) + "\n"
