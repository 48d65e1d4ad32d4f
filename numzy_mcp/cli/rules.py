"""`numzy rules try | add | corpus`: one rule on one probe receipt; a rule from a sentence; the nl-rules corpus."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from numzy_mcp.errors import NumzyError
from numzy_mcp.settings import Settings


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``rules`` command group."""
    rules = commands.add_parser("rules", parents=parents, help="Work with audit rules.")
    actions = rules.add_subparsers(dest="rules_command", required=True)
    try_ = actions.add_parser(
        "try",
        parents=parents,
        help="Evaluate one rule (the JSON POST /audit_rules accepts) on one receipt in the nl-rules probe format.",
    )
    try_.add_argument("rule", type=Path, help="RULE.json: a rule draft.")
    try_.add_argument("receipt", type=Path, help="RECEIPT.json: a probe receipt (merchant, date, total, …).")
    try_.add_argument("--history", type=Path, help="HISTORY.json: a list of earlier probe receipts of the team.")
    add = actions.add_parser(
        "add", parents=parents, help="Write a rule from a sentence; show it back and dry-run it; --yes saves it."
    )
    add.add_argument("text", help='e.g. "Flag receipts over $100 on weekends"')
    add.add_argument("--yes", action="store_true", help="Activate the rule without asking.")
    add.add_argument("--force", action="store_true", help="Activate even when part of the sentence was not understood.")
    corpus = actions.add_parser(
        "corpus", parents=parents, help="Run an nl-rules corpus file; exit non-zero below 100 %%."
    )
    corpus.add_argument("file", type=Path, help="A JSON corpus in the nl-rules format.")


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Run a ``rules`` command (exit 2 on a refused rule or unreadable file)."""
    if args.rules_command == "add":
        return await _add(settings, args.text, yes=args.yes, force=args.force)
    if args.rules_command == "corpus":
        return await _corpus(args.file)
    return await _try(settings, args)


async def _add(settings: Settings, text: str, *, yes: bool, force: bool) -> int:
    from numzy_mcp.service import NumzyService

    service = NumzyService.from_settings(settings)
    await service.start()
    try:
        preview = await service.rule_from_text(settings.default_team, text)
        print(f"Rule: {preview.description}")
        print(f"Action: {preview.draft.action}; compiled {preview.compiled_by}.")
        if preview.unrecognized:
            print(f"Not understood: {', '.join(repr(part) for part in preview.unrecognized)}")
        dry = preview.dry_run
        print(f"Over {dry.evaluated} past receipts it would flag {dry.count}.")
        for match in dry.matches[:10]:
            print(f"  {match.receipt_id}  {match.merchant}  {match.date}  {match.total} {match.currency}")
        if preview.unrecognized and not force:
            print("Not activated: part of the sentence was not understood. Rephrase it, or pass --force.")
            return 1
        if not yes:
            answer = input("Activate this rule? [y/N] ") if sys.stdin.isatty() else "n"
            if answer.strip().lower() not in ("y", "yes"):
                print("Not activated (pass --yes to activate without asking).")
                return 0
        rule = await service.activate_rule(settings.default_team, preview.draft)
        print(f"Activated rule {rule.id}.")
    except NumzyError as error:
        print(f"error ({error.code}): {error.message}", file=sys.stderr)
        return 2
    finally:
        await service.close()
    return 0


async def _corpus(path: Path) -> int:
    from numzy_mcp.authoring import load_corpus, render_text, run_corpus

    try:
        entries = load_corpus(path)
    except (NumzyError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = await run_corpus(entries)
    print(render_text(report))
    return 0 if report.pass_rate >= 1 else 1


async def _try(settings: Settings, args: argparse.Namespace) -> int:
    from numzy_mcp.rules.playground import try_rule_async
    from numzy_mcp.rules.sandbox import SandboxPool

    try:
        rule = args.rule.read_text(encoding="utf-8")
        receipt = args.receipt.read_text(encoding="utf-8")
        history = args.history.read_text(encoding="utf-8") if args.history else None
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    pool = SandboxPool(size=1) if settings.rules.allow_python else None
    try:
        finding = await try_rule_async(rule, receipt, history, allow_python=settings.rules.allow_python, sandbox=pool)
    except NumzyError as error:
        print(f"error ({error.code}): {error.message}", file=sys.stderr)
        return 2
    finally:
        if pool is not None:
            pool.close()
    print(finding.model_dump_json(indent=2))
    return 0
