"""The raw database and the evidence log hold no personal information in clear.

Data goes in through the public paths only — the demo loader (with its watchlist, rules,
customs declarations and inventory lists), orders, payments and waybills filed through the
API with known synthetic people, an import-desk draft left pending, the screening every
filing runs, a recorded transfer, a regulator's reveal and a scan request — and then every
column of every table is read raw (SQLAlchemy reflection, not the repository), the ledger's
entry bytes and checkpoints included.

Oracles: the people's own values, in the forms a leak could take — as filed, without spaces,
upper- and lower-cased, a mobile as E.164 and with separators, as UTF-8, GBK and JSON-escaped
bytes, and base64 (standard and URL-safe, at each of the three byte alignments) — none of which
may occur anywhere; and cbec's own recognizers (:mod:`cbec.privacy.scan`, GB 11643 check digit
and libphonenumber's CN plan), which must find no resident ID and no mainland mobile in any
text value. Both are first shown to find what they look for, so the test can fail.

What stays clear by design, checked against the inventory (``cbec/privacy/data/inventory.csv``):
the fields tagged ``clear`` (ID type, county-level district code, order numbers, amounts…);
console users' logins and display names (staff accounts, looked up at sign-in — not document
fields, and no synthetic person's value is one); a watchlist's own names (the list's data).
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import dataclass

from sqlalchemy import MetaData, select
from stdnum.cn import ric

from cbec.demo import activity, loader, synthetic
from cbec.privacy.scan.chinese import find_mobiles, find_resident_ids
from tests.conftest import DEMO_ANCHOR
from tests.console.test_console_imports import _user, csv_text, draft_of, flat, table, upload
from tests.console.test_console_sign_in import sign_in


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    mobile: str  # eleven digits; filed with separators or +86 on some documents
    address: str
    email: str  # filed as the buyer's account id


def _id_ending_in_x(seed: int) -> str:
    rng = random.Random(seed)
    while not (number := synthetic.resident_id(rng)).endswith("X"):
        pass
    return number


PEOPLE = [
    Person(
        "欧阳晓明",
        _id_ending_in_x(11),
        "13912345678",
        "浙江省杭州市西湖区文三路90号3号楼501室",
        "ouyang.xm@example.cn",
    ),
    Person(
        "Emily Zhang",
        synthetic.resident_id(random.Random(12)),
        "18687654321",
        "上海市黄浦区南京东路188号12栋1203室",
        "Emily.Zhang@example.com",
    ),
    Person(
        "司马光远",
        synthetic.resident_id(random.Random(13)),
        "15223456789",
        "四川省成都市锦江区春熙路66号5栋808室",
        "simagy@example.org",
    ),
]
DRAFTED = Person(  # only ever in an import-desk draft
    "诸葛春燕",
    synthetic.resident_id(random.Random(14)),
    "17755556666",
    "湖北省武汉市江岸区解放大道1777号2栋301室",
    "zhuge.cy@example.net",
)


def _forms(value: str) -> set[str]:
    """The text forms of a value a leak could take."""
    forms = {value, value.replace(" ", "")}
    if ric.is_valid(value.upper()) or "@" in value:  # an ID's check X, an e-mail's case
        forms |= {value.upper(), value.lower()}
    digits = value.replace(" ", "").replace("-", "")
    if digits.isdigit() and len(digits) == 11:  # a mainland mobile
        forms |= {
            f"+86{digits}",
            f"86{digits}",
            f"{digits[:3]} {digits[3:7]} {digits[7:]}",
            f"{digits[:3]}-{digits[3:7]}-{digits[7:]}",
        }
    escaped = {json.dumps(f)[1:-1] for f in forms}  # "\u6b27\u9633…" in ASCII-only JSON
    return forms | escaped


def _base64_forms(raw: bytes) -> set[bytes]:
    """``raw`` base64-encoded at each of the three alignments it can have inside a longer
    value: the characters that depend on ``raw`` alone (RFC 4648 §4 and §5 alphabets)."""
    out = set()
    for k in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            enc = encode(bytes(k) + raw)
            start, end = -(-8 * k // 6), (8 * (k + len(raw))) // 6
            out.add(enc[start:end].rstrip(b"="))
    return out


def _needles(values: set[str]) -> tuple[set[str], set[bytes]]:
    texts: set[str] = set()
    raws: set[bytes] = set()
    for value in values:
        for form in _forms(value):
            texts.add(form)
            raws.add(form.encode())
            raws |= _base64_forms(form.encode())
            raws.add(form.encode("gb18030"))  # GBK's superset: encodes every character
    return texts, raws


def _values(person: Person) -> set[str]:
    return {person.name, person.id_number, person.mobile, person.address, person.email}


def _demo_values(rt) -> set[str]:
    """The demo's people (regenerated from its seed and year), values of three characters or
    more, less the watchlist's names (the list's own data, kept in clear as the list is)."""
    found: set[str] = set()
    for docs in loader.documents(60, loader.year(rt)).values():
        for doc in docs:
            for person in (doc.get("buyer"), doc.get("consignee"), doc.get("payer")):
                for key in ("id_number", "phone", "name", "address", "account_id"):
                    value = str((person or {}).get(key) or "")
                    if len(value) >= 3:
                        found.add(value)
    return found - set(activity.WATCHED.values())


def _order(person: Person, number: str, spaced: bool) -> dict:
    body = synthetic.order(random.Random(number), "platform-a", "seller-a", number)
    phone = f"+86 {person.mobile[:3]} {person.mobile[3:7]} {person.mobile[7:]}"
    body["buyer"] |= {
        "account_id": person.email,
        "name": person.name,
        "phone": person.mobile,
        "id_type": "resident_id",
        "id_number": person.id_number.lower() if spaced else person.id_number,
    }
    body["consignee"] |= {
        "name": person.name,
        "phone": phone if spaced else person.mobile,
        "address": person.address,
    }
    return body


def _file(client, parties) -> list[str]:
    """Each person's order, payment and waybill through the API; the order ids."""
    ids = []
    for i, person in enumerate(PEOPLE):
        number = f"PI-{i:04d}"
        order = _order(person, number, spaced=i == 1)
        headers = parties["seller-a"].headers | {"Idempotency-Key": f"pi-proof-{i}"}
        posted = client.post("/orders", json=order, headers=headers)
        assert posted.status_code == 201, posted.text
        ids.append(posted.json()["id"])
        payment = synthetic.payment(random.Random(i), order, f"TX-PI-{i:04d}")
        paid = client.post("/payments", json=payment, headers=parties["pay-a"].headers)
        assert paid.status_code == 201, paid.text
        waybill = synthetic.waybill(random.Random(i), order, f"WB-PI-{i:04d}")
        shipped = client.post("/waybills", json=waybill, headers=parties["ship-a"].headers)
        assert shipped.status_code == 201, shipped.text
    return ids


def _use_the_other_paths(rt, client, parties, ids: list[str]) -> None:
    seller, regulator = parties["seller-a"], parties["regulator"]
    transfer = {
        "transfer": {
            "destination": "SG",
            "recipient": "Overseas Fulfilment Pte. Ltd.",
            "purpose": "marketing",
            "data_categories": ["user"],
            "document_ids": ids,
            "transferred_on": "2026-06-01",
        }
    }
    made = client.post("/privacy/transfers", json=transfer, headers=seller.headers)
    assert made.status_code == 201, made.text
    why = {"reason": "Case 2026-17: checking the consignee of a seized parcel"}
    revealed = client.post(f"/orders/{ids[0]}/reveal", json=why, headers=regulator.headers)
    assert revealed.status_code == 200, revealed.text
    assert revealed.json()["document"]["buyer"]["name"] == PEOPLE[0].name  # really in clear
    text = f"收件人{PEOPLE[2].name}，手机 {PEOPLE[2].mobile}，身份证 {PEOPLE[2].id_number}"
    scanned = client.post("/privacy/scan", json={"texts": [text]}, headers=seller.headers)
    assert scanned.status_code == 200 and scanned.json()["results"][0]["spans"]
    # an import-desk draft, mapped and checked but never submitted
    _user(rt, "seller-a", "proof@seller-a")
    sign_in(client, "proof@seller-a")
    drafted = _order(DRAFTED, "PI-DRAFT-1", spaced=False)
    draft = draft_of(upload(client, csv_text(table(flat([drafted]))).encode()))
    assert client.get(f"/console/imports/{draft}").status_code == 200
    rt.ledger.integrate(force_checkpoint=True)


def _raw_rows(rt) -> dict[str, list[dict]]:
    """Every row of every table, read by reflection: what the database holds, not what the
    repository chooses to read."""
    meta = MetaData()
    meta.reflect(bind=rt.engine)
    with rt.engine.connect() as conn:
        return {
            name: [dict(r._mapping) for r in conn.execute(select(t))]
            for name, t in meta.tables.items()
        }


def _haystacks(rows: dict[str, list[dict]]) -> tuple[dict[tuple[str, str], str], dict]:
    texts: dict[tuple[str, str], list[str]] = {}
    raws: dict[tuple[str, str], list[bytes]] = {}
    for name, items in rows.items():
        for row in items:
            for column, value in row.items():
                if isinstance(value, bytes | bytearray | memoryview):
                    raw = bytes(value)
                    raws.setdefault((name, column), []).append(raw)
                    decoded = raw.decode("utf-8", "replace")
                    texts.setdefault((name, column), []).append(decoded)
                elif value is not None:
                    text = value if isinstance(value, str) else json.dumps(value, default=str)
                    texts.setdefault((name, column), []).append(text)
                    raws.setdefault((name, column), []).append(text.encode())
    joined_texts = {k: "\x00".join(v) for k, v in texts.items()}
    joined_raws = {k: b"\x00".join(v) for k, v in raws.items()}
    return joined_texts, joined_raws


def test_no_table_and_no_log_entry_holds_a_personal_value_in_clear(rt, client, parties):
    loader.load(rt, 60, DEMO_ANCHOR)  # demo tenants, its watchlist screens every filing
    ids = _file(client, parties)
    _use_the_other_paths(rt, client, parties, ids)
    rows = _raw_rows(rt)

    # there is something to look at: every path left its rows
    assert {r["id"] for r in rows["documents"]} >= set(ids)
    assert len(rows["ledger_entries"]) > 100 and rows["ledger_checkpoints"]
    assert any(r["document_id"] in ids for r in rows["screening_results"])
    assert len(rows["import_drafts"]) == 1 and len(rows["data_transfers"]) == 1
    assert len(rows["reveal_audit"]) == 1 and rows["idempotency_keys"]
    assert rows["declarations"] and rows["declaration_events"]

    texts, raws = _haystacks(rows)
    # the search finds what is stored in clear (an order number, a product's name)
    assert any("PI-0001" in t for t in texts.values())
    assert any(synthetic.CATALOG[0]["name_zh"].encode() in r for r in raws.values())

    known = set().union(*(_values(p) for p in [*PEOPLE, DRAFTED])) | _demo_values(rt)
    assert len(known) > 100
    text_needles, raw_needles = _needles(known)
    leaks = sorted(
        {f"{where}: {n!r}" for where, hay in texts.items() for n in text_needles if n in hay}
        | {f"{where}: {n!r}" for where, hay in raws.items() for n in raw_needles if n in hay}
    )
    assert not leaks, leaks[:20]

    # cbec's recognizers find every known number in a control text, whatever its form …
    for p in [*PEOPLE, DRAFTED]:
        assert ric.is_valid(p.id_number)
        control = f"ID {p.id_number.lower()} tel +86 {p.mobile[:3]} {p.mobile[3:7]} {p.mobile[7:]}"
        assert [s.entity_type for s in find_resident_ids(control)] == ["CN_RESIDENT_ID"]
        assert [s.entity_type for s in find_mobiles(control)] == ["CN_MOBILE"]
    # … and none in any stored text value
    found = []
    for where, hay in texts.items():
        for value in hay.split("\x00"):
            spans = find_resident_ids(value) + find_mobiles(value)
            found += [(where, s.entity_type, value[s.start : s.end]) for s in spans]
    assert not found, found[:20]
