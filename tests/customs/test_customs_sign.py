"""XML-DSig on CEB messages, checked against independent oracles: ``signxml`` (a W3C XML-DSig
implementation) for the RSA-SHA1 envelope both ways, and a from-the-standard SM2 verifier
(``tests/sm2_reference.py``, pinned to GB/T 32918 and OpenSSL vectors) for SM2/SM3."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConfiguration,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
)

from cbec.customs import sign as sg
from cbec.customs import xml as cx
from cbec.customs.validate import check
from tests import sm2_reference as ref
from tests.conftest import DATA

SAMPLES = DATA / "ceb" / "samples" / "import"
DS = {"ds": sg.DS}


def unsigned(name: str) -> bytes:
    xml = (SAMPLES / f"{name}Message.xml").read_bytes()
    return re.sub(rb"\s*<ds:Signature.*?</ds:Signature>", b"", xml, flags=re.S)


@pytest.fixture(scope="module")
def sm2():
    return sg.Sm2SoftwareKey.generate("0001")


@pytest.fixture(scope="module")
def rsa_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cbec test signer")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _values(xml: bytes) -> tuple[bytes, bytes]:
    """The canonical SignedInfo and the raw signature value, read without cbec code."""
    root = etree.fromstring(xml)
    info = root.find("ds:Signature/ds:SignedInfo", DS)
    value = base64.b64decode(
        "".join(root.findtext("ds:Signature/ds:SignatureValue", "", DS).split())
    )
    return etree.tostring(info, method="c14n"), value


@pytest.mark.parametrize("name", ["CEB621", "CEB623", "CEB625", "CEB311"])
def test_sm2_signature_verifies_with_the_standard_verifier(sm2, name):
    signed = sg.sign(unsigned(name), sm2)
    assert cx.validate_xsd(signed) == []
    data, value = _values(signed)
    assert len(value) == 64  # r || s
    r, s = int.from_bytes(value[:32], "big"), int.from_bytes(value[32:], "big")
    pem = sm2.public_key().pem()
    der = base64.b64decode(b"".join(pem.splitlines()[1:-1]))
    x, y = int.from_bytes(der[-64:-32], "big"), int.from_bytes(der[-32:], "big")
    e = ref.e_of(ref.SM2_P256, ref.DEFAULT_ID, (x, y), data)
    assert ref.verify(ref.SM2_P256, (x, y), e, r, s)
    assert not ref.verify(ref.SM2_P256, (x, y), e ^ 1, r, s)
    assert sg.verify(signed, lambda kn, cert: sm2.public_key()) == sg.Verified("0001", sg.SM2_SM3)


def test_standard_sm2_signature_verifies_in_cbec(sm2):
    """A signature made by the reference (fixed k) is accepted, DER or r || s."""
    d = 0x3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8  # any scalar < n
    pub = ref.public_key(ref.SM2_P256, d)
    signer = _FixedSigner(d, pub)
    signed = sg.sign(unsigned("CEB621"), signer)
    key = sg.Sm2PublicKey.from_pem(_spki(pub))
    assert sg.verify(signed, lambda kn, cert: key).key_name == "REF"
    data, value = _values(signed)
    der = encode_dss_signature(int.from_bytes(value[:32], "big"), int.from_bytes(value[32:], "big"))
    assert key.verify(der, data) and key.verify(value, data)
    assert not key.verify(value, data + b" ")


class _FixedSigner:
    signature_method = sg.SM2_SM3
    key_name = "REF"
    certificate = None

    def __init__(self, d: int, pub: tuple[int, int]) -> None:
        self.d, self.pub = d, pub

    def sign(self, data: bytes) -> bytes:
        e = ref.e_of(ref.SM2_P256, ref.DEFAULT_ID, self.pub, data)
        r, s = ref.sign_with_k(ref.SM2_P256, self.d, e, k=0x59276E27D506861A16680F3AD9C02DCC)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _spki(pub: tuple[int, int]) -> bytes:
    """SubjectPublicKeyInfo for an SM2 point: id-ecPublicKey with the SM2 curve OID."""
    prefix = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")
    der = prefix + b"\x04" + pub[0].to_bytes(32, "big") + pub[1].to_bytes(32, "big")
    b64 = base64.encodebytes(der).replace(b"\n", b"")
    return b"-----BEGIN PUBLIC KEY-----\n" + b64 + b"\n-----END PUBLIC KEY-----\n"


def test_rsa_sha1_signature_verifies_in_signxml(rsa_key):
    key, cert = rsa_key
    der = cert.public_bytes(serialization.Encoding.DER)
    signer = sg.RsaSoftwareKey(key, "0001", certificate=der)
    signed = sg.sign(unsigned("CEB621"), signer)
    assert cx.validate_xsd(signed) == []
    config = SignatureConfiguration(
        signature_methods=frozenset({SignatureMethod.RSA_SHA1}),
        digest_algorithms=frozenset({DigestAlgorithm.SHA1}),
    )
    result = XMLVerifier().verify(signed, x509_cert=cert, expect_config=config)
    assert etree.QName(result.signed_xml).localname == "CEB621Message"
    # and what signxml signs, cbec verifies
    theirs = _Sha1Signer(
        signature_algorithm=SignatureMethod.RSA_SHA1,
        digest_algorithm=DigestAlgorithm.SHA1,
        c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0,
    ).sign(etree.fromstring(unsigned("CEB621")), key=key, cert=[cert])
    xml = etree.tostring(theirs)
    found = sg.verify(xml, lambda kn, c: signer.public_key() if c == der else None)
    assert found.signature_method == sg.RSA_SHA1
    tampered = xml.replace(b"<ceb:orderNo>", b"<ceb:orderNo>X", 1)
    with pytest.raises(sg.SignatureInvalid) as exc:
        sg.verify(tampered, lambda kn, c: signer.public_key())
    assert exc.value.code == "CEB-SIG-DIGEST"


class _Sha1Signer(XMLSigner):
    """signxml refuses SHA-1 unless asked; the 2018 edition is exactly that."""

    def check_deprecated_methods(self) -> None:
        pass


def _code(xml: bytes, key) -> str:
    with pytest.raises(sg.SignatureInvalid) as exc:
        sg.verify(xml, lambda kn, cert: key if kn == "0001" else None)
    return exc.value.code


def test_every_way_a_signature_can_fail_is_named(sm2):
    signed = sg.sign(unsigned("CEB621"), sm2)
    pub = sm2.public_key()
    assert _code(unsigned("CEB621"), pub) == "CEB-SIG-MISSING"
    assert _code(signed.replace(b"<ceb:qty>", b"<ceb:qty>1", 1), pub) == "CEB-SIG-DIGEST"
    other = sg.Sm2SoftwareKey.generate("0001")
    assert _code(signed, other.public_key()) == "CEB-SIG-VALUE"
    assert _code(signed.replace(b"<ds:KeyName>0001", b"<ds:KeyName>0002"), pub) == "CEB-SIG-KEY"
    assert _code(signed.replace(b'URI=""', b'URI="#x"'), pub) == "CEB-SIG-REF"
    assert _code(signed.replace(sg.SM2_SM3.encode(), sg.RSA_SHA1.encode()), pub) == "CEB-SIG-ALG"
    # re-digesting a changed message does not help: SignedInfo is what the key signed
    changed = sg.sign(signed.replace(b"<ceb:qty>", b"<ceb:qty>1", 1), other)
    forged = re.sub(
        rb"<ds:SignatureValue>.*?</ds:SignatureValue>",
        re.search(rb"<ds:SignatureValue>.*?</ds:SignatureValue>", signed, re.S).group(0),
        changed,
        flags=re.S,
    )
    assert _code(forged, pub) == "CEB-SIG-VALUE"
    # the official samples carry placeholder signatures: a SHA-1-sized digest under the SM3 URI
    assert _code((SAMPLES / "CEB621Message.xml").read_bytes(), pub) == "CEB-SIG-DIGEST"


def test_signing_replaces_an_old_signature_and_the_rule_is_satisfied(sm2):
    sample = (SAMPLES / "CEB621Message.xml").read_bytes()
    signed = sg.sign(sample, sm2)
    assert len(re.findall(rb"<ds:Signature[ >]", signed)) == 1
    assert [p for p in check(signed) if p.rule.startswith("CEB-SIGN")] == []
    assert sg.verify(signed, lambda kn, cert: sm2.public_key()).key_name == "0001"
    again = sg.Sm2SoftwareKey.from_pem(sm2.pem(), "0001")
    assert sg.verify(sg.sign(sample, again), lambda kn, cert: sm2.public_key())


def test_malformed_or_dtd_messages_are_named_not_crashes(sm2):
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "v">]>' + unsigned("CEB621").split(
        b"?>", 1
    )[1].replace(b"<ceb:note>", b"<ceb:note>&e;", 1)
    assert _code(dtd, sm2.public_key()) == "CEB-SIG-FORM"
    assert _code(b"<not-xml", sm2.public_key()) == "CEB-SIG-FORM"
    with pytest.raises(cx.MessageError, match="DTD"):
        cx.validate_xsd(dtd)
    with pytest.raises(ValueError, match="document type"):
        sg.sign(dtd, sm2)
