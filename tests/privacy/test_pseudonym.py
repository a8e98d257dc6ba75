"""Per-purpose pseudonyms (cbec.privacy.pseudonym): SM3 against the GB/T 32905-2016 sample,
HMAC-SM3 and HKDF-SM3 against RFC 2104 and RFC 5869 written out here over the pure-Python
SM3 of the ``gmssl`` package (a second implementation: cbec's run on OpenSSL's, through
``cryptography``), and the properties a purpose relies on. Then analytics: a seller's
customers are named by the ``analytics`` pseudonym of each person, recomputed here from the
stored ``subject_ref`` with the oracle. The HMAC key's rotation changes every pseudonym."""

from __future__ import annotations

import json
import random

import pytest
from cryptography.hazmat.primitives import hashes
from gmssl import func, sm3

from cbec.config import Settings
from cbec.demo import synthetic
from cbec.privacy.pseudonym import Pseudonyms, hmac_sm3, pseudonym, purpose_key
from cbec.runtime import open_runtime
from cbec.services import analytics as svc
from cbec.services import key_rotation as rot
from cbec.services.analytics_models import CustomersQuery
from cbec.services.documents import FileRequest, file_document
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant
from tests.conftest import ON_POSTGRES, PG_URL, init_keys, reset_postgres

# GB/T 32905-2016 Appendix A, sample 1: SM3("abc")
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def sm3_oracle(data: bytes) -> bytes:
    return bytes.fromhex(sm3.sm3_hash(func.bytes_to_list(data)))


def hmac_oracle(key: bytes, data: bytes) -> bytes:
    """RFC 2104 §2 over ``gmssl``'s SM3 (block size B = 64 bytes)."""
    if len(key) > 64:
        key = sm3_oracle(key)
    key = key.ljust(64, b"\x00")
    inner = sm3_oracle(bytes(k ^ 0x36 for k in key) + data)
    return sm3_oracle(bytes(k ^ 0x5C for k in key) + inner)


def hkdf_oracle(ikm: bytes, info: bytes, length: int) -> bytes:
    """RFC 5869 §2.2-2.3 over :func:`hmac_oracle`, no salt (HashLen zero bytes)."""
    prk = hmac_oracle(bytes(32), ikm)
    out, block = b"", b""
    for i in range(1, -(-length // 32) + 1):
        block = hmac_oracle(prk, block + info + bytes([i]))
        out += block
    return out[:length]


def test_sm3_matches_the_standard_sample():
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")
    assert digest.finalize().hex() == SM3_ABC
    assert sm3_oracle(b"abc").hex() == SM3_ABC  # the oracle is SM3 too


@pytest.mark.parametrize(
    ("key", "data"),
    [
        (b"", b""),
        (b"k" * 32, b"resident_id:110101199003074514"),
        (bytes(range(64)), "张三".encode()),  # a key of exactly one block
        (bytes(range(200)), b"x" * 1000),  # a key longer than a block is hashed first
    ],
)
def test_hmac_sm3_matches_rfc2104_over_a_second_sm3(key, data):
    assert hmac_sm3(key, data) == hmac_oracle(key, data)


def test_purpose_keys_are_hkdf_sm3_of_the_deployment_key():
    master = bytes(range(32))
    for purpose in ("analytics", "marketing", "风控"):
        info = b"cbec pseudonym v1\x00" + purpose.encode()
        assert purpose_key(master, purpose) == hkdf_oracle(master, info, 32)


def test_one_purpose_joins_people_and_two_purposes_do_not():
    master = b"h" * 32
    names = Pseudonyms(master)
    people = [f"subject-{i}" for i in range(500)]
    analytics = [names.of("analytics", p) for p in people]
    marketing = [names.of("marketing", p) for p in people]
    assert analytics == [names.of("analytics", p) for p in people]  # the same, every time
    assert len(set(analytics)) == len(people)  # one per person
    assert not set(analytics) & set(marketing)  # no pseudonym joins across purposes
    key = hkdf_oracle(master, b"cbec pseudonym v1\x00analytics", 32)
    assert analytics[0] == hmac_oracle(key, b"subject-0").hex()
    # holding the analytics key gives no way to the marketing key or its pseudonyms: it is
    # neither that key nor derives it as the deployment key does
    a_key, m_key = names.key("analytics"), names.key("marketing")
    assert a_key != m_key and purpose_key(a_key, "marketing") != m_key
    assert pseudonym(a_key, "subject-0") != marketing[0]
    # another deployment key: other pseudonyms for the same purpose
    assert Pseudonyms(b"i" * 32).of("analytics", "subject-0") != analytics[0]


@pytest.fixture
def shop(tmp_path):
    """A database of its own (its HMAC key is rotated), a seller with repeat buyers."""
    if ON_POSTGRES:
        reset_postgres(PG_URL)
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path / 'pseudo.db'}"
    settings = init_keys(Settings(data_dir=tmp_path / "data", database_url=url))
    rt = open_runtime(settings)
    with rt.uow(write=True) as uow:
        seller, _key = create_tenant(uow.repo, "seller-p", Role.SELLER)
        create_tenant(uow.repo, "platform-p", Role.PLATFORM)
        uow.commit()
    caller = Viewer(seller.id, "seller-p", Role.SELLER)
    rng = random.Random(11)
    people = [synthetic.order(rng, "platform-p", "seller-p", f"P{i}")["buyer"] for i in range(5)]
    for i in range(30):
        order = synthetic.order(rng, "platform-p", "seller-p", f"PS-{i}")
        order["buyer"] = people[i % len(people)]
        body = json.dumps(order).encode()
        file_document(rt.uow(), caller, FileRequest(kind="order", body=body))
    yield rt, settings, caller
    rt.engine.dispose()


def customers_of(rt, me: Viewer) -> tuple[set[str], set[str]]:
    """The customers the analytics view names, and the stored subject_refs of the orders."""
    orders = svc._my_orders(rt.uow(), me)
    rows, _currency, _other = svc.customer_rows(
        orders, lambda ref: rt.vault.pseudonym(svc.ANALYTICS, ref)
    )
    return {customer for customer, _, _ in rows}, {d.subject_ref for d, _ in orders}


def test_analytics_names_customers_by_their_analytics_pseudonym(shop):
    rt, settings, me = shop
    customers, refs = customers_of(rt, me)
    key = hkdf_oracle(rt.vault.hmac_key, b"cbec pseudonym v1\x00analytics", 32)
    assert len(refs) == 5 and customers == {hmac_oracle(key, r.encode()).hex() for r in refs}
    assert not customers & refs  # not the blind index stored with the documents
    report = svc.customers_view(rt.uow(), me, CustomersQuery())
    assert report.customers == 5 and report.orders == 30

    # the HMAC key rotates: subject_refs are recomputed, and pseudonyms follow the new key
    rot.add_hmac_key(rt.engine, settings)
    rt2 = open_runtime(settings)
    rot.recompute(rt2, settings)
    rot.switch_hmac_key(rt2, settings)
    after, refs2 = customers_of(rt2, me)
    key2 = hkdf_oracle(rt2.vault.hmac_key, b"cbec pseudonym v1\x00analytics", 32)
    assert rt2.vault.hmac_key != rt.vault.hmac_key and len(after) == 5
    assert after == {hmac_oracle(key2, r.encode()).hex() for r in refs2}
    assert not after & customers  # exports before and after the rotation do not join
    rt2.engine.dispose()
