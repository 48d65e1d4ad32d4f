import datetime as dt
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from numzy_mcp.receipts import ExtractedFields
from numzy_mcp.rules import FieldRead, RuleContext
from numzy_mcp.rules.check import Check, all_of, any_of, negate
from numzy_mcp.rules.conditions import (
    AllCondition,
    AnyCondition,
    Condition,
    FieldCondition,
    KeywordCondition,
    MembershipCondition,
    MissingCondition,
    NotCondition,
)


def make_fields(**values: object) -> ExtractedFields:
    """ExtractedFields from keyword values (receipts.py's positional Field defaults hide them from pyright)."""
    return ExtractedFields.model_validate(values)


CTX = RuleContext()
T, F, U = Check(True, "t"), Check(False, "f"), Check(None, "u")


@pytest.mark.parametrize(
    ("checks", "expected_all", "expected_any"),
    [
        ([T, T], True, True),
        ([T, F], False, True),
        ([F, F], False, False),
        ([T, U], None, True),
        ([F, U], False, None),
        ([U, U], None, None),
    ],
)
def test_all_and_any_follow_three_valued_logic(
    checks: list[Check], expected_all: bool | None, expected_any: bool | None
) -> None:
    assert all_of(checks).matched is expected_all
    assert any_of(checks).matched is expected_any


def test_negate_keeps_undecided_undecided() -> None:
    assert negate(T).matched is False
    assert negate(F).matched is True
    assert negate(U).matched is None


def test_combined_check_merges_reads_in_order() -> None:
    left = Check(True, "a", (FieldRead(field="total", value="1.00"),))
    right = Check(True, "b", (FieldRead(field="date", value=None), FieldRead(field="total", value="1.00")))
    assert [read.field for read in all_of([left, right]).reads] == ["total", "date"]


@pytest.mark.parametrize(
    ("condition", "fires"),
    [
        (FieldCondition(field="merchant", operator="==", value="uber"), True),
        (FieldCondition(field="merchant", operator="!=", value="Uber"), False),
        (FieldCondition(field="date", operator="<", value="2024-07-01"), True),
        (FieldCondition(field="time", operator=">=", value="18:00"), False),
        (MembershipCondition(field="currency", values=["usd", "cad"]), True),
        (MembershipCondition(field="payment_method", operator="not_in", values=["cash"]), True),
        (KeywordCondition(words=["ube"]), False),
        (MissingCondition(fields=["tip"]), True),
    ],
)
def test_leaf_conditions(condition: Condition, fires: bool) -> None:
    fields = make_fields(
        merchant="UBER", date=dt.date(2024, 6, 8), time=dt.time(9), currency="USD", payment_method="card"
    )
    assert condition.evaluate(fields, CTX).matched is fires


def test_condition_tree_round_trips_through_json_and_evaluates() -> None:
    tree = AllCondition(
        conditions=[
            FieldCondition(field="total", operator=">", value=Decimal("99.99"), currency="USD"),
            AnyCondition(
                conditions=[
                    MissingCondition(fields=["merchant"]),
                    NotCondition(condition=MissingCondition(fields=["tip"])),
                ]
            ),
        ]
    )
    adapter: TypeAdapter[Condition] = TypeAdapter(Condition)
    again = adapter.validate_json(adapter.dump_json(tree))
    assert again == tree
    fields = make_fields(total=Decimal(100), currency="USD", tip=Decimal(1), merchant="Cafe")
    assert again.evaluate(fields, CTX).matched is True
    assert again.evaluate(fields.model_copy(update={"tip": None}), CTX).matched is False


def test_field_condition_refuses_ordering_operator_on_text_field() -> None:
    with pytest.raises(ValidationError) as refused:
        FieldCondition(field="merchant", operator=">", value="a")
    assert refused.value.errors()[0]["loc"] == ("operator",)
    assert "allowed: ==, !=" in refused.value.errors()[0]["msg"]


def test_field_condition_refuses_a_date_that_is_not_iso() -> None:
    with pytest.raises(ValidationError) as refused:
        FieldCondition(field="date", operator=">", value="08/06/2024")
    assert refused.value.errors()[0]["loc"] == ("value",)


def test_membership_refuses_unknown_payment_method() -> None:
    with pytest.raises(ValidationError) as refused:
        MembershipCondition(field="payment_method", values=["crypto"])
    assert "card, cash, other" in str(refused.value)


def test_condition_describes_itself_with_de_morgan_under_not() -> None:
    tree = NotCondition(
        condition=AllCondition(
            conditions=[MissingCondition(fields=["total"]), MembershipCondition(field="category", values=["meals"])]
        )
    )
    assert tree.describe() == "with a total or whose category is not meals"
