"""三单 reconciliation of a page of stored orders reads the page's payments, waybills and
same-numbered orders a query per platform and kind; its answer must be the one the
per-order reading gave. The oracle is that per-order reading, kept here as it was (two
``list_documents`` per order and one more for the duplicates), run on a data set with every
kind of mismatch, for a seller, a platform and a regulator."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import select

from cbec.customs import reconcile as rc
from cbec.customs import reconcile_docs
from cbec.demo import synthetic
from cbec.services import bulk
from cbec.services import customs as svc
from cbec.store.person_key_store import PersonKeyStore
from cbec.store.tables import documents
from cbec.store.visibility import visible
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now
from tests.statements import by_shape, described, statements


def _per_order_duplicates(uow, caller: Viewer, platform_id: int, doc: dict) -> list[rc.Issue]:
    """The duplicates check as it was: one query per order."""
    if caller.role is Role.SELLER:
        return []
    twins = uow.repo.list_documents(
        caller, "order", order_no=doc["order_no"], platform_id=platform_id, limit=20
    )
    others = sorted(
        {t.body.get("seller") for t in twins} - {doc.get("seller")}, key=lambda s: str(s)
    )
    if not others:
        return []
    ref = f"{doc['platform']}/{doc['order_no']}"
    return [
        rc.Issue(
            "DUPLICATE_ORDER",
            "seller",
            doc.get("seller"),
            ", ".join(map(str, others)),
            f"order {ref} is also filed for seller(s) {', '.join(map(str, others))}: its "
            "payment and waybill are shown to no seller until the platform resolves it",
        )
    ]


def per_order_unmatched(uow, caller: Viewer, query: svc.UnmatchedQuery) -> svc.Unmatched:
    """The reconciliation as it was before it read a page at once: for every order, its
    payments and its waybills by their own query (the oracle of the bulk reading)."""
    out = []
    with uow:
        filt = {}
        if query.platform is not None:
            filt["platform_id"] = svc._tenant_id(uow, query.platform)
        orders = uow.repo.list_documents(
            caller, "order", limit=query.limit, before_seq=2**63 - 1, **filt
        )
        platform_ids: dict[str, int] = {}
        for o in orders:
            doc = uow.vault.open("order", o.id, KINDS["order"].pii, o.body, clear=True)
            platform = doc["platform"]
            if platform not in platform_ids:
                platform_ids[platform] = svc._tenant_id(uow, platform)
            related: dict[str, list[dict[str, Any]]] = {}
            for kind in ("payment", "waybill"):
                found = uow.repo.list_documents(
                    caller,
                    kind,
                    order_no=doc["order_no"],
                    platform_id=platform_ids[platform],
                    limit=5,
                )
                related[kind] = [
                    uow.vault.open(kind, d.id, KINDS[kind].pii, d.body, clear=True)
                    for d in found
                    if d.body.get("platform") == platform
                ]
            report = rc.reconcile(
                [reconcile_docs.order_record(doc)],
                [reconcile_docs.payment_record(p) for p in related["payment"]],
                [reconcile_docs.waybill_record(w) for w in related["waybill"]],
            )
            report.issues += _per_order_duplicates(uow, caller, platform_ids[platform], doc)
            if not report.matched:
                view = {"id": o.id, "platform": platform, "order_no": doc["order_no"]}
                out.append(svc.UnmatchedOrder.model_validate(view | svc._redacted(report)))
    return svc.Unmatched(checked=len(orders), unmatched=out)


def _file(rt, party, kind: str, docs: list[dict]) -> None:
    if docs:
        report = bulk.file_rows(rt.uow(), party.viewer, kind, lambda: enumerate(docs, start=1))
        assert len(report.created) == len(docs), report.rejected[:3]


def _trade(rng: random.Random, n: int) -> dict[tuple[str, str], list[dict]]:
    """Orders of two sellers on two platforms, with payments and waybills that go wrong in
    every way 三单对碰 and the access rules tell apart, by filer and kind."""
    out: dict[tuple[str, str], list[dict]] = {}

    def add(filer: str, kind: str, doc: dict) -> None:
        out.setdefault((filer, kind), []).append(doc)

    stranger = synthetic.order(rng, "platform-a", "seller-a", "X")["buyer"]
    for i in range(n):
        platform = "platform-a" if i % 4 else "platform-b"
        seller = "seller-b" if i % 7 == 3 else "seller-a"
        by_platform = i % 5 == 1  # the platform files the order: it vouches for the buyer
        order = synthetic.order(rng, platform, seller, f"B{i:05d}")
        add(platform if by_platform else seller, "order", order)
        plan = i % 11
        pay = synthetic.payment(rng, order, f"T{i:05d}")
        way = synthetic.waybill(rng, order, f"W{i:05d}")
        if plan == 0:  # no payment, no waybill
            continue
        if plan == 1:  # paid, never shipped
            add("pay-a", "payment", pay)
            continue
        if plan == 2:  # paid the wrong amount
            pay["amount"] = "1.00"
        if plan == 3:  # paid by someone else: the platform sees it, the seller does not
            pay["payer"] = {k: stranger[k] for k in ("name", "id_type", "id_number", "phone")}
        if plan == 4:  # shipped to another name
            way["consignee"] = way["consignee"] | {"name": stranger["name"]}
        if plan == 5:  # a second payment of the same order
            add("pay-a", "payment", synthetic.payment(rng, order, f"T{i:05d}-2"))
        if plan == 6:  # another seller files the same number on the same platform
            other = "seller-b" if seller == "seller-a" else "seller-a"
            add(other, "order", synthetic.order(rng, platform, other, order["order_no"]))
        if plan == 7:  # the same number on the other platform, paid there
            there = "platform-b" if platform == "platform-a" else "platform-a"
            twin = synthetic.order(rng, there, seller, order["order_no"])
            add(seller, "order", twin)
            add("pay-a", "payment", synthetic.payment(rng, twin, f"T{i:05d}-X"))
        if plan != 8:  # 8: shipped, never paid
            add("pay-a", "payment", pay)
        add("ship-a", "waybill", way)
    return out


@pytest.mark.parametrize("limit", [1000, 37])
def test_the_page_reconciles_as_order_by_order_did(rt, parties, limit):
    trade = _trade(random.Random(2026), 240)
    for kind in ("order", "payment", "waybill"):
        for (filer, k), docs in trade.items():
            if k == kind:
                _file(rt, parties[filer], kind, docs)
    viewers = {
        n: parties[n].viewer
        for n in ("seller-a", "seller-b", "platform-a", "platform-b", "regulator")
    }
    codes: set[str] = set()
    found: dict[tuple[str, str | None], set[str]] = {}
    for name, viewer in viewers.items():
        for platform in (None, "platform-a", "platform-b", "nowhere"):
            query = svc.UnmatchedQuery(platform=platform, limit=limit)
            got = svc.unmatched_orders(rt.uow(), viewer, query)
            want = per_order_unmatched(rt.uow(), viewer, query)
            assert got == want, (name, platform)
            assert want.checked > 0 or platform is not None, name
            codes |= {i.code for u in got.unmatched for i in u.issues}
            found[name, platform] = {u.order_no for u in got.unmatched}
    # the viewers see different things: the answer is not the same list for everyone
    assert found["seller-a", None] != found["platform-a", None] != found["regulator", None]
    # the data set has what it claims: every kind of mismatch, seen by someone
    assert {
        "MISSING_PAYMENT",
        "MISSING_WAYBILL",
        "PAID_MISMATCH",
        "DUPLICATE_ORDER",
    } <= codes, codes


def test_a_seller_does_not_reconcile_against_a_payment_it_may_not_read(rt, parties):
    """The platform reads a payment by another payer; the seller that filed the order does
    not (the visibility rule), so for the seller the order has no payment at all."""
    rng = random.Random(5)
    order = synthetic.order(rng, "platform-a", "seller-a", "HIDDEN-1")
    pay = synthetic.payment(rng, order, "T-HIDDEN")
    pay["payer"] = pay["payer"] | {"id_number": synthetic.resident_id(rng)}
    _file(rt, parties["seller-a"], "order", [order])
    _file(rt, parties["pay-a"], "payment", [pay])
    _file(rt, parties["ship-a"], "waybill", [synthetic.waybill(rng, order, "W-HIDDEN")])
    with rt.uow() as uow:
        for name, readable in (("seller-a", False), ("platform-a", True)):
            viewer = parties[name].viewer
            found = uow.repo.documents_by_order(
                viewer, "payment", parties["platform-a"].viewer.tenant_id, ["HIDDEN-1"], 5
            )
            assert bool(found) is readable, name
            # the independent answer: the visibility clause itself
            q = select(documents.c.id).where(visible(viewer, "payment"))
            assert bool(uow.conn.execute(q).first()) is readable, name
    seller = svc.unmatched_orders(rt.uow(), parties["seller-a"].viewer, svc.UnmatchedQuery())
    platform = svc.unmatched_orders(rt.uow(), parties["platform-a"].viewer, svc.UnmatchedQuery())
    assert seller.unmatched[0].issues[0].code == "MISSING_PAYMENT"
    assert "MISSING_PAYMENT" not in [i.code for i in platform.unmatched[0].issues]


def test_the_page_reads_its_persons_keys_a_query_a_kind_and_erased_ones_stay_erased(rt, parties):
    """The page's documents are sealed under their persons' keys; it reads those keys a
    query per kind (Vault.preload), not one per document, and a person erased since reads
    as erased, as the per-order reading (each key read when its document is opened) does."""
    trade = _trade(random.Random(7), 240)
    for kind in ("order", "payment", "waybill"):
        for (filer, k), docs in trade.items():
            if k == kind:
                _file(rt, parties[filer], kind, docs)
    with rt.uow() as uow:
        orders = uow.repo.list_documents(parties["regulator"].viewer, "order", limit=1000)
    with rt.uow(write=True) as uow:
        store = PersonKeyStore(uow.conn, rt.vault)
        erased = sum(store.shred(o.filer_tenant_id, o.subject_ref, now()) for o in orders[::20])
        uow.commit()
    assert erased >= 10
    query = svc.UnmatchedQuery(limit=1000)
    for name in ("seller-a", "platform-a", "regulator"):
        viewer = parties[name].viewer
        with statements(rt.engine) as seen:
            got = svc.unmatched_orders(rt.uow(), viewer, query)
        assert 1 <= by_shape(seen)["SELECT person_keys"] <= 3, described(seen)
        assert got == per_order_unmatched(rt.uow(), viewer, query), name
