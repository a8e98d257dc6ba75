"""Compliance: an explainable "negative list + whitelist" decision for every order.

Rules are dated, sourced data (:mod:`~cbec.compliance.model`, loaded from YAML or dicts by
:mod:`~cbec.compliance.load`, refused when contradictory by
:mod:`~cbec.compliance.conflicts`). :func:`evaluate` decides one order:

* a matching ``deny`` rule denies the line — even when a whitelist allows it;
* where ``allow`` rules apply to the order, a line must match one of them to pass;
* a matching ``require`` needs one of its documents on the order (``needs_document``);
* a matching ``flag`` — or any rule that cannot be decided from the order — is ``review``;
* the outcome is the worst line outcome: deny > needs_document > review > allow_sandbox >
  allow; a regulatory sandbox (:mod:`~cbec.compliance.sandbox`) may turn a relaxed deny into
  ``allow_sandbox`` within its limits.

The decision cites the rule set version and lists every rule that fired with its reason in
Chinese and English, the field it read and the value it saw. :func:`diff` shows what a
proposed rule set would change. The CBEC retail-import positive list of
:mod:`cbec.tax.positive_list` is built in as the list ``cn_cbec_positive_list``.

Pure: no web, database or framework imports; the store, API and ledger adapters wrap it.
See ``README.md`` next to this file for the rule format and the semantics in full.
"""

from cbec.compliance.conflicts import find_conflicts
from cbec.compliance.decision import (
    WHITELIST,
    Decision,
    Fired,
    LineDecision,
    SandboxResult,
    SandboxUsage,
)
from cbec.compliance.evaluate import evaluate
from cbec.compliance.facts import OrderFactsError
from cbec.compliance.lists import POSITIVE_LIST, ListAdapter, ListVerdict, PositiveListAdapter
from cbec.compliance.load import (
    load_dir,
    load_starter,
    load_yaml,
    rule_from_dict,
    ruleset_from_dicts,
    scope_from_dict,
)
from cbec.compliance.model import (
    ATTRIBUTES,
    KINDS,
    OUTCOMES,
    TRADE_MODES,
    Amount,
    Bilingual,
    Match,
    Problem,
    Requirement,
    Rule,
    RuleError,
    RuleSetError,
    RuleSetVersion,
    Scope,
)
from cbec.compliance.ruleset import RuleSet, default_lists
from cbec.compliance.sandbox import Enrolment, EnrolmentError, FirmActivity, sandbox_report
from cbec.compliance.whatif import Change, diff

__all__ = [
    "ATTRIBUTES",
    "KINDS",
    "OUTCOMES",
    "POSITIVE_LIST",
    "TRADE_MODES",
    "WHITELIST",
    "Amount",
    "Bilingual",
    "Change",
    "Decision",
    "Enrolment",
    "EnrolmentError",
    "Fired",
    "FirmActivity",
    "LineDecision",
    "ListAdapter",
    "ListVerdict",
    "Match",
    "OrderFactsError",
    "PositiveListAdapter",
    "Problem",
    "Requirement",
    "Rule",
    "RuleError",
    "RuleSet",
    "RuleSetError",
    "RuleSetVersion",
    "SandboxResult",
    "SandboxUsage",
    "Scope",
    "default_lists",
    "diff",
    "evaluate",
    "find_conflicts",
    "load_dir",
    "load_starter",
    "load_yaml",
    "rule_from_dict",
    "ruleset_from_dicts",
    "sandbox_report",
    "scope_from_dict",
]
