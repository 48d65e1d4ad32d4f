"""Benchmark the offline rule compiler: milliseconds per sentence over the nl-rules corpus (target ≤ 10 ms).

Usage:
    .venv/bin/python scripts/bench_authoring.py [--corpus FILE.json] [--rounds N]

Each round compiles every sentence of the corpus (rule and unsupported alike), description included;
the first round warms caches and is not counted. Prints the mean, median and worst ms per sentence.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numzy_mcp.authoring import compile_rule, load_corpus

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "nl-rules" / "dev.json"


def main() -> None:
    """Parse arguments, compile the corpus ``rounds`` times and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    texts = [entry.text for entry in load_corpus(args.corpus)]
    for text in texts:
        compile_rule(text)
    timings: list[float] = []
    for _ in range(args.rounds):
        for text in texts:
            start = time.perf_counter()
            compile_rule(text)
            timings.append((time.perf_counter() - start) * 1000)
    print(f"compile_rule over {len(texts)} sentences × {args.rounds} rounds ({len(timings)} compilations)")
    print(
        f"mean {statistics.fmean(timings):.3f} ms/sentence, median {statistics.median(timings):.3f} ms, "
        f"p95 {statistics.quantiles(timings, n=20)[-1]:.3f} ms, worst {max(timings):.3f} ms (target ≤ 10 ms)"
    )


if __name__ == "__main__":
    main()
