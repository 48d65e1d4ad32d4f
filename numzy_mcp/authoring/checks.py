"""Whole-receipt and cross-receipt checks: duplicates, frequency, sums that do not add up, refunds, round totals.

"duplicate receipts" (same merchant, date and total, or the same file); "more than 3 receipts from
the same merchant in one day" (frequency counts purchases per merchant per day / week / month);
"the total doesn't match the sum of the items" (integrity); "refunds" (a negative total); "round
amounts" (whole amounts) and "multiples of 10".
"""

from __future__ import annotations

from decimal import Decimal

from numzy_mcp.authoring.pieces import Cond, Hit, Note, Soft
from numzy_mcp.authoring.quantities import COMPARATORS, number_words
from numzy_mcp.authoring.tokens import PhraseTable, Sentence
from numzy_mcp.rules import DuplicateSpec, FrequencySpec, IntegritySpec, RoundAmountSpec, ThresholdSpec
from numzy_mcp.rules.history import DuplicateBy, Period

_DUPLICATES = PhraseTable(
    dict.fromkeys(
        ("duplicate", "duplicates", "duplicated", "duplicate receipts", "submitted twice", "double submitted",
         "double - submitted", "submitted more than once", "repeated receipts", "repeat submissions",
         "same receipt twice", "the same receipt twice", "double claims", "claimed twice", "double - claimed",
         "duplicate an earlier receipt", "duplicates of earlier receipts", "duplicate submissions"),
        True,
    )
)  # fmt: skip
_SAME_FILE = PhraseTable(dict.fromkeys(("same file", "same image", "same photo", "same scan"), True))


def duplicates(sentence: Sentence, index: int) -> Hit | None:
    """Duplicates: "duplicate receipts", "submitted twice", with "(same file)" or "(same merchant, …)"."""
    found = _DUPLICATES.match(sentence, index)
    same_file = _SAME_FILE.match(sentence, sentence.skip(index, ("the",)))
    if found is None and same_file is None:
        return None
    if found is None and same_file is not None:
        return Hit(same_file[0], (Cond(DuplicateSpec(by=["image"])),))
    assert found is not None
    end = found[0]
    by: list[DuplicateBy] = ["content", "image"]
    if sentence.norm(end) == "(":
        close = next((i for i in range(end, min(end + 16, len(sentence))) if sentence.norm(i) == ")"), None)
        if close is not None:
            inside = {sentence.norm(i) for i in range(end, close)}
            by_file = bool(inside & {"file", "image", "photo", "scan"})
            by_content = bool(inside & {"merchant", "date", "total"})
            by = ["content", "image"] if by_file and by_content else ["image"] if by_file else ["content"]
            end = close + 1
    return Hit(end, (Cond(DuplicateSpec(by=by)),))


_QUALIFIERS = PhraseTable(
    dict.fromkeys(
        ("the same merchant", "same merchant", "one merchant", "a single merchant", "the same vendor", "same vendor",
         "the same store", "same store", "the same place", "same place", "a merchant", "any merchant",
         "any one merchant", "each merchant", "per merchant", "a single vendor", "one vendor", "one store"),
        True,
    )
)  # fmt: skip
_PERIODS: PhraseTable[Period] = PhraseTable(
    {
        "in one day": "day", "in a day": "day", "per day": "day", "a day": "day", "each day": "day",
        "in the same day": "day", "on the same day": "day", "on one day": "day", "in a single day": "day",
        "daily": "day", "within a day": "day", "in one week": "week", "in a week": "week", "per week": "week",
        "a week": "week", "in the same week": "week", "weekly": "week", "each week": "week",
        "within a week": "week", "in one month": "month", "in a month": "month", "per month": "month",
        "a month": "month", "in the same month": "month", "monthly": "month", "each month": "month",
        "within a month": "month",
    }
)  # fmt: skip
_TIMES = {"once": 1, "twice": 2, "thrice": 3}
_EVENTS = frozenset({"receipts", "purchases", "expenses", "transactions", "times", "visits", "charges", "orders"})
_GAPS = frozenset({"from", "at", "with", "by", "to", "made", "submitted", "of"})


def _count(sentence: Sentence, index: int) -> tuple[int, int] | None:
    word = sentence.norm(index)
    if word in _TIMES:
        return index + 1, _TIMES[word]
    if sentence.kind(index) == "number" and "." not in word:
        return index + 1, int(word)
    found = number_words(sentence, index)
    if found is None or found[1] != found[1].to_integral_value():
        return None
    return found[0], int(found[1])


def frequency(sentence: Sentence, index: int) -> Hit | None:
    """Purchases per merchant per period: "more than 3 receipts from the same merchant in one day"."""
    matched = COMPARATORS.match(sentence, index)
    if matched is None or matched[1] not in (">", ">="):
        return None
    counted = _count(sentence, matched[0])
    if counted is None:
        return None
    end, count = counted
    if sentence.norm(end) in _EVENTS:
        end += 1
    elif sentence.norm(end - 1) not in _TIMES:
        return None
    qualifier = period = None
    while end < len(sentence):
        found_q = _QUALIFIERS.match(sentence, end)
        found_p = _PERIODS.match(sentence, end)
        if found_q is not None and qualifier is None:
            qualifier, end = True, found_q[0]
        elif found_p is not None and period is None:
            period, end = found_p[1], found_p[0]
        elif sentence.norm(end) in _GAPS:
            end += 1
        else:
            break
    if period is None:
        return None
    if qualifier is None:
        qualifier = any(_QUALIFIERS.match(sentence, at) for at in range(max(0, index - 6), index)) or None
    limit = count if matched[1] == ">" else count - 1
    if qualifier is None or limit < 1:
        text = sentence.span_text(index, end)
        why = "frequency rules count purchases at one merchant: say 'from the same merchant'"
        return Hit(end, (Note(f"{text} ({why if qualifier is None else 'the count must allow at least one'})"),))
    return Hit(end, (Cond(FrequencySpec(max_count=limit, period=period)),))


def same_merchant(sentence: Sentence, index: int) -> Hit | None:
    """Merchant qualifiers ("at the same merchant") before a frequency: filler when the sentence has a frequency condition."""
    found = _QUALIFIERS.match(sentence, sentence.skip(index, ("at", "from", "with", "by")))
    return None if found is None else Hit(found[0], (Soft("frequency"),))


_NOT = PhraseTable(
    dict.fromkeys(
        ("doesn't", "don't", "does not", "do not", "didn't", "did not", "fail to", "fails to", "not", "isn't",
         "aren't", "is not", "are not", "never"),
        True,
    )
)  # fmt: skip
_SUM_VERBS = PhraseTable(
    dict.fromkeys(
        ("match", "add up", "equal", "sum to", "sum up", "tally", "reconcile", "agree", "balance", "add up to",
         "matching", "adding up", "equal to"),
        True,
    )
)  # fmt: skip
_MISMATCH = PhraseTable(
    dict.fromkeys(
        ("mismatch", "mismatches", "mismatched", "mismatched totals", "math errors", "arithmetic errors",
         "inconsistent totals", "totals that don't add up", "wrong totals", "incorrect totals"),
        True,
    )
)  # fmt: skip
_SUM_TAIL = frozenset({"with", "to", "the", "sum", "of", "items", "line", "item", "total", "totals", "amounts",
                       "amount", "subtotal", "its", "their", "prices", "lines"})  # fmt: skip


def integrity(sentence: Sentence, index: int) -> Hit | None:
    """Sums that do not add up: "the total doesn't match the sum of the items", "don't add up"."""
    lead = _MISMATCH.match(sentence, index)
    if lead is None:
        negation = _NOT.match(sentence, index)
        verb = None if negation is None else _SUM_VERBS.match(sentence, negation[0])
        if verb is None:
            return None
        lead = verb
    end = lead[0]
    while end < len(sentence) and (
        sentence.norm(end) in _SUM_TAIL or (sentence.norm(end) in ("and", "plus") and sentence.norm(end + 1) in (
            "tax", "tip", "taxes", "tips"))
    ):  # fmt: skip
        end += 1 if sentence.norm(end) not in ("and", "plus") else 2
    return Hit(end, (Cond(IntegritySpec()),))


_REFUNDS = PhraseTable(
    dict.fromkeys(
        ("refund", "refunds", "refunded", "returns", "returned items", "negative total", "negative totals",
         "negative amount", "negative amounts", "credit notes", "credit note", "are refunds",
         "refunds ( negative total )", "are refunds ( negative total )"),
        True,
    )
)  # fmt: skip


def refunds(sentence: Sentence, index: int) -> Hit | None:
    """Refunds: a negative total."""
    found = _REFUNDS.match(sentence, index)
    if found is None:
        return None
    return Hit(found[0], (Cond(ThresholdSpec(field="total", operator="<", value=Decimal(0))),))


_ROUND = PhraseTable(
    dict.fromkeys(
        ("round amount", "round amounts", "round number", "round numbers", "round total", "round totals",
         "round figures", "round sums", "round dollar amounts", "whole amount", "whole amounts",
         "whole dollar amounts", "whole - dollar amounts", "whole - dollar", "whole numbers", "whole number",
         "no cents", "even amounts", "round"),
        True,
    )
)  # fmt: skip


def _multiple(sentence: Sentence, index: int) -> tuple[int, Decimal] | None:
    start = sentence.skip(index, ("a", "an", "round"))
    if sentence.norm(start) not in ("multiple", "multiples") or sentence.norm(start + 1) != "of":
        return None
    at = sentence.skip(start + 2, ("$", "€", "£", "¥"))
    if sentence.kind(at) != "number":
        return None
    value = Decimal(sentence.norm(at))
    return (at + 1, value) if value > 0 else None


def round_amounts(sentence: Sentence, index: int) -> Hit | None:
    """Round totals: "round amounts" (whole amounts), "multiples of 10"."""
    found = _ROUND.match(sentence, index)
    if found is None:
        multiple = _multiple(sentence, index)
        if multiple is None:
            return None
        return Hit(multiple[0], (Cond(RoundAmountSpec(multiple=multiple[1])),))
    multiple = _multiple(sentence, sentence.skip(found[0], ("that", "are", "is", "of", "in", "as", "with")))
    end, value = multiple if multiple is not None else (found[0], Decimal(1))
    return Hit(end, (Cond(RoundAmountSpec(multiple=value)),))


KEYWORD_TABLES = (_DUPLICATES, _REFUNDS, _ROUND)
"""Tables whose words end a merchant name (they start conditions of their own)."""
