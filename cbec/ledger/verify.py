"""``cbec-verify``: check an evidence bundle offline, with nothing but the log's public key.

Usage::

    cbec-verify bundle.tlog-proof --key 'cbec.local/ledger+1a2b3c4d+AX…'
    cbec-verify bundle.tlog-proof --key KEY --origin cbec.local/ledger \\
                --document order.json --salt BASE64SALT

What it proves, step by step (each step must pass):

1. the checkpoint is a signed note (c2sp.org/signed-note) carrying a valid signature by a
   key you gave (``--key``, repeatable; unknown signers are ignored);
2. it is a well-formed checkpoint (c2sp.org/tlog-checkpoint) of the log you expect
   (``--origin``, optional);
3. the entry carried in the bundle hashes (RFC 6962 leaf hash) to a leaf that the inclusion
   proof places at ``index`` in the signed tree of that size and root (RFC 9162 §2.1.3.2);
4. optionally, the document you hold — its JSON with personal fields in clear, plus the
   salt the platform gives with it — has exactly the content hash the entry records.

This module needs only the Python standard library, ``cryptography`` and ``rfc8785``: no
server, database or web framework, so an auditor can run it on an offline machine.
Exit status: 0 verified, 1 not verified, 2 unusable input.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cbec.ledger.bundle import BundleError, parse_bundle
from cbec.ledger.merkle import HASHERS, ProofError, verify_inclusion
from cbec.ledger.note import NoteError, open_checkpoint


@dataclass
class Verdict:
    ok: bool
    steps: list[str] = field(default_factory=list)
    error: str | None = None
    entry: dict[str, Any] | None = None


def verify_bundle(
    text: str,
    vkeys: list[str],
    *,
    origin: str | None = None,
    hash_name: str = "sha256",
    document: dict[str, Any] | None = None,
    salt: bytes | None = None,
    pii_paths: list[str] | None = None,
) -> Verdict:
    """Check a bundle; the verdict lists what was proven, in plain words."""
    v = Verdict(ok=False)
    hasher = HASHERS[hash_name]
    try:
        bundle = parse_bundle(text)
        checkpoint, signers = open_checkpoint(bundle.checkpoint, vkeys)
    except (BundleError, NoteError) as exc:
        v.error = str(exc)
        return v
    v.steps.append(
        f"the checkpoint is signed by {', '.join(signers)} "
        f"(log {checkpoint.origin!r}, {checkpoint.size} entries, "
        f"root {checkpoint.root_hash.hex()})"
    )
    if origin is not None and checkpoint.origin != origin:
        v.error = f"the checkpoint is from log {checkpoint.origin!r}, not {origin!r}"
        return v
    if bundle.extra is None:
        v.error = "the bundle carries no entry (no 'extra' line), so there is nothing to check"
        return v
    leaf = hasher.leaf(bundle.extra)
    try:
        verify_inclusion(
            leaf, bundle.index, checkpoint.size, bundle.proof, checkpoint.root_hash, hasher
        )
    except ProofError as exc:
        v.error = f"the inclusion proof does not hold: {exc}"
        return v
    v.steps.append(
        f"entry {bundle.index} (leaf hash {leaf.hex()}) is in that signed tree "
        f"({len(bundle.proof)} proof hashes, {hash_name})"
    )
    try:
        v.entry = json.loads(bundle.extra)
    except ValueError:
        v.entry = None
    if isinstance(v.entry, dict) and v.entry.get("type") == "cbec.document/v1":
        e = v.entry
        v.steps.append(
            f"the entry records {e.get('kind')} {e.get('key')!r} (document {e.get('id')}), "
            f"filed by {e.get('filer')} at {e.get('at')}, content hash {e.get('content_sha256')}"
        )
    if document is not None:
        from cbec.ledger.entry import content_hash

        if salt is None or pii_paths is None or not isinstance(v.entry, dict):
            v.error = "to check a document, give its salt and a bundle with a cbec document entry"
            return v
        got = content_hash(document, pii_paths, salt)
        if got != v.entry.get("content_sha256"):
            v.error = f"the document you hold hashes to {got}, not to the logged content hash"
            return v
        v.steps.append("the document you hold is exactly the one that was logged")
    v.ok = True
    return v


EVENT_ENTRY = "cbec.epcis-event/v1"


def verify_trace(
    trace: dict[str, Any], vkeys: list[str], *, origin: str | None = None, hash_name: str = "sha256"
) -> Verdict:
    """Check a trace (``cbec logistics trace``): every EPCIS event it holds has a bundle
    that verifies, whose entry names that event's ID and the SHA-256 of its RFC 8785 form —
    so each event is exactly the one logged. An event without a bundle fails the trace."""
    import hashlib

    from cbec.ledger.entry import canonical_json

    v = Verdict(ok=False)
    try:
        events = trace["epcis"]["epcisBody"]["eventList"]
        bundles = {e["event_id"]: e["bundle"] for e in trace["evidence"]}
    except (KeyError, TypeError):
        v.error = "not a cbec trace (epcis.epcisBody.eventList and evidence expected)"
        return v
    for i, event in enumerate(events):
        event_id = event.get("eventID") if isinstance(event, dict) else None
        if event_id not in bundles:
            v.error = f"event {i} ({event_id}) comes without its evidence bundle"
            return v
        one = verify_bundle(bundles[event_id], vkeys, origin=origin, hash_name=hash_name)
        if not one.ok:
            v.error = f"event {i} ({event_id}): {one.error}"
            return v
        entry = one.entry if isinstance(one.entry, dict) else {}
        if entry.get("type") != EVENT_ENTRY or entry.get("event_id") != event_id:
            v.error = f"event {i}: the bundle's entry does not record event {event_id}"
            return v
        digest = hashlib.sha256(canonical_json(event)).hexdigest()
        if digest != entry.get("content_sha256"):
            v.error = f"event {i} ({event_id}) hashes to {digest}, not to the logged content hash"
            return v
        v.steps.append(
            f"event {i}: {event.get('type')} at {event.get('eventTime')} "
            f"({event.get('bizStep', 'no business step')}) is entry "
            f"{parse_bundle(bundles[event_id]).index} of the signed log, unchanged"
        )
    v.steps.append(f"all {len(events)} events of the trace are logged as they are")
    v.ok = True
    return v


# Personal fields per document kind — the same list the platform commits to (a copy, so this
# module stays free of the platform's models; a test checks the two agree).
PII_PATHS = {
    "order": [
        "buyer.account_id",
        "buyer.name",
        "buyer.phone",
        "buyer.id_number",
        "consignee.name",
        "consignee.phone",
        "consignee.address",
    ],
    "payment": ["payer.name", "payer.id_number", "payer.phone"],
    "waybill": ["consignee.name", "consignee.phone", "consignee.address"],
    "product": [],
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="cbec-verify", description="Verify a cbec evidence bundle (.tlog-proof) offline."
    )
    ap.add_argument("bundle", type=Path, help="the .tlog-proof file ('-' for standard input)")
    ap.add_argument("--key", action="append", required=True, help="log verifier key (repeatable)")
    ap.add_argument("--origin", help="the log origin you expect")
    ap.add_argument("--hash", default="sha256", choices=sorted(HASHERS), help="the log's hash")
    ap.add_argument(
        "--document", type=Path, help="the document JSON you hold, personal fields in clear"
    )
    ap.add_argument("--salt", help="the document's commitment salt (base64)")
    ap.add_argument("--json", action="store_true", help="print the verdict as JSON")
    ap.add_argument(
        "--trace",
        action="store_true",
        help="the file is a trace (cbec logistics trace -o FILE): check every event in it",
    )
    args = ap.parse_args(argv)
    try:
        text = sys.stdin.read() if str(args.bundle) == "-" else args.bundle.read_text("utf-8")
        document = json.loads(args.document.read_text("utf-8")) if args.document else None
        salt = base64.b64decode(args.salt, validate=True) if args.salt else None
    except (OSError, ValueError, binascii.Error) as exc:
        print(f"cbec-verify: cannot read input: {exc}", file=sys.stderr)
        return 2
    if isinstance(document, dict) and "document" in document and "kind" in document:
        document = document["document"]  # accept a cbec API response as it comes
    if args.trace:
        try:
            trace = json.loads(text)
        except ValueError as exc:
            print(f"cbec-verify: cannot read input: {exc}", file=sys.stderr)
            return 2
        verdict = verify_trace(trace, args.key, origin=args.origin, hash_name=args.hash)
    else:
        verdict = _verify_one(text, args, document, salt)
    if args.json:
        print(
            json.dumps(
                {
                    "verified": verdict.ok,
                    "steps": verdict.steps,
                    "error": verdict.error,
                    "entry": verdict.entry,
                },
                ensure_ascii=False,
            )
        )
    else:
        for step in verdict.steps:
            print(f"✓ {step}")
        if verdict.ok:
            print("VERIFIED")
        else:
            print(f"✗ NOT VERIFIED: {verdict.error}")
    return 0 if verdict.ok else 1


def _verify_one(text: str, args: Any, document: Any, salt: bytes | None) -> Verdict:
    kind_paths = None
    if document is not None:
        probe = verify_bundle(text, args.key, origin=args.origin, hash_name=args.hash)
        kind = (probe.entry or {}).get("kind") if probe.ok else None
        kind_paths = PII_PATHS.get(kind or "")
    return verify_bundle(
        text,
        args.key,
        origin=args.origin,
        hash_name=args.hash,
        document=document,
        salt=salt,
        pii_paths=kind_paths,
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
