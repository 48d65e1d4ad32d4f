"""`numzy eval DATASET_DIR [--extractor offline|llm] [--limit N] [--report FILE.md]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from numzy_mcp.errors import NumzyError
from numzy_mcp.settings import Settings


def add_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``eval`` command."""
    evaluate = commands.add_parser(
        "eval",
        parents=parents,
        help="Score an extractor on a labelled dataset folder (sroie-dev, synthetic-dev, pdf-dev, cord-dev layouts).",
    )
    evaluate.add_argument("dataset", type=Path, help="The dataset folder.")
    evaluate.add_argument("--extractor", choices=["offline", "llm"], default="offline")
    evaluate.add_argument("--limit", type=int, default=None, help="Only the first N documents.")
    evaluate.add_argument("--report", type=Path, default=None, help="Also write the Markdown report here.")
    evaluate.add_argument("--worst", type=int, default=10, help="How many worst misses to list.")


def _bar(done: int, total: int, width: int = 30) -> str:
    filled = width * done // max(total, 1)
    return f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Run the evaluation, store it, print the report (progress on stderr); 2 on a refused request."""
    from numzy_mcp.evaluation import render_markdown
    from numzy_mcp.service import NumzyService

    service = NumzyService.from_settings(settings)
    await service.start()

    async def progress(done: int, total: int) -> None:
        print(_bar(done, total), end="" if done < total else "\n", file=sys.stderr, flush=True)

    try:
        run_ = await service.run_evaluation(
            settings.default_team, args.dataset, extractor=args.extractor, limit=args.limit, progress=progress
        )
    except NumzyError as error:
        print(f"error ({error.code}): {error.message}", file=sys.stderr)
        return 2
    finally:
        await service.close()
    markdown = render_markdown(run_.report, worst=args.worst)
    print(markdown)
    print(f"Stored as evaluation {run_.id}.", file=sys.stderr)
    if args.report is not None:
        args.report.write_text(markdown, encoding="utf-8")
    return 0
