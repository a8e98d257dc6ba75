"""The order checks inside a filing: one evidence append per chunk (documents, screening
results and decisions together), every row with the index of its own entry, decisions citing
the rule-set version, screening results the list hashes, and no personal value in the log."""

from __future__ import annotations

import json
import random

import pytest

from cbec.demo import synthetic
from cbec.services import imports
from cbec.store.compliance_store import DecisionStore
from cbec.store.repository import Repository
from cbec.store.screening_store import ResultStore
from tests.conftest import DATA

SANCTIONS = DATA / "sanctions"


@pytest.fixture
def appends(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every ``append_evidence`` call made while the test runs."""
    sizes: list[int] = []
    original = Repository.append_evidence

    def counting(self, items):
        sizes.append(len(items))
        return original(self, items)

    monkeypatch.setattr(Repository, "append_evidence", counting)
    return sizes


def test_one_append_per_chunk_and_each_row_cites_its_entry(
    client, parties, rt, appends, monkeypatch
):
    reg = parties["regulator"].headers
    content = (SANCTIONS / "synthetic_sanctions.ftm.json").read_bytes()
    r = client.post(
        "/screening/lists", params={"name": "demo", "source": "demo"}, content=content, headers=reg
    )
    assert r.status_code == 200, r.text
    list_hash = r.json()["version"]
    rng = random.Random(5)
    orders = [synthetic.order(rng, "platform-a", "seller-a", f"CHK-{n}") for n in range(7)]
    orders[3]["buyer"] = orders[3]["buyer"] | {"name": "Rostislav Evgenievich Zharkov"}
    monkeypatch.setattr(imports, "CHUNK", 3)  # 7 orders: chunks of 3, 3 and 1
    monkeypatch.setattr(imports, "CHUNK_MOST", 3)
    appends.clear()
    body = "\n".join(json.dumps(o, ensure_ascii=False) for o in orders).encode()
    r = client.post(
        "/orders/import",
        content=body,
        headers=parties["seller-a"].headers | {"Content-Type": "application/x-ndjson"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 7
    assert len(appends) == 3  # one append per chunk, however many checks each chunk has
    with rt.uow() as uow:
        docs = uow.repo.list_documents(parties["regulator"].viewer, "order", limit=10)
        decisions = {d.id: DecisionStore(uow.conn).for_document(d.id) for d in docs}
        screenings = {d.id: ResultStore(uow.conn).for_document(d.id) for d in docs}
    seen: set[int] = set()
    for doc in docs:
        entry = json.loads(rt.ledger.entry(doc.ledger_index).data)
        assert entry["id"] == doc.id and entry["kind"] == "order"
        (decision,) = decisions[doc.id]
        entry = json.loads(rt.ledger.entry(decision["ledger_index"]).data)
        assert entry["type"] == "cbec.compliance/v1" and entry["document"] == doc.id
        assert entry["ruleset"] == decision["ruleset_version"]["id"]
        assert decision["ruleset_version"]["id"].startswith("active@")
        assert screenings[doc.id], "every order's parties are screened"
        for result in screenings[doc.id]:
            entry = json.loads(rt.ledger.entry(result["ledger_index"]).data)
            assert entry["type"] == "cbec.screening/v1" and entry["document"] == doc.id
            assert entry["role"] == result["role"] and entry["lists"] == list_hash[:16]
            assert result["lists"] == [list_hash[:16]]
        indexes = [doc.ledger_index, decision["ledger_index"]]
        indexes += [s["ledger_index"] for s in screenings[doc.id]]
        assert not seen & set(indexes)
        seen |= set(indexes)
    flagged = [s for results in screenings.values() for s in results if s["match"]]
    assert flagged and flagged[0]["entity_id"] == "syn-person-zharkov-rostislav"
    # no personal value reaches the log: names and IDs stay in the sealed documents
    log = b"".join(rt.ledger.entry(i).data for i in sorted(seen)).decode()
    for order in orders:
        assert order["buyer"]["name"] not in log
        assert order["buyer"]["id_number"] not in log


def test_a_single_order_is_one_append(client, parties, appends):
    order = synthetic.order(random.Random(6), "platform-a", "seller-a", "CHK-ONE")
    appends.clear()
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    assert appends == [2]  # the order's entry and its decision (no list loaded: no screening)


def test_checks_return_entries_and_store_nothing_themselves(rt, parties, appends):
    from cbec.ledger.entry import CONTENT_TYPE
    from cbec.services.checks import OrderChecks

    order = synthetic.order(random.Random(8), "platform-a", "seller-a", "CHK-PURE")
    body = json.loads(json.dumps(order))
    with rt.uow(write=True) as uow:
        checked = OrderChecks(uow)("order", parties["seller-a"].viewer, [("doc-1", body)])
        assert [ct for ct, _ in checked.entries] == [CONTENT_TYPE]
        entry = json.loads(checked.entries[0][1])
        assert entry["type"] == "cbec.compliance/v1" and entry["document"] == "doc-1"
        assert not appends and not DecisionStore(uow.conn).for_document("doc-1")
