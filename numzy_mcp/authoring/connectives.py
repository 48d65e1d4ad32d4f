"""Connectives, negation, the action, filler words and judgement words.

"and" / "or" / "unless" join conditions ("or" after a comma always separates alternatives); "not",
"non-" negate the next condition. The action: "reject", "block", "don't allow" → reject; "needs
review", "should be reviewed" → review; "flag", "alert me" (or nothing) → flag; "approve", "allow"
opening a clause → an approval, which no rule can do. Filler words ("receipts", "any", "the", …)
carry no condition. Judgement words ("suspicious", "better") name no checkable condition: a sentence
with nothing but them is refused, saying so.
"""

from __future__ import annotations

from typing import cast

from numzy_mcp.authoring.pieces import ActionWord, Approval, Connective, Hit, Negation
from numzy_mcp.authoring.tokens import PhraseTable, Sentence, phrases
from numzy_mcp.rules.base import Action

ACTIONS: PhraseTable[Action] = PhraseTable(
    cast("dict[str, Action]", phrases(
        ("reject", (
            "reject", "rejects", "reject it", "block", "blocks", "deny", "denies", "decline", "declines", "refuse",
            "refuses", "don't allow", "do not allow", "dont allow", "does not allow", "doesn't allow", "not allowed",
            "never allow", "disallow", "prohibit", "forbid", "should be rejected", "must be rejected",
            "be rejected", "rejected", "rejecting", "blocked", "prohibited", "forbidden", "not permitted", "don't permit",
            "do not permit", "don't accept", "do not accept", "never accept", "don't reimburse", "do not reimburse",
            "should be blocked", "must be blocked", "are not allowed", "is not allowed", "aren't allowed",
            "isn't allowed", "are prohibited", "is prohibited", "auto reject", "auto - reject",
        )),
        ("review", (
            "needs review", "need review", "needs a review", "need a review", "needs reviewing", "need reviewing",
            "should be reviewed", "must be reviewed", "be reviewed", "reviewed", "review", "for review",
            "to review", "sends to review", "send to review", "sends for review", "send for review",
            "requires review", "require review", "reviewing", "requires approval", "require approval", "needs approval",
            "need approval", "manual review", "manually review", "hold for review", "escalate",
            "should be checked", "must be checked", "needs checking", "needs a manual check",
        )),
        ("flag", (
            "flag", "flags", "flagged", "be flagged", "should be flagged", "alert me", "alert", "warn me", "warn",
            "notify me", "notify", "highlight", "flagging", "mark", "report", "catch", "tell me", "let me know",
        )),
    ))
)  # fmt: skip

_APPROVALS = PhraseTable(
    dict.fromkeys(
        ("approve", "approves", "auto approve", "auto - approve", "allow", "allows", "accept", "accepts", "permit",
         "permits"),
        True,
    )
)  # fmt: skip
_CLAUSE_OPENERS = frozenset((",", ";", ".", ":", "!", "?", "and", "but", "or", "then", "please", "always", "just"))

_CONNECTIVES = PhraseTable(
    {
        "and": "and", "also": "and", "plus": "and", "as well as": "and", "while": "and", "but": "and",
        "or": "or", "unless": "unless", "except": "unless", "except for": "unless",
        "except when": "unless", "except if": "unless", "excluding": "unless", "but not": "unless", "other than": "unless",
        "apart from": "unless", "aside from": "unless", "with the exception of": "unless", "excepting": "unless",
    }
)  # fmt: skip
_NEGATIONS = PhraseTable(
    dict.fromkeys(
        ("not", "non", "isn't", "aren't", "wasn't", "weren't", "is not", "are not", "was not", "were not",
         "neither", "doesn't", "don't", "does not", "do not"),
        True,
    )
)  # fmt: skip

FILLERS = frozenset(
    (
        "a", "add", "alert", "all", "also", "but", "plus", "while", "always", "amount", "an", "any", "anybody", "anyone", "anything",
        "are", "as", "at", "be", "been", "being", "bill", "bills", "both", "bought", "buy", "buys", "by", "can",
        "categories", "category", "charge", "charges", "claim", "claims", "cost", "costing", "costs", "could",
        "create", "currency", "date's", "dated", "day's", "did", "do", "does", "each", "either", "employee",
        "employees", "entries", "entry", "every", "everything", "expense", "expenses", "filed", "flag", "flags",
        "for", "from", "get", "gets", "got", "had", "has", "have", "here", "i", "if", "in", "invoice", "invoices",
        "is", "it", "it's", "its", "it’s", "just", "know", "let", "like", "made", "make", "makes", "making",
        "may", "me", "method", "methods", "might", "must", "my", "new", "notify", "of", "on", "one", "ones",
        "only", "order", "orders", "our", "paid", "pay", "payment", "payments", "please", "priced", "purchase",
        "purchases", "receipt", "receipts", "rule", "should", "single", "so", "somebody", "someone", "something",
        "spend", "spending", "spends", "spent", "staff", "stuff", "submit", "submitted", "sure", "team", "tell",
        "than", "that", "that's", "the", "their", "them", "then", "there", "there's", "these", "they", "things",
        "this", "those", "to", "transaction", "transactions", "uploaded", "us", "want", "warn", "was", "we",
        "were", "what's", "when", "whenever", "where", "whether", "which", "who", "whom", "whose", "will", "with",
        "would", "you", "your", "tickets", "fare", "fares",
    )
)  # fmt: skip
"""Words that carry no condition by themselves (conditions are recognised before fillers)."""

JUDGEMENTS = frozenset(
    (
        "abnormal", "abusive", "bad", "better", "dodgy", "dubious", "excessive", "extravagant", "fake", "fishy",
        "fraud", "fraudulent", "frivolous", "good", "improper", "inappropriate", "irregular", "lavish", "nice",
        "odd", "personal", "problematic", "questionable", "risky", "shady", "sketchy", "strange", "suspect",
        "suspicious", "suspicious-looking", "unjustified", "unnecessary", "unreasonable", "unusual", "wasteful",
        "weird", "worse", "wrong",
    )
)  # fmt: skip
"""Judgements the offline compiler cannot check (an LLM rule can)."""


_FROM_NOW_ON = PhraseTable(
    dict.fromkeys(
        ("from now on", "from today on", "from today onwards", "from this point on", "from here on",
         "from here on in", "going forward", "starting now", "starting today", "as of now", "as of today",
         "effective immediately", "with immediate effect", "henceforth", "in future", "in the future"),
        True,
    )
)  # fmt: skip


def from_now_on(sentence: Sentence, index: int) -> Hit | None:
    """When the rule starts, which is always now: "From now on, ...", "going forward" carry no condition.

    Read before merchants, so "from now on" is not a merchant called "now".
    """
    found = _FROM_NOW_ON.match(sentence, index)
    if found is None or (sentence.norm(index) == "from" and sentence.is_capitalised(index + 1)):
        return None  # "from Now On Cafe": a merchant
    return Hit(found[0])


def action(sentence: Sentence, index: int) -> Hit | None:
    """The action: "reject", "don't allow", "needs review", "should be reviewed", "flag"."""
    found = ACTIONS.match(sentence, index)
    return None if found is None else Hit(found[0], (ActionWord(found[1]),))


def approval(sentence: Sentence, index: int) -> Hit | None:
    """An approval opening a clause ("Approve meals under $20 but review ...", "allow", "accept"): no rule's action.

    Only at the start of the sentence or of a clause, so "don't allow" (read before, as reject) and
    "approve" in the middle of a condition are left alone.
    """
    if sentence.kind(index) != "word" or (index > 0 and sentence.norm(index - 1) not in _CLAUSE_OPENERS):
        return None
    found = _APPROVALS.match(sentence, index)
    return None if found is None else Hit(found[0], (Approval(),))


def connective(sentence: Sentence, index: int) -> Hit | None:
    """The connectives "and", "or" (", or" is a hard or), "unless" / "except" / "excluding"."""
    found = _CONNECTIVES.match(sentence, index)
    if found is None:
        return None
    word = found[1]
    if word == "or":
        hard = sentence.norm(index - 1) == ","
        return Hit(found[0], (Connective("or", hard),))
    if word == "and":
        return Hit(found[0], (Connective("and"),))
    return Hit(found[0], (Connective("unless"),))


def negation(sentence: Sentence, index: int) -> Hit | None:
    """Negation ("not", "non-", "isn't"): the next condition is negated."""
    found = _NEGATIONS.match(sentence, index)
    if found is None:
        return None
    end = found[0] + 1 if sentence.norm(found[0]) == "-" else found[0]
    return Hit(end, (Negation(),))
