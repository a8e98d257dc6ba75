"""What-if: which orders would a proposed rule set decide differently, and because of what.

Before a rule change goes live (a new negative-list entry, a list edition, a sandbox
widening) a compliance officer wants to see its effect on real traffic: :func:`diff`
re-evaluates the same orders under the current and the proposed set, each on its own date,
and returns only the orders whose outcome changes, with both decisions and the rules
responsible — the rule entries (rule id + effect) present under one set and not the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from cbec.compliance.decision import Decision, Fired
from cbec.compliance.evaluate import evaluate
from cbec.compliance.ruleset import RuleSet

OnSpec = date | Sequence[date | None] | Callable[[Mapping[str, Any]], date | None] | None


@dataclass(frozen=True)
class Change:
    index: int  # position in the orders passed
    order: dict[str, Any]  # platform, order_no, seller, currency, goods_value
    on: date
    before: str
    after: str
    responsible: tuple[dict[str, Any], ...]  # {rule_id, before, after}: effects per rule
    lines: tuple[dict[str, Any], ...]  # {index, line_no, before, after} for changed lines
    before_decision: Decision
    after_decision: Decision

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "order": self.order,
            "on": self.on.isoformat(),
            "before": self.before,
            "after": self.after,
            "responsible": list(self.responsible),
            "lines": list(self.lines),
            "before_version": self.before_decision.ruleset_version.id,
            "after_version": self.after_decision.ruleset_version.id,
        }


def _effects(fired: Iterable[Fired]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for entry in fired:
        effect = "relaxed" if entry.relaxed else entry.effect
        for rid in entry.responsible:
            out.setdefault(rid, set()).add(effect)
    return out


def _on_for(on: OnSpec, index: int, order: Mapping[str, Any]) -> date | None:
    if on is None or isinstance(on, date):
        return on
    if callable(on):
        return on(order)
    return on[index]


def diff(
    orders: Sequence[Mapping[str, Any]],
    current: RuleSet,
    proposed: RuleSet,
    on: OnSpec = None,
    *,
    products: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Change]:
    """Orders whose outcome differs between ``current`` and ``proposed``.

    ``on`` is each order's evaluation date: None (each order's own date), one date for all,
    a sequence parallel to ``orders`` (None entries = the order's date) or a function of the
    order."""
    if not (on is None or isinstance(on, date) or callable(on)) and len(on) != len(orders):
        raise ValueError("on: a sequence of dates must have one entry per order")
    changes = []
    for i, order in enumerate(orders):
        when = _on_for(on, i, order)
        before = evaluate(order, current, when, products=products)
        after = evaluate(order, proposed, when, products=products)
        if before.outcome == after.outcome:
            continue
        b, a = _effects(before.fired), _effects(after.fired)
        responsible = tuple(
            {"rule_id": rid, "before": sorted(b.get(rid, ())), "after": sorted(a.get(rid, ()))}
            for rid in sorted(set(b) | set(a))
            if b.get(rid) != a.get(rid)
        )
        lines = tuple(
            {"index": lb.index, "line_no": lb.line_no, "before": lb.outcome, "after": la.outcome}
            for lb, la in zip(before.lines, after.lines, strict=True)
            if lb.outcome != la.outcome
        )
        changes.append(
            Change(
                i,
                dict(before.order),
                before.evaluated_on,
                before.outcome,
                after.outcome,
                responsible,
                lines,
                before,
                after,
            )
        )
    return changes
