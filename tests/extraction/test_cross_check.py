"""A model's fields are graded by their own arithmetic and by the offline reading of the same page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from numzy_mcp.extraction.cross_check import DISAGREEMENT_CAP, cross_check
from numzy_mcp.receipts import ExtractedFields, LineItem


def _model(total: str, date: dt.date | None = None) -> ExtractedFields:
    fields = ExtractedFields(
        total=Decimal(total),
        tax=Decimal("0.80"),
        items=[
            LineItem(description="BURGER", amount=Decimal("8.00")),
            LineItem(description="FRIES", amount=Decimal("2.00")),
        ],
        date=date,
    )
    fields.confidence = {"total": 0.8, "date": 0.8}
    return fields


def test_a_model_total_that_adds_up_gains_confidence_and_one_that_does_not_loses_it() -> None:
    assert cross_check(_model("10.80"), ExtractedFields()).confidence["total"] == 0.85
    assert cross_check(_model("18.80"), ExtractedFields()).confidence["total"] == 0.6


def test_a_field_the_offline_reader_confidently_read_otherwise_is_marked_for_review() -> None:
    offline = ExtractedFields(total=Decimal("10.80"), date=dt.date(2019, 3, 4))
    offline.confidence = {"total": 0.9, "date": 0.9}
    checked = cross_check(_model("10.80", date=dt.date(2019, 4, 3)), offline)
    assert checked.confidence["total"] == 0.95  # two readers agree
    assert checked.confidence["date"] == DISAGREEMENT_CAP  # they disagree: someone should look
    assert checked.date == dt.date(2019, 4, 3)  # values are never changed, only graded


def test_an_unsure_offline_reading_neither_confirms_nor_contradicts_the_model() -> None:
    offline = ExtractedFields(date=dt.date(2019, 3, 4))
    offline.confidence = {"date": 0.5}
    checked = cross_check(_model("10.80", date=dt.date(2019, 4, 3)), offline)
    assert checked.confidence["date"] == 0.8
