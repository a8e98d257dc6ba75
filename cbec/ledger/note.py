"""Signed notes and log checkpoints — c2sp.org/signed-note and c2sp.org/tlog-checkpoint.

A *note* is UTF-8 text, ending in a newline, followed by a blank line and one or more
signature lines ``— <key name> <base64(4-byte key ID ‖ signature)>`` (U+2014 em dash, space).
Key texts and the rules for opening a note are those of golang.org/x/mod/sumdb/note, so
notes and keys move freely between this module and Go tooling::

    signer key    PRIVATE+KEY+<name>+<key ID as 8 hex digits>+<base64(0x01 ‖ Ed25519 seed)>
    verifier key  <name>+<key ID as 8 hex digits>+<base64(0x01 ‖ Ed25519 public key)>
    key ID        SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], big-endian uint32

Only Ed25519 (signature type 0x01, RFC 8032) is implemented. An SM2 type under the reserved
byte 0xff was considered and left out: the only pure-Python SM2 package on PyPI (``gmssl``
3.2.2) draws signing nonces from :mod:`random`, mangles some public keys (``lstrip("04")``;
fixed upstream but unreleased) and is not constant-time.

:func:`open` follows ``note.Open``: the text must be valid UTF-8 with no control character
but newline; the *last* blank line separates text from signatures (the text itself may hold
blank lines); at most 100 signature lines; signatures from unknown keys (name and key ID not
both known) are ignored; a signature from a known key that fails rejects the whole note; a
note with no verified signature is rejected. One deliberate difference: Go skips a repeated
signature by the same key unchecked, this module verifies every signature from a known key,
as signed-note §Signatures says verifiers MUST.

A *checkpoint* is a note whose text is the origin line, the tree size in decimal without
leading zeros, the base64 RFC 6962 root hash, then optional non-empty extension lines.

>>> skey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
>>> vkey = verifier_from_skey(skey)
>>> signed = sign("hello\\n", skey)
>>> open(signed, [vkey]), text_of(signed)
(['PeterNeumann'], 'hello\\n')
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

ALG_ED25519 = 0x01
"""Signature type byte of Ed25519 signatures (signed-note §Signature types)."""
MAX_SIGNATURES = 100
"""Most signature lines :func:`open` accepts (Go's limit; the spec's floor is 16)."""
MAX_TREE_SIZE = 2**64 - 1
"""Largest tree size a checkpoint may carry (RFC 6962 ``tree_size`` is a uint64)."""

_SKEY_PREFIX = "PRIVATE+KEY+"
_SIG_PREFIX = "— ".encode()
_HEX8 = re.compile(r"[0-9a-fA-F]{8}")
# RFC 4648 §4 with padding, as Go's base64.StdEncoding accepts it: nothing after the padding,
# no missing padding. (Like Go, the unused low bits of the last character are not checked.)
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
# Unicode White_Space, which is what Go's unicode.IsSpace tests. (str.isspace differs: it is
# also true for U+001C..U+001F.)
_WHITE_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class NoteError(Exception):
    """A key, note or checkpoint is malformed, or a note's signatures do not verify."""


# --- keys -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verifier:
    """A parsed verifier key: checks Ed25519 signatures made by one named key."""

    name: str
    key_id: int
    public_key: bytes

    def verify(self, message: bytes, signature: bytes) -> bool:
        if len(signature) != 64:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A parsed signer key. ``seed`` is secret: it is kept out of ``repr``."""

    name: str
    key_id: int
    seed: bytes = field(repr=False)

    @property
    def public_key(self) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes_raw()

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)


def validate_name(name: str) -> str:
    """Return ``name`` if it is a valid key name, else raise :class:`NoteError`.

    signed-note §Format: non-empty, no Unicode space, no ``+``; Go also requires valid UTF-8.
    """
    if not isinstance(name, str) or not name:
        raise NoteError(f"key name must be a non-empty string, found {name!r}")
    if "+" in name:
        raise NoteError(f"key name must not contain '+', found {name!r}")
    for i, ch in enumerate(name):
        if ch in _WHITE_SPACE:
            raise NoteError(
                f"key name must not contain spaces, found U+{ord(ch):04X} at index {i} of {name!r}"
            )
    try:
        name.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise NoteError(f"key name must be valid UTF-8, found {exc.reason} in {name!r}") from None
    return name


def _is_valid_name(name: str) -> bool:
    try:
        validate_name(name)
    except NoteError:
        return False
    return True


def key_id(name: str, encoded_key: bytes) -> int:
    """SHA-256(name ‖ 0x0A ‖ encoded_key)[:4] as a big-endian integer (Go's ``keyHash``).

    ``encoded_key`` is the signature type byte followed by the public key, e.g.
    ``bytes([ALG_ED25519]) + public_key``.
    """
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + encoded_key).digest()
    return int.from_bytes(digest[:4], "big")


def _b64decode(text: str, what: str) -> bytes:
    if not _BASE64.fullmatch(text):
        raise NoteError(f"{what}: expected standard padded base64, found {len(text)} characters")
    return base64.b64decode(text)


def _b64encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _parse_key_text(text: str, what: str) -> tuple[str, int, bytes]:
    """Split ``<name>+<hex id>+<base64 key>`` at the first two '+' (base64 may contain '+')."""
    name, _, rest = text.partition("+")
    hex_id, _, key64 = rest.partition("+")
    validate_name(name)
    if not _HEX8.fullmatch(hex_id):
        raise NoteError(f"{what} {name!r}: expected a key ID of 8 hex digits, found {hex_id!r}")
    key = _b64decode(key64, f"{what} {name!r}")
    if not key:
        raise NoteError(f"{what} {name!r}: expected key data after the key ID, found none")
    return name, int(hex_id, 16), key


def parse_verifier(vkey: str) -> Verifier:
    """Parse ``<name>+<hex key ID>+<base64(0x01 ‖ 32-byte Ed25519 public key)>``."""
    name, claimed_id, key = _parse_key_text(vkey, "verifier key")
    actual_id = key_id(name, key)
    if claimed_id != actual_id:
        raise NoteError(
            f"verifier key {name!r}: key ID {actual_id:08x} expected for this key, "
            f"found {claimed_id:08x}"
        )
    if key[0] != ALG_ED25519:
        raise NoteError(
            f"verifier key {name!r}: expected signature type 0x01 (Ed25519), found 0x{key[0]:02x}"
        )
    if len(key) != 33:
        raise NoteError(
            f"verifier key {name!r}: expected a 32-byte Ed25519 public key, found {len(key) - 1}"
        )
    return Verifier(name=name, key_id=actual_id, public_key=key[1:])


def parse_signer(skey: str) -> Signer:
    """Parse ``PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ 32-byte Ed25519 seed)>``.

    Errors never repeat the key material.
    """
    if not isinstance(skey, str) or not skey.startswith(_SKEY_PREFIX):
        raise NoteError(f"signer key: expected it to start with {_SKEY_PREFIX!r}, found otherwise")
    name, claimed_id, key = _parse_key_text(skey[len(_SKEY_PREFIX) :], "signer key")
    if key[0] != ALG_ED25519:
        raise NoteError(
            f"signer key {name!r}: expected signature type 0x01 (Ed25519), found 0x{key[0]:02x}"
        )
    if len(key) != 33:
        raise NoteError(
            f"signer key {name!r}: expected a 32-byte Ed25519 seed, found {len(key) - 1} bytes"
        )
    signer = Signer(name=name, key_id=claimed_id, seed=key[1:])
    # The key ID hashes the public key, so it can only be checked after deriving it.
    actual_id = key_id(name, bytes([ALG_ED25519]) + signer.public_key)
    if claimed_id != actual_id:
        raise NoteError(
            f"signer key {name!r}: key ID {actual_id:08x} expected for this key, "
            f"found {claimed_id:08x}"
        )
    return signer


def _verifier_key_text(name: str, public_key: bytes) -> str:
    encoded = bytes([ALG_ED25519]) + public_key
    return f"{name}+{key_id(name, encoded):08x}+{_b64encode(encoded)}"


def generate_signer_key(name: str) -> tuple[str, str]:
    """Return a new Ed25519 ``(signer key, verifier key)`` pair for ``name``, as Go's GenerateKey.

    The signer key is secret.
    """
    validate_name(name)
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes_raw()
    public = private.public_key().public_bytes_raw()
    hex_id = f"{key_id(name, bytes([ALG_ED25519]) + public):08x}"
    skey = f"{_SKEY_PREFIX}{name}+{hex_id}+{_b64encode(bytes([ALG_ED25519]) + seed)}"
    return skey, _verifier_key_text(name, public)


def verifier_from_skey(skey: str) -> str:
    """The verifier key text that belongs to signer key ``skey``."""
    signer = parse_signer(skey)
    return _verifier_key_text(signer.name, signer.public_key)


# --- notes ----------------------------------------------------------------------------------


def _check_note_chars(text: str, what: str) -> bytes:
    """UTF-8 encoding of ``text``; it must have no control character but newline."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise NoteError(
            f"{what}: expected valid UTF-8, found {exc.reason} at offset {exc.start}"
        ) from None
    bad = _CONTROL.search(text)
    if bad:
        raise NoteError(
            f"{what}: expected no control character but newline, "
            f"found U+{ord(bad.group()):04X} at offset {bad.start()}"
        )
    return raw


def _check_text(text: str) -> bytes:
    if not isinstance(text, str):
        raise NoteError(f"note text: expected str, found {type(text).__name__}")
    if not text.endswith("\n"):
        tail = text[-20:]
        raise NoteError(f"note text: expected it to end with a newline, found ...{tail!r}")
    return _check_note_chars(text, "note text")


def sign(text: str, *skeys: str) -> str:
    """Sign ``text`` with each signer key; return the note (text, blank line, signature lines).

    ``text`` must end in a newline and, so that :func:`open` can read the result, be free of
    control characters but newline (Go's Sign checks only the newline). It may contain blank
    lines: the signatures start after the last one.
    """
    message = _check_text(text)
    if not skeys:
        raise NoteError("sign: expected at least one signer key, found none")
    if len(skeys) > MAX_SIGNATURES:
        raise NoteError(f"sign: expected at most {MAX_SIGNATURES} signer keys, found {len(skeys)}")
    lines = []
    seen: set[tuple[str, int]] = set()
    for skey in skeys:
        signer = parse_signer(skey)
        if (signer.name, signer.key_id) in seen:
            raise NoteError(f"sign: key {signer.name}+{signer.key_id:08x} given twice")
        seen.add((signer.name, signer.key_id))
        blob = signer.key_id.to_bytes(4, "big") + signer.sign(message)
        lines.append(f"— {signer.name} {_b64encode(blob)}\n")
    return text + "\n" + "".join(lines)


@dataclass(frozen=True)
class _SignatureLine:
    name: str
    key_id: int
    signature: bytes


def _note_text(note: str | bytes) -> str:
    if isinstance(note, bytes):
        try:
            return note.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NoteError(
                f"note: expected valid UTF-8, found {exc.reason} at byte {exc.start}"
            ) from None
    if isinstance(note, str):
        return note
    raise NoteError(f"note: expected str or bytes, found {type(note).__name__}")


def _parse(note: str | bytes) -> tuple[bytes, list[_SignatureLine]]:
    """Split a note into its text (as UTF-8 bytes) and its signature lines; verify nothing."""
    msg = _check_note_chars(_note_text(note), "note")
    split = msg.rfind(b"\n\n")
    if split < 0:
        raise NoteError("note: expected a blank line before the signatures, found none")
    text, block = msg[: split + 1], msg[split + 2 :]
    if not block:
        raise NoteError("note: expected signature lines after the blank line, found none")
    if not block.endswith(b"\n"):
        raise NoteError("note: expected the last signature line to end with a newline")
    raw_lines = block[:-1].split(b"\n")
    if len(raw_lines) > MAX_SIGNATURES:
        raise NoteError(
            f"note: expected at most {MAX_SIGNATURES} signature lines, found {len(raw_lines)}"
        )
    sigs = []
    for number, raw in enumerate(raw_lines, start=1):
        where = f"note signature line {number}"
        if not raw.startswith(_SIG_PREFIX):
            raise NoteError(f"{where}: expected it to start with '— ', found {raw[:12]!r}")
        name, _, b64 = raw[len(_SIG_PREFIX) :].decode("utf-8").partition(" ")
        if not _is_valid_name(name):
            raise NoteError(f"{where}: expected a key name without spaces or '+', found {name!r}")
        blob = _b64decode(b64, where)
        if len(blob) < 5:
            raise NoteError(f"{where}: expected a key ID and a signature, found {len(blob)} bytes")
        sigs.append(_SignatureLine(name, int.from_bytes(blob[:4], "big"), blob[4:]))
    return text, sigs


def _open(note: str | bytes, vkeys: Iterable[str]) -> tuple[str, list[str]]:
    if isinstance(vkeys, str | bytes):
        raise TypeError("vkeys must be an iterable of verifier key strings, not a single string")
    known: dict[tuple[str, int], set[Verifier]] = {}
    for vkey in vkeys:
        verifier = parse_verifier(vkey)
        known.setdefault((verifier.name, verifier.key_id), set()).add(verifier)
    text, sigs = _parse(note)
    verified: list[str] = []
    seen: set[tuple[str, int]] = set()
    for sig in sigs:
        candidates = known.get((sig.name, sig.key_id))
        if candidates is None:
            continue  # unknown key: ignored, even when only its name or its ID is known
        if len(candidates) > 1:
            raise NoteError(f"ambiguous key {sig.name}+{sig.key_id:08x}: several verifier keys")
        (verifier,) = candidates
        if not verifier.verify(text, sig.signature):
            raise NoteError(f"invalid signature for key {sig.name}+{sig.key_id:08x}")
        if (sig.name, sig.key_id) not in seen:
            seen.add((sig.name, sig.key_id))
            verified.append(sig.name)
    if not verified:
        raise NoteError(
            f"note has no verifiable signatures: expected one by {len(known)} known key(s), "
            f"found {len(sigs)} signature(s) by unknown keys"
        )
    return text.decode("utf-8"), verified


def open(note: str | bytes, vkeys: Iterable[str]) -> list[str]:  # shadows the builtin here only
    """Verify ``note`` against the verifier keys; return the names of the keys that signed it.

    One name per verified key, in the order of the signature lines. Raises :class:`NoteError`
    if the note is malformed, a known key's signature fails, or no known key signed it.
    """
    return _open(note, vkeys)[1]


open_note = open


def text_of(note: str | bytes) -> str:
    """The text of a well-formed note, signatures NOT checked: trust it only after :func:`open`."""
    return _parse(note)[0].decode("utf-8")


# --- checkpoints ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A log's signed tree head: origin, tree size, RFC 6962 root hash, extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "extensions", tuple(self.extensions))
        for what, line in [("origin", self.origin)] + [
            (f"extension line {i + 1}", e) for i, e in enumerate(self.extensions)
        ]:
            if not isinstance(line, str) or not line:
                raise NoteError(f"checkpoint {what}: expected a non-empty string, found {line!r}")
            if "\n" in line:
                raise NoteError(f"checkpoint {what}: expected one line, found a newline")
            _check_note_chars(line, f"checkpoint {what}")
        if isinstance(self.size, bool) or not isinstance(self.size, int):
            raise NoteError(f"checkpoint size: expected int, found {type(self.size).__name__}")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise NoteError(f"checkpoint size: expected 0 to 2**64-1, found {self.size}")
        if not isinstance(self.root_hash, bytes) or len(self.root_hash) != 32:
            found = len(self.root_hash) if isinstance(self.root_hash, bytes) else self.root_hash
            raise NoteError(f"checkpoint root hash: expected 32 bytes, found {found!r}")


def format_checkpoint(cp: Checkpoint) -> str:
    """The checkpoint's note text: origin, size, base64 root, extensions, each line ending '\\n'."""
    lines = [cp.origin, str(cp.size), _b64encode(cp.root_hash), *cp.extensions]
    return "".join(line + "\n" for line in lines)


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint's note text strictly (tlog-checkpoint §Note text).

    The size must be canonical decimal (``0`` or no leading zero, no sign, ASCII digits, at
    most 2**64-1) and the root the canonical base64 of exactly 32 bytes, so that every
    checkpoint has exactly one text.
    """
    _check_text(text)
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError(
            f"checkpoint: expected origin, size and root hash lines, found {len(lines)} line(s)"
        )
    origin, size_text, root_text, *extensions = lines
    if not origin:
        raise NoteError("checkpoint origin: expected a non-empty line, found an empty one")
    if not _DECIMAL.fullmatch(size_text):
        raise NoteError(
            f"checkpoint size: expected decimal digits without sign or leading zeros, "
            f"found {size_text[:30]!r}"
        )
    size = int(size_text)
    if size > MAX_TREE_SIZE:
        raise NoteError(f"checkpoint size: expected at most 2**64-1, found {size_text}")
    root = _b64decode(root_text, "checkpoint root hash")
    if len(root) != 32:
        raise NoteError(f"checkpoint root hash: expected 32 bytes, found {len(root)}")
    if _b64encode(root) != root_text:
        raise NoteError(
            f"checkpoint root hash: expected canonical base64 {_b64encode(root)!r}, "
            f"found {root_text!r}"
        )
    for i, line in enumerate(extensions):
        if not line:
            raise NoteError(f"checkpoint extension line {i + 1}: expected non-empty, found empty")
    return Checkpoint(origin, size, root, tuple(extensions))


def sign_checkpoint(cp: Checkpoint, *skeys: str) -> str:
    """Sign ``cp`` as a note. tlog-checkpoint: the log's key name SHOULD equal the origin."""
    return sign(format_checkpoint(cp), *skeys)


def open_checkpoint(note: str | bytes, vkeys: Iterable[str]) -> tuple[Checkpoint, list[str]]:
    """Verify a signed checkpoint; return it with the names of the keys that signed it.

    The caller must still check that ``origin`` is the log it expects: a key trusted for one
    log could sign a checkpoint that claims another origin.
    """
    text, signers = _open(note, vkeys)
    return parse_checkpoint(text), signers
