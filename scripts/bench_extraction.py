"""Benchmark the offline extractor on a labelled receipt folder (default: SROIE dev).

Prints per-field exact-match accuracy, wall time per receipt (p50/p95) and peak RSS.

Normalisation used for the comparison (record it next to every number):
* total: compared as a number (Decimal), currency marks and spaces removed from the label;
* date: compared as a calendar date (label parsed day-first, like the receipts);
* company/merchant and address: upper-cased, whitespace collapsed, stripped.

Usage:
    .venv/bin/python scripts/bench_extraction.py [--dir DIR] [--limit N] [--cache DIR] [--show-errors]

``--cache`` stores each OCR result as JSON and re-uses it on the next run (only the parser runs),
which makes parser iteration take seconds instead of minutes; timings then measure parsing only.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numzy_mcp.extraction.amounts import parse_amount
from numzy_mcp.extraction.dates import find_dates
from numzy_mcp.extraction.pipeline import OfflineExtractor
from numzy_mcp.receipts import ExtractedFields, OcrResult
from numzy_mcp.settings import LimitSettings


def norm(text: str | None) -> str:
    return " ".join((text or "").upper().split())


def label_total(text: str) -> Decimal | None:
    cleaned = re.sub(r"[^\d.,\-]", "", text or "")
    if not cleaned:
        return None
    try:
        return parse_amount(cleaned)
    except InvalidOperation:
        return None


def label_date(text: str) -> str | None:
    found = find_dates(text or "")
    return found[0].value.isoformat() if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=Path("/work/shared/datasets/sroie-dev"))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=None, help="folder for cached OCR results")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()

    extractor = OfflineExtractor(LimitSettings())
    images = sorted(p for p in args.dir.iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png", ".pdf"})
    if args.limit:
        images = images[: args.limit]
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    hits = {"total": 0, "date": 0, "company": 0, "address": 0}
    counted = dict.fromkeys(hits, 0)
    seconds: list[float] = []
    errors: list[str] = []
    for image in images:
        label_path = image.with_suffix(".json")
        if not label_path.exists():
            continue
        label = json.loads(label_path.read_text(encoding="utf-8"))
        started = time.perf_counter()
        cached = args.cache / f"{image.stem}.json" if args.cache else None
        try:
            if cached is not None and cached.exists():
                fields: ExtractedFields = extractor.reparse(OcrResult.model_validate_json(cached.read_text()))
            else:
                result = extractor.extract(image.read_bytes())
                fields = result.fields
                if cached is not None:
                    cached.write_text(result.ocr.model_dump_json())
        except Exception as exc:  # noqa: BLE001 report and go on: one bad file must not stop the benchmark
            errors.append(f"{image.stem}: {type(exc).__name__}: {exc}")
            fields = ExtractedFields()
        seconds.append(time.perf_counter() - started)

        checks: dict[str, tuple[object, object]] = {
            "total": (label_total(label.get("total", "")), fields.total),
            "date": (label_date(label.get("date", "")), fields.date.isoformat() if fields.date else None),
            "company": (norm(label.get("company", label.get("merchant"))), norm(fields.merchant)),
            "address": (norm(label.get("address")), norm(fields.address)),
        }
        for field, (want, got) in checks.items():
            if want in (None, ""):
                continue
            counted[field] += 1
            if want == got:
                hits[field] += 1
            elif args.show_errors:
                errors.append(f"{image.stem} {field}: want {want!r} got {got!r}")

    for line in errors:
        print(line)
    print(f"receipts: {len(seconds)}  folder: {args.dir}")
    for field, hit in hits.items():
        if counted[field]:
            print(f"{field:8s} {hit / counted[field]:6.1%}  ({hit}/{counted[field]})")
    if seconds:
        ordered = sorted(seconds)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(
            f"wall s/receipt: p50 {statistics.median(ordered):.2f}  p95 {p95:.2f}  mean {statistics.mean(ordered):.2f}"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
