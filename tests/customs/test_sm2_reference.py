"""Pin the pure-Python SM2 oracle (tests/sm2_reference.py) to published vectors.

Every constant below is copied from a public source cited next to it; none is computed here.
"""

from __future__ import annotations

import base64

import pytest

from tests.sm2_reference import (
    DEFAULT_ID,
    SM2_P256,
    TEST_FP256,
    Curve,
    der_to_rs,
    e_of,
    on_curve,
    public_key,
    raw_to_rs,
    scalar_mult,
    sign_with_k,
    sm3,
    verify,
    za,
)

# (a) GB/T 32918.2-2016 Annex A (GM/T 0003.2-2012 Annex A), signature example on TEST_FP256.
# Curve, d, r, s: openssl/openssl test/sm2_internal_test.c, sm2_sig_test().
# Public key, ZA, e, k: guanzhi/GmSSL test/sm2test.c (commit 04d64b6c), main(), "sm2 sign p256".
# ZA also: openssl/openssl test/recipes/30-test_evp_data/evpmd_sm3.txt (first Digest = SM3 entry).
A_ID = b"ALICE123@YAHOO.COM"
A_MSG = b"message digest"
A_D = 0x128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263
A_PUB = (
    0x0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A,
    0x7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857,
)
A_ZA = "F4A38489E32B45B6F876E3AC2168CA392362DC8F23459C1D1146FC3DBFB7BC9A"
A_E = 0xB524F552CD82B8B028476E005C377FB19A87E6FC682D48BB5D42E3D9B9EFFE76
A_K = 0x6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F
A_R = 0x40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1
A_S = 0x6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7

# GB/T 32918.5-2017 / GM/T 0003.5-2012 Annex A, signature on SM2_P256 with DEFAULT_ID.
# Source: openssl/openssl test/sm2_internal_test.c, sm2_sig_test() (gm_group vector).
R5_D = 0x3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8
R5_K = 0x59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21
R5_R = 0xF5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3
R5_S = 0xB1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA

# (b) openssl/openssl test/recipes/30-test_evp_data/evppkey_sm2.txt: key SM2_key1 (PKCS#8,
# curve SM2_P256) and its two "Verify ... Ctrl = digest:SM3" vectors (Input = e, Output = DER).
SM2_KEY1_PEM = """
MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQg0JFWczAXva2An9m7
2MaT9gIwWTFptvlKrxyO4TjMmbWhRANCAAQ5OirZ4n5DrKqrhaGdO4VZHhRAYVcX
Wt3Te/d/8Mr57Tf886i09VwDhSMmH8pmNq/mp6+ioUgqYG9cs6GLLioe
"""
OPENSSL_VERIFY = [
    (
        "D7AD397F6FFA5D4F7F11E7217F241607DC30618C236D2C09C1B9EA8FDADEE2E8",
        "3046022100AB1DB64DE7C40EDBDE6651C9B8EBDB804673DB836E5D5C7FE15DCF9ED2725037"
        "022100EBA714451FF69B0BB930B379E192E7CD5FA6E3C41C7FBD8303B799AB54A54621",
    ),
    (
        "B1139602C6ECC9E15E2F3F9C635A1AFE737058BC15387479C1EA0D0B3D90E9E5",
        "3045022100E6E0414EBD3A656C35602AF14AB20287DBF30D57AF75C49A188ED4B42391F224"
        "02202F54F277C606F4605E1CE9514947FFDDF94C67A539804A4ED17F852288BDBE2E",
    ),
]
SM2_OID = bytes.fromhex("06082A811CCF5501822D")  # 1.2.156.10197.1.301 (GM/T 0006)


def _tlv(buf: bytes, i: int) -> tuple[int, int, int]:
    """Read one DER TLV at i -> (tag, start of value, end of value)."""
    tag, length, i = buf[i], buf[i + 1], i + 2
    if length & 0x80:
        nbytes = length & 0x7F
        length, i = int.from_bytes(buf[i : i + nbytes], "big"), i + nbytes
    return tag, i, i + length


def _parse_sm2_pkcs8(der: bytes) -> tuple[int, tuple[int, int]]:
    """PKCS#8 PrivateKeyInfo -> (d, embedded public point), RFC 5208 + RFC 5915."""
    tag, i, _ = _tlv(der, 0)  # PrivateKeyInfo SEQUENCE
    assert tag == 0x30
    tag, _, i = _tlv(der, i)  # version INTEGER
    tag, alg_start, i = _tlv(der, i)  # AlgorithmIdentifier SEQUENCE
    assert tag == 0x30 and SM2_OID in der[alg_start:i]
    tag, i, _ = _tlv(der, i)  # privateKey OCTET STRING
    assert tag == 0x04
    tag, i, _ = _tlv(der, i)  # ECPrivateKey SEQUENCE
    assert tag == 0x30
    tag, _, i = _tlv(der, i)  # version INTEGER 1
    tag, d_start, i = _tlv(der, i)  # privateKey OCTET STRING (32 bytes)
    assert tag == 0x04 and i - d_start == 32
    d = int.from_bytes(der[d_start:i], "big")
    tag, i, _ = _tlv(der, i)  # [1] publicKey
    assert tag == 0xA1
    tag, start, end = _tlv(der, i)  # BIT STRING: 00 04 X Y
    assert tag == 0x03 and der[start : start + 2] == b"\x00\x04" and end - start == 66
    x = int.from_bytes(der[start + 2 : start + 34], "big")
    return d, (x, int.from_bytes(der[start + 34 : end], "big"))


def test_annex_a_test_curve_example() -> None:
    pub = public_key(TEST_FP256, A_D)
    assert pub == A_PUB
    assert za(TEST_FP256, A_ID, pub).hex().upper() == A_ZA
    e = e_of(TEST_FP256, A_ID, pub, A_MSG)
    assert e == A_E
    assert sign_with_k(TEST_FP256, A_D, e, A_K) == (A_R, A_S)
    assert verify(TEST_FP256, pub, e, A_R, A_S)
    assert not verify(TEST_FP256, pub, e, A_R ^ 1, A_S)
    assert not verify(TEST_FP256, pub, e, A_R, A_S ^ 1)
    assert not verify(TEST_FP256, pub, e ^ 1, A_R, A_S)
    assert not verify(TEST_FP256, pub, e_of(TEST_FP256, A_ID, pub, b"message digesT"), A_R, A_S)
    assert not verify(TEST_FP256, pub, e, 0, A_S)
    assert not verify(TEST_FP256, pub, e, A_R, TEST_FP256.n)


def test_annex_a_recommended_curve_example() -> None:
    pub = public_key(SM2_P256, R5_D)
    e = e_of(SM2_P256, DEFAULT_ID, pub, A_MSG)
    assert sign_with_k(SM2_P256, R5_D, e, R5_K) == (R5_R, R5_S)
    assert verify(SM2_P256, pub, e, R5_R, R5_S)
    assert not verify(SM2_P256, pub, e_of(SM2_P256, b"ALICE", pub, A_MSG), R5_R, R5_S)


@pytest.mark.parametrize(("e_hex", "der_hex"), OPENSSL_VERIFY)
def test_openssl_recommended_curve_verify(e_hex: str, der_hex: str) -> None:
    d, embedded = _parse_sm2_pkcs8(base64.b64decode(SM2_KEY1_PEM))
    pub = public_key(SM2_P256, d)
    assert pub == embedded
    r, s = der_to_rs(bytes.fromhex(der_hex))
    e = int(e_hex, 16)
    assert verify(SM2_P256, pub, e, r, s)
    for bit in (0, 100, 255):
        assert not verify(SM2_P256, pub, e ^ (1 << bit), r, s)
    assert raw_to_rs(r.to_bytes(32, "big") + s.to_bytes(32, "big")) == (r, s)


def test_sm3_known_answers() -> None:
    # GB/T 32905-2016 / GM/T 0004-2012 Annex A examples 1 and 2, as carried by
    # openssl/openssl test/recipes/30-test_evp_data/evpmd_sm3.txt (draft-shen-sm3-hash-01).
    assert sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3(b"abcd" * 16).hex() == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


@pytest.mark.parametrize("k", [1, 2, 0xDEADBEEF, SM2_P256.n // 3, SM2_P256.n - 2])
def test_round_trip_recommended_curve(k: int) -> None:
    d = 0x1D3B2C4A5F6E7D8C9BAB0C1D2E3F405162738495A6B7C8D9EAFB0C1D2E3F4051
    pub = public_key(SM2_P256, d)
    e = e_of(SM2_P256, DEFAULT_ID, pub, b"cross-border e-commerce")
    r, s = sign_with_k(SM2_P256, d, e, k)
    assert verify(SM2_P256, pub, e, r, s)
    assert not verify(SM2_P256, pub, (e + 1) % SM2_P256.n, r, s)
    assert not verify(SM2_P256, public_key(SM2_P256, d + 1), e, r, s)


@pytest.mark.parametrize("curve", [SM2_P256, TEST_FP256], ids=["sm2p256v1", "annex-a-fp256"])
def test_generator_on_curve_with_order_n(curve: Curve) -> None:
    assert on_curve(curve, curve.g)
    assert scalar_mult(curve, curve.n, curve.g) is None
    assert scalar_mult(curve, curve.n - 1, curve.g) == (curve.gx, (-curve.gy) % curve.p)
