"""Pure-Python SM2 digital signature reference (GB/T 32918.2 / GM/T 0003.2), for tests only.

Why this exists: the production SM2 backend must be checked against something that does not
share its code, its library or its bugs. This module is a deliberately naive, line-by-line
transcription of the standard (affine coordinates, plain Python ints, ``pow(x, -1, p)``) whose
only dependency besides the standard library is SM3 from ``cryptography``. It is pinned to the
published vectors in ``tests/customs/test_sm2_reference.py`` and can then serve as a test oracle.

It is slow and NOT constant-time: it leaks the private key through timing. Never import it
outside the test suite.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

Point = tuple[int, int] | None  # None is the point at infinity O


@dataclass(frozen=True)
class Curve:
    """Short Weierstrass curve y^2 = x^3 + a*x + b over F_p with base point G of prime order n."""

    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int

    @property
    def g(self) -> tuple[int, int]:
        return (self.gx, self.gy)


# Recommended curve, GB/T 32918.5-2017 / GM/T 0003.5-2012 clause 5 ("sm2p256v1").
SM2_P256 = Curve(
    p=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF,
    a=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC,
    b=0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93,
    gx=0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
    gy=0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
    n=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123,
)

# Example 256-bit prime-field curve of GB/T 32918.2-2016 Annex A / GM/T 0003.2-2012 Annex A
# (also used by OpenSSL test/sm2_internal_test.c and GmSSL test/sm2test.c).
TEST_FP256 = Curve(
    p=0x8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3,
    a=0x787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498,
    b=0x63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A,
    gx=0x421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D,
    gy=0x0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2,
    n=0x8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7,
)

# Default user identity, GM/T 0009-2012 clause 10 (the ASCII string "1234567812345678").
DEFAULT_ID = b"1234567812345678"


def sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def on_curve(curve: Curve, pt: Point) -> bool:
    if pt is None:
        return True
    x, y = pt
    if not (0 <= x < curve.p and 0 <= y < curve.p):
        return False
    return (y * y - (x * x * x + curve.a * x + curve.b)) % curve.p == 0


def point_add(curve: Curve, p1: Point, p2: Point) -> Point:
    """Affine addition (GB/T 32918.1 clause 3.2.3.1), doubling included."""
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    p = curve.p
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2:
        if (y1 + y2) % p == 0:
            return None  # P + (-P) = O, also covers doubling a point with y = 0
        lam = (3 * x1 * x1 + curve.a) * pow(2 * y1, -1, p) % p
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, p) % p
    x3 = (lam * lam - x1 - x2) % p
    return (x3, (lam * (x1 - x3) - y1) % p)


def point_double(curve: Curve, pt: Point) -> Point:
    return point_add(curve, pt, pt)


def scalar_mult(curve: Curve, k: int, pt: Point) -> Point:
    """[k]P by left-to-right double-and-add (variable time)."""
    if k < 0:
        raise ValueError("negative scalar")
    result: Point = None
    for bit in bin(k)[2:]:
        result = point_double(curve, result)
        if bit == "1":
            result = point_add(curve, result, pt)
    return result


def public_key(curve: Curve, d: int) -> tuple[int, int]:
    if not 1 <= d <= curve.n - 2:  # GB/T 32918.1 clause 6.1: d in [1, n-2]
        raise ValueError("private key out of range")
    pub = scalar_mult(curve, d, curve.g)
    assert pub is not None
    return pub


def _fe(x: int) -> bytes:
    return x.to_bytes(32, "big")


def za(curve: Curve, user_id: bytes, pub: tuple[int, int]) -> bytes:
    """ZA = SM3(ENTL_A || ID_A || a || b || xG || yG || xA || yA), GB/T 32918.2 clause 5.5."""
    entl = len(user_id) * 8
    if entl > 0xFFFF:
        raise ValueError("user id too long")
    parts = [curve.a, curve.b, curve.gx, curve.gy, pub[0], pub[1]]
    return sm3(entl.to_bytes(2, "big") + user_id + b"".join(_fe(v) for v in parts))


def e_of(curve: Curve, user_id: bytes, pub: tuple[int, int], message: bytes) -> int:
    """e = H_v(ZA || M) as an integer, GB/T 32918.2 clause 6.1 steps A1-A2."""
    return int.from_bytes(sm3(za(curve, user_id, pub) + message), "big")


def sign_with_k(curve: Curve, d: int, e: int, k: int) -> tuple[int, int]:
    """GB/T 32918.2 clause 6.1 steps A4-A6 with a caller-chosen nonce k."""
    n = curve.n
    if not 1 <= k <= n - 1:
        raise ValueError("k out of range")
    kg = scalar_mult(curve, k, curve.g)
    assert kg is not None
    r = (e + kg[0]) % n
    if r == 0 or r + k == n:
        raise ValueError("bad k: r = 0 or r + k = n")
    s = pow(1 + d, -1, n) * (k - r * d) % n
    if s == 0:
        raise ValueError("bad k: s = 0")
    return r, s


def verify(curve: Curve, pub: tuple[int, int], e: int, r: int, s: int) -> bool:
    """GB/T 32918.2 clause 7.1 steps B1 and B5-B7 (e is the already computed H_v(ZA || M))."""
    n = curve.n
    if not (1 <= r <= n - 1 and 1 <= s <= n - 1):
        return False
    if not on_curve(curve, pub):
        return False
    t = (r + s) % n
    if t == 0:
        return False
    pt = point_add(curve, scalar_mult(curve, s, curve.g), scalar_mult(curve, t, pub))
    if pt is None:
        return False
    return (e + pt[0]) % n == r


def der_to_rs(der: bytes) -> tuple[int, int]:
    """DER SEQUENCE { r INTEGER, s INTEGER } (GM/T 0009-2012 SM2Signature) -> (r, s)."""
    return decode_dss_signature(der)


def raw_to_rs(sig64: bytes) -> tuple[int, int]:
    """Raw 64-byte r || s (32-byte big-endian each) -> (r, s)."""
    if len(sig64) != 64:
        raise ValueError("raw SM2 signature must be 64 bytes")
    return int.from_bytes(sig64[:32], "big"), int.from_bytes(sig64[32:], "big")
