"""The checks every new order gets before it is stored: a compliance decision (negative
list + whitelist, sandbox) and sanctions screening of its parties. They are made before the
write lock (:func:`cbec.trade.filing.prepare_chunk`) and stored in the transaction that files
the order, so an order is never stored without its checks. Each result is appended to the
evidence log with the rule-set or list version, so "why was this parcel held on 3 March" has
an answer a year later. The checks hand their entries and rows back to the filing
(:class:`Checked`), which appends them with the documents' entries: one append per chunk.
No personal value reaches the log: entries carry ids, outcomes, scores and list hashes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select

from cbec.compliance import evaluate
from cbec.compliance.facts import order_facts
from cbec.compliance.match import in_scope
from cbec.ledger.entry import (
    COMPLIANCE_ENTRY_TYPE,
    CONTENT_TYPE,
    SCREENING_ENTRY_TYPE,
    event_entry,
)
from cbec.store.compliance_store import DecisionStore, EnrolmentStore, RuleStore
from cbec.store.prepared import Prepared
from cbec.store.screening_store import ListStore, ResultStore, result_row, screen_cached
from cbec.store.stamps import Stamps, read_stamps
from cbec.store.tables import documents, tenants
from cbec.store.visibility import shown
from cbec.trade.ports import now

if TYPE_CHECKING:  # the matcher is loaded on first use (its name tables are slow to load)
    from cbec.screening.match import Query

# A seller's products by SKU, for an order's decision: built once (a statement costs more to
# build than to run), the seller and the SKUs bound at execution.
CATALOG_BY_SKU = (
    select(documents.c.body)
    .join(tenants, tenants.c.id == documents.c.seller_tenant_id)
    .where(
        documents.c.kind == "product",
        tenants.c.name == bindparam("seller"),
        documents.c.natural_key.in_(bindparam("skus", expanding=True)),
        shown(),
    )
)
_CATALOG_BY_SKU = Prepared(CATALOG_BY_SKU)  # on the DB-API cursor (cbec.store.prepared)


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
        plain=True,  # the keys above; strings and None (every order has one)
    )


@dataclass
class Checked:
    """The checks of one chunk: the log entries (screening results, then decisions) and the
    rows that cite them. Filing appends ``entries`` with the documents' own entries in one
    call and then calls :meth:`store` with their indexes (see :class:`cbec.trade.ports.Checked`)."""

    uow: Any
    screenings: list[tuple[dict[str, Any], bytes]] = field(default_factory=list)
    decisions: list[tuple[tuple[str, int, Any, int | None], bytes]] = field(default_factory=list)
    at: datetime = field(default_factory=now)
    # each sandbox enrolment's usage as read when the decisions were made: a budget shared by
    # every order, which another filing may have drawn on before this one's transaction
    usage_read: dict[int, Any] = field(default_factory=dict)
    filer_id: int | None = None  # the filing tenant: whose subscriptions hear of a hit

    def holds(self, doc_ids: Sequence[str]) -> bool:
        """Made before the write lock, these checks hold in the write transaction unless they
        drew on a sandbox's budget — then only if every order they decided is being created
        (the budget was carried from one to the next) and no other filing used the budget
        meanwhile. Rules, lists and products are read as of one moment either way, and each
        decision names the rule-set version it applied. Locks the enrolments drawn on (see
        :meth:`EnrolmentStore.lock`): a decision made again here reads the budget under it."""
        if not self.usage_read:
            return True
        # the budgets are read under their enrolments' row locks, held to the commit, so two
        # filings that draw on one budget at once take their turns (PostgreSQL)
        EnrolmentStore(self.uow.conn).lock(sorted(self.usage_read))
        if sorted(doc_ids) != sorted(item[0] for item, _ in self.decisions):
            return False
        store = DecisionStore(self.uow.conn)
        return all(store.usage(e) == used for e, used in self.usage_read.items())

    def only(self, doc_ids: Sequence[str]) -> Checked:
        keep = set(doc_ids)
        return Checked(
            self.uow,
            [s for s in self.screenings if s[0]["document_id"] in keep],
            [d for d in self.decisions if d[0][0] in keep],
            self.at,
            self.usage_read,
            self.filer_id,
        )

    @property
    def entries(self) -> list[tuple[str, bytes]]:
        return [(CONTENT_TYPE, e) for _, e in self.screenings] + [
            (CONTENT_TYPE, e) for _, e in self.decisions
        ]

    def store(self, indexes: Sequence[int | None]) -> None:
        """Insert the screening results and decisions, each with its entry's log index."""
        split = len(self.screenings)
        rows = []
        for (row, _), index in zip(self.screenings, indexes[:split], strict=True):
            rows.append(row | {"ledger_index": index})
        ResultStore(self.uow.conn).record_many(rows, self.filer_id)
        DecisionStore(self.uow.conn).record_many(
            [
                (*item, index)
                for (item, _), index in zip(self.decisions, indexes[split:], strict=True)
            ],
            at=self.at,
        )


class OrderChecks:
    """``on_created`` for filings: decide and screen each new order (see the module doc).

    Reads what it needs (lists, rules, enrolments, usage, the ordered products) and returns
    a :class:`Checked`; it appends nothing to the log and inserts nothing itself."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow
        self.settings = uow.settings

    def __call__(
        self, kind: str, viewer: Any, created: list[tuple[str, dict[str, Any]]]
    ) -> Checked:
        checked = Checked(self.uow, filer_id=getattr(viewer, "tenant_id", None))
        if kind not in ("order", "payment"):
            return checked
        # the rules', enrolments' and lists' stamps, in one statement for the whole batch:
        # what is kept compiled in the engine's caches still holds? (cbec.store.stamps)
        stamps = read_stamps(self.uow.conn)
        self._screen(checked, kind, viewer, created, stamps.lists)
        if kind == "order":
            self._decide(checked, viewer, created, stamps)
        return checked

    def _screen(
        self,
        checked: Checked,
        kind: str,
        viewer: Any,
        created: list[tuple[str, dict[str, Any]]],
        lists_stamp: tuple,
    ) -> None:
        """Screen the people a document names — an order's buyer and consignee, a payment's
        payer — against the active lists that screen the document's platform (a platform's
        own lists screen only its orders); a name seen before is answered from the cache."""
        lists = ListStore(self.uow.conn, self.settings.data_dir)
        indexes: dict[str, tuple[tuple, Any]] = {}
        threshold = self.settings.screening_threshold
        at = checked.at
        for doc_id, doc in created:
            platform = doc.get("platform") or ""
            if platform not in indexes:
                indexes[platform] = lists.index(platform or None, lists_stamp)
            key, index = indexes[platform]
            if index is None:  # no list screens this platform: nothing to screen against
                continue
            # the lists' content hashes (prefixes), which the result row and its log entry cite
            versions = ",".join(version[:16] for _, version in key)[:300]
            parties = sorted({viewer.name, doc.get("seller") or "", doc.get("platform") or ""})
            tenants = [p for p in parties if p]
            for role, query in _parties(kind, doc):
                result = screen_cached(key, index, query, threshold)
                row = result_row(doc_id, role, result, versions, at)
                body = {
                    "document": doc_id,
                    "role": role,
                    "match": result.matched,
                    "score": row["score"],
                    # A keyed commitment to the listed entity, not its id: the tenants an entry
                    # names can read it, and a list's ids often spell a person's name; the
                    # stored result holds the id, and the commitment binds the two.
                    "entity": (
                        self.uow.vault.blind_index("screening-entity", row["entity_id"])
                        if row["entity_id"]
                        else None
                    ),
                    "lists": versions,
                }
                entry = event_entry(SCREENING_ENTRY_TYPE, at=at, tenants=tenants, body=body)
                checked.screenings.append((row, entry))

    def _decide(
        self,
        checked: Checked,
        viewer: Any,
        created: list[tuple[str, dict[str, Any]]],
        stamps: Stamps,
    ) -> None:
        conn = self.uow.conn
        store = RuleStore(conn)
        rulesets: dict[str, Any] = {}  # per platform: a platform's own rules bind only it
        enrolments, decisions = EnrolmentStore(conn), DecisionStore(conn)
        at = checked.at
        catalogs: dict[str, dict[str, dict[str, Any]]] = {}
        firms: dict[str, list[tuple[int, Any]]] = {}
        usage: dict[int, Any] = {}  # per enrolment, carried from order to order in the batch
        wanted: dict[str, set[str]] = {}
        for _, order in created:
            skus = wanted.setdefault(order.get("seller") or "", set())
            skus.update(line["sku"] for line in order.get("lines") or () if line.get("sku"))
        for seller, skus in wanted.items():
            catalogs[seller] = self._catalog(seller, skus)
        for doc_id, order in created:
            seller = order.get("seller") or ""
            on = datetime.fromisoformat(order["ordered_at"]).date()
            firm_names = [n for n in (seller, order.get("platform") or "") if n]
            if unread := [n for n in firm_names if n not in firms]:  # kept by stamp
                firms.update(enrolments.open_for_firms(unread, stamps.enrolments))
            enrol_id, enrolment = _enrolment(order, on, [e for n in firm_names for e in firms[n]])
            if enrol_id is not None and enrol_id not in usage:
                usage[enrol_id] = checked.usage_read[enrol_id] = decisions.usage(enrol_id)
            platform = order.get("platform") or ""
            if platform not in rulesets:
                rulesets[platform] = store.ruleset(platform or None, stamps.rules)
            decision = evaluate(
                order,
                rulesets[platform],
                on,
                enrolment,
                usage=usage.get(enrol_id),
                products=catalogs[seller],
            )
            if decision.sandbox is not None:
                usage[enrol_id] = decision.sandbox.usage_after
            parties = sorted({viewer.name, seller, order.get("platform") or ""} - {""})
            entry = decision_entry(doc_id, decision, at, parties)
            checked.decisions.append(((doc_id, viewer.tenant_id, decision, enrol_id), entry))

    def _catalog(self, seller: str, skus: set[str]) -> dict[str, dict[str, Any]]:
        """The seller's products for ``skus``: names, codes and attributes (products carry
        no personal data, so their stored bodies are read as they are)."""
        if not seller or not skus:
            return {}
        out = {}
        params = {"seller": seller, "skus": sorted(skus)}
        for (body,) in _CATALOG_BY_SKU.rows(self.uow.conn, params):
            doc = json.loads(body) if isinstance(body, str) else body
            out[doc["sku"]] = doc
        return out


def _enrolment(order: dict[str, Any], on: Any, candidates: list[tuple[int, Any]]) -> tuple:
    """The first open enrolment (the seller's, then the platform's; newest first) whose firm
    role, period and scope fit the order; (None, None) when none does."""
    facts = None
    for enrol_id, enrolment in candidates:
        firm = order.get(enrolment.firm_role)
        if firm != enrolment.firm or not enrolment.period_start <= on <= enrolment.period_end:
            continue
        if facts is None:
            facts = order_facts(order)
        if in_scope(enrolment.scope, facts)[0]:
            return enrol_id, enrolment
    return None, None


def _parties(kind: str, doc: dict[str, Any]) -> list[tuple[str, Query]]:
    """(role, query) for each person ``doc`` names, with what qualifies them (an ID number,
    the country they are in); the same person in two roles is screened once."""
    from cbec.screening.match import Query, Role

    out: list[tuple[str, Query]] = []
    seen: set[str] = set()
    if kind == "order":
        country = doc.get("destination_country")
        people = [("buyer", doc.get("buyer") or {}), ("consignee", doc.get("consignee") or {})]
    else:
        country = None
        people = [("payer", doc.get("payer") or {})]
    for role, person in people:
        name = (person.get("name") or "").strip()
        if not name or name in seen:
            continue
        seen.add(name)
        id_number = person.get("id_number")
        out.append((role, Query(name, country=country, id_number=id_number, role=Role(role))))
    return out
