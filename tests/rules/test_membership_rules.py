import pytest

from numzy_mcp.errors import RuleInvalid
from numzy_mcp.rules import CurrencySpec, PaymentMethodSpec, RuleContext, parse_rule_draft
from tests.rules.helpers import make_fields

CTX = RuleContext()


@pytest.mark.parametrize(("method", "fires"), [("cash", True), ("card", False)])
def test_payment_method_in_list_fires_on_listed_methods(method: str, fires: bool) -> None:
    spec = PaymentMethodSpec(methods=["cash"])
    assert spec.check(make_fields(payment_method=method), CTX).matched is fires


def test_payment_method_rule_skips_a_receipt_without_one() -> None:
    assert PaymentMethodSpec(methods=["cash"]).check(make_fields(), CTX).matched is None


@pytest.mark.parametrize(("currency", "fires"), [("USD", False), ("EUR", False), ("MYR", True)])
def test_currency_not_in_list_fires_on_foreign_currencies(currency: str, fires: bool) -> None:
    spec = CurrencySpec(operator="not_in", currencies=["usd", "EUR"])
    assert spec.currencies == ["USD", "EUR"]
    assert spec.check(make_fields(currency=currency), CTX).matched is fires


@pytest.mark.parametrize(
    ("spec", "location", "hint"),
    [
        ({"type": "payment_method", "methods": ["crypto"]}, "spec.payment_method.methods[0]", "'cash'"),
        ({"type": "payment_method", "methods": []}, "spec.payment_method.methods", "at least 1"),
        ({"type": "currency", "currencies": ["dollars"]}, "spec.currency.currencies", "ISO 4217"),
    ],
)
def test_bad_membership_rules_are_refused_naming_the_field(spec: dict[str, object], location: str, hint: str) -> None:
    with pytest.raises(RuleInvalid) as refused:
        parse_rule_draft({"name": "r", "spec": spec})
    assert f"- {location}: " in refused.value.message
    assert hint in refused.value.message
