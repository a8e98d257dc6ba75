"""What a trade document puts in the evidence log: a canonical JSON statement, no PII.

The entry is RFC 8785 (JSON Canonicalization Scheme) bytes, so anyone can re-serialise it
and get the same leaf hash. It names the document (kind, id, natural key, filer, the
tenants entitled to it), the moment it was accepted, and ``content_sha256`` — the SHA-256 of
the JCS form of the document in which every personal field is replaced by a *commitment*:
``HMAC-SHA-256(salt, path ‖ 0x00 ‖ value)`` with a random 32-byte salt per document. The
salt is stored with the document, encrypted like its personal fields. A regulator holding
the document and its salt can recompute every commitment and the content hash; without the
salt nobody can test a guessed ID number against the log. Erasing a person's data (deleting
the values and the salt, or shredding the key that encrypts them) leaves the log — and
every proof over it — intact.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson
import rfc8785

from cbec.privacy.mac import Mac
from cbec.privacy.vault import copy_along, split_path

ENTRY_TYPE = "cbec.document/v1"
CONTENT_TYPE = "application/vnd.cbec.entry+json"
COMMIT_PREFIX = "hmac-sha256:"


def commitment(salt: bytes, path: str, value: str) -> str:
    """``HMAC-SHA-256(salt, path ‖ 0x00 ‖ value)`` in hex: a personal field's commitment (the
    definition verifiers recompute; :func:`redact` computes the same with the salt's part
    of the hash done once per document)."""
    # not hmac.digest: it lets go of the GIL around each (short) MAC, and in a server's worker
    # thread getting it back waited for the event loop's switch interval (py-spy, 16 clients)
    return hmac.new(salt, path.encode() + b"\x00" + value.encode(), hashlib.sha256).hexdigest()


_MAX_SAFE_INT = 2**53 - 1


def _jcs_safe(value: Any) -> bool:
    """True when sorted compact JSON (UTF-8, nothing escaped beyond what JSON requires)
    already is the RFC 8785 form: integers within ±(2^53−1), floats with a fraction between
    1e-4 and 1e16 (sensor readings), ASCII keys (so code-point order is UTF-16 order). Lone
    surrogates are refused by the encoder. Iterative with exact
    type tests: it runs on every entry, and recursion with ``isinstance`` cost as much as the
    encoding itself (a subclass of str or int just takes the general path)."""
    stack = [value]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is str or t is bool or v is None:
            continue
        if t is int:
            if not -_MAX_SAFE_INT <= v <= _MAX_SAFE_INT:
                return False
        elif t is float:
            # Python's repr and ECMAScript's Number::toString (RFC 8785 §3.2.2.3) both give
            # the shortest digits that read back; they agree on the notation for a number
            # with a fraction between 1e-4 and 1e16 (no exponent, no trailing ".0")
            if v.is_integer() or not 1e-4 <= abs(v) < 1e16:
                return False
        elif t is dict:
            for k in v:
                if type(k) is not str or not k.isascii():
                    return False
            stack.extend(v.values())
        elif t is list:
            stack.extend(v)
        else:
            return False
    return True


# sorted keys; an integer past ±(2^53−1) refused (and left to rfc8785, which refuses it too)
_JCS = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER


def canonical_json(value: Any, *, plain: bool = False) -> bytes:
    """RFC 8785 bytes. Documents are strings, small integers and nesting, for which sorted
    compact JSON is already canonical; ``orjson`` writes it (eight times faster than the
    standard library's encoder, itself six times faster than the general implementation),
    and anything else goes through ``rfc8785``. ``plain``: the caller knows ``value`` holds
    no float and no key outside ASCII (the JSON form of a model that
    :func:`cbec.trade.canonical.plain_model` accepts), the two things orjson writes otherwise
    than RFC 8785, so the walk that looks for them (:func:`_jcs_safe`, a fifth of an entry's
    cost) is skipped; integers are bounded by orjson itself. Tests check the fast path
    against ``rfc8785`` on generated values."""
    if plain or _jcs_safe(value):
        try:
            return orjson.dumps(value, option=_JCS)
        except orjson.JSONEncodeError:  # a lone surrogate, a wide integer: rfc8785 says
            pass
    return rfc8785.dumps(value)


def redact(body: Mapping[str, Any], pii_paths: Mapping[str, str] | list[str], salt: bytes) -> dict:
    """``body`` (JSON form, clear values) with every present PII field replaced by its
    commitment; ``body`` itself is not changed."""
    out = copy_along(dict(body), pii_paths)
    mac = Mac(salt)
    for path in pii_paths:
        parents, leaf = split_path(path)
        node: Any = out
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and node.get(leaf) is not None:
            message = path.encode() + b"\x00" + str(node[leaf]).encode()
            node[leaf] = COMMIT_PREFIX + mac.hexdigest(message)
    return out


def content_hash(
    body: Mapping[str, Any],
    pii_paths: Mapping[str, str] | list[str],
    salt: bytes,
    *,
    plain: bool = False,
) -> str:
    """SHA-256 of the RFC 8785 form of ``body`` with its personal fields committed to
    (``plain``: see :func:`canonical_json`)."""
    return hashlib.sha256(canonical_json(redact(body, pii_paths, salt), plain=plain)).hexdigest()


def document_entry(
    *,
    kind: str,
    doc_id: str,
    event: str,
    at: datetime,
    filer: str,
    tenants: list[str],
    natural_key: str,
    body: Mapping[str, Any],
    pii_paths: Mapping[str, str] | list[str],
    salt: bytes,
    supersedes: int | None = None,
    plain: bool = False,
) -> bytes:
    """The canonical entry bytes for one accepted document (or a new version of one, which
    names the log index of the entry it ``supersedes``); ``plain``: ``body`` is the JSON form
    of a plain model (see :func:`canonical_json`)."""
    extra = {} if supersedes is None else {"supersedes": supersedes}
    return canonical_json(  # ASCII keys, no float: plain (an ID past 2^53 is still refused)
        extra
        | {
            "type": ENTRY_TYPE,
            "kind": kind,
            "id": doc_id,
            "event": event,
            "at": at.isoformat().replace("+00:00", "Z"),
            "filer": filer,
            "tenants": sorted(set(tenants)),
            "key": natural_key,
            "content_sha256": content_hash(body, pii_paths, salt, plain=plain),
        },
        plain=True,
    )


CUSTOMS_ENTRY_TYPE = "cbec.customs/v1"


def customs_entry(
    *,
    message: str,
    guid: str,
    at: datetime,
    submitter: str,
    xml: bytes,
    valid: bool,
    statuses: list[int],
) -> bytes:
    """The entry for a customs message or receipt: which message, when, from whom, and the
    SHA-256 of its exact bytes (the bytes themselves may carry personal data and stay out)."""
    return canonical_json(
        {
            "type": CUSTOMS_ENTRY_TYPE,
            "message": message,
            "guid": guid,
            "at": at.isoformat().replace("+00:00", "Z"),
            "submitter": submitter,
            "tenants": [submitter],
            "xml_sha256": hashlib.sha256(xml).hexdigest(),
            "valid": valid,
            "return_status": statuses,
        }
    )


COMPLIANCE_ENTRY_TYPE = "cbec.compliance/v1"
SCREENING_ENTRY_TYPE = "cbec.screening/v1"
RULES_ENTRY_TYPE = "cbec.rules/v1"


def event_entry(
    entry_type: str,
    *,
    at: datetime,
    tenants: list[str],
    body: Mapping[str, Any],
    plain: bool = False,
) -> bytes:
    """The entry for a decision or change that is not itself a document — a compliance
    decision, a screening result, a rule or list change: its type, when, whom it concerns,
    and a PII-free body (rule ids, outcomes, versions, hashes — never names or IDs).
    ``plain``: ``body`` holds no float and only ASCII keys (see :func:`canonical_json`)."""
    return canonical_json(
        {"type": entry_type, "at": at.isoformat().replace("+00:00", "Z"), "tenants": tenants}
        | dict(body),
        plain=plain,
    )
