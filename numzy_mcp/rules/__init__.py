"""Audit rules: the rule types, the stored rule envelope, and the engine that runs them.

A rule is stored as JSON::

    {"id": "r1", "name": "Large total", "enabled": true, "severity": "medium", "action": "flag",
     "version": 1, "spec": {"type": "threshold", "field": "total", "operator": ">", "value": "50",
                            "currency": "USD"}}

``spec`` is one member of ``RuleSpec``, a discriminated union on ``type``. See ``spec.py`` for how to
add a rule type and ``conditions.py`` for the condition tree rule types share.
"""

from numzy_mcp.rules.base import Action, FieldRead, Finding, HistoricReceipt, Outcome, RuleContext, Severity
from numzy_mcp.rules.category import CategorySpec
from numzy_mcp.rules.composite import AllSpec, AnySpec, NotSpec
from numzy_mcp.rules.engine import default_rules, describe_spec, evaluate, evaluate_rule
from numzy_mcp.rules.keyword import KeywordSpec
from numzy_mcp.rules.missing import MissingSpec
from numzy_mcp.rules.spec import Rule, RuleDraft, RuleSpec, parse_rule_draft
from numzy_mcp.rules.threshold import ThresholdSpec
from numzy_mcp.rules.timing import TimeSpec

__all__ = [
    "Action",
    "AllSpec",
    "AnySpec",
    "CategorySpec",
    "FieldRead",
    "Finding",
    "HistoricReceipt",
    "KeywordSpec",
    "MissingSpec",
    "NotSpec",
    "Outcome",
    "Rule",
    "RuleContext",
    "RuleDraft",
    "RuleSpec",
    "Severity",
    "ThresholdSpec",
    "TimeSpec",
    "default_rules",
    "describe_spec",
    "evaluate",
    "evaluate_rule",
    "parse_rule_draft",
]
