from decimal import Decimal
from typing import Any

import pytest

from numzy_mcp.errors import RuleInvalid
from numzy_mcp.receipts import LineItem
from numzy_mcp.rules import RuleContext, ThresholdSpec, parse_rule_draft
from tests.rules.helpers import make_fields

CTX = RuleContext()
ITEMS = [LineItem(description="Steak", amount=Decimal("42.00")), LineItem(description="Water", amount=Decimal("3.00"))]


def spec(**values: Any) -> ThresholdSpec:
    return ThresholdSpec.model_validate(values)


@pytest.mark.parametrize(("limit", "fires"), [("40", True), ("42", False), ("50", False)])
def test_item_amount_fires_when_any_item_is_over_the_limit(limit: str, fires: bool) -> None:
    check = spec(field="item_amount", operator=">", value=limit).check(make_fields(items=ITEMS, currency="USD"), CTX)
    assert check.matched is fires
    if fires:
        assert check.detail == 'item "Steak" at 42.00 USD is over the limit of 40.00 USD'


@pytest.mark.parametrize(("operator", "limit", "fires"), [(">=", "2", True), (">", "2", False), ("==", "2", True)])
def test_item_count_compares_the_number_of_lines(operator: str, limit: str, fires: bool) -> None:
    assert (
        spec(field="item_count", operator=operator, value=limit).check(make_fields(items=ITEMS), CTX).matched is fires
    )


@pytest.mark.parametrize(("tip", "fires"), [("25", True), ("20", False), ("5", False)])
def test_tip_percent_is_tip_over_subtotal(tip: str, fires: bool) -> None:
    fields = make_fields(subtotal=Decimal(100), tip=Decimal(tip), total=Decimal(100) + Decimal(tip))
    check = spec(field="tip_percent", operator=">", value=20).check(fields, CTX)
    assert check.matched is fires


def test_tax_percent_is_tax_over_total() -> None:
    fields = make_fields(tax=Decimal(10), total=Decimal(100))
    assert spec(field="tax_percent", operator=">", value=9).check(fields, CTX).matched is True
    assert spec(field="tax_percent", operator=">", value=10).check(fields, CTX).matched is False


def test_percent_without_the_divisor_is_skipped() -> None:
    check = spec(field="tip_percent", operator=">", value=20).check(make_fields(tip=Decimal(5)), CTX)
    assert check.matched is None


def test_item_amount_limited_to_a_currency_skips_other_currencies() -> None:
    rule = spec(field="item_amount", operator=">", value=10, currency="eur")
    assert rule.check(make_fields(items=ITEMS, currency="USD"), CTX).matched is None
    assert rule.check(make_fields(items=ITEMS, currency="EUR"), CTX).matched is True


def test_currency_on_a_ratio_is_refused_naming_the_field() -> None:
    with pytest.raises(RuleInvalid) as refused:
        parse_rule_draft(
            {"name": "r", "spec": {"type": "threshold", "field": "tip_percent", "value": 20, "currency": "USD"}}
        )
    assert "spec.threshold.currency" in refused.value.message
    assert "item_amount" in refused.value.message


def test_unknown_threshold_field_lists_the_measures() -> None:
    with pytest.raises(RuleInvalid) as refused:
        parse_rule_draft({"name": "r", "spec": {"type": "threshold", "field": "tip_pct", "value": 20}})
    assert "tip_percent" in refused.value.message


def test_measures_describe_themselves() -> None:
    assert spec(field="tip_percent", operator=">", value=20).describe() == (
        "with the tip as a percentage of the subtotal over the limit of 20.00%"
    )
