from decimal import Decimal

import pytest

from numzy_mcp.receipts import ExtractedFields, LineItem
from numzy_mcp.rules import KeywordSpec, RuleContext


def make_fields(**values: object) -> ExtractedFields:
    """ExtractedFields from keyword values (receipts.py's positional Field defaults hide them from pyright)."""
    return ExtractedFields.model_validate(values)


CTX = RuleContext()


def receipt(merchant: str | None = None, *items: str) -> ExtractedFields:
    return make_fields(merchant=merchant, items=[LineItem(description=text, amount=Decimal(1)) for text in items])


@pytest.mark.parametrize(
    ("spec", "fields", "fires"),
    [
        (KeywordSpec(words=["uber", "lyft"]), receipt("UBER *TRIP"), True),
        (KeywordSpec(words=["uber", "lyft"]), receipt("Yellow Cab"), False),
        (KeywordSpec(words=["wine"]), receipt("Bistro", "House WINE 175ml"), True),
        (KeywordSpec(words=["wine"], field="merchant"), receipt("Bistro", "House wine"), False),
        (KeywordSpec(words=["wine"], field="items"), receipt("Wine Bar", "Soda"), False),
        (KeywordSpec(words=["bar"]), receipt("Barber shop"), False),
        (KeywordSpec(words=["happy hour"]), receipt("Pub", "Happy   Hour pint"), True),
        (KeywordSpec(words=["wine", "beer"], match="all"), receipt("Pub", "Beer", "Wine"), True),
        (KeywordSpec(words=["wine", "beer"], match="all"), receipt("Pub", "Beer"), False),
    ],
)
def test_keyword_matches_whole_words_case_insensitively(
    spec: KeywordSpec, fields: ExtractedFields, fires: bool
) -> None:
    assert spec.check(fields, CTX).matched is fires


def test_keyword_flag_quotes_the_word_found_and_reads_merchant_and_items() -> None:
    check = KeywordSpec(words=["casino", "uber"]).check(receipt("Uber", "Ride"), CTX)
    assert check.sentence() == '"uber" appears in the merchant or items.'
    assert [(read.field, read.value) for read in check.reads] == [("merchant", "Uber"), ("items", "Ride")]


def test_keyword_all_pass_names_the_missing_word() -> None:
    check = KeywordSpec(words=["wine", "beer"], match="all").check(receipt("Pub", "Beer"), CTX)
    assert check.detail == '"wine" does not appear in the merchant or items'


def test_keyword_skips_receipt_without_text() -> None:
    assert KeywordSpec(words=["uber"], field="merchant").check(receipt(None, "Uber ride"), CTX).matched is None
    assert KeywordSpec(words=["uber"]).check(make_fields(), CTX).matched is None
