"""The explainable result of evaluating one order: no black box.

A :class:`Decision` says what was decided (``outcome``), under which rules
(``ruleset_version``), for which day (``evaluated_on``), line by line, and lists every rule
that fired (:class:`Fired`) with its reason in Chinese and English, the field it read and the
value it saw. ``as_dict()`` is JSON-ready (dates ISO, money as strings) so the owner can
store it next to the order and hand it to a regulator unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from cbec.compliance.match import Cond
from cbec.compliance.model import RANK, Bilingual, RuleSetVersion

WHITELIST = "whitelist"  # rule_id of the entry recording that a line is on no whitelist


def worst(outcomes: list[str]) -> str:
    """The outcome with the highest precedence: deny > needs_document > review >
    allow_sandbox > allow (``allow`` for an empty list)."""
    return max(outcomes, key=RANK.__getitem__, default="allow")


def line_outcome(entries: list[Fired]) -> str:
    """A line's outcome from the entries that apply to it: the worst effect of the entries
    not relaxed; ``allow_sandbox`` when that is allow only because a sandbox relaxed a deny."""
    outcome = worst([e.effect for e in entries if not e.relaxed])
    if outcome == "allow" and any(e.relaxed for e in entries):
        return "allow_sandbox"
    return outcome


# Fired, LineDecision and Decision are never changed once made (the sandbox makes relaxed
# copies with dataclasses.replace, and one Fired may serve many decisions, see
# cbec.compliance.evaluate._line_entry), but they are not frozen: a frozen dataclass's
# __init__ sets each field through object.__setattr__, twice the cost of a plain one, and
# every order makes several.
@dataclass(slots=True)
class Fired:
    """One rule that fired (or could not be decided) for one line or the whole order.

    ``effect`` is what the entry does to the outcome (deny / needs_document / review /
    allow). ``line`` is the index into the order's lines, None for an order-level entry
    (which applies to every line). ``undecided`` marks an entry whose conditions could not be
    decided; ``relaxed`` one whose deny a sandbox lifted. For the whitelist entry
    (``rule_id == "whitelist"``), ``rules`` lists the allow rules the line failed."""

    rule_id: str
    kind: str
    effect: str
    title: Bilingual
    reason: Bilingual
    field: str
    value: str
    line: int | None
    source: str = ""
    matched: tuple[Cond, ...] = ()
    documents_required: tuple[str, ...] = ()
    satisfied_by: dict[str, Any] | None = None
    undecided: bool = False
    relaxed: bool = False
    rules: tuple[str, ...] = ()
    assumed: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def responsible(self) -> tuple[str, ...]:
        """The real rule ids behind this entry (the allow rules, for a whitelist entry)."""
        return self.rules if self.rule_id == WHITELIST else (self.rule_id,)

    def as_dict(self, restated: bool = True) -> dict[str, Any]:
        """The entry as a dict; without ``restated``, as a decision stores it: not the rule's
        title and source, the conditions matched or the assumptions made (the rule set's
        version names them)."""
        out: dict[str, Any] = {"rule_id": self.rule_id, "kind": self.kind, "effect": self.effect}
        if restated:
            out["title"] = self.title.as_dict()
        out["reason"] = self.reason.as_dict()
        out["field"], out["value"], out["line"] = self.field, self.value, self.line
        if restated:
            out["source"] = self.source
            out["matched"] = [c.as_dict() for c in self.matched]
        out["undecided"], out["relaxed"] = self.undecided, self.relaxed
        if self.documents_required:
            out["documents_required"] = list(self.documents_required)
        if self.satisfied_by is not None:
            out["satisfied_by"] = self.satisfied_by
        if self.rules:
            out["rules"] = list(self.rules)
        if self.assumed and restated:
            out["assumed"] = list(self.assumed)
        if self.notes:
            out["notes"] = list(self.notes)
        return out


@dataclass(slots=True)
class LineDecision:
    index: int
    line_no: int
    sku: str
    outcome: str
    fired: tuple[int, ...]  # indexes into Decision.fired (line entries and order entries)

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "line_no": self.line_no,
            "sku": self.sku,
            "outcome": self.outcome,
            "fired": list(self.fired),
        }


@dataclass(frozen=True)
class SandboxUsage:
    """What a firm has used of its enrolment so far in the period: orders relaxed and their
    goods value (in the enrolment's volume currency). The caller persists it; the engine only
    reads it and returns the usage after this order."""

    orders: int = 0
    value: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if isinstance(self.orders, bool) or not isinstance(self.orders, int) or self.orders < 0:
            raise ValueError("SandboxUsage.orders must be a non-negative int")
        if not isinstance(self.value, Decimal) or not self.value.is_finite() or self.value < 0:
            raise ValueError("SandboxUsage.value must be a non-negative Decimal")

    def as_dict(self) -> dict[str, Any]:
        return {"orders": self.orders, "value": str(self.value)}


@dataclass(frozen=True)
class SandboxResult:
    """What the sandbox did for this order. ``applied`` is True only when relaxation changed
    the outcome and every limit held; ``limits_crossed`` names each limit that stopped it
    (the order then got the normal outcome); ``reason`` says why it did not apply."""

    enrolment_id: str
    firm: str
    applied: bool
    reason: str
    relaxed_rules: tuple[str, ...] = ()
    limits_crossed: tuple[str, ...] = ()
    usage_before: SandboxUsage = field(default_factory=SandboxUsage)
    usage_after: SandboxUsage = field(default_factory=SandboxUsage)
    would_be: str | None = None  # the outcome relaxation would have given, when stopped

    def as_dict(self) -> dict[str, Any]:
        return {
            "enrolment_id": self.enrolment_id,
            "firm": self.firm,
            "applied": self.applied,
            "reason": self.reason,
            "relaxed_rules": list(self.relaxed_rules),
            "limits_crossed": list(self.limits_crossed),
            "usage_before": self.usage_before.as_dict(),
            "usage_after": self.usage_after.as_dict(),
            "would_be": self.would_be,
        }


@dataclass(slots=True)
class Decision:
    outcome: str
    ruleset_version: RuleSetVersion
    evaluated_on: date
    order: dict[str, Any]  # platform, order_no, seller, currency, goods_value
    facts: dict[str, Any]  # direction (and whether inferred), trade mode, countries, documents
    lines: tuple[LineDecision, ...]
    fired: tuple[Fired, ...]
    sandbox: SandboxResult | None = None
    notes: tuple[str, ...] = ()

    def fired_for(self, line: int) -> list[Fired]:
        return [self.fired[i] for i in self.lines[line].fired]

    def rule_ids(self) -> set[str]:
        return {rid for f in self.fired for rid in f.responsible}

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "ruleset_version": self.ruleset_version.as_dict(),
            "evaluated_on": self.evaluated_on.isoformat(),
            "order": dict(self.order),
            "facts": dict(self.facts),
            "lines": [ln.as_dict() for ln in self.lines],
            "fired": [f.as_dict() for f in self.fired],
            "sandbox": self.sandbox.as_dict() if self.sandbox else None,
            "notes": list(self.notes),
        }

    def stored_dict(self, fired: list[Any] | None = None) -> dict[str, Any]:
        """:meth:`as_dict` as a decision is stored: without the order's facts and each fired
        entry without what its rule restates (:meth:`Fired.as_dict`) — a tenth of the
        bytes, made without building the rest first (every filed order stores one).
        ``fired``: the entries as the store packed them (an entry that other decisions
        share, by its digest — :mod:`cbec.store.fired_store`) instead of every one inline."""
        return {
            "outcome": self.outcome,
            "ruleset_version": self.ruleset_version.as_dict(),
            "evaluated_on": self.evaluated_on.isoformat(),
            "order": dict(self.order),
            "lines": [ln.as_dict() for ln in self.lines],
            "fired": [f.as_dict(restated=False) for f in self.fired] if fired is None else fired,
            "sandbox": self.sandbox.as_dict() if self.sandbox else None,
            "notes": list(self.notes),
        }
