"""The Python-rule worker: RestrictedPython behind an allowlist, run as its own process (see sandbox.py).

This file imports only the standard library and RestrictedPython, because it is started as a script
(``python -I sandbox_worker.py``) in a process with rlimits, a scrubbed environment and an empty
working directory. The host imports it too, only to refuse bad sources at save time
(``check_source``); rules never run in the host.

Protocol: one JSON object per line each way. Request ``{"source", "mode", "receipt", "cpu_s",
"budget"}``; answer ``{"ok": true, "result": …}`` or ``{"ok": false, "kind":
"refused|error|memory|recursion", "error": "<Type>: <short message>"}``. The worker first writes
``{"ready": true}``. It never sends a traceback.

What a rule sees: ``receipt``, a frozen ``Receipt`` (merchant, address, date, time, currency,
subtotal, tax, tax_rate, tip, total as ``Decimal``, items as a tuple of frozen ``LineItem``,
payment_method, card_last4, category, kind, country, raw_text), a small set of builtins, and no
``import``, ``class``, ``while``, ``lambda``, ``yield``, ``global``. Attribute access goes through a
per-type allowlist; every iteration counts against a budget; ``range`` is capped.
"""

from __future__ import annotations

import ast
import datetime as dt
import decimal
import json
import math
import operator
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from RestrictedPython.compile import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Guards import full_write_guard, guarded_iter_unpack_sequence, guarded_unpack_sequence
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, RestrictingNodeTransformer

MAX_SOURCE = 4000
MAX_LINES = 200
MAX_RANGE = 10_000
MAX_SIZE = 100_000
MAX_TEXT_RESULT = 500


class RuleRefused(Exception):
    """The rule did something the sandbox does not allow (at compile time or while running)."""


class RulePolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy, also refusing constructs rules never need."""

    def _refuse(self, node: ast.AST) -> ast.AST:
        self.not_allowed(node)
        return node

    visit_ClassDef = _refuse  # type: ignore[assignment]
    visit_Import = _refuse  # type: ignore[assignment]
    visit_ImportFrom = _refuse  # type: ignore[assignment]
    visit_While = _refuse  # type: ignore[assignment]
    visit_Yield = _refuse  # type: ignore[assignment]
    visit_YieldFrom = _refuse  # type: ignore[assignment]
    visit_Global = _refuse  # type: ignore[assignment]
    visit_Nonlocal = _refuse  # type: ignore[assignment]
    visit_Lambda = _refuse  # type: ignore[assignment]


def compile_rule(source: str, mode: str) -> types.CodeType:
    """Compile rule ``source`` (``mode`` ``expression`` or ``block``) under the policy.

    Raises:
        RuleRefused: the source is too long, contains NUL, is too complex, or the policy refuses it.
    """
    if len(source) > MAX_SOURCE or source.count("\n") >= MAX_LINES:
        raise RuleRefused(f"rule source is limited to {MAX_SOURCE} characters and {MAX_LINES} lines")
    if "\x00" in source:
        raise RuleRefused("rule source must not contain NUL characters")
    compiler = compile_restricted_eval if mode == "expression" else compile_restricted_exec
    try:
        compiled = compiler(source, "<rule>", policy=RulePolicy)
    except (RecursionError, MemoryError, ValueError, SyntaxError, OverflowError):
        raise RuleRefused("rule too complex (nesting or size)") from None
    if compiled.errors or compiled.code is None:
        raise RuleRefused("; ".join(compiled.errors) or "rule did not compile")
    return compiled.code


def check_source(source: str, mode: str) -> None:
    """Refuse ``source`` now (save time) if it would be refused in the worker.

    Raises:
        RuleRefused: see ``compile_rule``.
    """
    compile_rule(source, mode)


@dataclass(frozen=True, slots=True)
class LineItem:
    """One receipt line as rules see it."""

    description: str
    quantity: decimal.Decimal | None
    unit_price: decimal.Decimal | None
    amount: decimal.Decimal | None


@dataclass(frozen=True, slots=True)
class Receipt:
    """The receipt as rules see it: immutable, built fresh for every evaluation."""

    merchant: str | None
    address: str | None
    date: dt.date | None
    time: dt.time | None
    currency: str | None
    subtotal: decimal.Decimal | None
    tax: decimal.Decimal | None
    tax_rate: decimal.Decimal | None
    tip: decimal.Decimal | None
    total: decimal.Decimal | None
    items: tuple[LineItem, ...]
    payment_method: str | None
    card_last4: str | None
    category: str | None
    kind: str
    country: str | None
    raw_text: str | None


def _dec(value: object) -> decimal.Decimal | None:
    return None if value is None else decimal.Decimal(str(value))


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def build_receipt(data: dict[str, Any]) -> Receipt:
    """A ``Receipt`` from the host's JSON (amounts as strings, ISO date and time)."""
    items = tuple(
        LineItem(
            str(i.get("description", "")), _dec(i.get("quantity")), _dec(i.get("unit_price")), _dec(i.get("amount"))
        )
        for i in data.get("items") or ()
    )
    date, time = data.get("date"), data.get("time")
    return Receipt(
        merchant=_text(data.get("merchant")),
        address=_text(data.get("address")),
        date=dt.date.fromisoformat(date) if date else None,
        time=dt.time.fromisoformat(time) if time else None,
        currency=_text(data.get("currency")),
        subtotal=_dec(data.get("subtotal")),
        tax=_dec(data.get("tax")),
        tax_rate=_dec(data.get("tax_rate")),
        tip=_dec(data.get("tip")),
        total=_dec(data.get("total")),
        items=items,
        payment_method=_text(data.get("payment_method")),
        card_last4=_text(data.get("card_last4")),
        category=_text(data.get("category")),
        kind=str(data.get("kind") or "purchase"),
        country=_text(data.get("country")),
        raw_text=_text(data.get("raw_text")),
    )


_STR = {"lower", "upper", "strip", "lstrip", "rstrip", "startswith", "endswith", "split", "replace", "casefold",
        "isdigit", "isalpha", "isspace", "find", "count", "title", "capitalize", "splitlines"}  # fmt: skip
ALLOWED_ATTRS: dict[type, frozenset[str]] = {
    Receipt: frozenset(Receipt.__dataclass_fields__),
    LineItem: frozenset(LineItem.__dataclass_fields__),
    str: frozenset(_STR),
    dt.date: frozenset({"year", "month", "day", "weekday", "isoweekday", "isoformat"}),
    dt.time: frozenset({"hour", "minute", "second", "isoformat"}),
    decimal.Decimal: frozenset({"is_zero", "is_signed"}),
    dict: frozenset({"get", "keys", "values", "items"}),
    tuple: frozenset({"index", "count"}),
    list: frozenset({"append", "extend", "pop", "index", "count", "sort", "reverse"}),
}
DENY = frozenset({"format", "format_map", "mro", "obj", "with_traceback"}) | INSPECT_ATTRIBUTES


def rule_getattr(obj: object, name: object, *default: object) -> object:
    """Attribute access for rules: per-type allowlist, no underscores, no default (always raises)."""
    if type(name) is not str:
        raise RuleRefused("attribute name must be text")
    if name.startswith("_") or name in DENY or name not in ALLOWED_ATTRS.get(type(obj), ()):
        raise RuleRefused(f"{type(obj).__name__}.{name} is not available to rules")
    return getattr(obj, name)


_SUBSCRIPTABLE = (dict, list, tuple, str, types.MappingProxyType)


def rule_getitem(obj: object, key: object) -> object:
    """Subscripts for rules: plain containers only, with int / str / slice / bool keys."""
    if type(obj) not in _SUBSCRIPTABLE or type(key) not in (int, str, slice, bool):
        raise RuleRefused(f"subscript of {type(obj).__name__} is not allowed")
    return obj[key]  # type: ignore[index]


def _check_size(value: object) -> object:
    if isinstance(value, str | list | tuple | dict | set | frozenset) and len(value) > MAX_SIZE:
        raise RuleRefused(f"value too large (over {MAX_SIZE} elements)")
    if type(value) is int and value.bit_length() > 4096:
        raise RuleRefused("number too large")
    return value


class _Budget:
    __slots__ = ("left",)

    def __init__(self, steps: int) -> None:
        self.left = steps


class CountingIter:
    """An iterator charging every element against the evaluation's iteration budget."""

    __slots__ = ("_budget", "_inner")

    def __init__(self, inner: Iterator[object], budget: _Budget) -> None:
        self._inner = inner
        self._budget = budget

    def __iter__(self) -> CountingIter:
        return self

    def __next__(self) -> object:
        self._budget.left -= 1
        if self._budget.left < 0:
            raise RuleRefused("iteration budget exhausted")
        return next(self._inner)


_ITERABLE = (list, tuple, str, dict, set, frozenset, range, CountingIter, types.GeneratorType, enumerate, zip,
             type({}.keys()), type({}.values()), type({}.items()))  # fmt: skip
_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow,
}  # fmt: skip
_SAFE_NAMES = ("abs", "bool", "float", "int", "isinstance", "len", "round", "str", "repr", "divmod", "chr", "ord",
               "slice", "Exception", "ValueError", "TypeError", "KeyError", "IndexError", "LookupError",
               "ArithmeticError", "ZeroDivisionError")  # fmt: skip
_BUILTINS: dict[str, object] = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name) for name in _SAFE_NAMES
}  # type: ignore[index]


def rule_globals(receipt: Receipt, budget_steps: int) -> dict[str, object]:
    """A fresh globals dict for one evaluation."""
    budget = _Budget(budget_steps)

    def getiter(ob: object) -> CountingIter:
        if not isinstance(ob, _ITERABLE):
            raise RuleRefused(f"cannot iterate over {type(ob).__name__}")
        return CountingIter(iter(ob), budget)  # type: ignore[call-overload]

    def through_getiter(fn: Callable[..., object]) -> Callable[..., object]:
        def wrapped(iterable: object, *args: object, **kwargs: object) -> object:
            return _check_size(fn(getiter(iterable), *args, **kwargs))

        return wrapped

    def capped_range(*args: int) -> range:
        result = range(*args)
        if len(result) > MAX_RANGE:
            raise RuleRefused(f"range is limited to {MAX_RANGE} numbers")
        return result

    def inplacevar(op: str, left: object, right: object) -> object:
        if op not in _INPLACE:
            raise RuleRefused(f"operator {op} is not allowed")
        return _check_size(_INPLACE[op](left, right))

    def multi(fn: Callable[..., object]) -> Callable[..., object]:
        def wrapped(*args: object, **kwargs: object) -> object:
            if len(args) == 1:
                return _check_size(fn(getiter(args[0]), **kwargs))
            return _check_size(fn(*args, **kwargs))

        return wrapped

    builtins: dict[str, object] = dict(_BUILTINS)
    builtins.update({fn.__name__: through_getiter(fn) for fn in (sum, any, all, sorted, list, tuple, set, enumerate)})
    builtins.update({"min": multi(min), "max": multi(max), "range": capped_range, "Decimal": decimal.Decimal})
    builtins["zip"] = lambda *its: zip(*(getiter(it) for it in its), strict=False)
    return {
        "__builtins__": builtins,
        "_getattr_": rule_getattr,
        "_getitem_": rule_getitem,
        "_getiter_": getiter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": full_write_guard,
        "_inplacevar_": inplacevar,
        "receipt": receipt,
    }


def coerce_result(value: object) -> bool | int | float | str | None:
    """The rule's result as JSON-safe data, refusing anything but bool, number, text or None."""
    if value is None or type(value) in (bool, int, float):
        if type(value) is float and not math.isfinite(value):
            raise RuleRefused("rule returned a non-finite number")
        if type(value) is int and value.bit_length() > 64:
            raise RuleRefused("rule returned a number too large")
        return value  # type: ignore[return-value]
    if type(value) is decimal.Decimal:
        return str(value)
    if type(value) is str:
        return value[:MAX_TEXT_RESULT]
    raise RuleRefused(f"rule must return True, False, None, a number or text, not {type(value).__name__}")


_CODE_CACHE: dict[tuple[str, str], types.CodeType] = {}


def evaluate(request: dict[str, Any]) -> dict[str, object]:
    """Run one request; every failure becomes an answer, never an exception."""
    try:
        source, mode = str(request["source"]), str(request.get("mode", "expression"))
        code = _CODE_CACHE.get((source, mode))
        if code is None:
            code = compile_rule(source, mode)
            if len(_CODE_CACHE) > 256:
                _CODE_CACHE.clear()
            _CODE_CACHE[(source, mode)] = code
        scope = rule_globals(build_receipt(request["receipt"]), int(request.get("budget", 100_000)))
        if mode == "expression":
            value = eval(code, scope)
        else:
            exec(code, scope)  # noqa: S102
            value = scope.get("result")
        return {"ok": True, "result": coerce_result(value)}
    except RuleRefused as refused:
        return {"ok": False, "kind": "refused", "error": f"RuleRefused: {str(refused)[:300]}"}
    except MemoryError:
        return {"ok": False, "kind": "memory", "error": "MemoryError: the rule used too much memory"}
    except RecursionError:
        return {"ok": False, "kind": "recursion", "error": "RecursionError: the rule recursed too deeply"}
    except BaseException as error:  # noqa: BLE001 - nothing a rule raises may end the worker loop
        return {"ok": False, "kind": "error", "error": f"{type(error).__name__}: {str(error)[:300]}"}


def _limit(memory_bytes: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))
    resource.setrlimit(resource.RLIMIT_CPU, (3600, 3600))


def _set_cpu_budget(seconds: float) -> None:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (min(soft, 3600), 3600))


def main() -> None:
    """The worker loop: read a request line, answer a line, until stdin closes or memory ran out."""
    memory = int(sys.argv[1]) if len(sys.argv) > 1 else 256 * 1024 * 1024
    sys.setrecursionlimit(400)
    _limit(memory)
    out = sys.stdout.buffer
    out.write(b'{"ready": true}\n')
    out.flush()
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            _set_cpu_budget(float(request.get("cpu_s", 1.0)))
            answer = evaluate(request)
        except BaseException as error:  # noqa: BLE001
            answer = {"ok": False, "kind": "error", "error": f"{type(error).__name__}: bad request"}
        out.write(json.dumps(answer).encode() + b"\n")
        out.flush()
        if answer.get("kind") == "memory":
            return


if __name__ == "__main__":
    main()
