import pytest

from numzy_mcp.receipts import LineItem
from numzy_mcp.rules import KeywordSpec, RuleContext
from tests.rules.helpers import make_fields

CTX = RuleContext()


@pytest.mark.parametrize(
    ("merchant", "word", "fires"),
    [
        ("CAFÉ DE FLORE", "cafe", True),
        ("Cafe de Flore", "café", True),
        ("Brasserie Crème", "CREME", True),
        ("Cafeteria", "cafe", False),
    ],
)
def test_keywords_ignore_case_and_accents_but_need_whole_words(merchant: str, word: str, fires: bool) -> None:
    check = KeywordSpec(field="merchant", words=[word]).check(make_fields(merchant=merchant), CTX)
    assert check.matched is fires


@pytest.mark.parametrize(
    ("item", "fires"), [("Heineken beer 6-pack", True), ("Marlboro Gold", False), ("Root vegetables", False)]
)
def test_alcohol_concept_matches_its_built_in_words(item: str, fires: bool) -> None:
    fields = make_fields(merchant="Shop", items=[LineItem(description=item)])
    assert KeywordSpec(concepts=["alcohol"]).check(fields, CTX).matched is fires


@pytest.mark.parametrize(
    ("concept", "text"),
    [("tobacco", "Cigarettes x2"), ("gift_cards", "Apple Gift Card 100"), ("gambling", "Lucky Casino"),
     ("adult_entertainment", "Velvet Strip Club")],
)  # fmt: skip
def test_every_built_in_concept_fires_on_a_typical_line(concept: str, text: str) -> None:
    spec = KeywordSpec.model_validate({"concepts": [concept]})
    assert spec.check(make_fields(merchant=text), CTX).matched is True


def test_a_team_extends_a_concept_through_the_context() -> None:
    fields = make_fields(merchant="Shop", items=[LineItem(description="Makgeolli 750ml")])
    spec = KeywordSpec(concepts=["alcohol"])
    assert spec.check(fields, CTX).matched is False
    check = spec.check(fields, RuleContext(concepts={"alcohol": ["makgeolli"]}))
    assert check.matched is True
    assert check.detail == 'alcohol ("makgeolli") appears in the merchant or items'


def test_raw_text_keywords_read_the_ocr_text_from_the_context() -> None:
    spec = KeywordSpec(field="raw_text", words=["gift card"])
    assert spec.check(make_fields(), RuleContext(raw_text="THANK YOU\nGIFT   CARD 50.00")).matched is True
    assert spec.check(make_fields(), RuleContext(extra={"raw_text": "groceries"})).matched is False
    assert spec.check(make_fields(), RuleContext()).matched is None


def test_all_mode_needs_every_word_and_concept() -> None:
    spec = KeywordSpec(words=["hotel"], concepts=["alcohol"], match="all")
    assert spec.check(make_fields(merchant="Hilton Hotel", items=[LineItem(description="Wine")]), CTX).matched
    check = spec.check(make_fields(merchant="Hilton Hotel"), CTX)
    assert check.matched is False
    assert check.detail == "alcohol does not appear in the merchant or items"
