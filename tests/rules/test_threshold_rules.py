from decimal import Decimal

import pytest

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules import RuleContext, ThresholdSpec
from numzy_mcp.rules.conditions import Operator


def make_fields(**values: object) -> ExtractedFields:
    """ExtractedFields from keyword values (receipts.py's positional Field defaults hide them from pyright)."""
    return ExtractedFields.model_validate(values)


CTX = RuleContext()


@pytest.mark.parametrize(
    ("operator", "total", "fires"),
    [
        (">", "50.01", True),
        (">", "50.00", False),
        (">=", "50", True),
        (">=", "49.99", False),
        ("<", "49.99", True),
        ("<", "50", False),
        ("<=", "50", True),
        ("<=", "50.01", False),
        ("==", "50.0", True),
        ("==", "50.01", False),
        ("!=", "50.01", True),
        ("!=", "50", False),
    ],
)
def test_threshold_compares_total_with_each_operator(operator: Operator, total: str, fires: bool) -> None:
    spec = ThresholdSpec(field="total", operator=operator, value=Decimal(50))
    assert spec.check(make_fields(total=Decimal(total), currency="USD"), CTX).matched is fires


def test_threshold_flag_names_value_and_limit_with_currency() -> None:
    spec = ThresholdSpec(field="total", operator=">", value=Decimal(50), currency="USD")
    check = spec.check(make_fields(total=Decimal("62.4"), currency="USD"), CTX)
    assert check.matched is True
    assert check.sentence() == "Total 62.40 USD is over the limit of 50.00 USD."
    assert [(read.field, read.value) for read in check.reads] == [("total", "62.40"), ("currency", "USD")]


def test_threshold_pass_says_value_is_not_over_limit() -> None:
    spec = ThresholdSpec(value=Decimal(50), currency="USD")
    check = spec.check(make_fields(total=Decimal(42), currency="USD"), CTX)
    assert check.matched is False
    assert check.sentence() == "Total 42.00 USD is not over the limit of 50.00 USD."


def test_threshold_with_currency_skips_receipt_in_another_currency() -> None:
    spec = ThresholdSpec(value=Decimal(50), currency="USD")
    check = spec.check(make_fields(total=Decimal(500), currency="EUR"), CTX)
    assert check.matched is None
    assert "EUR" in check.detail
    assert "USD" in check.detail


def test_threshold_skips_receipt_without_the_field() -> None:
    check = ThresholdSpec(field="tip", value=Decimal(5)).check(make_fields(total=Decimal(10)), CTX)
    assert check.matched is None
    assert check.detail == "the receipt has no tip"


def test_threshold_on_tax_rate_compares_percent() -> None:
    spec = ThresholdSpec(field="tax_rate", operator=">=", value=Decimal(10))
    check = spec.check(make_fields(tax_rate=Decimal(20)), CTX)
    assert check.matched is True
    assert check.detail == "Tax rate 20.00% is at or over the limit of 10.00%"


@pytest.mark.parametrize("value", [50, 50.0, "50", "50.00", Decimal(50)])
def test_threshold_value_accepts_json_numbers_and_strings_as_decimal(value: object) -> None:
    spec = ThresholdSpec.model_validate({"type": "threshold", "field": "total", "operator": ">", "value": value})
    assert isinstance(spec.value, Decimal)
    assert spec.value == Decimal(50)


def test_threshold_compares_decimals_exactly_where_floats_would_round() -> None:
    spec = ThresholdSpec.model_validate({"field": "total", "operator": ">", "value": "0.3"})
    receipt = make_fields(total=Decimal("0.1") + Decimal("0.2"))
    assert spec.check(receipt, CTX).matched is False
