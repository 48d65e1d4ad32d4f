"""Run an nl-rules corpus: compile each sentence, evaluate each probe receipt, compare with the expectations.

The format is that of ``shared/corpora/nl-rules/README.md`` (a copy lives in
``tests/fixtures/nl-rules/``): a list of ``{id, text, kind, action, why?, probes: [{receipt, expect,
history?}]}``. A ``rule`` sentence passes when it compiles, its action is the expected one (null:
flag) and every probe gives the expected verdict (``flag``: the rule fires; ``pass``: it does not,
whether it passes or is skipped); an ``unsupported`` sentence passes when it is refused. Probes run
through the rule playground (``numzy_mcp.rules.playground``) with their history.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from numzy_mcp.authoring.compiler import CompileResult, compile_rule
from numzy_mcp.errors import InvalidInput
from numzy_mcp.rules.base import Action
from numzy_mcp.rules.playground import try_rule_async


class Probe(BaseModel):
    """One probe receipt, the verdict expected on it, and the user's earlier receipts."""

    model_config = ConfigDict(extra="ignore")

    receipt: dict[str, Any]
    expect: Literal["flag", "pass"]
    history: list[dict[str, Any]] | None = None


class CorpusEntry(BaseModel):
    """One sentence of the corpus."""

    model_config = ConfigDict(extra="ignore")

    id: str
    text: str
    kind: Literal["rule", "unsupported"]
    action: Action | None = None
    why: str | None = None
    probes: list[Probe] = Field(default_factory=list)


class ProbeFailure(BaseModel):
    """A probe whose verdict was not the expected one."""

    index: int
    expected: str
    got: str
    message: str = ""


class EntryOutcome(BaseModel):
    """What happened to one sentence."""

    id: str
    text: str
    kind: Literal["rule", "unsupported"]
    passed: bool
    problem: str | None = Field(default=None, description="Why the sentence failed, beyond its probes.")
    description: str = ""
    refusal: str | None = None
    unrecognized: list[str] = Field(default_factory=list)
    probes: int = 0
    failures: list[ProbeFailure] = Field(default_factory=list)


class CorpusReport(BaseModel):
    """Every sentence's outcome and the pass rates."""

    entries: list[EntryOutcome]

    @property
    def passed(self) -> int:
        """Sentences that passed."""
        return sum(entry.passed for entry in self.entries)

    @property
    def pass_rate(self) -> float:
        """Share of sentences that passed (1.0 for an empty corpus)."""
        return self.passed / len(self.entries) if self.entries else 1.0

    @property
    def probes(self) -> int:
        """Probe receipts evaluated."""
        return sum(entry.probes for entry in self.entries)

    @property
    def probes_failed(self) -> int:
        """Probe receipts with the wrong verdict (or not evaluated because the sentence was not compiled)."""
        return sum(len(entry.failures) for entry in self.entries)


def load_corpus(path: Path) -> list[CorpusEntry]:
    """The entries of a corpus file.

    Raises:
        InvalidInput: the file is not a JSON list of entries in the nl-rules format.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise InvalidInput(f"{path} must hold a JSON list of corpus entries")
        return [CorpusEntry.model_validate(item) for item in data]
    except (ValueError, ValidationError) as error:
        raise InvalidInput(f"{path} is not an nl-rules corpus: {error}") from None


async def _run_entry(entry: CorpusEntry, default_currency: str | None) -> EntryOutcome:
    result: CompileResult = compile_rule(entry.text, default_currency=default_currency)
    outcome = EntryOutcome(
        id=entry.id,
        text=entry.text,
        kind=entry.kind,
        passed=False,
        description=result.description,
        refusal=result.refusal,
        unrecognized=result.unrecognized,
        probes=len(entry.probes),
    )
    if entry.kind == "unsupported":
        outcome.passed = result.draft is None
        outcome.problem = None if outcome.passed else "compiled to a rule, but the sentence has no checkable condition"
        return outcome
    draft = result.draft
    if draft is None:
        outcome.problem = f"refused: {result.refusal}"
        outcome.failures = [ProbeFailure(index=i, expected=p.expect, got="no rule") for i, p in enumerate(entry.probes)]
        return outcome
    expected_action = entry.action or "flag"
    if draft.action != expected_action:
        outcome.problem = f"action {draft.action}, expected {expected_action}"
    for index, probe in enumerate(entry.probes):
        finding = await try_rule_async(draft, probe.receipt, probe.history or [])
        verdict = "flag" if finding.outcome == "flag" else "pass" if finding.outcome in ("pass", "skipped") else None
        if verdict != probe.expect:
            outcome.failures.append(
                ProbeFailure(index=index, expected=probe.expect, got=finding.outcome, message=finding.message)
            )
    outcome.passed = outcome.problem is None and not outcome.failures
    return outcome


async def run_corpus(
    entries: Sequence[CorpusEntry | Mapping[str, Any]], *, default_currency: str | None = None
) -> CorpusReport:
    """Compile every sentence and check it against its probes.

    Args:
        entries: the corpus (``CorpusEntry`` models, or the dicts of the JSON file).
        default_currency: passed to ``compile_rule`` (the corpus is written for None).

    Returns:
        Each sentence's outcome, failed probes (expected vs got) and the pass rate.
    """
    parsed = [entry if isinstance(entry, CorpusEntry) else CorpusEntry.model_validate(entry) for entry in entries]
    return CorpusReport(entries=[await _run_entry(entry, default_currency) for entry in parsed])


def render_text(report: CorpusReport) -> str:
    """The report as plain text: one line a sentence, failed probes under it, the pass rate last."""
    lines: list[str] = []
    for entry in report.entries:
        mark = "PASS" if entry.passed else "FAIL"
        lines.append(f"{mark} {entry.id} {entry.text!r}")
        lines.append(f"     → {entry.description or entry.refusal or ''}")
        if entry.unrecognized:
            lines.append(f"     not understood: {'; '.join(entry.unrecognized)}")
        if entry.problem:
            lines.append(f"     problem: {entry.problem}")
        for failure in entry.failures:
            lines.append(
                f"     probe {failure.index}: expected {failure.expected}, got {failure.got} {failure.message}"
            )
    lines.append(
        f"{report.passed}/{len(report.entries)} sentences passed ({report.pass_rate:.1%}); "
        f"{report.probes - report.probes_failed}/{report.probes} probes as expected"
    )
    return "\n".join(lines)
