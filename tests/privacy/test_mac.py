"""HMAC-SHA-256 with the key's pads absorbed once (cbec.privacy.mac) against the standard
library's ``hmac.new``, the reference, and the RFC 4231 test vectors."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from cbec.ledger.entry import COMMIT_PREFIX, commitment, redact
from cbec.privacy.mac import Mac
from cbec.privacy.pseudonym import keyed_hash

# RFC 4231 §4.2, §4.3 and §4.7 (a 131-byte key, longer than the block, is hashed first)
RFC_4231 = [
    (
        bytes([0x0B] * 20),
        b"Hi There",
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    ),
    (
        b"Jefe",
        b"what do ya want for nothing?",
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    ),
    (
        bytes([0xAA] * 131),
        b"This is a test using a larger than block-size key and a larger than block-size data."
        b" The key needs to be hashed before being used by the HMAC algorithm.",
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
    ),
]


def test_the_rfc_4231_vectors() -> None:
    for key, message, expected in RFC_4231:
        assert Mac(key).hexdigest(message) == expected
        assert Mac(key).digest(message).hex() == expected
        assert Mac(key, message[:3]).hexdigest(message[3:]) == expected


@given(st.binary(max_size=200), st.binary(max_size=80), st.binary(max_size=300))
def test_equal_to_hmac_new_for_any_key_prefix_and_message(
    key: bytes, prefix: bytes, message: bytes
) -> None:
    expected = hmac.new(key, prefix + message, hashlib.sha256)
    mac = Mac(key, prefix)
    assert mac.hexdigest(message) == expected.hexdigest()
    assert mac.digest(message) == expected.digest()
    assert mac.hexdigest(message) == expected.hexdigest()  # the kept states are not consumed


@given(st.binary(min_size=1, max_size=64), st.text(max_size=20), st.text(max_size=60))
def test_keyed_hash_is_hmac_of_purpose_and_value(key: bytes, purpose: str, value: str) -> None:
    purpose = purpose.encode("ascii", "ignore").decode() or "p"
    expected = hmac.new(key, purpose.encode() + b"\x00" + value.encode(), hashlib.sha256)
    assert keyed_hash(key, purpose, value) == expected.hexdigest()
    assert keyed_hash(key, purpose, value.encode()) == expected.hexdigest()


@given(st.binary(min_size=32, max_size=32), st.text(max_size=40), st.text(max_size=40))
def test_redacted_fields_carry_the_definitional_commitment(
    salt: bytes, id_number: str, name: str
) -> None:
    body = {"buyer": {"id_number": id_number, "name": name}, "order_no": "A1"}
    out = redact(body, ["buyer.id_number", "buyer.name"], salt)
    assert out["buyer"]["id_number"] == COMMIT_PREFIX + commitment(
        salt, "buyer.id_number", id_number
    )
    assert out["buyer"]["name"] == COMMIT_PREFIX + commitment(salt, "buyer.name", name)
    assert body["buyer"]["id_number"] == id_number  # the input is left as it was
