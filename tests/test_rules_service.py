"""Rules through the service: CRUD with versions, history-reading rules at audit time, dry-runs."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from numzy_mcp.errors import Conflict, InvalidInput, NotFound, RuleInvalid
from numzy_mcp.service import NumzyService
from tests.images import image_bytes

TEAM = "local"
DUPLICATE: dict[str, Any] = {"name": "Duplicate", "action": "review", "spec": {"type": "duplicate", "by": ["content"]}}
OVER_TEN: dict[str, Any] = {
    "name": "Over ten",
    "spec": {"type": "threshold", "field": "total", "operator": ">", "value": "10"},
}


async def test_create_update_disable_and_delete_a_rule(service: NumzyService) -> None:
    rule = await service.create_rule(TEAM, OVER_TEN)
    assert rule.version == 1
    assert rule.id in {r.id for r in await service.list_rules(TEAM)}

    updated = await service.update_rule(TEAM, rule.id, {**OVER_TEN, "action": "reject"})
    assert updated.version == 2
    assert updated.action == "reject"

    disabled = await service.set_rule_enabled(TEAM, rule.id, False)
    assert disabled.enabled is False
    assert disabled.version == 2
    assert rule.id not in {r.id for r in await service.list_rules(TEAM, enabled_only=True)}

    await service.delete_rule(TEAM, rule.id)
    with pytest.raises(NotFound):
        await service.get_rule(TEAM, rule.id)


async def test_a_bad_rule_is_refused_naming_the_field(service: NumzyService) -> None:
    with pytest.raises(RuleInvalid) as caught:
        await service.create_rule(
            TEAM, {"name": "x", "spec": {"type": "threshold", "field": "totl", "operator": ">", "value": 1}}
        )
    assert "totl" in caught.value.message
    with pytest.raises(RuleInvalid):
        await service.create_rule(
            TEAM, {"name": "re", "spec": {"type": "pattern", "field": "merchant", "pattern": "(a+)+\\1"}}
        )


async def test_rules_of_one_team_are_invisible_to_another(service: NumzyService) -> None:
    rule = await service.create_rule(TEAM, OVER_TEN)
    with pytest.raises(NotFound):
        await service.get_rule("other", rule.id)
    with pytest.raises(NotFound):
        await service.delete_rule("other", rule.id)


async def test_findings_record_the_rule_version_they_ran(service: NumzyService) -> None:
    rule = await service.create_rule(TEAM, OVER_TEN)
    await service.update_rule(TEAM, rule.id, {**OVER_TEN, "name": "Over ten (v2)"})
    uploaded = await service.upload(TEAM, image_bytes(seed=1), "a.png")
    await service.wait_idle()

    report = await service.get_audit(TEAM, uploaded.receipt.id)
    finding = next(f for f in report.findings if f.rule_id == rule.id)
    assert finding.rule_version == 2
    assert finding.outcome == "flag"


async def test_a_duplicate_rule_reads_the_teams_history_at_audit_time(service: NumzyService) -> None:
    await service.create_rule(TEAM, DUPLICATE)
    first = await service.upload(TEAM, image_bytes(seed=2), "a.png")
    await service.wait_idle()
    second = await service.upload(TEAM, image_bytes(seed=3), "b.png")  # other bytes, same printed receipt
    await service.wait_idle()

    first_view = await service.get_receipt(TEAM, first.receipt.id)
    second_view = await service.get_receipt(TEAM, second.receipt.id)
    assert next(f for f in first_view.findings if f.rule_name == "Duplicate").outcome == "pass"
    assert next(f for f in second_view.findings if f.rule_name == "Duplicate").outcome == "flag"
    assert second_view.decision == "needs_review"


async def test_dry_run_reports_matches_and_amounts_and_stores_nothing(service: NumzyService) -> None:
    for seed in range(3):
        await service.upload(TEAM, image_bytes(seed=10 + seed), f"{seed}.png")
    await service.wait_idle()
    rules_before = await service.list_rules(TEAM)

    result = await service.dry_run_rule(TEAM, OVER_TEN)

    assert result.evaluated == 3
    assert result.count == 3
    assert result.total_by_currency == {"MYR": Decimal("34.50")}
    assert len(result.matches) == 3
    assert await service.list_rules(TEAM) == rules_before
    nothing = await service.dry_run_rule(TEAM, {**OVER_TEN, "spec": {**OVER_TEN["spec"], "value": "1000"}})
    assert nothing.count == 0


async def test_dry_run_since_a_future_date_is_invalid(service: NumzyService) -> None:
    with pytest.raises(InvalidInput):
        await service.dry_run_rule(TEAM, OVER_TEN, since=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30))


async def test_python_rules_are_skipped_unless_the_deployment_allows_them(service: NumzyService) -> None:
    assert service.settings.rules.allow_python is False
    await service.create_rule(
        TEAM, {"name": "Py", "spec": {"type": "python", "mode": "expression", "source": "receipt.total > 1"}}
    )
    uploaded = await service.upload(TEAM, image_bytes(seed=20), "a.png")
    await service.wait_idle()

    view = await service.get_receipt(TEAM, uploaded.receipt.id)
    finding = next(f for f in view.findings if f.rule_name == "Py")
    assert finding.outcome == "skipped"


async def test_dry_running_a_rule_set_keeps_the_order_and_runs_every_type(service: NumzyService) -> None:
    await service.upload(TEAM, image_bytes(seed=30), "a.png")
    await service.wait_idle()
    python_rule = {"name": "Py", "spec": {"type": "python", "mode": "expression", "source": "receipt.total > 1"}}

    results = await service.dry_run_rules(TEAM, [python_rule, OVER_TEN, DUPLICATE])

    assert [r.rule_name for r in results] == ["Py", "Over ten", "Duplicate"]
    assert results[0].outcomes == {"skipped": 1}  # Python rules are off in this deployment
    assert results[1].count == 1
    assert results[2].count == 0


async def test_saving_the_same_enabled_rule_twice_is_a_conflict_naming_the_first(service: NumzyService) -> None:
    first = await service.create_rule(TEAM, OVER_TEN)

    with pytest.raises(Conflict) as caught:
        await service.create_rule(TEAM, {**OVER_TEN, "name": "Over ten again"})
    assert first.id in caught.value.message
    assert [rule.id for rule in await service.list_rules(TEAM) if rule.spec == first.spec] == [first.id]

    disabled = await service.create_rule(TEAM, {**OVER_TEN, "enabled": False})  # a parked copy is allowed
    stricter = await service.create_rule(TEAM, {**OVER_TEN, "action": "reject"})  # another action is another rule
    assert disabled.id != stricter.id


async def test_no_way_of_saving_or_enabling_makes_a_second_copy_of_an_enabled_rule(service: NumzyService) -> None:
    first = await service.create_rule(TEAM, OVER_TEN)
    same_limit = {**OVER_TEN, "spec": {**OVER_TEN["spec"], "value": "10.00"}}
    parked = await service.create_rule(TEAM, {**same_limit, "enabled": False})
    other = await service.create_rule(TEAM, {**OVER_TEN, "spec": {**OVER_TEN["spec"], "value": "20"}})

    with pytest.raises(Conflict):
        await service.create_rule(TEAM, same_limit)  # "10.00" is the limit "10"
    with pytest.raises(Conflict):
        await service.set_rule_enabled(TEAM, parked.id, True)
    with pytest.raises(Conflict):
        await service.update_rule(TEAM, other.id, {**OVER_TEN, "name": "Other"})
    results = await asyncio.gather(
        *(service.create_rule(TEAM, {**OVER_TEN, "spec": {**OVER_TEN["spec"], "value": "30"}}) for _ in range(5)),
        return_exceptions=True,
    )
    assert sum(not isinstance(result, BaseException) for result in results) == 1  # concurrent saves: one wins
    assert await service.update_rule(TEAM, first.id, {**OVER_TEN, "name": "Renamed"})  # a rule is not its own copy
