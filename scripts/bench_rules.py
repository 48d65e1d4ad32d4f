"""Rule-engine benchmark: declarative evaluations/s, Python-rule latency through a warm worker, dry-run.

Run: ``.venv/bin/python scripts/bench_rules.py``. Prints numbers; asserts nothing.
Targets (issue 4): ≥ 50,000 declarative evaluations/s on one core; Python rule p50 ≤ 0.5 ms through a
warm worker; dry-run of 20 rules over 10,000 receipts (here in memory; the SQLite figure is the service's).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from decimal import Decimal

from numzy_mcp.receipts import ExtractedFields, LineItem
from numzy_mcp.rules import HistoricReceipt, Rule, RuleContext, evaluate, parse_rule_draft
from numzy_mcp.rules.dry_run import context_factory, dry_run_many
from numzy_mcp.rules.history_index import HistoryIndex
from numzy_mcp.rules.python_rule import receipt_json
from numzy_mcp.rules.sandbox import SandboxPool

SPECS: list[dict[str, object]] = [
    {"type": "threshold", "value": 100, "currency": "USD"},
    {"type": "threshold", "field": "tip_percent", "operator": ">", "value": 20},
    {"type": "threshold", "field": "item_amount", "operator": ">", "value": 200},
    {"type": "threshold", "field": "tax_percent", "operator": ">", "value": 15},
    {"type": "time", "weekdays": ["weekends"]},
    {"type": "time", "hours": [{"start": 22, "end": 5}]},
    {"type": "time", "submitted_after_days": 90},
    {"type": "time", "public_holiday": True},
    {"type": "category", "categories": ["alcohol", "events"]},
    {"type": "payment_method", "methods": ["cash"]},
    {"type": "currency", "operator": "not_in", "currencies": ["USD", "EUR"]},
    {"type": "keyword", "words": ["casino", "bar"]},
    {"type": "keyword", "concepts": ["alcohol", "tobacco"]},
    {"type": "missing", "fields": ["total", "date"]},
    {"type": "pattern", "field": "merchant", "pattern": r"^(uber|lyft)\b"},
    {"type": "integrity", "tolerance": "0.05"},
    {"type": "round_amount", "multiple": "10", "min_total": "50"},
    {"type": "duplicate"},
    {"type": "frequency", "max_count": 3, "period": "week"},
    {"type": "all", "rules": [{"type": "threshold", "value": 75}, {"type": "category", "categories": ["meals"]}]},
]
MERCHANTS = ["Cafe Nero", "Uber", "Hilton", "Shell", "Amazon", "Corner Bar", "Staples", "Lyft", "Café Crème"]
CATEGORIES = ["meals", "transport", "lodging", "fuel", "office_supplies", "alcohol", "other"]


def rules() -> list[Rule]:
    return [
        Rule.from_draft(parse_rule_draft({"name": f"rule {n}", "spec": spec}), rule_id=f"r{n}")
        for n, spec in enumerate(SPECS)
    ]


def receipt(rng: random.Random, n: int) -> HistoricReceipt:
    amount = Decimal(rng.randint(100, 30_000)) / 100
    tax = (amount * Decimal("0.06")).quantize(Decimal("0.01"))
    fields = ExtractedFields.model_validate(
        {
            "merchant": rng.choice(MERCHANTS),
            "date": dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 365)),
            "time": dt.time(rng.randint(0, 23), rng.randint(0, 59)),
            "currency": rng.choice(["USD", "USD", "EUR", "MYR"]),
            "subtotal": amount,
            "tax": tax,
            "total": amount + tax,
            "category": rng.choice(CATEGORIES),
            "payment_method": rng.choice(["card", "cash"]),
            "country": "US",
            "items": [LineItem(description=rng.choice(["Lunch", "Beer", "Taxi", "Paper"]), amount=amount)],
        }
    )
    submitted = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    return HistoricReceipt(receipt_id=f"rc{n}", fields=fields, sha256=f"{n:064x}", submitted_at=submitted)


def bench_declarative(receipts: list[HistoricReceipt], all_rules: list[Rule]) -> None:
    history = HistoryIndex(receipts[:200]).view()  # what the service should pass (indexed look-ups)
    ctx = RuleContext(history=history, submitted_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    sample = receipts[200:2200]
    for item in sample[:200]:  # warm caches (holidays, regex, word patterns)
        evaluate(all_rules, item.fields, ctx)
    started = time.perf_counter()
    for item in sample:
        evaluate(all_rules, item.fields, ctx)
    elapsed = time.perf_counter() - started
    count = len(sample) * len(all_rules)
    print(f"declarative: {count:,} evaluations ({len(all_rules)} rule types, history of {len(history)}) "
          f"in {elapsed:.2f} s = {count / elapsed:,.0f} evaluations/s on one core (target >= 50,000)")  # fmt: skip


def bench_python(receipts: list[HistoricReceipt]) -> None:
    source = "receipt.total > 100 and receipt.date.weekday() >= 5"
    with SandboxPool(size=1) as pool:
        pool.warm_up()
        payloads = [receipt_json(item.fields, RuleContext()) for item in receipts[:2200]]
        for payload in payloads[:200]:
            pool.run(source, "expression", payload)
        timings: list[float] = []
        for payload in payloads[200:]:
            started = time.perf_counter()
            pool.run(source, "expression", payload)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print(f"python rule through a warm worker: p50 {statistics.median(timings):.3f} ms, p95 {p95:.3f} ms "
          f"over {len(timings):,} evaluations (target p50 <= 0.5 ms)")  # fmt: skip


def bench_dry_run(receipts: list[HistoricReceipt], all_rules: list[Rule]) -> None:
    factory = context_factory(RuleContext())
    started = time.perf_counter()
    flagged = sum(result.count for result in dry_run_many(all_rules, receipts, factory))
    elapsed = time.perf_counter() - started
    print(f"dry-run: {len(all_rules)} rules over {len(receipts):,} receipts in memory in {elapsed:.2f} s "
          f"({flagged:,} matches; the SQLite load is measured at the service level)")  # fmt: skip


def main() -> None:
    rng = random.Random(4)
    receipts = [receipt(rng, n) for n in range(10_000)]
    all_rules = rules()
    bench_declarative(receipts, all_rules)
    bench_python(receipts)
    bench_dry_run(receipts, all_rules)


if __name__ == "__main__":
    main()
