"""Attack classes of shared/design/sandbox.md §9, with inputs written for this project."""

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from numzy_mcp.errors import RuleInvalid
from numzy_mcp.rules import parse_rule_draft
from numzy_mcp.rules.sandbox import SandboxPool
from numzy_mcp.rules.sandbox_worker import RuleRefused, check_source

RECEIPT: dict[str, Any] = {
    "merchant": "Cafe Nero",
    "date": "2024-06-08",
    "time": "21:15:00",
    "currency": "USD",
    "total": "62.40",
    "items": [{"description": "Lunch", "amount": "50.00"}, {"description": "Wine", "amount": "12.40"}],
    "kind": "purchase",
}


@pytest.mark.parametrize(
    ("source", "mode"),
    [
        ("receipt.__class__", "expression"),
        ("receipt.total.__class__.__mro__", "expression"),
        ("_secret", "expression"),
        ("[1 for _x in receipt.items]", "expression"),
        ("receipt.date.gi_frame", "expression"),
        ("class X:\n    pass", "block"),
        ("import os", "block"),
        ("from os import system", "block"),
        ("while True:\n    pass", "block"),
        ("def f():\n    yield 1", "block"),
        ("def f():\n    yield from [1]", "block"),
        ("global x\nx = 1", "block"),
        ("(lambda: 1)()", "expression"),
        ("def f(_x, /):\n    return _x", "block"),
        ("try:\n    pass\nexcept* ValueError:\n    pass", "block"),
        ("match receipt:\n    case _:\n        result = True", "block"),
        ("x: int = 1", "block"),
        ("async def f():\n    pass", "block"),
        ("x = 1\n" * 250, "block"),
        ("True\x00", "expression"),
        ("-" * 3900 + "1", "expression"),
        ("(" * 500 + "1" + ")" * 500, "expression"),
        ("x = 1 +", "block"),
    ],
)
def test_compile_time_refusals(source: str, mode: str) -> None:
    with pytest.raises(RuleRefused):
        check_source(source, mode)


def test_refused_source_is_refused_when_the_rule_is_saved() -> None:
    with pytest.raises(RuleInvalid) as refused:
        parse_rule_draft({"name": "r", "spec": {"type": "python", "source": "import os"}})
    assert "- spec.python: the sandbox refused the source" in refused.value.message


def test_an_honest_rule_runs_in_a_worker(sandbox: SandboxPool) -> None:
    result = sandbox.run("receipt.total > 50 and receipt.date.weekday() >= 5", "expression", RECEIPT)
    assert result.ok
    assert result.result is True
    block = "n = 0\nfor item in receipt.items:\n    if 'wine' in item.description.lower():\n        n += 1\nresult = n"
    assert sandbox.run(block, "block", RECEIPT).result == 1


@pytest.mark.parametrize(
    ("source", "mode", "message"),
    [
        ("receipt.merchant.format", "expression", "str.format is not available"),
        ("'{0.__class__}'.format_map", "expression", "format_map"),
        ("receipt.totl", "expression", "Receipt.totl is not available"),
        ("getattr(receipt, '__dict__')", "expression", "NameError"),
        ("receipt.items[0].amount.as_integer_ratio()", "expression", "Decimal.as_integer_ratio"),
        ("receipt.merchant = 'x'", "block", "TypeError"),
        ("receipt.items.append(1)", "block", "tuple.append is not available"),
        ("result = sum(1 for a in range(10000) for b in range(10000))", "block", "iteration budget"),
        ("list(range(10**9))", "expression", "range is limited"),
        ("[1] * 10", "expression", "must return"),
        ("receipt", "expression", "must return"),
        ("x = 'ab'\nfor i in range(40):\n    x += x\nresult = x", "block", "too large"),
        ("try:\n    receipt.nope\nexcept Exception as e:\n    result = e.obj", "block", "is not available"),
    ],
)
def test_run_time_refusals(sandbox: SandboxPool, source: str, mode: str, message: str) -> None:
    check_source(source, mode)  # passes the compiler: only the runtime guards stop it
    result = sandbox.run(source, mode, RECEIPT)
    assert not result.ok
    assert result.kind in ("refused", "error")
    assert message in (result.error or "")


def test_memory_bomb_is_stopped_and_the_next_evaluation_works(sandbox: SandboxPool) -> None:
    result = sandbox.run("len('a' * 10**10)", "expression", RECEIPT)
    assert (result.ok, result.kind) == (False, "memory")
    assert sandbox.run("receipt.total > 1", "expression", RECEIPT).result is True


def test_cpu_bomb_is_killed_by_the_cpu_limit_and_the_worker_respawns() -> None:
    with SandboxPool(size=1, cpu_seconds=1.0, wall_seconds=10.0) as pool:
        result = pool.run("10 ** 10 ** 10 > 1", "expression", RECEIPT)
        assert (result.ok, result.kind) == (False, "killed-cpu-limit")
        assert pool.run("receipt.total > 1", "expression", RECEIPT).result is True


def test_wall_clock_limit_kills_a_slow_rule_and_the_worker_respawns() -> None:
    with SandboxPool(size=1, cpu_seconds=30.0, wall_seconds=0.5) as pool:
        result = pool.run("10 ** 10 ** 10 > 1", "expression", RECEIPT)
        assert (result.ok, result.kind) == (False, "killed-wall-timeout")
        assert pool.run("receipt.total > 1", "expression", RECEIPT).result is True


def test_deep_recursion_is_an_error_not_a_crash(sandbox: SandboxPool) -> None:
    result = sandbox.run("def f(n):\n    return f(n + 1)\nresult = f(0)", "block", RECEIPT)
    assert (result.ok, result.kind) == (False, "recursion")
    assert sandbox.run("True", "expression", RECEIPT).result is True


def wait_until_dead(pid: int) -> None:
    stat = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and stat.exists() and stat.read_text().split(")")[-1].split()[0] != "Z":
        time.sleep(0.01)


def test_a_worker_that_crashes_mid_evaluation_is_reported_and_replaced() -> None:
    with SandboxPool(size=1, wall_seconds=5.0) as pool:
        pool.warm_up()
        [pid] = pool.worker_pids()
        killer = threading.Timer(0.3, os.kill, (pid, signal.SIGSEGV))
        killer.start()
        result = pool.run("10 ** 10 ** 8 > 1", "expression", RECEIPT)
        killer.join()
        assert (result.ok, result.kind) == (False, "worker-crashed")
        assert pool.run("receipt.total > 1", "expression", RECEIPT).result is True


def test_a_crashed_worker_is_survived() -> None:
    with SandboxPool(size=1) as pool:
        pool.warm_up()
        [pid] = pool.worker_pids()
        os.kill(pid, signal.SIGSEGV)
        wait_until_dead(pid)
        assert pool.run("receipt.total > 1", "expression", RECEIPT).result is True
        assert pool.worker_pids() != [pid]


@pytest.mark.parametrize("source", ["raise SystemExit", "raise KeyboardInterrupt", "exit()", "quit()"])
def test_exit_exceptions_cannot_stop_the_worker_loop(sandbox: SandboxPool, source: str) -> None:
    assert not sandbox.run(source, "block", RECEIPT).ok
    assert sandbox.run("True", "expression", RECEIPT).result is True


def test_no_state_leaks_between_evaluations(sandbox: SandboxPool) -> None:
    leaky = "def f(seen=[]):\n    seen.append(1)\n    return len(seen)\nresult = f()\nleft = 'team A secret'"
    assert [sandbox.run(leaky, "block", RECEIPT).result for _ in range(4)] == [1, 1, 1, 1]
    peek = "result = left"
    assert not sandbox.run(peek, "block", RECEIPT).ok  # NameError: nothing survives in globals
    other_team = dict(RECEIPT, merchant="Team B Store")
    assert sandbox.run("receipt.merchant", "expression", other_team).result == "Team B Store"


def test_a_rule_cannot_change_what_the_next_rule_sees(sandbox: SandboxPool) -> None:
    attempt = "items = list(receipt.items)\nitems.clear()\nresult = len(items)"
    sandbox.run(attempt, "block", RECEIPT)
    assert sandbox.run("len(receipt.items)", "expression", RECEIPT).result == 2
