"""Compliance at the edge: rules changed through the API (every revision kept), decisions
recorded per order with the rule-set version, sandbox enrolments and their usage.

The rule set in force is the starter files plus the stored rules (a stored rule with a
starter id replaces it); it is rebuilt only when a rule changes, keyed by the newest revision
id, so evaluating an order costs no parsing.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from cbec import jsonio
from cbec.compliance import (
    Decision,
    Enrolment,
    RuleSet,
    SandboxUsage,
    load_starter,
    ruleset_from_dicts,
)
from cbec.store import fired_store
from cbec.store.caches import caches_of
from cbec.store.prepared import Prepared
from cbec.store.stamps import read_stamps
from cbec.store.tables import (
    compliance_decisions,
    compliance_rules,
    sandbox_enrolments,
    tenants,
)
from cbec.store.webhook_store import Outbox
from cbec.trade.ports import now
from cbec.webhooks.catalogue import COMPLIANCE_DECIDED, compliance_decided


@functools.cache
def _starter_text() -> str:
    return json.dumps([r.as_dict() for r in load_starter().rules])


def starter_dicts() -> list[dict[str, Any]]:
    """The shipped starter rules as dicts, new ones on every call (callers may change them).
    The files are part of the package and do not change while it runs: they are read once
    a process rather than once for each new engine (parsing them took ≈ 80 ms, the first
    order of every short import)."""
    return json.loads(_starter_text())


# Statements every filed order runs, built once (building one costs more than running it);
# values are bound at execution, on the DB-API cursor (:mod:`cbec.store.prepared`).
_OPEN = Prepared(
    select(sandbox_enrolments, tenants.c.name.label("firm"))
    .join(tenants, tenants.c.id == sandbox_enrolments.c.tenant_id)
    .where(sandbox_enrolments.c.ended_at.is_(None))
    .order_by(sandbox_enrolments.c.id.desc())
)
_DECIDED = Prepared(insert(compliance_decisions))


class RuleStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def stamp(self) -> tuple:
        """What the cached rule set is keyed by: the database, and the count, newest id,
        revision total and latest change time of the stored rules (ids alone can commit out
        of order, and a table emptied and refilled can repeat the counts and ids)."""
        return read_stamps(self.conn).rules

    def latest(self) -> dict[str, tuple[str, str | None, dict[str, Any]]]:
        """The newest revision of each stored rule, by id: its action (retired ones included),
        the platform it binds (None: every platform) and its body."""
        newest = (
            select(compliance_rules.c.rule_id, func.max(compliance_rules.c.revision).label("rev"))
            .group_by(compliance_rules.c.rule_id)
            .subquery()
        )
        q = (
            select(compliance_rules, tenants.c.name.label("platform"))
            .join(
                newest,
                (compliance_rules.c.rule_id == newest.c.rule_id)
                & (compliance_rules.c.revision == newest.c.rev),
            )
            .outerjoin(tenants, tenants.c.id == compliance_rules.c.platform_id)
        )
        return {r.rule_id: (r.action, r.platform, json.loads(r.body)) for r in self.conn.execute(q)}

    def binding(self, rule_id: str) -> str | None:
        """The platform a stored rule binds (None: every platform, or no such rule)."""
        found = self.latest().get(rule_id)
        return found[1] if found else None

    def platforms(self) -> set[str]:
        """The platforms that have rules of their own in force."""
        return {p for action, p, _ in self.latest().values() if p and action != "retire"}

    def rule_dicts(
        self,
        platform: str | None = None,
        proposed: dict[str, tuple[str | None, dict[str, Any] | None]] | None = None,
    ) -> list[dict]:
        """The rules that bind orders on ``platform`` (None: the rules that bind every
        platform): the starter rules overlaid with the stored ones that bind every platform
        or this one, and ``proposed`` changes (rule id → (binding, body); a None body retires
        the rule) — the input of :func:`ruleset_from_dicts`."""
        rules = {r["id"]: r for r in starter_dicts()}
        changes = {
            rid: (p, b if a != "retire" else None) for rid, (a, p, b) in self.latest().items()
        }
        changes.update(proposed or {})
        for rule_id, (binds, body) in changes.items():
            if body is None or binds not in (None, platform):
                rules.pop(rule_id, None)
            else:
                rules[rule_id] = body
        return list(rules.values())

    def ruleset(self, platform: str | None = None, stamp: tuple | None = None) -> RuleSet:
        """The rule set orders on ``platform`` are decided by: the set that binds every
        platform, with the platform's own rules when it has any (label ``active@…+name``).

        Built once per stamp of the stored rules and kept in the engine's caches
        (:mod:`cbec.store.caches`) by scope — ``active``, ``platforms`` (those with rules of
        their own), ``active+<platform>`` — so an order costs the one stamp query, and a
        rule changed by any process decides the very next order. ``stamp``: the rules'
        stamp read in this transaction already (:func:`cbec.store.stamps.read_stamps`)."""
        stamp = self.stamp() if stamp is None else stamp
        sets = caches_of(self.conn.engine).rulesets
        label = f"active@{stamp[1]}.{stamp[2]}"
        common = sets.get_or_build(
            "active", stamp, lambda: ruleset_from_dicts(self.rule_dicts(), label=label)
        )
        owners = sets.get_or_build("platforms", stamp, lambda: frozenset(self.platforms()))
        if platform is None or platform not in owners:
            return common
        return sets.get_or_build(
            f"active+{platform}",
            stamp,
            lambda: ruleset_from_dicts(self.rule_dicts(platform), label=f"{label}+{platform}"),
        )

    def put(
        self,
        body: dict[str, Any],
        tenant_id: int,
        action: str = "put",
        platform: str | None = None,
    ) -> int:
        """Store a revision; ``platform`` names the platform it binds (None: every one)."""
        rule_id = body["id"]
        rev = (
            self.conn.execute(
                select(func.max(compliance_rules.c.revision)).where(
                    compliance_rules.c.rule_id == rule_id
                )
            ).scalar()
            or 0
        ) + 1
        self.conn.execute(
            insert(compliance_rules).values(
                rule_id=rule_id,
                revision=rev,
                action=action,
                body=json.dumps(body, ensure_ascii=False, sort_keys=True),
                changed_by=tenant_id,
                changed_at=now(),
                platform_id=None
                if platform is None
                else select(tenants.c.id).where(tenants.c.name == platform).scalar_subquery(),
            )
        )
        return rev

    def author(self, rule_id: str) -> int | None:
        """Who made the rule's latest stored revision (None: never changed through cbec)."""
        return self.conn.execute(
            select(compliance_rules.c.changed_by)
            .where(compliance_rules.c.rule_id == rule_id)
            .order_by(compliance_rules.c.revision.desc())
            .limit(1)
        ).scalar()

    def set_ledger_index(self, rule_id: str, revision: int, index: int) -> None:
        self.conn.execute(
            update(compliance_rules)
            .where(compliance_rules.c.rule_id == rule_id, compliance_rules.c.revision == revision)
            .values(ledger_index=index)
        )

    def history(self, rule_id: str | None = None) -> list[dict[str, Any]]:
        q = (
            select(compliance_rules, tenants.c.name.label("by"))
            .join(tenants, tenants.c.id == compliance_rules.c.changed_by)
            .order_by(compliance_rules.c.id)
        )
        if rule_id is not None:
            q = q.where(compliance_rules.c.rule_id == rule_id)
        return [
            {
                "rule_id": r.rule_id,
                "revision": r.revision,
                "action": r.action,
                "by": r.by,
                "at": r.changed_at.isoformat(),
                "rule": json.loads(r.body),
                "ledger_index": r.ledger_index,
            }
            for r in self.conn.execute(q)
        ]


class EnrolmentStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock(self, enrolment_ids: list[int]) -> None:
        """Hold these enrolments' rows until the transaction ends (``FOR UPDATE``): filings
        that draw on the same sandbox budget take their turns on PostgreSQL, each reading the
        usage the one before committed. (SQLite's one writer already does; it has no row
        locks and the clause is left out there.)"""
        if enrolment_ids:
            q = select(sandbox_enrolments.c.id).where(sandbox_enrolments.c.id.in_(enrolment_ids))
            self.conn.execute(q.order_by(sandbox_enrolments.c.id).with_for_update()).all()

    def create(self, tenant_id: int, body: dict[str, Any], created_by: int) -> int:
        result = self.conn.execute(
            insert(sandbox_enrolments).values(
                tenant_id=tenant_id,
                body=json.dumps(body, ensure_ascii=False, sort_keys=True),
                created_by=created_by,
                created_at=now(),
            )
        )
        return result.inserted_primary_key[0]

    def end(self, enrolment_id: int) -> bool:
        done = self.conn.execute(
            update(sandbox_enrolments)
            .where(sandbox_enrolments.c.id == enrolment_id, sandbox_enrolments.c.ended_at.is_(None))
            .values(ended_at=now())
        )
        return done.rowcount == 1

    def set_ledger_index(self, enrolment_id: int, index: int) -> None:
        self.conn.execute(
            update(sandbox_enrolments)
            .where(sandbox_enrolments.c.id == enrolment_id)
            .values(ledger_index=index)
        )

    def open_for_firms(
        self, firms: list[str], stamp: tuple | None = None
    ) -> dict[str, list[tuple[int, Enrolment]]]:
        """The enrolments not ended of each of ``firms`` (an order's seller and platform),
        newest first (the caller picks by date). Every open enrolment is read at once and
        kept in the engine's caches (:mod:`cbec.store.caches`) under the enrolments' stamp
        (:mod:`cbec.store.stamps`, read with the rules' in the statement a filing runs
        anyway): an enrolment opened or ended by any process is seen by the very next order,
        and an order reads none. Sandboxes are few: the open enrolments of a deployment are
        tens, not thousands."""
        if stamp is None:
            stamp = read_stamps(self.conn).enrolments
        kept = caches_of(self.conn.engine).enrolments.get_or_build(
            "open", stamp, self._open_by_firm
        )
        return {firm: list(kept.get(firm, ())) for firm in firms}

    def _open_by_firm(self) -> dict[str, tuple[tuple[int, Enrolment], ...]]:
        out: dict[str, list[tuple[int, Enrolment]]] = {}
        for row in _OPEN.rows(self.conn):  # newest first
            body = json.loads(row.body) | {"id": str(row.id)}
            out.setdefault(row.firm, []).append((row.id, Enrolment.from_dict(body)))
        return {firm: tuple(found) for firm, found in out.items()}

    def list(self) -> list[dict[str, Any]]:
        q = (
            select(sandbox_enrolments, tenants.c.name.label("firm"))
            .join(tenants, tenants.c.id == sandbox_enrolments.c.tenant_id)
            .order_by(sandbox_enrolments.c.id)
        )
        return [
            {
                "id": r.id,
                "firm": r.firm,
                "enrolment": json.loads(r.body),
                "created_at": r.created_at.isoformat(),
                "ended_at": r.ended_at.isoformat() if r.ended_at else None,
                "ledger_index": r.ledger_index,
            }
            for r in self.conn.execute(q)
        ]


# Per fired rule, what its title, source and match details restate: the rule revision in
# force (kept in compliance_rules, named by the rule-set version) says it once for all.
_RESTATED = ("title", "source", "matched", "assumed")


def stored_form(body: dict[str, Any]) -> dict[str, Any]:
    """A decision as stored: outcome, version, lines, and each fired rule's id, effect,
    field, value and reason — not the restated rule text (a tenth of the bytes). The
    definition; filings store :meth:`~cbec.compliance.decision.Decision.stored_dict`, the
    same made directly (tests/compliance/conftest.py holds them equal)."""
    fired = [{k: v for k, v in f.items() if k not in _RESTATED} for f in body["fired"]]
    return {k: v for k, v in body.items() if k != "facts"} | {"fired": fired}


class DecisionStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def usage(self, enrolment_id: int) -> SandboxUsage:
        """Orders the sandbox let through so far, and their value (what its limits count)."""
        rows = self.conn.execute(
            select(compliance_decisions.c.value).where(
                compliance_decisions.c.enrolment_id == enrolment_id,
                compliance_decisions.c.outcome == "allow_sandbox",
            )
        ).all()
        return SandboxUsage(len(rows), sum((Decimal(r.value or 0) for r in rows), Decimal(0)))

    def record_many(
        self, items: list[tuple[str, int, Decision, int | None, int | None]], *, at: datetime
    ) -> None:
        """Store decisions: (document id, tenant id, decision, enrolment id, ledger index)."""
        packed = fired_store.pack([(item[1], item[2].fired) for item in items])
        fired_store.store(self.conn, packed)
        rows = []
        for (document_id, tenant_id, decision, enrolment_id, ledger_index), fired in zip(
            items, packed.fired, strict=True
        ):
            body = decision.stored_dict(fired)
            rows.append(
                {
                    "document_id": document_id,
                    "tenant_id": tenant_id,
                    "decided_at": at,
                    "outcome": decision.outcome,
                    "ruleset_version": decision.ruleset_version.id,
                    "enrolment_id": enrolment_id,
                    "value": body["order"].get("goods_value"),
                    "currency": body["order"].get("currency"),
                    "body": jsonio.dumps(body),
                    "ledger_index": ledger_index,
                }
            )
        if rows:
            _DECIDED.many(self.conn, rows)
            outbox = Outbox(self.conn)  # the webhooks', in this transaction
            wanted = outbox.wanted(r["tenant_id"] for r in rows)
            if any(t == COMPLIANCE_DECIDED for _, t in wanted):
                events = [
                    compliance_decided(
                        r["tenant_id"], r["document_id"], r["outcome"], r["ruleset_version"], at
                    )
                    for r in rows
                ]
                outbox.emit(events, at, wanted)

    def for_document(self, document_id: str) -> list[dict[str, Any]]:
        q = (
            select(compliance_decisions)
            .where(compliance_decisions.c.document_id == document_id)
            .order_by(compliance_decisions.c.id)
        )
        out = [
            (
                r.tenant_id,
                json.loads(r.body)
                | {"decided_at": r.decided_at.isoformat(), "ledger_index": r.ledger_index},
            )
            for r in self.conn.execute(q)
        ]
        fired_store.expand(self.conn, out)
        return [body for _, body in out]

    def bodies(self, since: datetime | None = None) -> list[dict[str, Any]]:
        q = select(compliance_decisions.c.tenant_id, compliance_decisions.c.body).order_by(
            compliance_decisions.c.id
        )
        if since is not None:
            q = q.where(compliance_decisions.c.decided_at >= since)
        out = [(r.tenant_id, json.loads(r.body)) for r in self.conn.execute(q)]
        fired_store.expand(self.conn, out)
        return [body for _, body in out]
