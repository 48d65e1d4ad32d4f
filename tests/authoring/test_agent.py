"""The LLM path, driven by FunctionModel: the output is a RuleDraft; invalid rules go back as retries."""

from typing import Any

from pydantic_ai.messages import ModelMessage, ModelResponse, RetryFeedbackPart, TextPart, ToolCallPart, ToolReturnPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from numzy_mcp.authoring import compile_with_llm
from numzy_mcp.authoring.agent import OUTPUT_RETRIES
from numzy_mcp.rules import LlmSpec, ThresholdSpec

GOOD = {
    "name": "Large weekend totals",
    "action": "flag",
    "spec": {"type": "all", "rules": [{"type": "threshold", "value": "100", "currency": "USD"},
                                      {"type": "time", "weekdays": ["weekends"]}]},
}  # fmt: skip


def tool(info: AgentInfo, kind: str) -> str:
    return next(t.name for t in info.output_tools if t.name.endswith(kind))


def retries(messages: list[ModelMessage]) -> list[str]:
    """What the agent sent back to the model about its previous answer (retry prompts or retried returns)."""
    return [
        str(part.content)
        for message in messages
        for part in message.parts
        if isinstance(part, RetryFeedbackPart) or (isinstance(part, ToolReturnPart) and part.outcome == "retried")
    ]


def scripted(*answers: tuple[str, dict[str, Any]]):
    seen: list[list[ModelMessage]] = []

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        seen.append(list(messages))
        kind, args = answers[min(len(seen), len(answers)) - 1]
        return ModelResponse(parts=[ToolCallPart(tool_name=tool(info, kind), args=args)])

    return respond, seen


async def test_the_model_draft_comes_back_with_a_description_generated_from_it() -> None:
    respond, _ = scripted(("RuleDraft", GOOD))
    result = await compile_with_llm("big weekend spending", FunctionModel(respond))
    assert result.draft is not None and result.refusal is None
    assert result.draft.name == "Large weekend totals"
    assert result.description == "Flags receipts whose total is over 100 USD and made on a weekend."


async def test_a_validation_error_goes_back_to_the_model_and_the_corrected_rule_is_kept() -> None:
    broken = {"name": "Bad", "spec": {"type": "threshold", "field": "merchant", "value": "100"}}
    respond, seen = scripted(("RuleDraft", broken), ("RuleDraft", GOOD))
    result = await compile_with_llm("big weekend spending", FunctionModel(respond))
    assert len(seen) == 2
    (feedback,) = retries(seen[1])
    assert "'merchant' is a text field and cannot be compared" in feedback
    assert result.draft is not None and isinstance(result.draft.spec.rules[0], ThresholdSpec)  # type: ignore[union-attr]


async def test_python_rules_are_refused_back_to_the_model() -> None:
    python = {"name": "Py", "spec": {"type": "python", "source": "receipt.total > 1"}}
    judged = {"name": "Personal", "action": "review", "spec": {"type": "llm", "criterion": "Is it personal?"}}
    respond, seen = scripted(("RuleDraft", python), ("RuleDraft", judged))
    result = await compile_with_llm("flag personal things", FunctionModel(respond))
    assert "python rules cannot be created from text" in retries(seen[1])[0]
    assert result.draft is not None and isinstance(result.draft.spec, LlmSpec)
    assert result.draft.action == "review"


async def test_an_llm_rule_that_rejects_is_sent_back_as_invalid() -> None:
    rejecting = {"name": "P", "action": "reject", "spec": {"type": "llm", "criterion": "Is it personal?"}}
    respond, seen = scripted(("RuleDraft", rejecting), ("RuleDraft", GOOD))
    await compile_with_llm("reject personal things", FunctionModel(respond))
    assert "may only flag or ask for review" in retries(seen[1])[0]


async def test_the_model_may_refuse_and_its_reason_is_the_refusal() -> None:
    respond, _ = scripted(("Refusal", {"missing": "The sentence names no condition on receipts."}))
    result = await compile_with_llm("do the thing", FunctionModel(respond))
    assert (result.draft, result.refusal) == (None, "The sentence names no condition on receipts.")


async def test_a_model_that_never_gives_a_valid_rule_ends_in_a_refusal_not_a_crash() -> None:
    broken = {"name": "Bad", "spec": {"type": "nonsense"}}
    respond, seen = scripted(("RuleDraft", broken))
    result = await compile_with_llm("whatever", FunctionModel(respond))
    assert result.draft is None
    assert result.refusal is not None and result.refusal.startswith("The language model gave no valid rule")
    assert len(seen) == OUTPUT_RETRIES + 1


async def test_a_model_answering_in_text_is_asked_for_a_rule() -> None:
    calls: list[int] = []

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        calls.append(1)
        if len(calls) == 1:
            return ModelResponse(parts=[TextPart("Sure, here is a rule!")])
        return ModelResponse(parts=[ToolCallPart(tool_name=tool(info, "RuleDraft"), args=GOOD)])

    result = await compile_with_llm("big weekend spending", FunctionModel(respond))
    assert result.draft is not None and len(calls) == 2
