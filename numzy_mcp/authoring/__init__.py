"""Rules from plain English and back: the offline compiler, the LLM path, descriptions and the corpus runner.

- ``compile_rule(text, default_currency=None) -> CompileResult``: offline and deterministic.
- ``compile_with_llm(text, model) -> CompileResult``: a pydantic-ai agent whose output is a rule draft.
- ``describe(draft_or_spec) -> str``: one English sentence for any rule.
- ``run_corpus(entries) -> CorpusReport`` and ``render_text(report)``: the nl-rules acceptance corpus.
"""

from numzy_mcp.authoring.agent import compile_with_llm
from numzy_mcp.authoring.compiler import CompileResult, compile_rule
from numzy_mcp.authoring.corpus import CorpusEntry, CorpusReport, load_corpus, render_text, run_corpus
from numzy_mcp.authoring.describe import describe

__all__ = [
    "CompileResult",
    "CorpusEntry",
    "CorpusReport",
    "compile_rule",
    "compile_with_llm",
    "describe",
    "load_corpus",
    "render_text",
    "run_corpus",
]
