"""Personal information at rest: published cipher vectors, the token envelope, key rotation,
masks, and a scan of the raw database files for any clear personal value."""

from __future__ import annotations

import base64
import random

import pytest

from cbec.config import Settings
from cbec.demo import activity, loader, synthetic
from cbec.privacy import masking
from cbec.privacy.fieldcrypt import (
    DataKey,
    DecryptionFailed,
    KeyRing,
    KeyRingError,
    _b64d,
    _b64e,
    _sm4_gcm_decrypt,
    _sm4_gcm_encrypt,
    decrypt_with,
)
from cbec.runtime import open_runtime
from cbec.services import key_rotation
from tests.conftest import (
    DEMO_ANCHOR,
    ON_POSTGRES,
    TEST_KEY_SETTINGS,
    TEST_KEYS,
    file_bytes,
    sqlite_path,
)


def test_sm4_gcm_matches_rfc8998_appendix_a1():
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    iv = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    pt = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    ct = bytes.fromhex(
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
    )
    tag = bytes.fromhex("83DE3541E4C2B58177E065A9BF7B62EC")
    assert _sm4_gcm_encrypt(key, iv, pt, aad) == ct + tag
    assert _sm4_gcm_decrypt(key, iv, ct + tag, aad) == pt


def test_aes256_gcm_token_matches_gcm_spec_test_case_14():
    """McGrew & Viega GCM spec, test case 14: zero key, zero IV, one zero block."""
    ring = KeyRing([DataKey("z", bytes(32))])
    token = ring.encrypt("", b"")
    assert token.startswith("enc1.a256gcm.z.")
    # Same key and IV on the known block reproduce the published ciphertext and tag.
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    expected = "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"
    assert AESGCM(ring.active.secret).encrypt(bytes(12), bytes(16), None).hex() == expected


def test_a_token_payload_is_base64url_without_padding_as_the_standard_library_writes_it():
    """RFC 4648 §5, padding dropped (the token's own encoder folds base64's Python layers):
    every length modulo 3, against ``base64.urlsafe_b64encode``."""
    for n in range(0, 70):
        raw = bytes((i * 151 + n * 7) % 256 for i in range(n))  # every byte value in turn
        assert _b64e(raw) == base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        assert _b64d(_b64e(raw)) == raw
    assert _b64e(b"\xfb\xff") == "-_8"  # the two characters base64url changes


@pytest.mark.parametrize("size", [32, 16])
def test_roundtrip_and_binding(size):
    ring = KeyRing([DataKey("k", bytes(range(size)))])
    token = ring.encrypt("张三 13812345678", b"cbec:order:1:buyer.name")
    assert "张三" not in token
    assert ring.decrypt(token, b"cbec:order:1:buyer.name") == "张三 13812345678"
    with pytest.raises(DecryptionFailed):  # moved to another document or field
        ring.decrypt(token, b"cbec:order:2:buyer.name")
    raw = bytearray(_b64d(token.split(".")[3]))
    raw[-1] ^= 1
    tampered = ".".join(token.split(".")[:3]) + "." + base64.urlsafe_b64encode(raw).decode()
    with pytest.raises(DecryptionFailed):
        ring.decrypt(tampered, b"cbec:order:1:buyer.name")


def test_a_shared_open_reads_the_same_and_leaves_the_sealed_body_sealed():
    """``open(share=True)`` copies only the way to the personal fields: the same clear
    document as a full copy, and the sealed body it came from still sealed."""
    from cbec.privacy.vault import Vault
    from cbec.trade.kinds import KINDS

    vault = Vault(KeyRing([DataKey("k", bytes(32))]), bytes(32))
    order = synthetic.order(random.Random(3), "platform-a", "seller-a", "SHARE-1")
    pii = KINDS["order"].pii
    sealed = vault.seal("order", "d1", pii, order)
    before = repr(sealed)
    for clear in (True, False):
        full = vault.open("order", "d1", pii, sealed, clear)
        shared = vault.open("order", "d1", pii, sealed, clear, share=True)
        assert shared == full
        assert repr(sealed) == before  # nothing decrypted into the sealed body
    assert shared["buyer"]["name"] != order["buyer"]["name"]  # masked
    assert vault.open("order", "d1", pii, sealed, True, share=True) == order


def test_nonces_are_fresh():
    ring = KeyRing([DataKey("k", bytes(32))])
    assert len({ring.encrypt("same", b"a") for _ in range(50)}) == 50


def _nonce(token: str) -> bytes:
    payload = token.split(".")[3]
    return base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))[:12]


@pytest.mark.parametrize("person", [False, True], ids=["ring", "person key"])
def test_a_documents_fields_are_sealed_with_nonces_never_used_twice(person):
    """A document's fields draw their nonces together (one call to the OS's generator): every
    field of every document still gets its own, and each token opens to its value."""
    from cbec.privacy.vault import Vault
    from cbec.trade.kinds import KINDS

    vault = Vault(KeyRing([DataKey("k", bytes(32))]), bytes(32))
    key = DataKey("~p1", bytes(range(32))) if person else None
    pii = KINDS["order"].pii
    rng = random.Random(5)
    seen: list[bytes] = []
    for i in range(40):
        order = synthetic.order(rng, "platform-a", "seller-a", f"N-{i}")
        sealed = vault.seal("order", f"d{i}", pii, order, key)
        for path in pii:
            parents, leaf = path.rsplit(".", 1) if "." in path else ("", path)
            node = sealed
            for part in filter(None, parents.split(".")):
                node = node.get(part) or {}
            if node.get(leaf) is not None:
                seen.append(_nonce(node[leaf]))
                aad = f"cbec:order:d{i}:{path}".encode()
                clear = (
                    decrypt_with(key, node[leaf], aad)
                    if key
                    else vault.ring.decrypt(node[leaf], aad)
                )
                original = order
                for part in filter(None, parents.split(".")):
                    original = original[part]
                assert clear == str(original[leaf])
    assert len(seen) >= 40 * 5 and len(set(seen)) == len(seen)


def test_key_rotation_reads_old_tokens_and_writes_with_new_key():
    old = DataKey("2025", bytes(32))
    new = DataKey("2026", bytes(range(32)))
    t_old = KeyRing([old]).encrypt("13812345678", b"x")
    ring = KeyRing([old, new], active="2026")
    t_new = ring.encrypt("13812345678", b"x")
    assert t_new.split(".")[2] == "2026"
    assert ring.decrypt(t_old, b"x") == ring.decrypt(t_new, b"x") == "13812345678"
    with pytest.raises(KeyRingError):
        KeyRing([new]).decrypt(t_old, b"x")


def test_keyring_spec_errors():
    with pytest.raises(KeyRingError):
        KeyRing.from_spec("k1=" + base64.b64encode(b"short").decode())
    with pytest.raises(KeyRingError):
        KeyRing.from_spec("no-equals-sign")
    with pytest.raises(KeyRingError):
        KeyRing.from_spec(TEST_KEYS, active="missing")


@pytest.mark.parametrize(
    "fn,value,masked",
    [
        (masking.mask_id_number, "11010519491231002X", "1101**********002X"),
        (masking.mask_phone, "13812345678", "138****5678"),
        (masking.mask_phone, "+8613812345678", "+86138****5678"),
        (masking.mask_name, "张三丰", "张**"),
        (masking.mask_name, "李", "*"),
        (masking.mask_address, "浙江省杭州市西湖区文三路1号", "浙江省杭**********"),
        (masking.mask_account, "u12345678", "u1*****78"),
    ],
)
def test_masks(fn, value, masked):
    assert fn(value) == masked
    assert len(fn(value)) == len(value)


def _demo_pii(rt) -> set[str]:
    """Every personal value in the demo documents, regenerated from the same seed and year."""
    values: set[str] = set()
    for (_filer, _kind), docs in loader.documents("small", loader.year(rt)).items():
        for doc in docs:
            for person in (doc.get("buyer"), doc.get("consignee"), doc.get("payer")):
                if person:
                    values |= {
                        str(person[k])
                        for k in ("id_number", "phone", "name", "address")
                        if person.get(k) and len(str(person[k])) >= 3
                    }
    # Names on the demo watchlist are the list's own data, kept in clear as the list is
    # (a screening result names the listed entity); a buyer who shares one is not revealed.
    return values - set(activity.WATCHED.values())


@pytest.mark.skipif(ON_POSTGRES, reason="scans the SQLite file; PostgreSQL stores the same bytes")
def test_raw_database_file_holds_no_personal_value_in_clear(tmp_path):
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'scan.db'}",
        **TEST_KEY_SETTINGS,
    )
    rt = open_runtime(settings)
    loader.load(rt, "small", DEMO_ANCHOR)
    pii = _demo_pii(rt)
    ids = {v for v in pii if len(v) == 18 and v[:17].isdigit()}
    phones = {v for v in pii if len(v) == 11 and v.isdigit()}
    assert len(ids) >= 50 and len(phones) >= 50  # the scan has something to find
    path = sqlite_path(settings.resolved_database_url())
    blobs = b"".join(
        file_bytes(p) for p in (path, path.with_name(path.name + "-wal")) if p.exists()
    )
    for value in pii:
        assert value.encode("utf-8") not in blobs, "clear personal value found in database"
    # …while the same scan does find values that are stored in clear (the scan works)
    assert synthetic.CATALOG[0]["name_zh"].encode() in blobs
    rt.engine.dispose()


def test_rotated_key_still_reads_stored_documents(tmp_path):
    url = f"sqlite:///{tmp_path / 'rot.db'}"
    first = Settings(data_dir=tmp_path, database_url=url, **TEST_KEY_SETTINGS)
    rt = open_runtime(first)
    loader.load(rt, "small", DEMO_ANCHOR)
    new_key = KeyRing.generate_spec("t2")
    # a process holding the new key records it; `activate` makes it the one writes use
    added = first.model_copy(update={"data_keys": f"{TEST_KEYS},{new_key}", "active_key_id": "t1"})
    open_runtime(added).engine.dispose()
    key_rotation.activate(rt.engine, added, "t2", to_file=False)
    second = added.model_copy(update={"active_key_id": "t2"})
    rt2 = open_runtime(second)
    _tenants, counts = loader.load(rt2, "small")  # documents compare equal through the new ring
    assert all(c["created"] == 0 for c in counts.values())
    assert rt2.vault.ring.active.kid == "t2"
    rt.engine.dispose()
    rt2.engine.dispose()


def test_demo_people_are_checksum_valid():
    from stdnum.cn import ric

    rng = random.Random(1)
    assert all(ric.is_valid(synthetic.resident_id(rng)) for _ in range(500))
