"""XML-DSig for CEB messages: the enveloped signature customs requires on CEB621/623/625.

The 202205 edition signs with SM2 over an SM3 digest and names the algorithms with its own
URIs (``…/2022/04/xmldsig#sm2-sm3`` and ``…#sm3``); the 2018 edition used RSA-SHA1 with the
W3C URIs. Everything else is plain W3C XML-DSig 1.0: one ``Reference URI=""`` (the whole
message), the enveloped-signature transform, inclusive C14N 1.0 without comments for both the
referenced document and ``SignedInfo``, and ``KeyInfo`` carrying the certificate number
(``KeyName``) and, when the signer has one, its X.509 certificate.

Choices the samples cannot settle (their signature is a placeholder: a SHA-1-sized digest
under the SM3 URI, an RSA-1024-sized value under the SM2 URI):

* SM2 uses the default distinguishing identifier ``1234567812345678`` (GB/T 35276), so the
  signed value is SM2(SM3(Z_A ‖ C14N(SignedInfo))) — what E-Port cards produce.
* ``SignatureValue`` is the 64-byte ``r ‖ s`` as XML-DSig 1.1 §6.4.3 does for ECDSA; the
  verifier also accepts the DER ``SEQUENCE {r, s}`` some card drivers return.

Signing is behind :class:`Signer` because production keys live on an E-Port card or UKey
that never exports them; :class:`Sm2SoftwareKey` and :class:`RsaSoftwareKey` are software keys
for tests, demos and sellers' own test environments. SM2 runs on Tongsuo (an OpenSSL fork
with the Chinese algorithms, via ``tongsuopy``) — ``cryptography`` has SM3/SM4 but no SM2,
and pure-Python SM2 libraries are slow and not constant-time. Verification insists on
exactly one whole-document reference, so a signature cannot be moved onto other content
("signature wrapping").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization as cs
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from lxml import etree

from cbec.errors import BadRequest

DS = "http://www.w3.org/2000/09/xmldsig#"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
SM2_SM3 = "http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3"
SM3 = "http://www.chinaport.gov.cn/2022/04/xmldsig#sm3"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def _sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def _sha1(data: bytes) -> bytes:
    return hashlib.sha1(data, usedforsecurity=False).digest()


#: SignatureMethod URI → (the DigestMethod it pairs with, that digest function)
ALGORITHMS: dict[str, tuple[str, Callable[[bytes], bytes]]] = {
    SM2_SM3: (SM3, _sm3),
    RSA_SHA1: (SHA1, _sha1),
}


class _Said(str):
    """The English text of a refusal that also renders in a language when called, so
    ``exc.message`` reads as text (as the command line prints it) and ``exc.message(lang)``
    renders as it does for every cbec error."""

    def __new__(cls, text: str, error: SignatureInvalid) -> _Said:
        said = super().__new__(cls, text)
        said.error = error
        return said

    def __call__(self, lang: str = "en") -> str:
        from cbec.i18n import render

        return render(self.error.rule, lang, self.error.params)


class SignatureInvalid(BadRequest):
    """A signature is missing, malformed, or does not verify (400); ``code`` names the check
    (``CEB-SIG-DIGEST`` …) and ``detail`` what it found."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.detail = detail
        super().__init__("customs_signature", {"check": code, "detail": detail})

    @property
    def message(self) -> _Said:  # type: ignore[override]
        return _Said(self.detail, self)


class Signer(Protocol):
    """Whatever holds a private key: a software key, or an adapter to an E-Port card."""

    signature_method: str
    key_name: str
    certificate: bytes | None  # DER X.509, sent in KeyInfo/X509Data when known

    def sign(self, data: bytes) -> bytes:
        """The raw signature value over ``data`` (the canonical ``SignedInfo``)."""
        ...


class PublicKey(Protocol):
    signature_method: str

    def verify(self, signature: bytes, data: bytes) -> bool: ...


# --- SM2 -------------------------------------------------------------------------------


def _sm2():
    from tongsuopy.crypto import hashes as th
    from tongsuopy.crypto import serialization as ts
    from tongsuopy.crypto.asymciphers import ec

    return ec, th, ts


@dataclass(frozen=True)
class Sm2PublicKey:
    key: object
    signature_method: str = SM2_SM3

    @classmethod
    def from_pem(cls, pem: bytes) -> Sm2PublicKey:
        _, _, ts = _sm2()
        return cls(ts.load_pem_public_key(pem))

    def pem(self) -> bytes:
        _, _, ts = _sm2()
        return self.key.public_bytes(ts.Encoding.PEM, ts.PublicFormat.SubjectPublicKeyInfo)

    def verify(self, signature: bytes, data: bytes) -> bool:
        ec, th, _ = _sm2()
        if len(signature) == 64:
            r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            signature = encode_dss_signature(r, s)
        try:
            self.key.verify(signature, data, ec.ECDSA(th.SM3()))
        except Exception:  # tongsuopy raises its own InvalidSignature, or ValueError on junk
            return False
        return True


class Sm2SoftwareKey:
    """An SM2 private key held in memory (PKCS#8 PEM at rest)."""

    signature_method = SM2_SM3

    def __init__(self, key: object, key_name: str, certificate: bytes | None = None) -> None:
        self._key = key
        self.key_name = key_name
        self.certificate = certificate

    @classmethod
    def generate(cls, key_name: str) -> Sm2SoftwareKey:
        ec, _, _ = _sm2()
        return cls(ec.generate_private_key(ec.SM2()), key_name)

    @classmethod
    def from_pem(
        cls, pem: bytes, key_name: str, certificate: bytes | None = None
    ) -> Sm2SoftwareKey:
        _, _, ts = _sm2()
        try:
            key = ts.load_pem_private_key(pem, None)
        except Exception:  # tongsuopy's own UnsupportedAlgorithm, or ValueError on junk
            key = None
        if getattr(getattr(key, "curve", None), "name", None) != "SM2":
            raise ValueError("not an unencrypted SM2 private key in PKCS#8 PEM")
        return cls(key, key_name, certificate)

    def pem(self) -> bytes:
        _, _, ts = _sm2()
        return self._key.private_bytes(ts.Encoding.PEM, ts.PrivateFormat.PKCS8, ts.NoEncryption())

    def public_key(self) -> Sm2PublicKey:
        return Sm2PublicKey(self._key.public_key())

    def sign(self, data: bytes) -> bytes:
        ec, th, _ = _sm2()
        r, s = decode_dss_signature(self._key.sign(data, ec.ECDSA(th.SM3())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


# --- RSA-SHA1 (2018 edition) -------------------------------------------------------------


@dataclass(frozen=True)
class RsaPublicKey:
    key: rsa.RSAPublicKey
    signature_method: str = RSA_SHA1

    def verify(self, signature: bytes, data: bytes) -> bool:
        try:
            self.key.verify(signature, data, padding.PKCS1v15(), hashes.SHA1())
        except InvalidSignature:
            return False
        return True


class RsaSoftwareKey:
    """RSA-SHA1 as the 2018 edition signed; kept for partners still on it."""

    signature_method = RSA_SHA1

    def __init__(
        self, key: rsa.RSAPrivateKey, key_name: str, certificate: bytes | None = None
    ) -> None:
        self._key = key
        self.key_name = key_name
        self.certificate = certificate

    @classmethod
    def from_pem(cls, pem: bytes, key_name: str, certificate: bytes | None = None):
        key = cs.load_pem_private_key(pem, None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("not an RSA private key")
        return cls(key, key_name, certificate)

    def public_key(self) -> RsaPublicKey:
        return RsaPublicKey(self._key.public_key())

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data, padding.PKCS1v15(), hashes.SHA1())


# --- the XML-DSig envelope ---------------------------------------------------------------


def _q(name: str) -> str:
    return f"{{{DS}}}{name}"


def _c14n(node: etree._Element | etree._ElementTree) -> bytes:
    return etree.tostring(node, method="c14n", exclusive=False, with_comments=False)


def _detach(el: etree._Element) -> None:
    """Remove ``el`` but keep the text after it, as the enveloped-signature transform does."""
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _wrap(b64: str, width: int = 76) -> str:
    return "\n" + "\n".join(b64[i : i + width] for i in range(0, len(b64), width)) + "\n"


def sign(xml: bytes, signer: Signer) -> bytes:
    """``xml`` with its enveloped ``ds:Signature`` (any old one is replaced)."""
    if signer.signature_method not in ALGORITHMS:
        raise ValueError(f"unsupported signature method {signer.signature_method}")
    digest_method, digest = ALGORITHMS[signer.signature_method]
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise ValueError("a document type declaration is not allowed in a CEB message")
    for old in root.findall(_q("Signature")):
        _detach(old)
    digest_value = base64.b64encode(digest(_c14n(root.getroottree()))).decode()

    nsmap = {"ds": DS} if root.nsmap.get("ds") != DS else None
    sig = etree.SubElement(root, _q("Signature"), nsmap=nsmap)
    info = etree.SubElement(sig, _q("SignedInfo"))
    etree.SubElement(info, _q("CanonicalizationMethod"), Algorithm=C14N)
    etree.SubElement(info, _q("SignatureMethod"), Algorithm=signer.signature_method)
    ref = etree.SubElement(info, _q("Reference"), URI="")
    transforms = etree.SubElement(ref, _q("Transforms"))
    etree.SubElement(transforms, _q("Transform"), Algorithm=ENVELOPED)
    etree.SubElement(ref, _q("DigestMethod"), Algorithm=digest_method)
    etree.SubElement(ref, _q("DigestValue")).text = digest_value
    value = signer.sign(_c14n(info))
    etree.SubElement(sig, _q("SignatureValue")).text = _wrap(base64.b64encode(value).decode())
    key_info = etree.SubElement(sig, _q("KeyInfo"))
    etree.SubElement(key_info, _q("KeyName")).text = signer.key_name
    if signer.certificate:
        x509 = etree.SubElement(etree.SubElement(key_info, _q("X509Data")), _q("X509Certificate"))
        x509.text = _wrap(base64.b64encode(signer.certificate).decode())
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


@dataclass(frozen=True)
class Verified:
    key_name: str
    signature_method: str


#: finds the trusted public key for a signature from its KeyName and certificate (if any)
KeyResolver = Callable[[str, bytes | None], PublicKey | None]


def _one(parent: etree._Element, name: str, code: str) -> etree._Element:
    found = parent.findall(_q(name))
    if len(found) != 1:
        raise SignatureInvalid(code, f"expected exactly one ds:{name}, found {len(found)}")
    return found[0]


def _b64(text: str | None, what: str) -> bytes:
    try:
        return base64.b64decode("".join((text or "").split()), validate=True)
    except binascii.Error:
        raise SignatureInvalid("CEB-SIG-FORM", f"ds:{what} is not base64") from None


def verify(xml: bytes, keys: KeyResolver) -> Verified:
    """Check the enveloped signature of a CEB message; raise :class:`SignatureInvalid`."""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SignatureInvalid("CEB-SIG-FORM", f"not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise SignatureInvalid("CEB-SIG-FORM", "a document type declaration is not allowed")
    sig = _one(root, "Signature", "CEB-SIG-MISSING")
    info = _one(sig, "SignedInfo", "CEB-SIG-FORM")
    c14n = _one(info, "CanonicalizationMethod", "CEB-SIG-FORM").get("Algorithm")
    if c14n != C14N:
        raise SignatureInvalid("CEB-SIG-ALG", f"canonicalization {c14n} is not C14N 1.0")
    method = _one(info, "SignatureMethod", "CEB-SIG-FORM").get("Algorithm")
    if method not in ALGORITHMS:
        raise SignatureInvalid("CEB-SIG-ALG", f"signature method {method} is not supported")
    ref = _one(info, "Reference", "CEB-SIG-FORM")
    if ref.get("URI") != "":
        raise SignatureInvalid("CEB-SIG-REF", 'the reference must be URI="" (the whole message)')
    transforms = [t.get("Algorithm") for t in ref.iterfind(f"{_q('Transforms')}/{_q('Transform')}")]
    if transforms not in ([ENVELOPED], [ENVELOPED, C14N]):
        raise SignatureInvalid("CEB-SIG-REF", f"unexpected transforms {transforms}")
    digest_method, digest = ALGORITHMS[method]
    if _one(ref, "DigestMethod", "CEB-SIG-FORM").get("Algorithm") != digest_method:
        raise SignatureInvalid("CEB-SIG-ALG", f"{method} must digest with {digest_method}")
    claimed = _b64(_one(ref, "DigestValue", "CEB-SIG-FORM").text, "DigestValue")
    value = _b64(_one(sig, "SignatureValue", "CEB-SIG-FORM").text, "SignatureValue")
    key_info = sig.find(_q("KeyInfo"))
    key_name = (key_info.findtext(_q("KeyName")) if key_info is not None else None) or ""
    cert_text = (
        key_info.findtext(f"{_q('X509Data')}/{_q('X509Certificate')}")
        if key_info is not None
        else None
    )
    certificate = _b64(cert_text, "X509Certificate") if cert_text else None

    try:
        signed_info = _c14n(info)  # in context, before the signature leaves the tree
        _detach(sig)
        whole = _c14n(root.getroottree())
    except etree.C14NError as exc:
        raise SignatureInvalid("CEB-SIG-FORM", f"cannot be canonicalised: {exc}") from None
    if not hmac.compare_digest(digest(whole), claimed):
        raise SignatureInvalid("CEB-SIG-DIGEST", "the message changed after it was signed")
    key = keys(key_name, certificate)
    if key is None:
        raise SignatureInvalid("CEB-SIG-KEY", f"no trusted key for KeyName {key_name!r}")
    if key.signature_method != method:
        raise SignatureInvalid("CEB-SIG-KEY", f"key {key_name!r} does not sign with {method}")
    if not key.verify(value, signed_info):
        raise SignatureInvalid("CEB-SIG-VALUE", "the signature value does not verify")
    return Verified(key_name, method)
