"""Cross-receipt rules: duplicates, split purchases, frequency per merchant, and round amounts.

They read the team's history (``RuleContext.history``).

JSON examples::

    {"type": "duplicate", "by": ["content", "image"]}
    {"type": "split", "limit": "100", "currency": "USD"}
    {"type": "frequency", "max_count": 3, "period": "week"}
    {"type": "round_amount", "multiple": "10", "min_total": "50"}

Merchants compare folded (case, accents and spacing ignored). The receipt itself (same receipt id)
is never compared with itself, and refunds never pair with purchases: a duplicate must be of the same
kind, and split purchases and frequency count purchases only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules.base import FieldRead, HistoricReceipt, RuleContext
from numzy_mcp.rules.check import Check
from numzy_mcp.rules.fields import field_read, format_amount, normalise_currency
from numzy_mcp.rules.history_index import merchant_key, with_merchant_on, with_sha256

DuplicateBy = Literal["content", "image"]
Period = Literal["day", "week", "month"]


class _HistorySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _others(receipts: list[HistoricReceipt], ctx: RuleContext) -> list[HistoricReceipt]:
    return [h for h in receipts if ctx.receipt_id is None or h.receipt_id != ctx.receipt_id]


def _ids(receipts: list[HistoricReceipt], limit: int = 5) -> str:
    shown = ", ".join(h.receipt_id for h in receipts[:limit])
    return shown + (f" and {len(receipts) - limit} more" if len(receipts) > limit else "")


class DuplicateSpec(_HistorySpec):
    """Flag a receipt that repeats an earlier one: same merchant, date and total, or the same file."""

    type: Literal["duplicate"] = "duplicate"
    by: list[DuplicateBy] = Field(
        default_factory=lambda: ["content", "image"],
        min_length=1,
        description="content: same merchant, date, total, currency and kind; image: same file hash.",
    )

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Look for an earlier receipt with the same content or file hash."""
        reads = (field_read(receipt, "merchant"), field_read(receipt, "date"), field_read(receipt, "total"))
        if "image" in self.by and ctx.sha256:
            same = _others(with_sha256(ctx.history, ctx.sha256), ctx)
            if same:
                return Check(True, f"the same file was already submitted as {_ids(same)}", reads)
        key = merchant_key(receipt.merchant)
        if "content" in self.by:
            if key is None or receipt.date is None or receipt.total is None:
                if "image" in self.by and ctx.sha256:
                    return Check(False, "no earlier receipt has the same file", reads)
                return Check(None, "the receipt has no merchant, date or total to compare", reads)
            same = [
                h
                for h in _others(with_merchant_on(ctx.history, key, [receipt.date]), ctx)
                if h.fields.total == receipt.total
                and h.fields.currency == receipt.currency
                and h.fields.kind == receipt.kind
            ]
            if same:
                shown = format_amount(receipt.total, receipt.currency)
                return Check(True, f"it repeats {_ids(same)}: same merchant, date and total ({shown})", reads)
        return Check(False, f"none of {len(ctx.history)} earlier receipts is a duplicate", reads)

    def describe(self, negated: bool = False) -> str:
        """``that duplicate an earlier receipt``."""
        return "that do not duplicate an earlier receipt" if negated else "that duplicate an earlier receipt"


class SplitSpec(_HistorySpec):
    """Flag purchases at one merchant on one day that are each at or under ``limit`` but together over it."""

    type: Literal["split"] = "split"
    limit: Decimal = Field(gt=0, allow_inf_nan=False, description="The approval limit being split around.")
    currency: str | None = Field(default=None, description="Only receipts in this currency; others are skipped.")

    @field_validator("currency")
    @classmethod
    def _check_currency(cls, currency: str | None) -> str | None:
        return None if currency is None else normalise_currency(currency)

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Add up the same-day purchases at the merchant."""
        reads = (field_read(receipt, "merchant"), field_read(receipt, "date"), field_read(receipt, "total"))
        if self.currency is not None and receipt.currency != self.currency:
            return Check(None, f"the receipt is not in {self.currency}, the only currency this rule applies to", reads)
        key = merchant_key(receipt.merchant)
        if key is None or receipt.date is None or receipt.total is None:
            return Check(None, "the receipt has no merchant, date or total", reads)
        limit = format_amount(self.limit, receipt.currency)
        if receipt.kind != "purchase" or receipt.total > self.limit:
            return Check(False, f"the total is not a purchase at or under {limit}", reads)
        same_day = [
            h
            for h in _others(with_merchant_on(ctx.history, key, [receipt.date]), ctx)
            if h.fields.kind == "purchase"
            and h.fields.currency == receipt.currency
            and h.fields.total is not None
            and Decimal(0) < h.fields.total <= self.limit
        ]
        together = receipt.total + sum((h.fields.total or Decimal(0) for h in same_day), Decimal(0))
        shown = format_amount(together, receipt.currency)
        if same_day and together > self.limit:
            return Check(
                True,
                f"same-day purchases at this merchant ({_ids(same_day)} and this one) come to {shown}, over {limit}",
                reads,
            )
        return Check(False, f"same-day purchases at this merchant come to {shown}, not over {limit}", reads)

    def describe(self, negated: bool = False) -> str:
        """``that split a purchase over 100.00 across receipts``."""
        verb = "do not split" if negated else "split"
        return f"that {verb} a purchase over {format_amount(self.limit, self.currency)} into same-day receipts"


def _period_days(day: dt.date, period: Period) -> list[dt.date]:
    """Every date of the day, ISO week (Monday–Sunday) or calendar month ``day`` falls in."""
    if period == "day":
        return [day]
    if period == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return [monday + dt.timedelta(days=n) for n in range(7)]
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return [first + dt.timedelta(days=n) for n in range((following - first).days)]


class FrequencySpec(_HistorySpec):
    """Flag the receipt that makes more than ``max_count`` purchases at one merchant in one period."""

    type: Literal["frequency"] = "frequency"
    max_count: int = Field(ge=1, le=10_000, description="Purchases allowed per merchant per period.")
    period: Period = Field(default="day", description="day, week (ISO, Monday–Sunday) or calendar month.")

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Count this merchant's purchases in the receipt's period, this one included."""
        reads = (field_read(receipt, "merchant"), field_read(receipt, "date"))
        key = merchant_key(receipt.merchant)
        if key is None or receipt.date is None:
            return Check(None, "the receipt has no merchant or date", reads)
        if receipt.kind != "purchase":
            return Check(False, "refunds are not counted", reads)
        days = _period_days(receipt.date, self.period)
        count = 1 + sum(
            1 for h in _others(with_merchant_on(ctx.history, key, days), ctx) if h.fields.kind == "purchase"
        )
        holds = count > self.max_count
        return Check(
            holds,
            f"this is purchase {count} at {receipt.merchant} in the same {self.period}, "
            f"{'over' if holds else 'within'} the limit of {self.max_count}",
            reads,
        )

    def describe(self, negated: bool = False) -> str:
        """``making more than 3 purchases at one merchant in a week``."""
        more = "at most" if negated else "more than"
        return f"making {more} {self.max_count} purchases at one merchant in a {self.period}"


class RoundAmountSpec(_HistorySpec):
    """Flag a total that is a whole multiple of ``multiple`` (a typical sign of an estimated expense)."""

    type: Literal["round_amount"] = "round_amount"
    multiple: Decimal = Field(default=Decimal(1), gt=0, allow_inf_nan=False, description="e.g. 1, 5, 10.")
    min_total: Decimal = Field(default=Decimal(0), ge=0, allow_inf_nan=False, description="Ignore smaller totals.")

    def check(self, receipt: ExtractedFields, ctx: RuleContext) -> Check:
        """Is the total a multiple?"""
        reads: tuple[FieldRead, ...] = (field_read(receipt, "total"),)
        if receipt.total is None:
            return Check(None, "the receipt has no total", reads)
        total = abs(receipt.total)
        shown = format_amount(receipt.total, receipt.currency)
        if total <= self.min_total:
            return Check(False, f"the total {shown} is at or under {format_amount(self.min_total)}", reads)
        holds = total % self.multiple == 0
        return Check(holds, f"the total {shown} is {'' if holds else 'not '}a round multiple of {self.multiple}", reads)

    def describe(self, negated: bool = False) -> str:
        """``whose total is a round multiple of 10``."""
        return f"whose total is {'not ' if negated else ''}a round multiple of {self.multiple}"
