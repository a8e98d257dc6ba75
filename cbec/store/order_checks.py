"""The checks every new order gets, inside the transaction that files it: a compliance
decision (negative list + whitelist, sandbox) and sanctions screening of its parties. Each
result is stored and appended to the evidence log with the rule-set or list version, so
"why was this parcel held on 3 March" has an answer a year later — and an order is never
stored without its checks.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from cbec.compliance import evaluate
from cbec.ledger.entry import COMPLIANCE_ENTRY_TYPE, CONTENT_TYPE, event_entry
from cbec.store.compliance_store import DecisionStore, EnrolmentStore, RuleStore
from cbec.store.tables import documents, tenants
from cbec.trade.ports import now


def decision_entry(doc_id: str, decision: Any, at: datetime, parties: list[str]) -> bytes:
    """The log entry of a compliance decision: ids, outcome and rules — no personal data."""
    return event_entry(
        COMPLIANCE_ENTRY_TYPE,
        at=at,
        tenants=parties,
        body={
            "document": doc_id,
            "outcome": decision.outcome,
            "ruleset": decision.ruleset_version.id,
            "evaluated_on": decision.evaluated_on.isoformat(),
            "fired": [[f.rule_id, f.effect, f.field] for f in decision.fired],
            "sandbox": decision.sandbox.enrolment_id if decision.sandbox else None,
        },
    )


class OrderChecks:
    """``on_created`` for filings: decide and screen each new order (see the module doc)."""

    def __init__(self, rt: Any, uow: Any) -> None:
        self.rt, self.uow = rt, uow

    def __call__(self, kind: str, viewer: Any, created: list[tuple[str, dict[str, Any]]]) -> None:
        if kind != "order":
            return
        conn = self.uow.conn
        rules = RuleStore(conn).ruleset()
        enrolments, decisions = EnrolmentStore(conn), DecisionStore(conn)
        at = now()
        catalogs: dict[str, dict[str, dict[str, Any]]] = {}
        firms: dict[str, list[tuple[int, Any]]] = {}
        usage: dict[int, Any] = {}  # per enrolment, carried from order to order in the batch
        pending = []
        for doc_id, order in created:
            seller = order.get("seller") or ""
            if seller not in catalogs:
                catalogs[seller] = self._catalog(seller)
                firms[seller] = enrolments.open_for(seller) if seller else []
            on = datetime.fromisoformat(order["ordered_at"]).date()
            enrol_id, enrolment = next(
                ((i, e) for i, e in firms[seller] if e.period_start <= on <= e.period_end),
                (None, None),
            )
            if enrol_id is not None and enrol_id not in usage:
                usage[enrol_id] = decisions.usage(enrol_id)
            decision = evaluate(
                order,
                rules,
                on,
                enrolment,
                usage=usage.get(enrol_id),
                products=catalogs[seller],
            )
            if decision.sandbox is not None:
                usage[enrol_id] = decision.sandbox.usage_after
            parties = sorted({viewer.name, seller, order.get("platform") or ""} - {""})
            pending.append((doc_id, decision, enrol_id, parties))
        entries = [(CONTENT_TYPE, decision_entry(d, dec, at, p)) for d, dec, _, p in pending]
        indexes = self.uow.repo.append_evidence(entries)
        decisions.record_many(
            [
                (doc_id, viewer.tenant_id, decision, enrol_id, index)
                for (doc_id, decision, enrol_id, _), index in zip(pending, indexes, strict=True)
            ],
            at=at,
        )

    def _catalog(self, seller: str) -> dict[str, dict[str, Any]]:
        """The seller's products by SKU: names, codes and attributes (products carry no
        personal data, so their stored bodies are read as they are)."""
        if not seller:
            return {}
        q = (
            select(documents.c.body)
            .join(tenants, tenants.c.id == documents.c.seller_tenant_id)
            .where(documents.c.kind == "product", tenants.c.name == seller)
        )
        out = {}
        for (body,) in self.uow.conn.execute(q):
            doc = json.loads(body) if isinstance(body, str) else body
            out[doc["sku"]] = doc
        return out
