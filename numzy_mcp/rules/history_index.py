"""Fast views of a team's history for cross-receipt rules: receipts grouped by merchant and by hash.

``HistoryView`` is a ``Sequence[HistoricReceipt]`` over the first ``end`` receipts of a shared list,
with indexes built once for the whole list. A dry-run gives receipt *i* the view of receipts
``0 … i-1`` without copying anything, and cross-receipt rules look receipts of one merchant up in
O(log n) instead of scanning the history. Any other sequence works too (scanned linearly).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import overload

from numzy_mcp.rules.base import HistoricReceipt
from numzy_mcp.rules.text import fold


def merchant_key(name: str | None) -> str | None:
    """The merchant name compared across receipts: folded (case, accents, spaces); None when absent."""
    if not name or not name.strip():
        return None
    return fold(name)


class HistoryIndex:
    """Indexes over a list of receipts: positions by merchant key and by sha256."""

    def __init__(self, receipts: Sequence[HistoricReceipt]) -> None:
        self.receipts = list(receipts)
        self.by_merchant: dict[str, list[int]] = defaultdict(list)
        self.by_sha: dict[str, list[int]] = defaultdict(list)
        self.by_merchant_day: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
        for position, receipt in enumerate(self.receipts):
            key = merchant_key(receipt.fields.merchant)
            if key is not None:
                self.by_merchant[key].append(position)
                if receipt.fields.date is not None:
                    self.by_merchant_day[(key, receipt.fields.date)].append(position)
            if receipt.sha256:
                self.by_sha[receipt.sha256].append(position)

    def view(self, end: int | None = None) -> HistoryView:
        """The first ``end`` receipts (all when None)."""
        return HistoryView(self, len(self.receipts) if end is None else end)


class HistoryView(Sequence[HistoricReceipt]):
    """The first ``end`` receipts of a ``HistoryIndex``, as a sequence with fast look-ups."""

    def __init__(self, index: HistoryIndex, end: int) -> None:
        self._index = index
        self._end = end

    def __len__(self) -> int:
        return self._end

    @overload
    def __getitem__(self, item: int) -> HistoricReceipt: ...
    @overload
    def __getitem__(self, item: slice) -> Sequence[HistoricReceipt]: ...
    def __getitem__(self, item: int | slice) -> HistoricReceipt | Sequence[HistoricReceipt]:
        if isinstance(item, slice):
            return self._index.receipts[: self._end][item]
        if not -self._end <= item < self._end:
            raise IndexError(item)
        return self._index.receipts[item % self._end]

    def _pick(self, positions: list[int]) -> list[HistoricReceipt]:
        return [self._index.receipts[p] for p in positions[: bisect_left(positions, self._end)]]

    def with_merchant(self, key: str) -> list[HistoricReceipt]:
        """The receipts of merchant ``key`` (see ``merchant_key``)."""
        return self._pick(self._index.by_merchant.get(key, []))

    def with_sha256(self, sha256: str) -> list[HistoricReceipt]:
        """The receipts whose file hash is ``sha256``."""
        return self._pick(self._index.by_sha.get(sha256, []))

    def with_merchant_on(self, key: str, days: Iterable[dt.date]) -> list[HistoricReceipt]:
        """The receipts of merchant ``key`` dated on one of ``days``."""
        found: list[HistoricReceipt] = []
        for day in days:
            found += self._pick(self._index.by_merchant_day.get((key, day), []))
        return found


def with_merchant(history: Sequence[HistoricReceipt], key: str) -> list[HistoricReceipt]:
    """The receipts of ``history`` from merchant ``key``."""
    if isinstance(history, HistoryView):
        return history.with_merchant(key)
    return [receipt for receipt in history if merchant_key(receipt.fields.merchant) == key]


def with_sha256(history: Sequence[HistoricReceipt], sha256: str) -> list[HistoricReceipt]:
    """The receipts of ``history`` whose file hash is ``sha256``."""
    if isinstance(history, HistoryView):
        return history.with_sha256(sha256)
    return [receipt for receipt in history if receipt.sha256 == sha256]


def with_merchant_on(history: Sequence[HistoricReceipt], key: str, days: Sequence[dt.date]) -> list[HistoricReceipt]:
    """The receipts of ``history`` from merchant ``key`` dated on one of ``days``."""
    if isinstance(history, HistoryView):
        return history.with_merchant_on(key, days)
    wanted = set(days)
    return [h for h in with_merchant(history, key) if h.fields.date in wanted]
