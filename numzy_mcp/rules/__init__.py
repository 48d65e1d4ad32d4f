"""Audit rules: the rule types, the stored rule envelope, and the engine that runs them.

A rule is stored as JSON::

    {"id": "r1", "name": "Large total", "enabled": true, "severity": "medium", "action": "flag",
     "version": 1, "spec": {"type": "threshold", "field": "total", "operator": ">", "value": "50",
                            "currency": "USD"}}

``spec`` is one member of ``RuleSpec``, a discriminated union on ``type``: threshold, keyword,
category, payment_method, currency, time, missing, pattern, integrity, duplicate, split, frequency,
round_amount, anomaly, all / any / not, python and llm. See ``spec.py`` for how to add a rule type and
``conditions.py`` for the condition tree rule types share; ``dry_run.py`` runs a draft over stored
receipts and ``playground.py`` runs one rule on one probe receipt.
"""

from numzy_mcp.rules.anomaly import AnomalySpec
from numzy_mcp.rules.base import Action, FieldRead, Finding, HistoricReceipt, Outcome, RuleContext, Severity
from numzy_mcp.rules.category import CategorySpec
from numzy_mcp.rules.composite import AllSpec, AnySpec, NotSpec
from numzy_mcp.rules.engine import (
    default_rules,
    describe_spec,
    evaluate,
    evaluate_async,
    evaluate_rule,
    evaluate_rule_async,
    is_async,
    reads_history,
)
from numzy_mcp.rules.history import DuplicateSpec, FrequencySpec, RoundAmountSpec, SplitSpec
from numzy_mcp.rules.integrity import IntegritySpec
from numzy_mcp.rules.keyword import KeywordSpec
from numzy_mcp.rules.llm_judge import LlmSpec
from numzy_mcp.rules.membership import CurrencySpec, PaymentMethodSpec
from numzy_mcp.rules.missing import MissingSpec
from numzy_mcp.rules.pattern import PatternSpec
from numzy_mcp.rules.python_rule import PythonSpec
from numzy_mcp.rules.spec import Rule, RuleDraft, RuleSpec, parse_rule_draft
from numzy_mcp.rules.threshold import ThresholdSpec
from numzy_mcp.rules.timing import TimeSpec

__all__ = [
    "Action",
    "AllSpec",
    "AnomalySpec",
    "AnySpec",
    "CategorySpec",
    "CurrencySpec",
    "DuplicateSpec",
    "FieldRead",
    "Finding",
    "FrequencySpec",
    "HistoricReceipt",
    "IntegritySpec",
    "KeywordSpec",
    "LlmSpec",
    "MissingSpec",
    "NotSpec",
    "Outcome",
    "PatternSpec",
    "PaymentMethodSpec",
    "PythonSpec",
    "RoundAmountSpec",
    "Rule",
    "RuleContext",
    "RuleDraft",
    "RuleSpec",
    "Severity",
    "SplitSpec",
    "ThresholdSpec",
    "TimeSpec",
    "default_rules",
    "describe_spec",
    "evaluate",
    "evaluate_async",
    "evaluate_rule",
    "evaluate_rule_async",
    "is_async",
    "parse_rule_draft",
    "reads_history",
]
