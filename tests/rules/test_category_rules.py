import pytest

from numzy_mcp.receipts import Category, ExtractedFields
from numzy_mcp.rules import CategorySpec, RuleContext


def make_fields(**values: object) -> ExtractedFields:
    """ExtractedFields from keyword values (receipts.py's positional Field defaults hide them from pyright)."""
    return ExtractedFields.model_validate(values)


CTX = RuleContext()


@pytest.mark.parametrize(
    ("operator", "category", "fires"),
    [
        ("in", "alcohol", True),
        ("in", "meals", False),
        ("not_in", "meals", True),
        ("not_in", "events", False),
    ],
)
def test_category_in_and_not_in(operator: str, category: Category, fires: bool) -> None:
    spec = CategorySpec.model_validate({"operator": operator, "categories": ["alcohol", "events"]})
    assert spec.check(make_fields(category=category), CTX).matched is fires


def test_category_finding_reads_the_category() -> None:
    check = CategorySpec(categories=["alcohol"]).check(make_fields(category="alcohol"), CTX)
    assert check.sentence() == "Category alcohol is alcohol."
    assert [(read.field, read.value) for read in check.reads] == [("category", "alcohol")]


def test_category_skips_receipt_without_category() -> None:
    check = CategorySpec(operator="not_in", categories=["meals"]).check(make_fields(), CTX)
    assert check.matched is None
    assert check.detail == "the receipt has no category"
