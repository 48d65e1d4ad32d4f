"""``anomaly``: a total unusual for this merchant or category in the team's history.

JSON: ``{"type": "anomaly", "by": "merchant", "method": "robust_z", "threshold": 3.5, "min_history": 5}``.

The baseline is the totals of earlier purchases in the same currency at the same merchant (folded
name) or in the same category. ``robust_z`` is the modified z-score 0.6745 × (x − median) / MAD
(Iglewicz and Hoaglin; 3.5 is their usual cut-off); when the MAD is zero, any total different from
the median counts as unusual. ``iqr`` fires outside [Q1 − k·IQR, Q3 + k·IQR] with k = ``threshold``
(1.5 is Tukey's fence). With fewer than ``min_history`` past totals the rule is skipped: no finding
is made from too little history. The finding states the baseline it compared with.
"""

from __future__ import annotations

import statistics
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import HistoricReceipt, RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.fields import field_read, format_amount
from numzy_mcp.rules.history_index import merchant_key, with_merchant


class AnomalySpec(BaseModel):
    """Flag a total far from the team's usual totals at the merchant (or in the category)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["anomaly"] = "anomaly"
    by: Literal["merchant", "category"] = "merchant"
    method: Literal["robust_z", "iqr"] = "robust_z"
    threshold: float = Field(default=3.5, gt=0, le=100, description="robust_z: score cut-off; iqr: fence factor k.")
    min_history: int = Field(default=5, ge=3, le=10_000, description="Past totals needed before judging.")

    def _baseline(self, receipt: ExtractedFields, ctx: RuleContext) -> list[float] | None:
        if self.by == "merchant":
            key = merchant_key(receipt.merchant)
            if key is None:
                return None
            pool: list[HistoricReceipt] = with_merchant(ctx.history, key)
        else:
            if receipt.category is None:
                return None
            pool = [h for h in ctx.history if h.fields.category == receipt.category]
        return [
            float(h.fields.total)
            for h in pool
            if h.fields.total is not None
            and h.fields.kind == "purchase"
            and h.fields.currency == receipt.currency
            and (ctx.receipt_id is None or h.receipt_id != ctx.receipt_id)
        ]

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Compare the total with the baseline; skipped while the history is too short."""
        reads = (field_read(receipt, self.by), field_read(receipt, "total"))
        if receipt.total is None:
            return Check(None, "the receipt has no total", reads)
        past = self._baseline(receipt, ctx)
        if past is None:
            return Check(None, f"the receipt has no {self.by}", reads)
        if len(past) < self.min_history:
            return Check(
                None,
                f"the history has {len(past)} past totals for this {self.by}, fewer than {self.min_history}",
                reads,
            )
        x = float(receipt.total)
        unit = receipt.currency
        shown = format_amount(receipt.total, unit)
        if self.method == "robust_z":
            median = statistics.median(past)
            mad = statistics.median(abs(v - median) for v in past)
            score = float("inf") if mad == 0 and x != median else (0.0 if mad == 0 else 0.6745 * (x - median) / mad)
            holds = abs(score) > self.threshold
            base = f"median {_money(median, unit)}, MAD {_money(mad, None)} over {len(past)} past receipts"
            return Check(
                holds,
                f"total {shown} vs {base}: robust z {score:.1f}, {'beyond' if holds else 'within'} ±{self.threshold}",
                reads,
            )
        q1, _, q3 = statistics.quantiles(past, n=4, method="inclusive")
        low, high = q1 - self.threshold * (q3 - q1), q3 + self.threshold * (q3 - q1)
        holds = x < low or x > high
        base = f"Q1 {_money(q1, unit)}, Q3 {_money(q3, unit)} over {len(past)} past receipts"
        fence = f"[{_money(low, None)}, {_money(high, None)}]"
        return Check(holds, f"total {shown} vs {base}: {'outside' if holds else 'inside'} the fence {fence}", reads)

    def describe(self, negated: bool = False) -> str:
        """``whose total is unusual for the merchant (robust z-score over 3.5)``."""
        how = f"robust z-score over {self.threshold}" if self.method == "robust_z" else f"outside {self.threshold}×IQR"
        return f"whose total is {'not ' if negated else ''}unusual for the {self.by} ({how})"


def _money(value: float, currency: str | None) -> str:
    return format_amount(Decimal(str(round(value, 2))), currency)
