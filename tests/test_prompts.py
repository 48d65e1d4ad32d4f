"""Prompt templates: the built-ins render, edits are checked when saved, rendering is strict and sandboxed."""

from __future__ import annotations

import pytest

from numzy_mcp import prompts
from numzy_mcp.errors import InvalidInput, NotFound
from numzy_mcp.service import NumzyService


@pytest.mark.parametrize("name", sorted(prompts.BUILTINS))
def test_every_builtin_template_passes_its_own_checks_and_renders(name: str) -> None:
    body = prompts.builtin_body(name)

    prompts.validate(name, body)
    rendered = prompts.render(body, prompts.BUILTINS[name].example)

    assert rendered
    assert "{{" not in rendered and "{%" not in rendered


def test_a_missing_variable_fails_loudly_instead_of_rendering_nothing() -> None:
    with pytest.raises(InvalidInput):
        prompts.render("Receipt {{ receipt.nonexistent }}", {"receipt": {"id": "rcp_1"}})


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ("Audit {{ receipt.id", "syntax error"),
        ("Audit {{ reciept.id }}", "reciept"),
        ("Audit {{ receipt.nope.deeper }}", "failed to render"),
        ("   ", "empty"),
    ],
)
def test_a_bad_edit_is_refused_with_the_reason(body: str, hint: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        prompts.validate("audit_receipt", body)

    assert hint in caught.value.message


def test_templates_cannot_reach_python_internals() -> None:
    with pytest.raises(InvalidInput):
        prompts.validate("write_rule", "{{ policy.__class__.__mro__ }}")


def test_an_unknown_template_name_lists_the_real_ones() -> None:
    with pytest.raises(NotFound) as caught:
        prompts.spec("audit")

    assert "audit_receipt" in caught.value.message


async def test_versions_are_kept_per_team_and_the_builtin_stays_the_fallback(service: NumzyService) -> None:
    await service.update_prompt_template("acme", "write_rule", "One: {{ policy }}")
    await service.update_prompt_template("acme", "write_rule", "Two: {{ policy }}")

    current = await service.get_prompt_template("acme", "write_rule")
    first = await service.get_prompt_template("acme", "write_rule", 1)
    other_team = await service.get_prompt_template("local", "write_rule")
    rendered = await service.render_prompt("acme", "write_rule", {"policy": "No alcohol"})

    assert (current.version, current.body) == (2, "Two: {{ policy }}")
    assert (first.version, first.body) == (1, "One: {{ policy }}")
    assert (other_team.version, other_team.source) == (0, "builtin")
    assert rendered == "Two: No alcohol"
    with pytest.raises(NotFound):
        await service.get_prompt_template("acme", "write_rule", 7)
