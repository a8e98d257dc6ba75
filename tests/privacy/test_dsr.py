"""Data subject requests (PIPL Arts. 45 and 47; GDPR Arts. 15 and 17): access finds every
document the controller filed on a person, by ID or by phone, and erasure crypto-shreds the
person's key so the personal data is gone from the database while every earlier evidence
proof still verifies.

Oracles: the bodies the test posted (what access must give back, what the database must no
longer hold), the ledger's own Merkle verification (RFC 9162 §2.1.3-2.1.4) applied to
proofs fetched before the erasure, and a scan of every table's rows for the erased values.
"""

from __future__ import annotations

import base64
import copy
import json
import random

import pytest
from sqlalchemy import select, update

from cbec.demo import synthetic
from cbec.errors import Forbidden
from cbec.ledger import merkle
from cbec.privacy.vault import ERASED
from cbec.services.dsr import subject_access
from cbec.services.dsr_erasure import subject_erasure
from cbec.services.dsr_models import SubjectQuery
from cbec.store.tables import documents, dsr_requests, metadata, person_keys
from cbec.trade.kinds import KINDS
from cbec.trade.subjects import subject_ref_of


def file_order(client, party, number: str, like: dict | None = None) -> tuple[str, dict]:
    body = (
        copy.deepcopy(like)
        if like
        else synthetic.order(random.Random(number), "platform-a", "seller-a", number)
    )
    body["order_no"] = number
    posted = client.post("/orders", json=body, headers=party.headers)
    assert posted.status_code == 201, posted.text
    return posted.json()["id"], body


def by_id(body: dict) -> SubjectQuery:
    return SubjectQuery(id_type="resident_id", id_number=body["buyer"]["id_number"])


def reseal_under_deployment_key(rt, doc_id: str) -> None:
    """Put a document back in the form documents were stored in before person keys: its
    personal fields and salt sealed under the deployment key, and no person key for it."""
    with rt.uow(write=True) as uow:
        row = uow.conn.execute(select(documents).where(documents.c.id == doc_id)).one()
        kind = KINDS[row.kind]
        clear = uow.vault.open(kind.name, doc_id, kind.pii, json.loads(row.body), clear=True)
        salt = uow.vault.open_value(kind.name, doc_id, "commit_salt", row.commit_salt)
        plain = uow.vault.with_persons(None)
        body = plain.seal(kind.name, doc_id, kind.pii, clear)
        uow.conn.execute(
            update(documents)
            .where(documents.c.id == doc_id)
            .values(
                body=json.dumps(body, ensure_ascii=False),
                commit_salt=plain.seal_value(kind.name, doc_id, "commit_salt", salt),
            )
        )
        uow.conn.execute(person_keys.delete().where(person_keys.c.subject_ref == row.subject_ref))
        uow.commit()


def test_access_finds_every_document_on_the_person_by_id_or_phone_and_only_the_filers(
    rt, client, parties
):
    seller = parties["seller-a"]
    first, body = file_order(client, seller, "DSR-1")
    second, _ = file_order(client, seller, "DSR-2", like=body)
    other, _ = file_order(client, seller, "DSR-3")
    with rt.uow() as uow:  # each person has one key of the seller's; the documents use it
        keys = uow.conn.execute(select(person_keys.c.subject_ref)).scalars().all()
        salts = uow.conn.execute(select(documents.c.id, documents.c.commit_salt)).all()
    assert len(keys) == len(set(keys)) == 2
    assert all(token.split(".")[2].startswith("~") for _, token in salts)

    sent = {
        "transfer": {
            "destination": "US",
            "recipient": "Overseas Analytics LLC",
            "data_categories": ["user"],
            "transferred_on": "2026-06-01",
            "document_ids": [first, other],
        }
    }
    recorded = client.post("/privacy/transfers", json=sent, headers=seller.headers)
    assert recorded.status_code == 201, recorded.text

    got = subject_access(rt.uow(), seller.viewer, by_id(body))
    assert {d.id for d in got.documents} == {first, second}
    assert [t.id for t in got.transfers] == [recorded.json()["id"]]
    for d in got.documents:
        assert d.body["buyer"] == body["buyer"] and not d.erased
    assert [n.retention for n in got.retention] == ["3y"]

    phone = body["buyer"]["phone"]
    by_phone = subject_access(rt.uow(), seller.viewer, SubjectQuery(phone=f"+86 {phone}"))
    assert {d.id for d in by_phone.documents} == {first, second}
    assert other not in {d.id for d in by_phone.documents}

    # another controller holds nothing on them: the same empty answer as an unknown person
    nothing = subject_access(rt.uow(), parties["seller-b"].viewer, by_id(body))
    unknown = subject_access(
        rt.uow(), seller.viewer, SubjectQuery(id_type="resident_id", id_number="11010519491231002X")
    )
    assert nothing.documents == unknown.documents == []
    assert nothing.transfers == unknown.transfers == []
    with pytest.raises(Forbidden):
        subject_access(rt.uow(), parties["regulator"].viewer, by_id(body))


def test_a_query_names_the_person_exactly_one_way(rt, parties):
    seller = parties["seller-a"].viewer
    for query, field in [
        (SubjectQuery(), "phone"),
        (SubjectQuery(phone="13800138000", id_type="passport", id_number="E1"), "phone"),
        (SubjectQuery(id_type="passport"), "id_number"),
        (SubjectQuery(phone="not a phone"), "phone"),
    ]:
        with pytest.raises(ValueError) as caught:
            subject_access(rt.uow(), seller, query)
        assert caught.value.field == field


def _proof(client, party, doc_id: str) -> dict:
    return client.get(f"/orders/{doc_id}", headers=party.headers).json()["ledger"]


def _all_rows(rt) -> str:
    """Every row of every table, as text."""
    out = []
    with rt.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)).all():
                out.append(repr(tuple(row)))
    return "\n".join(out)


def test_erasure_shreds_the_key_and_every_earlier_proof_still_verifies(rt, client, parties):
    seller, regulator = parties["seller-a"], parties["regulator"]
    first, body = file_order(client, seller, "ER-1")
    second, _ = file_order(client, seller, "ER-2", like=body)
    kept, kept_body = file_order(client, seller, "ER-3")
    legacy, legacy_body = file_order(client, seller, "ER-4")
    reseal_under_deployment_key(rt, legacy)
    rt.ledger.integrate(force_checkpoint=True)
    before = {d: _proof(client, seller, d) for d in (first, second, legacy)}
    old_cp = client.get("/ledger/checkpoint", headers=regulator.headers).json()
    with rt.uow() as uow:
        wrapped = uow.conn.execute(select(person_keys.c.wrapped)).scalars().all()
    entries = {d: rt.ledger.entry(p["index"]).data for d, p in before.items()}

    done = subject_erasure(rt.uow(), seller.viewer, by_id(body))
    assert (done.status, done.documents, done.keys_shredded, done.overwritten) == (
        "completed",
        2,
        1,
        0,
    )
    assert done.ledger_index is not None
    event = rt.ledger.entry(done.ledger_index).data.decode()
    for value in body["buyer"].values():
        assert str(value) not in event

    # reads show the fields erased, the rest intact; the other buyer is untouched
    shown = client.get(f"/orders/{first}", headers=seller.headers)
    assert shown.status_code == 200
    assert shown.json()["document"]["buyer"]["name"] == ERASED
    assert shown.json()["document"]["lines"] == body["lines"]
    revealed = client.post(
        f"/orders/{first}/reveal",
        json={"reason": "audit after an erasure"},
        headers=regulator.headers,
    )
    assert revealed.status_code == 200 and "evidence_salt" not in revealed.json()
    assert revealed.json()["document"]["buyer"]["id_number"] == ERASED
    kept_view = client.get(f"/orders/{kept}", headers=seller.headers).json()
    assert kept_view["document"]["buyer"] == kept_body["buyer"]

    # the person's data and key are nowhere in the database
    dump = _all_rows(rt)
    for value in (body["buyer"]["name"], body["buyer"]["id_number"], body["buyer"]["phone"]):
        assert value not in dump
    shredded = [w for w in wrapped if w not in dump]
    assert len(shredded) == 1
    # nor their keyed reference, but in the register of requests (GDPR Recital 26: a keyed
    # hash of the ID would link the documents left to anyone holding the ID and the key)
    ref = subject_ref_of(rt.vault, "resident_id", body["buyer"]["id_number"])
    with rt.uow() as uow:
        holding = {
            t.name
            for t in metadata.sorted_tables
            if t.name not in ("dsr_requests", "dsr_erased_subjects")
            and any(ref in repr(tuple(r)) for r in uow.conn.execute(select(t)).all())
        }
        registered = uow.conn.execute(
            select(dsr_requests.c.kind).where(dsr_requests.c.subject_ref == ref)
        ).all()
    assert holding == set() and [r.kind for r in registered] == ["erasure"]

    # the legacy document (sealed before person keys) is erased by overwriting it
    legacy_done = subject_erasure(rt.uow(), seller.viewer, by_id(legacy_body))
    assert (legacy_done.overwritten, legacy_done.keys_shredded) == (1, 0)
    assert legacy_body["buyer"]["id_number"] not in _all_rows(rt)
    legacy_view = client.get(f"/orders/{legacy}", headers=seller.headers).json()
    assert legacy_view["document"]["buyer"]["phone"] == ERASED

    # every proof given before verifies against the old checkpoint, entries unchanged
    root = base64.b64decode(old_cp["root"])
    for doc_id, p in before.items():
        assert rt.ledger.entry(p["index"]).data == entries[doc_id]
        merkle.verify_inclusion(
            merkle.leaf_hash(entries[doc_id]),
            p["index"],
            p["checkpoint_size"],
            [base64.b64decode(h) for h in p["inclusion_proof"]],
            root,
        )
    rt.ledger.integrate(force_checkpoint=True)
    new_cp = client.get("/ledger/checkpoint", headers=regulator.headers).json()
    assert new_cp["size"] > old_cp["size"]
    proof = client.get(
        "/ledger/proof/consistency",
        params={"first": old_cp["size"], "second": new_cp["size"]},
        headers=regulator.headers,
    ).json()
    merkle.verify_consistency(
        old_cp["size"],
        new_cp["size"],
        [base64.b64decode(h) for h in proof["proof"]],
        root,
        base64.b64decode(new_cp["root"]),
    )
    # and the erased documents' current proofs still verify against the new checkpoint
    after = _proof(client, seller, first)
    merkle.verify_inclusion(
        merkle.leaf_hash(entries[first]),
        after["index"],
        after["checkpoint_size"],
        [base64.b64decode(h) for h in after["inclusion_proof"]],
        base64.b64decode(new_cp["root"]),
    )

    # repeated: the same outcome, nothing new erased nor logged
    size = rt.ledger.latest_checkpoint().size
    again = subject_erasure(rt.uow(), seller.viewer, by_id(body))
    assert again.already_erased and again.status == "already_erased"
    assert (again.documents, again.keys_shredded, again.ledger_index) == (
        2,
        1,
        done.ledger_index,
    )
    rt.ledger.integrate(force_checkpoint=True)
    assert rt.ledger.latest_checkpoint().size == size

    # access after erasure: nothing is linked to them any more, and the answer says when
    # they were erased; the documents kept hold no personal data
    got = subject_access(rt.uow(), seller.viewer, by_id(body))
    assert (got.documents, got.transfers, got.erased_at) == ([], [], done.erased_at)
    for doc_id in (first, second):
        kept_doc = client.get(f"/orders/{doc_id}", headers=seller.headers).json()["document"]
        assert kept_doc["buyer"]["name"] == ERASED and kept_doc["lines"] == body["lines"]


def test_a_consignees_phone_reaches_only_the_consignee_not_the_buyer(rt, client, parties):
    """A gift: the buyer (with an ID, hence a person key) sends to a consignee whose phone
    is the request's. Access by that phone gives the order with the buyer masked; erasure
    by it overwrites the consignee's fields only — the buyer's key and their other orders
    stay, as they are another person's."""
    seller = parties["seller-a"]
    own, body = file_order(client, seller, "DSR-GIFT-2")
    consignee_phone = "13700137000"
    assert body["buyer"]["phone"] != consignee_phone
    gift_body = copy.deepcopy(body)
    gift_body["consignee"]["phone"] = consignee_phone
    gift, _ = file_order(client, seller, "DSR-GIFT-1", like=gift_body)
    query = SubjectQuery(phone=consignee_phone)
    got = subject_access(rt.uow(), seller.viewer, query)
    assert [d.id for d in got.documents] == [gift]
    shown = got.documents[0].body
    assert shown["consignee"]["phone"] == consignee_phone
    assert shown["buyer"]["id_number"] != body["buyer"]["id_number"]  # masked: not theirs
    assert shown["buyer"]["name"] != body["buyer"]["name"]

    done = subject_erasure(rt.uow(), seller.viewer, query)
    assert done.status == "completed" and done.keys_shredded == 0
    with rt.uow() as uow:
        keys = uow.conn.execute(select(person_keys.c.wrapped)).scalars().all()
    assert keys and all(keys)  # no key was shredded
    after = client.get(f"/orders/{gift}", headers=seller.headers).json()["document"]
    assert after["consignee"]["phone"] == ERASED and after["consignee"]["name"] == ERASED
    assert after["buyer"]["name"] == body["buyer"]["name"]  # the buyer's own data stays
    mine = client.get(f"/orders/{own}", headers=seller.headers).json()["document"]
    assert mine["buyer"] == body["buyer"] and mine["consignee"] == body["consignee"]
    again = subject_erasure(rt.uow(), seller.viewer, query)
    assert again.status == "already_erased"


def test_a_draft_is_deleted_only_when_it_names_the_person_as_a_whole_value():
    from cbec.services.dsr_erasure import _naming

    assert _naming(("1",)) is None  # too short to say who it is
    pattern = _naming(("11010519491231002X", "+8613900139000", "13900139000"))
    assert pattern is not None
    assert pattern.search('{"id_number": "11010519491231002x"}')
    assert pattern.search("DSR-1,李四,13900139000,Beijing")
    assert not pattern.search("amount 213900139000.00")  # inside a longer number
    assert not pattern.search("order 1101051949123100299")


def test_erasure_by_id_reaches_the_person_as_consignee_and_keeps_the_transfer_counts(
    rt, client, parties
):
    """An ID is the buyer's alone: the same person named as consignee on another buyer's
    order (their phone *and* name, as given when they bought) is theirs to erase too; a
    consignee with their phone under another name is not. The transfer register counts
    the individuals it sent as before: the erased person is still one individual, now under
    a reference no one can link to them."""
    seller = parties["seller-a"]
    own, body = file_order(client, seller, "DSR-CON-1")
    other, other_body = file_order(client, seller, "DSR-CON-2")
    assert other_body["buyer"]["id_number"] != body["buyer"]["id_number"]
    gift_body = copy.deepcopy(other_body)
    gift_body["consignee"] |= {"name": body["buyer"]["name"], "phone": body["buyer"]["phone"]}
    gift, _ = file_order(client, seller, "DSR-CON-3", like=gift_body)
    namesake_body = copy.deepcopy(other_body)
    namesake_body["consignee"] |= {"name": "Somebody Else", "phone": body["buyer"]["phone"]}
    namesake, _ = file_order(client, seller, "DSR-CON-4", like=namesake_body)
    sent = {
        "transfer": {
            "destination": "US",
            "recipient": "Overseas Analytics LLC",
            "purpose": "marketing",
            "data_categories": ["user"],
            "transferred_on": "2026-06-01",
            "document_ids": [own, other],
            "documents_sensitive": False,
        }
    }
    assert client.post("/privacy/transfers", json=sent, headers=seller.headers).status_code == 201
    route = {"transfer": sent["transfer"] | {"document_ids": [other]}}
    counts = client.post("/privacy/transfers/route", json=route, headers=seller.headers).json()

    got = subject_access(rt.uow(), seller.viewer, by_id(body))
    assert {d.id for d in got.documents} == {own, gift}
    shown = next(d for d in got.documents if d.id == gift).body
    assert shown["buyer"]["name"] != other_body["buyer"]["name"]  # another's: masked

    done = subject_erasure(rt.uow(), seller.viewer, by_id(body))
    assert (done.status, done.documents) == ("completed", 2)
    after = client.get(f"/orders/{gift}", headers=seller.headers).json()["document"]
    assert after["consignee"]["name"] == ERASED and after["consignee"]["phone"] == ERASED
    assert after["buyer"] == other_body["buyer"]
    untouched = client.get(f"/orders/{namesake}", headers=seller.headers).json()["document"]
    assert untouched["consignee"] == namesake_body["consignee"]
    still = client.post("/privacy/transfers/route", json=route, headers=seller.headers).json()
    assert still["counts"] == counts["counts"]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_an_erased_order_is_not_declared_to_customs(rt, client, parties, lang):
    """A CEB311 built from an erased order would declare ``(erased)`` as the buyer's name
    and ID: refused with 409 naming the rule, before any customs profile is needed."""
    seller = parties["seller-a"]
    doc_id, body = file_order(client, seller, f"DSR-CEB-{lang}")
    subject_erasure(rt.uow(), seller.viewer, by_id(body))
    got = client.post(
        f"/orders/{doc_id}/customs/ceb311",
        headers=seller.headers | {"Accept-Language": lang},
    )
    assert got.status_code == 409, got.text
    problem = got.json()
    assert got.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == "document_erased"
    assert ("erased" if lang == "en" else "已被删除") in problem["detail"]
