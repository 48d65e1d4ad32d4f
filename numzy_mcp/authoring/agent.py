"""The LLM path: a pydantic-ai agent turns a sentence the offline compiler cannot handle into a rule draft.

The agent's output type is ``RuleDraft`` itself (its ``spec`` is the ``RuleSpec`` union), or a
``Refusal`` when the sentence has no condition a rule could check. Pydantic validation errors go back
to the model as retries, as do the output checks here: no ``python`` rules from text, and an ``llm``
rule may only flag or ask for review (``RuleDraft`` refuses reject). The draft is described with
``describe`` exactly like an offline one. No tools, no receipt data: the prompt is the sentence.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field
from pydantic_ai import Agent, ModelRetry
from pydantic_ai.exceptions import AgentRunError
from pydantic_ai.models import Model
from pydantic_ai.settings import ModelSettings
from pydantic_ai.usage import UsageLimits

from numzy_mcp.authoring.compiler import CompileResult
from numzy_mcp.authoring.describe import describe
from numzy_mcp.rules import PythonSpec, RuleDraft

OUTPUT_RETRIES = 3
"""How many times an invalid rule goes back to the model with the validation errors."""


class Refusal(BaseModel):
    """The sentence has no condition a rule could check."""

    model_config = ConfigDict(extra="forbid")

    missing: str = Field(
        min_length=3, max_length=500, description="One sentence saying what the sentence lacks to become a rule."
    )


INSTRUCTIONS = """You turn one sentence of an expense policy into one audit rule for receipts.
Answer with a RuleDraft: a short name, the action (reject for "reject / block / don't allow",
review for "needs review / should be reviewed", otherwise flag) and the spec, one rule type of the
schema. Follow the corpus conventions: "over / above / more than" are strict (>), "at least / or more"
inclusive (>=), "between X and Y" includes both ends, "weekend" is Saturday and Sunday, "after 10 pm"
means 22:00 or later. A rule naming a currency applies only to receipts in that currency (set the
threshold's currency). Prefer declarative rule types; use type "llm" with a plain criterion only for a
judgement no declarative type can check (it may only flag or review). Never write python rules.
If the sentence states no condition at all, answer with a Refusal saying what is missing."""


def _no_python(draft: RuleDraft | Refusal) -> RuleDraft | Refusal:
    if isinstance(draft, RuleDraft) and isinstance(draft.spec, PythonSpec):
        raise ModelRetry("python rules cannot be created from text; use a declarative rule type or an llm rule")
    return draft


@cache
def _agent() -> Agent[None, RuleDraft | Refusal]:
    agent: Agent[None, RuleDraft | Refusal] = Agent(
        output_type=[RuleDraft, Refusal],
        instructions=INSTRUCTIONS,
        retries={"output": OUTPUT_RETRIES},
        name="numzy-rule-author",
    )
    agent.output_validator(_no_python)
    return agent


async def compile_with_llm(text: str, model: Model) -> CompileResult:
    """Compile one sentence with a language model.

    Args:
        text: the sentence as the user typed it.
        model: the pydantic-ai model (``FunctionModel`` in tests).

    Returns:
        The draft with its description, or a refusal: the model's own (the sentence has no
        condition), or a note that the model gave no valid rule within its retries.
    """
    try:
        run = await _agent().run(
            text,
            model=model,
            model_settings=ModelSettings(temperature=0.0),
            usage_limits=UsageLimits(request_limit=OUTPUT_RETRIES + 2),
        )
    except AgentRunError as error:
        return CompileResult(refusal=f"The language model gave no valid rule ({type(error).__name__}: {error}).")
    output = run.output
    if isinstance(output, Refusal):
        return CompileResult(refusal=output.missing)
    return CompileResult(draft=output, description=describe(output))
