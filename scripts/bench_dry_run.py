"""Dry-run benchmark on SQLite: 20 rules over 10,000 stored receipts, through the service.

Run: ``.venv/bin/python scripts/bench_dry_run.py [--receipts N]``. Prints numbers; asserts nothing.
Target (issue 4): ≤ 5 s for the 20 rules.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rules import SPECS, receipt

from numzy_mcp.service import NumzyService
from numzy_mcp.settings import Settings
from numzy_mcp.storage.repositories import ReceiptRepo
from numzy_mcp.storage.tables import ReceiptRow


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), process_samples=False)
        service = NumzyService.from_settings(settings)
        await service.start()
        rng = random.Random(7)
        now = dt.datetime.now(dt.UTC)
        started = time.perf_counter()
        async with service._sessions.begin() as session:  # pyright: ignore[reportPrivateUsage]
            repo = ReceiptRepo(session, "local")
            for n in range(count):
                past = receipt(rng, n)
                fields = past.fields
                created = now - dt.timedelta(minutes=count - n)
                session.add(
                    ReceiptRow(
                        id=f"rcp_{n:08d}", team_id="local", sha256=f"{n:064x}", filename=f"{n}.jpg",
                        mime_type="image/jpeg", size_bytes=1, pages=1, blob_key=f"local/{n}.jpg",
                        status="completed", stage="done", percent=100, attempts=1,
                        fields=fields.model_dump(mode="json"), merchant=fields.merchant, receipt_date=fields.date,
                        total=fields.total, currency=fields.currency, created_at=created, updated_at=created,
                    )
                )  # fmt: skip
            await session.flush()
            del repo
        print(f"stored {count} receipts in {time.perf_counter() - started:.1f} s")
        drafts = [{"name": f"rule {i}", "spec": spec} for i, spec in enumerate(SPECS)]
        for attempt in range(3):
            started = time.perf_counter()
            results = await service.dry_run_rules("local", drafts)
            elapsed = time.perf_counter() - started
            flagged = sum(r.count for r in results)
            print(f"run {attempt + 1}: {len(drafts)} rules over {results[0].evaluated} receipts in {elapsed:.2f} s "
                  f"({flagged} matches)")  # fmt: skip
        await service.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--receipts", type=int, default=10_000)
    asyncio.run(main(parser.parse_args().receipts))
