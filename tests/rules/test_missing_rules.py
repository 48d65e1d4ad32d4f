import datetime as dt
from decimal import Decimal

import pytest

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules import MissingSpec, RuleContext


def make_fields(**values: object) -> ExtractedFields:
    """ExtractedFields from keyword values (receipts.py's positional Field defaults hide them from pyright)."""
    return ExtractedFields.model_validate(values)


CTX = RuleContext()
FULL = make_fields(total=Decimal(10), date=dt.date(2024, 6, 5))


@pytest.mark.parametrize(
    ("fields", "any_fires", "all_fires"),
    [
        (FULL, False, False),
        (make_fields(date=dt.date(2024, 6, 5)), True, False),
        (make_fields(total=Decimal(10)), True, False),
        (make_fields(), True, True),
    ],
)
def test_missing_rule_fires_on_any_or_all_missing_fields(
    fields: ExtractedFields, any_fires: bool, all_fires: bool
) -> None:
    assert MissingSpec(fields=["total", "date"]).check(fields, CTX).matched is any_fires
    assert MissingSpec(fields=["total", "date"], match="all").check(fields, CTX).matched is all_fires


def test_missing_rule_is_never_skipped_and_names_what_is_missing() -> None:
    check = MissingSpec(fields=["total", "date"]).check(make_fields(date=dt.date(2024, 6, 5)), CTX)
    assert check.matched is True
    assert check.detail == "the receipt has no total (it has a date)"
    assert [(read.field, read.value) for read in check.reads] == [("total", None), ("date", "2024-06-05")]


def test_missing_items_means_an_empty_item_list() -> None:
    assert MissingSpec(fields=["items"]).check(make_fields(), CTX).matched is True
