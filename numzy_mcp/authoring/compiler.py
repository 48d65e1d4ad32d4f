"""The offline compiler: one English sentence → one rule draft, or a refusal saying what is missing.

``compile_rule("Flag receipts over $100 on weekends")`` tokenizes the sentence, lets the grammar
pieces recognise what they know at each position (longest, most specific first: the action, ages,
frequencies, dates, hours, comparisons, missing fields, sums, duplicates, refunds, round totals,
keywords, merchants, concepts, categories, payment, currency, holidays, days, field phrases, quoted
phrases, connectives, negation), and assembles the conditions (``assemble``). Words nobody
recognised and that are not filler come back in ``unrecognized``. A sentence without any checkable
condition is refused; it never becomes a guessed rule.

Deterministic and offline; well under 10 ms a sentence (``scripts/bench_authoring.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from numzy_mcp.authoring import checks, clauses, connectives, fields, merchants, quantities, timeexpr
from numzy_mcp.authoring.assemble import Item, build, conjoin, distribute, negate
from numzy_mcp.authoring.describe import describe
from numzy_mcp.authoring.pieces import (
    ActionWord,
    Approval,
    Comparison,
    Cond,
    Connective,
    CurrencyScope,
    FieldMention,
    Negation,
    Note,
    Piece,
    Recogniser,
    Soft,
)
from numzy_mcp.authoring.tokens import Sentence
from numzy_mcp.rules import AllSpec, AnySpec, CurrencySpec, RuleDraft, RuleSpec, ThresholdSpec, TimeSpec
from numzy_mcp.rules.base import Action, Severity
from numzy_mcp.rules.fields import normalise_currency
from numzy_mcp.rules.text import shorten

RECOGNISERS: tuple[Recogniser, ...] = (
    connectives.from_now_on,
    connectives.action,
    connectives.approval,
    timeexpr.age,
    checks.frequency,
    timeexpr.dates,
    timeexpr.hours,
    quantities.comparison,
    fields.missing,
    checks.integrity,
    checks.duplicates,
    checks.refunds,
    checks.round_amounts,
    merchants.keywords,
    merchants.merchants,
    fields.categories,
    merchants.concepts,
    fields.payment,
    fields.currency,
    timeexpr.holidays,
    timeexpr.days,
    timeexpr.nights,
    fields.field_mention,
    merchants.quoted,
    connectives.connective,
    connectives.negation,
    merchants.named_merchant,
    checks.same_merchant,
)
"""The grammar pieces, most specific first; the first that recognises a position wins."""

EXAMPLES = (
    'an amount ("over $100", "at least 500 EUR"), a merchant ("from Amazon"), a category ("meals", "hotels"), '
    'a day or time ("on weekends", "after 10 pm"), words on the receipt ("mentioning \'casino\'"), a payment '
    'method ("cash"), a currency ("not in USD") or a missing field ("without a tax amount")'
)


class CompileResult(BaseModel):
    """What the compiler made of a sentence.

    Attributes:
        draft: the rule, or None when the sentence was refused.
        description: the rule in plain English, generated from the rule (never the input echoed).
        unrecognized: the parts of the sentence that were not understood.
        refusal: why no rule was made (what is missing), or None.
        clauses: when the sentence asks for several actions ("reject X and review Y"), one sentence per
            rule; ``draft`` is then None and ``refusal`` says to write them as separate rules. Empty
            otherwise (also when every clause has the same action and they became one rule).
    """

    draft: RuleDraft | None = None
    description: str = ""
    unrecognized: list[str] = Field(default_factory=list)
    refusal: str | None = None
    clauses: list[str] = Field(default_factory=list)


@dataclass
class _Reading:
    """The pieces of a sentence, in order, and the token runs nobody recognised."""

    pieces: list[tuple[int, int, Piece]] = field(default_factory=list)
    unknown: list[tuple[int, int]] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)
    """Punctuation nobody read that can end a clause (``clauses.BREAKS``)."""


def _read(sentence: Sentence) -> _Reading:
    reading = _Reading()
    index, run_start, run_end = 0, -1, -1
    while index < len(sentence):
        for recognise in RECOGNISERS:
            hit = recognise(sentence, index)
            if hit is not None and hit.end > index:
                reading.pieces.extend((index, hit.end, piece) for piece in hit.pieces)
                if run_start >= 0:
                    reading.unknown.append((run_start, run_end))
                    run_start = -1
                index = hit.end
                break
        else:
            token = sentence.tokens[index]
            if token.kind == "punct" and token.norm in clauses.BREAKS:
                reading.breaks.append(index)
            if token.kind == "punct" and run_start >= 0:
                reading.unknown.append((run_start, run_end))
                run_start = -1
            elif token.kind != "punct" and token.norm not in connectives.FILLERS:
                run_start = index if run_start < 0 else run_start
                run_end = index + 1
            index += 1
    if run_start >= 0:
        reading.unknown.append((run_start, run_end))
    return reading


@dataclass
class _State:
    """What the assembly has seen so far."""

    default_currency: str | None
    action: Action | None = None
    approves: str | None = None
    """The word of an approval ("approve", "allow") when the sentence has one."""
    main: list[Item] = field(default_factory=list)
    exceptions: list[Item] = field(default_factory=list)
    in_exception: bool = False
    joined_by: Literal["and", "or"] = "and"
    hard: bool = False
    negated: bool = False
    mentioned: str | None = None
    notes: list[str] = field(default_factory=list)
    soft: list[tuple[str, str]] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)

    def add(self, spec: RuleSpec, *, keep_field: bool = False, bare_money: bool = False) -> None:
        specs = negate(spec) if self.negated else [spec]
        group = self.exceptions if self.in_exception else self.main
        for number, item in enumerate(specs):
            first = number == 0
            group.append(Item(item, self.joined_by if first else "and", self.hard if first else False, bare_money))
        self.joined_by, self.hard, self.negated = "and", False, False
        if not keep_field:
            self.mentioned = None


_MONEY_FIELDS = {"total": "total", "subtotal": "subtotal", "tax": "tax", "tip": "tip", "item": "item_amount"}


def _threshold(state: _State, found: Comparison, text: str) -> list[ThresholdSpec] | None:
    """The threshold(s) of a comparison on the field last mentioned (the total when none was)."""
    named = state.mentioned or "total"
    currency = None
    if found.unit == "money" and named in _MONEY_FIELDS:
        target = _MONEY_FIELDS[named]
        if found.currency is not None:
            currency = quantities.resolve_currency(found.currency, state.default_currency)
    elif found.unit == "money" and named == "tax_rate":
        target = "tax_rate"
    elif found.unit in ("money", "count") and named == "item_count" and found.currency is None:
        target = "item_count"
    elif found.unit == "percent" and named in ("tip", "tax", "tax_rate"):
        target = {"tip": "tip_percent", "tax": "tax_percent", "tax_rate": "tax_rate"}[named]
        wanted = {"tip_percent": "subtotal", "tax_percent": "total"}.get(target)
        if found.base is not None and found.base != wanted:
            state.notes.append(f"{found.base_text} (a {named} percentage is of the {wanted})")
    elif found.unit == "percent":
        state.notes.append(f"{text} (a percentage of what? tip and tax percentages can be checked)")
        return None
    else:
        state.notes.append(text)
        return None
    if found.high is None:
        return [ThresholdSpec(field=target, operator=found.operator, value=found.value, currency=currency)]
    low, high = sorted((found.value, found.high))
    return [
        ThresholdSpec(field=target, operator=">=", value=low, currency=currency),
        ThresholdSpec(field=target, operator="<=", value=high, currency=currency),
    ]


def _apply(state: _State, piece: Piece, text: str) -> None:
    match piece:
        case ActionWord(action=action):
            if state.action is None or state.action == "flag":
                state.action = action
            elif action not in ("flag", state.action):
                state.notes.append(f"{text} (a rule has one action; this one is {state.action})")
        case Approval():
            state.approves = text.split()[-1]
        case Connective(word="unless"):
            state.in_exception, state.joined_by, state.hard, state.negated = True, "and", False, False
        case Connective(word=word, hard=hard):
            if word == "or":
                state.joined_by, state.hard = "or", hard or state.hard
        case Negation():
            state.negated = not state.negated
        case FieldMention(field=name):
            state.mentioned = name
        case Comparison():
            specs = _threshold(state, piece, text)
            if specs is None:
                return
            if len(specs) == 2 and state.negated:
                state.negated = False
                state.add(AnySpec(rules=[negate(specs[0])[0], negate(specs[1])[0]]), keep_field=True)
                return
            for spec in specs:
                bare = spec.currency is None and spec.field in ("total", "subtotal", "tax", "tip", "item_amount")
                state.add(spec, keep_field=True, bare_money=bare)
        case CurrencyScope(foreign=True):
            if state.default_currency is None:
                state.notes.append(f"{text} (which currency is the team's own? none was given)")
            else:
                state.add(CurrencySpec(operator="not_in", currencies=[state.default_currency]))
        case CurrencyScope(currency=code):
            if not state.negated:
                state.scopes.append(code)
            state.add(CurrencySpec(currencies=[code]))
        case Cond(spec=spec):
            state.add(spec)
        case Note(text=note):
            state.notes.append(note)
        case Soft(needs=needs):
            state.soft.append((text, needs))


def _scoped(items: list[Item], state: _State) -> list[Item]:
    """Amounts given without a currency take the sentence's "in EUR" (else the default currency)."""
    scope = state.scopes[0] if len(set(state.scopes)) == 1 else None
    bare = [item for item in (*state.main, *state.exceptions) if item.bare_money]
    attach = scope if scope is not None and bare else state.default_currency
    result: list[Item] = []
    for item in items:
        spec = item.spec
        if item.bare_money and attach is not None and isinstance(spec, ThresholdSpec):
            spec = spec.model_copy(update={"currency": normalise_currency(attach)})
        elif scope and bare and isinstance(spec, CurrencySpec) and spec.operator == "in" and spec.currencies == [scope]:
            continue  # "in EUR" became the currency of the amounts
        result.append(Item(spec, item.joined_by, item.hard))
    return result


def _has(spec: RuleSpec, needs: str) -> bool:
    """Whether ``spec`` contains hours (``needs="hours"``) or a frequency condition."""
    if isinstance(spec, AllSpec | AnySpec):
        return any(_has(child, needs) for child in spec.rules)
    if needs == "hours":
        return isinstance(spec, TimeSpec) and bool(spec.hours)
    return spec.type == needs


def _refusal(state: _State, sentence: Sentence, unknown: list[str]) -> str:
    judged = [token.text for token in sentence.tokens if token.norm in connectives.JUDGEMENTS]
    if judged:
        return (
            f'"{judged[0]}" is a judgement, not a condition the offline compiler can check. Say what makes a receipt '
            f"{judged[0]}: {EXAMPLES}; or configure a language model to create an LLM-judged rule."
        )
    understood = "" if not state.notes else f" (understood but not checkable: {'; '.join(state.notes)})"
    if state.action is not None and not unknown:
        return (
            f"The sentence says what to do ({state.action}) but not which receipts{understood}: add a condition such "
            f"as {EXAMPLES}."
        )
    return (
        f"No checkable condition found{understood}: the sentence names no amount, merchant, category, day or time, "
        f"keyword, payment method, currency or missing field. Say which receipts to flag, with {EXAMPLES}."
    )


def compile_rule(text: str, *, default_currency: str | None = None) -> CompileResult:
    """Compile one English sentence into a rule draft, offline and deterministically.

    A sentence with several actions ("Reject anything from Harbor Grill and review tips above 15%")
    is refused, naming the rule each clause would be, and its clauses come back in ``clauses``; when
    every clause has the same action ("flag X and flag Y") they become one rule firing on either.

    Args:
        text: the sentence, as a user typed it ("Flag receipts over $100 on weekends").
        default_currency: the team's ISO 4217 currency; amounts given without a currency apply to
            receipts in it (and "$" means it when it is a dollar currency). None: such amounts
            compare on any currency.

    Returns:
        The draft, its description (generated from the draft), the parts not understood, or a
        refusal naming what is missing when the sentence has no checkable condition.

    Raises:
        ValueError: ``default_currency`` is not a 3-letter code.
    """
    default = None if default_currency is None else normalise_currency(default_currency)
    sentence = Sentence(text)
    reading = _read(sentence)
    spans = clauses.split(sentence, reading.pieces, reading.breaks)
    if len(spans) <= 1:
        return _compile(text, sentence, reading, default)[0]
    parts = [sentence.span_text(start, end) for start, end in spans]
    return _several(text, [part[:1].upper() + part[1:] for part in parts], default)


def _compile(text: str, sentence: Sentence, reading: _Reading, default: str | None) -> tuple[CompileResult, _State]:
    """One rule from one clause, and what the assembly saw."""
    state = _State(default)
    for start, end, piece in reading.pieces:
        _apply(state, piece, sentence.span_text(start, end))
    main = build(_scoped(state.main, state))
    exception = build(_scoped(state.exceptions, state))
    parts = ([] if main is None else [main]) + ([] if exception is None else negate(exception))
    spec = conjoin(parts)
    spec = None if spec is None else distribute(spec)
    approves = state.approves is not None and state.action is None and spec is not None
    unread = reading.unknown
    if not approves:  # "approve" beside another action, or with nothing to let through: a word not understood
        unread = sorted(unread + [(start, end) for start, end, piece in reading.pieces if isinstance(piece, Approval)])
    unknown = [sentence.span_text(start, end) for start, end in unread]
    unknown += [text for text, needs in state.soft if spec is None or not _has(spec, needs)]
    unknown += state.notes
    if approves:
        return CompileResult(unrecognized=unknown, refusal=_APPROVAL.format(word=state.approves)), state
    if spec is None:
        return CompileResult(unrecognized=unknown, refusal=_refusal(state, sentence, unknown)), state
    action: Action = state.action or "flag"
    severity: Severity = "high" if action == "reject" else "medium"
    name = shorten(" ".join(text.split()), 80) or "Rule"
    draft = RuleDraft(name=name, action=action, severity=severity, spec=spec)
    return CompileResult(draft=draft, description=describe(draft), unrecognized=unknown), state


_APPROVAL = (
    '"{word}" lets receipts through, and a rule cannot: receipts no rule fires on are approved already. A rule '
    'flags, reviews or rejects; to spare some receipts from one, say which with "unless" ("Review meals unless '
    'the total is under $20").'
)


def _several(text: str, parts: list[str], default: str | None) -> CompileResult:
    """A sentence with one clause per action: one rule when the actions agree, else a refusal naming each rule."""
    results: list[tuple[CompileResult, _State]] = []
    for part in parts:
        sentence = Sentence(part)
        results.append(_compile(part, sentence, _read(sentence), default))
    unknown = [words for result, _state in results for words in result.unrecognized]
    drafts = [result.draft for result, _state in results if result.draft is not None]
    if len(drafts) == len(parts) and len({draft.action for draft in drafts}) == 1:
        specs: list[RuleSpec] = []
        for draft in drafts:
            for spec in draft.spec.rules if isinstance(draft.spec, AnySpec) else [draft.spec]:
                if spec not in specs:
                    specs.append(spec)
        name = shorten(" ".join(text.split()), 80) or "Rule"
        draft = drafts[0].model_copy(update={"name": name, "spec": AnySpec(rules=specs)})
        return CompileResult(draft=draft, description=describe(draft), unrecognized=unknown)
    verbs: list[str] = []
    rules: list[str] = []
    for part, (result, state) in zip(parts, results, strict=True):
        if result.draft is not None:
            verbs.append(result.draft.action)
            rules.append(f'"{part}" {_lower_first(result.description.rstrip("."))}')
        elif state.approves is not None and state.action is None:
            verbs.append(state.approves.lower())
            rules.append(f'"{part}" needs no rule (receipts no rule fires on are approved)')
        else:
            verbs.append(state.action or "flag")
            reason = (result.refusal or "").split(":")[0].split(". ")[0]
            rules.append(f'"{part}" is not a rule yet ({_lower_first(reason)})')
    if len(set(verbs)) > 1:
        opening = (
            f"This sentence has {len(parts)} actions ({', '.join(verbs)}) and a rule has one, so it is not compiled "
            "as one rule: give each rule its own sentence."
        )
    else:
        opening = f"This sentence has {len(parts)} clauses and not every one is a rule yet:"
    refusal = f"{opening} {'; '.join(rules)}."
    return CompileResult(unrecognized=unknown, refusal=refusal, clauses=parts)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


__all__ = ["CompileResult", "compile_rule"]
