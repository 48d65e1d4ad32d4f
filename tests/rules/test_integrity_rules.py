from decimal import Decimal

import pytest

from numzy_mcp.errors import RuleInvalid
from numzy_mcp.receipts import LineItem
from numzy_mcp.rules import IntegritySpec, RuleContext, parse_rule_draft
from tests.rules.helpers import make_fields

CTX = RuleContext()


def items(*amounts: str) -> list[LineItem]:
    return [LineItem(description=f"item {n}", amount=Decimal(a)) for n, a in enumerate(amounts)]


@pytest.mark.parametrize(
    ("total", "fires"), [("13.00", False), ("13.04", False), ("13.10", True), ("20.00", True), ("10.00", True)]
)
def test_items_plus_tax_plus_tip_must_match_the_total(total: str, fires: bool) -> None:
    fields = make_fields(items=items("8", "2"), tax=Decimal(1), tip=Decimal(2), total=Decimal(total), currency="USD")
    assert IntegritySpec().check(fields, CTX).matched is fires


def test_discount_lines_are_subtracted() -> None:
    fields = make_fields(items=items("20", "-5"), tax=Decimal(1), total=Decimal(16))
    assert IntegritySpec().check(fields, CTX).matched is False


def test_tax_inclusive_prices_add_up() -> None:
    fields = make_fields(items=items("11.90"), tax=Decimal("1.90"), total=Decimal("11.90"))
    assert IntegritySpec().check(fields, CTX).matched is False


def test_subtotal_is_the_base_when_items_have_no_amounts() -> None:
    fields = make_fields(subtotal=Decimal(100), tax=Decimal(6), total=Decimal(120), currency="USD")
    check = IntegritySpec(tolerance=Decimal("0.5")).check(fields, CTX)
    assert check.matched is True
    assert "off the total 120.00 USD by 14.00" in check.detail


def test_required_fields_missing_fire_even_when_the_sum_cannot_be_checked() -> None:
    spec = IntegritySpec(required=["merchant", "date"])
    assert spec.check(make_fields(merchant="A"), CTX).matched is True
    assert spec.check(make_fields(), CTX).matched is True


def test_nothing_to_add_up_and_nothing_required_is_skipped() -> None:
    assert IntegritySpec().check(make_fields(merchant="A"), CTX).matched is None


def test_unknown_required_field_is_refused() -> None:
    with pytest.raises(RuleInvalid) as refused:
        parse_rule_draft({"name": "r", "spec": {"type": "integrity", "required": ["totl"]}})
    assert "spec.integrity.required" in refused.value.message
    assert "known fields" in refused.value.message
