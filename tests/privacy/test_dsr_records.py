"""Data subject requests reach what is not a document: the messages of dispute cases on the
person's orders (each party answers for what it wrote) and the expert profiles a tenant
published on the person (talent sharing).

Oracles: the texts and profiles the test posted (what access must give back, what must read
``(erased)`` afterwards and what must not), every row of every table read raw (no erased
value left in clear), and the other party's view of the same case (its own messages intact).
"""

from __future__ import annotations

import json

from sqlalchemy import select, update

from cbec.privacy.vault import ERASED, is_person_token
from cbec.store.tables import dispute_messages, talent_experts
from tests.disputes.world import open_case, sale
from tests.privacy.test_dsr import _all_rows
from tests.talent.world import EXPERT, OTHER, post

ACCESS, ERASURE = "/privacy/dsr/access", "/privacy/dsr/erasure"
COMPLAINT = "包裹未收到，请联系李先生 13800138000"  # the platform relays the buyer's words
REPLY = "卖家已联系承运人，单号 WB-DSP-R1"


def _by_id(order: dict) -> dict:
    return {"id_type": "resident_id", "id_number": order["buyer"]["id_number"]}


def _ask(client, party, path: str, body: dict) -> dict:
    r = client.post(path, json=body, headers=party.headers)
    assert r.status_code == 200, r.text
    return r.json()


def _texts(client, party, case_id: str) -> dict[str, str]:
    r = client.get(f"/disputes/{case_id}", headers=party.headers)
    assert r.status_code == 200, r.text
    return {m["author"]: m["text"] for m in r.json()["messages"]}


def test_each_party_reads_and_erases_its_own_messages_on_the_persons_case(rt, client, parties, cli):
    world = sale(client, parties, cli, "DSP-R1", declare=False)
    platform, seller = parties["platform-a"], parties["seller-a"]
    opened = open_case(client, platform, world.order_id, message=COMPLAINT)
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["id"]
    r = client.post(f"/disputes/{case_id}/messages", json={"text": REPLY}, headers=seller.headers)
    assert r.status_code == 200, r.text
    with rt.engine.connect() as conn:  # each sealed under its author's key for the buyer
        tokens = conn.execute(select(dispute_messages.c.text)).scalars().all()
    assert len(tokens) == 2 and all(is_person_token(t) for t in tokens)

    person = _by_id(world.order)
    got = _ask(client, seller, ACCESS, person)
    (case,) = got["disputes"]
    assert case["id"] == case_id and case["order_no"] == "DSP-R1"
    assert [(m["text"], m["by_caller"]) for m in case["messages"]] == [
        (COMPLAINT, False),
        (REPLY, True),
    ]
    # the platform filed nothing on the person, and still finds the case and its messages
    assert _ask(client, platform, ACCESS, person)["disputes"][0]["id"] == case_id
    other = _ask(client, parties["seller-b"], ACCESS, person)
    assert other["disputes"] == [] and other["documents"] == []

    erased = _ask(client, seller, ERASURE, person)
    assert erased["status"] == "completed" and erased["messages_erased"] == 1
    assert _texts(client, platform, case_id) == {"platform-a": COMPLAINT, "seller-a": ERASED}
    assert REPLY not in _all_rows(rt)

    again = _ask(client, seller, ERASURE, person)
    assert again["status"] == "already_erased" and again["messages_erased"] == 0
    # the platform answers for its own message: found through the case's person after the
    # seller's erasure unlinked the order
    mine = _ask(client, platform, ACCESS, person)["disputes"][0]["messages"]
    assert [(m["text"], m["by_caller"]) for m in mine] == [(COMPLAINT, True), (ERASED, False)]
    done = _ask(client, platform, ERASURE, person)
    assert done["status"] == "completed" and done["messages_erased"] == 1
    assert set(_texts(client, seller, case_id).values()) == {ERASED}
    assert "13800138000" not in _all_rows(rt)


def test_a_message_sealed_under_the_deployment_key_is_overwritten(rt, client, parties, cli):
    world = sale(client, parties, cli, "DSP-R2", declare=False)
    seller = parties["seller-a"]
    case_id = open_case(client, seller, world.order_id, message=REPLY).json()["id"]
    with rt.uow(write=True) as uow:  # as messages were sealed before person keys
        token = uow.vault.with_persons(None).seal_value(
            "dispute", case_id, "messages[].text", REPLY
        )
        uow.conn.execute(update(dispute_messages).values(text=token))
        uow.commit()
    assert _texts(client, seller, case_id) == {"seller-a": REPLY}
    done = _ask(client, seller, ERASURE, _by_id(world.order))
    assert done["messages_erased"] == 1
    with rt.engine.connect() as conn:
        assert conn.execute(select(dispute_messages.c.text)).scalars().all() == [ERASED]
    assert _texts(client, parties["platform-a"], case_id) == {"seller-a": ERASED}


def _legacy(rt, expert_id: str) -> None:
    """Seal a profile's personal fields under the deployment key, as before person keys."""
    with rt.uow(write=True) as uow:
        row = uow.conn.execute(select(talent_experts).where(talent_experts.c.id == expert_id)).one()
        vault, plain = uow.vault, uow.vault.with_persons(None)

        def reseal(path: str, token: str) -> str:
            clear = vault.open_value("talent_expert", expert_id, path, token)
            return plain.seal_value("talent_expert", expert_id, path, clear)

        certificates = json.loads(row.certificates)
        for i, c in enumerate(certificates):
            c["number"] = reseal(f"certificates[{i}].number", c["number"])
        uow.conn.execute(
            update(talent_experts)
            .where(talent_experts.c.id == expert_id)
            .values(
                name=reseal("name", row.name),
                contact=reseal("contact", row.contact),
                certificates=json.dumps(certificates),
            )
        )
        uow.commit()


def test_an_expert_profile_is_found_by_its_contact_and_erased(rt, client, parties):
    publisher = parties["ship-a"]
    by_mail = post(client, publisher, "/talent/experts", EXPERT)["id"]
    by_phone = post(client, publisher, "/talent/experts", OTHER)["id"]
    _legacy(rt, by_phone)
    elsewhere = post(client, parties["seller-b"], "/talent/experts", EXPERT)["id"]

    with rt.engine.connect() as conn:  # its own key seals the new-style profile
        sealed = conn.execute(
            select(talent_experts.c.name).where(talent_experts.c.id == by_mail)
        ).scalar_one()
    assert is_person_token(sealed)
    got = _ask(client, publisher, ACCESS, {"email": "LiHua@Example.cn "})
    assert got["found_by"] == "email" and got["documents"] == []
    (profile,) = got["experts"]
    assert profile["id"] == by_mail
    assert (profile["name"], profile["contact"]) == (EXPERT["name"], EXPERT["contact"])
    assert profile["certificates"][0]["number"] == EXPERT["certificates"][0]["number"]
    # the phone as the register writes it (E.164) finds the profile written with spaces
    assert [
        e["id"] for e in _ask(client, publisher, ACCESS, {"phone": "13800000000"})["experts"]
    ] == [by_phone]
    mail = {"email": "lihua@example.cn"}  # another publisher answers for its own profile
    assert [e["id"] for e in _ask(client, parties["seller-b"], ACCESS, mail)["experts"]] == [
        elsewhere
    ]
    assert _ask(client, parties["seller-a"], ACCESS, mail)["experts"] == []

    for query, expert_id in (
        ({"email": "lihua@example.cn"}, by_mail),
        ({"phone": "+8613800000000"}, by_phone),
    ):
        done = _ask(client, publisher, ERASURE, query)
        assert done["status"] == "completed" and done["experts_erased"] == 1
        shown = client.get(f"/talent/experts/{expert_id}", headers=publisher.headers).json()
        assert (shown["name"], shown["contact"]) == (ERASED, ERASED)
        assert {c["number"] for c in shown["certificates"]} <= {ERASED}
        # withdrawn: no other tenant finds it, in the listing or by id
        listed = client.get("/talent/experts", headers=parties["seller-a"].headers).json()
        assert expert_id not in {e["id"] for e in listed["experts"]}
        hidden = client.get(f"/talent/experts/{expert_id}", headers=parties["seller-a"].headers)
        assert hidden.status_code == 404
        again = _ask(client, publisher, ERASURE, query)
        assert again["status"] == "already_erased"
    rows = _all_rows(rt)
    for value in ("Wang Fang", OTHER["contact"]):
        assert value not in rows
    kept = client.get(f"/talent/experts/{elsewhere}", headers=parties["seller-b"].headers).json()
    assert (kept["name"], kept["contact"]) == (EXPERT["name"], EXPERT["contact"])


def test_an_email_query_is_checked(client, parties):
    r = client.post(ACCESS, json={"email": "not an address"}, headers=parties["ship-a"].headers)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "email", r.text
    both = {"email": "a@example.cn", "phone": "13800138000"}
    r = client.post(ACCESS, json=both, headers=parties["ship-a"].headers)
    assert r.status_code == 400 and "exactly one" in r.json()["detail"], r.text
