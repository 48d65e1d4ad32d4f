"""Benchmark the offline extractor on a labelled dataset folder (default: SROIE dev).

A thin caller of :mod:`numzy_mcp.evaluation`: prints the Markdown report (per-field accuracy, SROIE
task-3 P/R/F1, latency p50/p95, peak RSS, worst misses). The comparison rules are printed with it.

Usage:
    .venv/bin/python scripts/bench_extraction.py [--dir DIR] [--limit N] [--cache DIR] [--report FILE.md]
        [--transcripts]

``--cache`` stores each OCR result as JSON and re-uses it on the next run (only the parser runs),
which makes parser iteration take seconds instead of minutes; timings then measure parsing only.
``--transcripts`` parses SROIE's human transcripts (``<ID>.txt``) instead of OCR output, so the gap
between the two runs is what the OCR loses.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numzy_mcp.evaluation import evaluate_documents, load_dataset, offline_document_extractor, render_markdown
from numzy_mcp.evaluation.datasets import with_transcribed_lines


def main() -> None:
    """Parse arguments, run the evaluation and print the report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=Path("/work/shared/datasets/sroie-dev"))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=None, help="folder for cached OCR results")
    parser.add_argument("--worst", type=int, default=15, help="documents listed under worst misses")
    parser.add_argument("--report", type=Path, default=None, help="also write the Markdown report here")
    parser.add_argument(
        "--transcripts", action="store_true", help="SROIE: parse the human transcripts (<ID>.txt) instead of OCR"
    )
    args = parser.parse_args()

    def progress(done: int, total: int) -> None:
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    documents = load_dataset(args.dir, limit=args.limit or None)
    if args.transcripts:
        documents = with_transcribed_lines(documents)
    report = evaluate_documents(
        documents,
        offline_document_extractor(cache_dir=args.cache),
        dataset=args.dir.name,
        kind=documents[0].kind if documents else "",
        progress=progress,
    )
    print(file=sys.stderr)
    text = render_markdown(report, worst=args.worst)
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
