"""The regulatory sandbox: named firms may, within limits, do what a rule would deny.

Pilot zones let an approved firm try something the lists forbid — import goods not on the
positive list, ship a category a deny rule blocks — under a cap the regulator sets, and
report what it did. Here that is pure logic around a :class:`Enrolment`:

* an enrolment names a **firm** (a tenant name, matched against the order's ``seller`` or
  ``platform`` per ``firm_role``), a **scope** (like a rule's), a **period** (first and LAST
  day), the **rules relaxed** (by id and/or by kind: ``deny`` = every negative-list rule,
  ``allow`` = every whitelist, i.e. "not on the list" and broken list conditions) and
  **limits**: ``max_order_value`` (one order's goods value), ``max_orders`` and ``max_value``
  (orders and goods value relaxed in the period);
* only ``deny`` effects are ever relaxed — ``needs_document`` and ``review`` stay, the
  sandbox lifts a ban, not a paper or a human check;
* the sandbox **applies** when the order is eligible (firm, scope, period), some deny that
  fired is relaxed, relaxing changes the order's outcome, and every limit holds. Then the
  relaxed entries stay in the decision marked ``relaxed`` and lines that are allow only
  thanks to that become ``allow_sandbox``;
* a crossed limit means the **normal** outcome, and the decision names each crossed limit
  and what the outcome would have been (``would_be``);
* usage so far (:class:`~cbec.compliance.decision.SandboxUsage`) is an input; the decision
  returns ``usage_after``, which counts this order only when its outcome is
  ``allow_sandbox`` (an order still waiting for a document is counted when it goes
  through, so re-evaluating it never double-counts).

:func:`sandbox_report` folds decisions into per-firm activity for the regulator report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from cbec.compliance.decision import (
    WHITELIST,
    Decision,
    Fired,
    SandboxResult,
    SandboxUsage,
    line_outcome,
    worst,
)
from cbec.compliance.facts import OrderFacts
from cbec.compliance.load import scope_from_dict
from cbec.compliance.match import in_scope
from cbec.compliance.model import Amount, Scope
from cbec.errors import DocumentInvalid, Violation

RELAXABLE_KINDS = frozenset({"deny", "allow"})
_CURRENCY = re.compile(r"[A-Z]{3}")


class EnrolmentError(DocumentInvalid, ValueError):
    """An enrolment that cannot be used; names the field. A member of cbec's error family (an
    invalid document), and still a ``ValueError`` for callers of the pure core."""

    def __init__(self, field_: str, message: str) -> None:
        self.field, self.detail = field_, message
        super().__init__([Violation(field_, "invalid", {"detail": message})])

    def __str__(self) -> str:
        return self.detail


@dataclass(frozen=True)
class Enrolment:
    id: str
    firm: str
    scope: Scope
    period_start: date
    period_end: date  # last day of the period
    relaxed_rules: frozenset[str] = frozenset()
    relaxed_kinds: frozenset[str] = frozenset()
    firm_role: Literal["seller", "platform"] = "seller"
    max_order_value: Amount | None = None
    max_orders: int | None = None
    max_value: Amount | None = None
    source: str = ""  # the approval (document number, URL)
    note: str = ""

    def __post_init__(self) -> None:
        if not self.id or not self.firm:
            raise EnrolmentError("firm", "an enrolment needs an id and a firm")
        if self.period_end < self.period_start:
            raise EnrolmentError(
                "period_end", f"enrolment {self.id}: period_end is before period_start"
            )
        if not self.relaxed_rules and not self.relaxed_kinds:
            raise EnrolmentError(
                "relaxed_rules", f"enrolment {self.id}: relaxes nothing (no rule ids, no kinds)"
            )
        if not self.relaxed_kinds <= RELAXABLE_KINDS:
            raise EnrolmentError(
                "relaxed_kinds", f"enrolment {self.id}: only deny and allow rules can be relaxed"
            )
        if self.firm_role not in ("seller", "platform"):
            raise EnrolmentError(
                "firm_role", f"enrolment {self.id}: firm_role is seller or platform"
            )
        if self.max_orders is not None and (
            isinstance(self.max_orders, bool)
            or not isinstance(self.max_orders, int)
            or self.max_orders < 0
        ):
            raise EnrolmentError(
                "max_orders", f"enrolment {self.id}: max_orders must be a non-negative int"
            )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Enrolment:
        """An enrolment from its stored dict form (dates ISO, amounts as
        ``{amount: "5000.00", currency: CNY}``, scope as in rules); :class:`EnrolmentError`
        (or :class:`~cbec.compliance.model.RuleError` for the scope) names the field."""
        if not isinstance(data, Mapping):
            raise EnrolmentError("(enrolment)", "expected an object")

        def text(key: str, default: str | None = None) -> str:
            raw = data.get(key, default)
            if not isinstance(raw, str | int) or isinstance(raw, bool):
                raise EnrolmentError(key, "expected a string")
            return str(raw)

        def day(key: str) -> date:
            raw = data.get(key)
            if isinstance(raw, date):
                return raw
            if isinstance(raw, str):
                try:
                    return date.fromisoformat(raw)
                except ValueError:
                    pass
            raise EnrolmentError(key, "expected an ISO date (YYYY-MM-DD)")

        def names(key: str) -> frozenset[str]:
            raw = data.get(key) or ()
            if not isinstance(raw, list | tuple | frozenset | set) or not all(
                isinstance(x, str) for x in raw
            ):
                raise EnrolmentError(key, "expected a list of strings")
            return frozenset(raw)

        def amount(key: str) -> Amount | None:
            raw = data.get(key)
            if raw is None:
                return None
            if not isinstance(raw, Mapping) or set(raw) != {"amount", "currency"}:
                raise EnrolmentError(key, "expected {amount: '5000.00', currency: CNY}")
            value, currency = raw["amount"], raw["currency"]
            if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
                raise EnrolmentError(f"{key}.amount", "write amounts as strings")
            try:
                number = Decimal(value)
            except (InvalidOperation, ValueError):
                raise EnrolmentError(f"{key}.amount", "not a number") from None
            if not number.is_finite() or number < 0:
                raise EnrolmentError(f"{key}.amount", "must be a finite, non-negative number")
            if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency):
                raise EnrolmentError(f"{key}.currency", "expected an ISO 4217 code")
            return Amount(number, currency)

        enrolment_id = text("id")
        scope = scope_from_dict(data.get("scope"), f"enrolment {enrolment_id}")
        role = data.get("firm_role", "seller")
        if role not in ("seller", "platform"):
            raise EnrolmentError("firm_role", "firm_role is seller or platform")
        max_orders = data.get("max_orders")
        return cls(
            id=enrolment_id,
            firm=text("firm"),
            scope=scope,
            period_start=day("period_start"),
            period_end=day("period_end"),
            relaxed_rules=names("relaxed_rules"),
            relaxed_kinds=names("relaxed_kinds"),
            firm_role=role,
            max_order_value=amount("max_order_value"),
            max_orders=max_orders,
            max_value=amount("max_value"),
            source=text("source", "") if data.get("source") is not None else "",
            note=text("note", "") if data.get("note") is not None else "",
        )

    def relaxes(self, entry: Fired) -> bool:
        """Whether this enrolment lifts ``entry`` (only deny effects are ever lifted)."""
        if entry.effect != "deny" or entry.undecided:
            return False
        if entry.rule_id == WHITELIST:
            return "allow" in self.relaxed_kinds or set(entry.rules) <= self.relaxed_rules
        return entry.kind in self.relaxed_kinds or entry.rule_id in self.relaxed_rules


def _ineligible(enrolment: Enrolment, facts: OrderFacts, on: date) -> str | None:
    party = facts.parties.get(enrolment.firm_role)
    if party is None or party.value != enrolment.firm:
        return f"order {enrolment.firm_role} is not the enrolled firm {enrolment.firm}"
    if not enrolment.period_start <= on <= enrolment.period_end:
        return (
            f"{on} is outside the enrolment period {enrolment.period_start}..{enrolment.period_end}"
        )
    ok, assumed = in_scope(enrolment.scope, facts)
    if not ok:
        return "order is outside the enrolment scope"
    if assumed:  # a sandbox widens what is allowed: never on an assumption
        return "order does not give what the enrolment scope needs: " + "; ".join(assumed)
    return None


def _limits_crossed(enrolment: Enrolment, facts: OrderFacts, usage: SandboxUsage) -> list[str]:
    value, currency = facts.goods_value.value, facts.currency
    crossed = []
    cap = enrolment.max_order_value
    if cap is not None:
        if cap.currency != currency:
            crossed.append(f"max_order_value: order in {currency}, limit {cap} (not comparable)")
        elif value > cap.value:
            crossed.append(f"max_order_value: order {value} {currency} > {cap}")
    if enrolment.max_orders is not None and usage.orders + 1 > enrolment.max_orders:
        crossed.append(
            f"max_orders: {usage.orders} of {enrolment.max_orders} already used this period"
        )
    cap = enrolment.max_value
    if cap is not None:
        if cap.currency != currency:
            crossed.append(f"max_value: order in {currency}, limit {cap} (not comparable)")
        elif usage.value + value > cap.value:
            crossed.append(
                f"max_value: {usage.value} used + this order {value} > {cap} for the period"
            )
    return crossed


def order_outcome(entries: list[Fired], line_count: int) -> str:
    return worst(
        [
            line_outcome([e for e in entries if e.line is None or e.line == i])
            for i in range(line_count)
        ]
    )


def apply_sandbox(
    enrolment: Enrolment,
    facts: OrderFacts,
    on: date,
    entries: list[Fired],
    usage: SandboxUsage | None,
) -> tuple[list[Fired], SandboxResult]:
    """``entries`` with the enrolment's relaxations marked (or unchanged) and what happened."""
    usage = usage or SandboxUsage()

    def result(applied: bool, reason: str, **kw: Any) -> SandboxResult:
        kw.setdefault("usage_after", usage)
        return SandboxResult(
            enrolment.id, enrolment.firm, applied, reason, usage_before=usage, **kw
        )

    why = _ineligible(enrolment, facts, on)
    if why:
        return entries, result(False, why)
    lifted = [enrolment.relaxes(e) for e in entries]
    if not any(lifted):
        return entries, result(False, "no deny that fired is relaxed by this enrolment")
    relaxed = [
        replace(e, relaxed=True) if lift else e for e, lift in zip(entries, lifted, strict=True)
    ]
    ids = tuple(
        sorted(
            {rid for e, lift in zip(entries, lifted, strict=True) if lift for rid in e.responsible}
        )
    )
    before = order_outcome(entries, len(facts.lines))
    after = order_outcome(relaxed, len(facts.lines))
    if after == before:
        return entries, result(
            False, f"relaxing {', '.join(ids)} would not change the outcome ({before})"
        )
    crossed = _limits_crossed(enrolment, facts, usage)
    if crossed:
        return entries, result(
            False,
            "a sandbox limit is crossed: normal rules apply",
            relaxed_rules=ids,
            limits_crossed=tuple(crossed),
            would_be=after,
        )
    after_usage = (
        SandboxUsage(usage.orders + 1, usage.value + facts.goods_value.value)
        if after == "allow_sandbox"
        else usage
    )
    reason = "relaxed within limits" + (
        "" if after == "allow_sandbox" else f"; still {after} for other reasons (usage not counted)"
    )
    return relaxed, result(True, reason, relaxed_rules=ids, usage_after=after_usage)


# --------------------------------------------------------------------------- report


@dataclass
class FirmActivity:
    """One firm's sandbox activity over the decisions folded in."""

    firm: str
    enrolments: set[str] = field(default_factory=set)
    orders_seen: int = 0
    orders_relaxed: int = 0  # sandbox applied
    orders_allowed_by_sandbox: int = 0  # outcome allow_sandbox
    orders_stopped_by_limit: int = 0
    value_relaxed: dict[str, Decimal] = field(default_factory=dict)  # currency → goods value
    relaxed_rules: Counter[str] = field(default_factory=Counter)
    limits_crossed: Counter[str] = field(default_factory=Counter)
    first_on: date | None = None
    last_on: date | None = None
    orders: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "firm": self.firm,
            "enrolments": sorted(self.enrolments),
            "orders_seen": self.orders_seen,
            "orders_relaxed": self.orders_relaxed,
            "orders_allowed_by_sandbox": self.orders_allowed_by_sandbox,
            "orders_stopped_by_limit": self.orders_stopped_by_limit,
            "value_relaxed": {k: str(v) for k, v in sorted(self.value_relaxed.items())},
            "relaxed_rules": dict(sorted(self.relaxed_rules.items())),
            "limits_crossed": dict(sorted(self.limits_crossed.items())),
            "first_on": self.first_on.isoformat() if self.first_on else None,
            "last_on": self.last_on.isoformat() if self.last_on else None,
            "orders": list(self.orders),
        }


def _parts(d: Decision | Mapping[str, Any]) -> tuple[str, date, Mapping[str, Any], Any]:
    """(outcome, evaluated_on, order, sandbox) of a decision or of its stored ``as_dict()``."""
    if not isinstance(d, Mapping):
        return d.outcome, d.evaluated_on, d.order, d.sandbox
    sb = d.get("sandbox")
    if sb is not None:
        sb = SandboxResult(
            sb["enrolment_id"],
            sb["firm"],
            sb["applied"],
            sb["reason"],
            relaxed_rules=tuple(sb["relaxed_rules"]),
            limits_crossed=tuple(sb["limits_crossed"]),
        )
    return d["outcome"], date.fromisoformat(d["evaluated_on"]), d["order"], sb


def sandbox_report(decisions: Iterable[Decision | Mapping[str, Any]]) -> dict[str, FirmActivity]:
    """Per-firm sandbox activity from decisions, or their stored ``as_dict()`` forms (those
    evaluated without an enrolment are skipped). Limits are counted by name
    (``max_orders``…), rules by id."""
    out: dict[str, FirmActivity] = {}
    for d in decisions:
        outcome, on, order, sb = _parts(d)
        if sb is None:
            continue
        act = out.setdefault(sb.firm, FirmActivity(sb.firm))
        act.enrolments.add(sb.enrolment_id)
        act.orders_seen += 1
        act.first_on = on if act.first_on is None else min(act.first_on, on)
        act.last_on = on if act.last_on is None else max(act.last_on, on)
        if sb.applied:
            act.orders_relaxed += 1
            act.relaxed_rules.update(sb.relaxed_rules)
        if outcome == "allow_sandbox":
            act.orders_allowed_by_sandbox += 1
            cur = order["currency"]
            act.value_relaxed[cur] = act.value_relaxed.get(cur, Decimal(0)) + Decimal(
                order["goods_value"]
            )
        if sb.limits_crossed:
            act.orders_stopped_by_limit += 1
            act.limits_crossed.update(c.split(":", 1)[0] for c in sb.limits_crossed)
        act.orders.append(
            {
                "platform": order.get("platform"),
                "order_no": order.get("order_no"),
                "evaluated_on": on.isoformat(),
                "outcome": outcome,
                "applied": sb.applied,
                "relaxed_rules": list(sb.relaxed_rules),
                "limits_crossed": list(sb.limits_crossed),
            }
        )
    return out
