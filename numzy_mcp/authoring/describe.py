"""Rules in plain English: one sentence for every rule type, generated from the rule itself.

``describe(draft)`` → "Rejects receipts whose category is meals and whose total is over 50 EUR,
unless made on a weekend." The wording is the compiler's own grammar, so compiling a description
gives back an equivalent rule for every rule the compiler produces (the round-trip property,
``tests/authoring/test_round_trip.py``). Rule types the compiler cannot produce (split, anomaly,
pattern, python, llm) still get a clear sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from numzy_mcp.rules import (
    AllSpec,
    AnomalySpec,
    AnySpec,
    CategorySpec,
    CurrencySpec,
    DuplicateSpec,
    FrequencySpec,
    IntegritySpec,
    KeywordSpec,
    LlmSpec,
    MissingSpec,
    NotSpec,
    PatternSpec,
    PaymentMethodSpec,
    PythonSpec,
    RoundAmountSpec,
    RuleDraft,
    RuleSpec,
    SplitSpec,
    ThresholdSpec,
    TimeSpec,
)
from numzy_mcp.rules.conditions import Operator
from numzy_mcp.rules.fields import WEEKDAYS, join_words, label
from numzy_mcp.rules.text import shorten

_OPS: dict[Operator, str] = {">": "over", ">=": "at least", "<": "under", "<=": "at most", "==": "exactly",
                             "!=": "not exactly"}  # fmt: skip
_COUNT_OPS: dict[Operator, str] = {">": "more than", ">=": "at least", "<": "fewer than", "<=": "at most"}
_VERBS = {"flag": "Flags receipts", "review": "Sends to review receipts", "reject": "Rejects receipts"}
_MISSING_LABELS = {
    "merchant": "merchant name", "tax": "tax amount", "tip": "tip amount", "items": "line items",
    "card_last4": "card number", "payment_method": "payment method", "tax_rate": "tax rate",
}  # fmt: skip
_WHERE = {
    "merchant": ("merchant name", "mentions"),
    "items": ("items", "mention"),
    "merchant_or_items": ("merchant or items", "mention"),
    "raw_text": ("receipt text", "mentions"),
    "all_text": ("merchant, items or receipt text", "mention"),
}


def number(value: Decimal) -> str:
    """``1000`` → "1,000", ``1234.5`` → "1,234.5" (never scientific notation)."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    whole, _, fraction = format(value.normalize(), "f").partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}.{fraction}"


def _money(value: Decimal, currency: str | None) -> str:
    return f"{number(value)} {currency}" if currency else number(value)


def _threshold(spec: ThresholdSpec) -> str:
    op = _OPS[spec.operator]
    match spec.field:
        case "total" if spec.operator == "<" and spec.value == 0 and spec.currency is None:
            return "that are refunds (negative total)"
        case "item_count" if spec.operator in _COUNT_OPS:
            return f"with {_COUNT_OPS[spec.operator]} {number(spec.value)} items"
        case "item_count":
            return f"whose number of items is {op} {number(spec.value)}"
        case "tip_percent":
            return f"whose tip is {op} {number(spec.value)}% of the subtotal"
        case "tax_percent":
            return f"whose tax is {op} {number(spec.value)}% of the total"
        case "tax_rate":
            return f"whose tax rate is {op} {number(spec.value)}%"
        case "item_amount":
            return f"with an item priced {op} {_money(spec.value, spec.currency)}"
        case _:
            return f"whose {label(spec.field)} is {op} {_money(spec.value, spec.currency)}"


def _listed(values: list[str], excluded: bool) -> str:
    if not excluded:
        return join_words(values, "or")
    return f"neither {join_words(values, 'nor')}" if len(values) > 1 else f"not {values[0]}"


def _terms(spec: KeywordSpec) -> str:
    terms = [f'"{word}"' for word in spec.words] + [name.replace("_", " ") for name in spec.concepts]
    return join_words(terms, "and" if spec.match == "all" else "or")


def _keyword(spec: KeywordSpec) -> str:
    if spec.field == "merchant" and not spec.concepts and (spec.match == "any" or len(spec.words) == 1):
        return f"from merchants named {_terms(spec)}"
    where, verb = _WHERE[spec.field]
    return f"whose {where} {verb} {_terms(spec)}"


def _days(days: list[str]) -> str:
    if days == list(WEEKDAYS[:5]):
        return "on a weekday"
    if days == list(WEEKDAYS[5:]):
        return "on a weekend"
    return "on " + join_words([day.capitalize() for day in days], "or")


def _time(spec: TimeSpec) -> str:
    parts: list[str] = []
    if spec.weekdays:
        parts.append(_days(list(spec.weekdays)))
    if spec.hours:
        parts.append(" or ".join(f"between {h.start:02d}:00 and {h.end:02d}:59" for h in spec.hours))
    if spec.dates:
        shown: list[str] = []
        for item in spec.dates:
            if item.start is None:
                shown.append(f"on or before {item.end}")
            elif item.end is None:
                shown.append(f"on or after {item.start}")
            else:
                shown.append(f"between {item.start} and {item.end}")
        parts.append(" or ".join(shown))
    if spec.public_holiday:
        parts.append("on a public holiday")
    made = f"made {' and '.join(parts)}" if parts else ""
    if spec.submitted_after_days is None:
        return made
    late = f"submitted more than {spec.submitted_after_days} days after the purchase"
    return f"{made} and {late}" if made else late


def _missing(spec: MissingSpec) -> str:
    names = [f"the {_MISSING_LABELS.get(name, label(name))}" for name in spec.fields]
    if spec.match == "all" and len(names) > 1:
        return f"missing all of {join_words(names)}"
    return f"missing {join_words(names, 'or')}"


def _duplicate(spec: DuplicateSpec) -> str:
    if set(spec.by) == {"content", "image"}:
        how = "same merchant, date and total, or same file"
    else:
        how = "same file" if spec.by == ["image"] else "same merchant, date and total"
    return f"that duplicate an earlier receipt ({how})"


def _integrity(spec: IntegritySpec) -> str:
    parts: list[str] = []
    if spec.check_sum:
        tolerance = "" if spec.tolerance == Decimal("0.05") else f" (tolerance {number(spec.tolerance)})"
        parts.append(f"whose amounts do not add up to the total{tolerance}")
    if spec.required:
        parts.append(_missing(MissingSpec(fields=spec.required)))
    return " or ".join(parts) or "that never match (the rule checks nothing)"


def phrase(spec: RuleSpec) -> str:
    """The phrase completing "Flags receipts …" for ``spec`` ("whose total is over 100 USD")."""
    match spec:
        case ThresholdSpec():
            return _threshold(spec)
        case CategorySpec():
            shown = [name.replace("_", " ") for name in spec.categories]
            return f"whose category is {_listed(shown, spec.operator == 'not_in')}"
        case PaymentMethodSpec():
            return f"whose payment method is {_listed(list(spec.methods), spec.operator == 'not_in')}"
        case CurrencySpec():
            return f"whose currency is {_listed(spec.currencies, spec.operator == 'not_in')}"
        case KeywordSpec():
            return _keyword(spec)
        case TimeSpec():
            return _time(spec)
        case MissingSpec():
            return _missing(spec)
        case IntegritySpec():
            return _integrity(spec)
        case DuplicateSpec():
            return _duplicate(spec)
        case FrequencySpec():
            return f"making more than {spec.max_count} purchases at the same merchant in one {spec.period}"
        case RoundAmountSpec():
            base = "a whole amount" if spec.multiple == 1 else f"a round multiple of {number(spec.multiple)}"
            floor = f" (totals over {number(spec.min_total)} only)" if spec.min_total else ""
            return f"whose total is {base}{floor}"
        case SplitSpec():
            return (
                f"that split a purchase over {_money(spec.limit, spec.currency)} into same-day receipts at one merchant"
            )
        case AnomalySpec():
            how = f"robust z-score over {spec.threshold:g}" if spec.method == "robust_z" else f"{spec.threshold:g}×IQR"
            return f"whose total is unusual for the {spec.by} ({how}, after {spec.min_history} past receipts)"
        case PatternSpec():
            where = "receipt text" if spec.field == "raw_text" else label(spec.field)
            return f"whose {where} matches the pattern /{shorten(spec.pattern, 80)}/"
        case PythonSpec():
            return f"for which the Python rule `{shorten(spec.source, 80)}` returns True"
        case LlmSpec():
            return f"that a model judges to meet: “{shorten(spec.criterion, 120)}”"
        case NotSpec():
            inner = spec.rule
            if isinstance(inner, AllSpec | AnySpec) and len(inner.rules) > 1:
                return f"not matching all of: {phrase(inner)}"
            return f"not {phrase(inner)}"
        case AllSpec():
            return " and ".join(_phrases(spec.rules))
        case AnySpec():
            grouped = any(isinstance(child, AllSpec) for child in spec.rules)
            return (", or " if grouped else " or ").join(phrase(child) for child in spec.rules)


def _between(first: RuleSpec, second: RuleSpec) -> str | None:
    """Read as "whose total is between 1,000 and 5,000 USD": for a pair of inclusive limits on one amount."""
    if not (isinstance(first, ThresholdSpec) and isinstance(second, ThresholdSpec)):
        return None
    if (first.field, first.currency) != (second.field, second.currency) or first.field in ("item_count",):
        return None
    ops = {first.operator: first.value, second.operator: second.value}
    if set(ops) != {">=", "<="} or ops[">="] > ops["<="]:
        return None
    low, high = number(ops[">="]), _money(ops["<="], first.currency)
    match first.field:
        case "tip_percent" | "tax_percent" | "tax_rate":
            return None
        case "item_amount":
            return f"with an item priced between {low} and {high}"
        case _:
            return f"whose {label(first.field)} is between {low} and {high}"


def _phrases(specs: Sequence[RuleSpec]) -> list[str]:
    """The phrases of a conjunction, with inclusive pairs of limits read as "between"."""
    shown: list[str] = []
    used: set[int] = set()
    for index, spec in enumerate(specs):
        if index in used:
            continue
        partner = next(
            (other for other in range(index + 1, len(specs)) if other not in used and _between(spec, specs[other])),
            None,
        )
        if partner is not None:
            used.add(partner)
            shown.append(_between(spec, specs[partner]) or "")
        else:
            shown.append(phrase(spec))
    return shown


def _sentence(spec: RuleSpec) -> str:
    """The body after the verb; top-level negations read as "…, unless …", alternatives as "…, or …"."""
    if isinstance(spec, AnySpec):
        return " " + ", or ".join(phrase(child) for child in spec.rules)
    children = spec.rules if isinstance(spec, AllSpec) else [spec]
    kept = [child for child in children if not isinstance(child, NotSpec)]
    unless = [child.rule for child in children if isinstance(child, NotSpec)]
    body = " and ".join(_phrases(kept))
    if not unless:
        return f" {body}"
    grouped = any(isinstance(rule, AllSpec | AnySpec) for rule in unless) or len(unless) > 1
    joined = (", or " if grouped else " or ").join(phrase(rule) for rule in unless)
    return f" {body}, unless {joined}" if body else f" unless {joined}"


def describe(draft_or_spec: RuleDraft | RuleSpec) -> str:
    """One clear English sentence saying what a rule (draft or bare spec) does.

    Args:
        draft_or_spec: a ``RuleDraft`` (its action picks the verb: flags, sends to review, rejects)
            or a bare spec (described as flagging).

    Returns:
        "Flags receipts whose total is over 100 USD and made on a weekend."
    """
    if isinstance(draft_or_spec, RuleDraft):
        verb, spec = _VERBS[draft_or_spec.action], draft_or_spec.spec
    else:
        verb, spec = _VERBS["flag"], draft_or_spec
    return f"{verb}{_sentence(spec)}."
