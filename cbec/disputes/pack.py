"""A dispute's evidence pack as a zip, and its offline check (pure: no web, no database).

Layout::

    manifest.json                 case, order, checkpoint, and per item: kind, id, ledger
                                  index, file, SHA-256 of the file, bundle file
    case.json                     the case as its reader sees it (deadlines, messages, outcome)
    checkpoint.txt                the ONE signed checkpoint every proof is against
    items/NNN-<kind>-<id>.json    each item as the reader may read it
    bundles/NNN-<kind>-<id>.tlog-proof   its c2sp.org/tlog-proof bundle

Every bundle is checked with :func:`cbec.ledger.verify.verify_bundle` — the code of
``cbec-verify`` — so :func:`verify` needs only the log's public key. A document item read in
clear carries its commitment salt (``evidence_salt``): its content hash is recomputed from
the clear document and compared with the logged one; an item read masked carries instead
the commitments of its personal fields (``commitments``), the values the entry hashes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from cbec.ledger.bundle import BundleError, parse_bundle
from cbec.ledger.entry import canonical_json
from cbec.ledger.verify import PII_PATHS, verify_bundle

FORMAT = "cbec.dispute-pack/v1"
_SAFE = re.compile(r"[^A-Za-z0-9._-]")  # what an item's id keeps in its file name
# the same instant for every member: a pack's bytes depend on its content only
_EPOCH = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackItem:
    kind: str
    id: str
    ledger_index: int | None
    body: dict[str, Any]
    bundle: str | None


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode()


def build(header: dict[str, Any], case: dict[str, Any], checkpoint: str, items: list[PackItem]):
    """The zip's bytes: ``header`` (case id, order, log) completed into the manifest."""
    out = io.BytesIO()
    listed = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:

        def put(name: str, data: bytes) -> None:
            z.writestr(zipfile.ZipInfo(name, _EPOCH), data, zipfile.ZIP_DEFLATED)

        for n, item in enumerate(items, 1):
            stem = f"{n:03d}-{item.kind}-{_SAFE.sub('_', item.id)[:80]}"
            data = _dumps(item.body)
            put(f"items/{stem}.json", data)
            bundle = None
            if item.bundle is not None:
                bundle = f"bundles/{stem}.tlog-proof"
                put(bundle, item.bundle.encode())
            listed.append(
                {
                    "kind": item.kind,
                    "id": item.id,
                    "ledger_index": item.ledger_index,
                    "file": f"items/{stem}.json",
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "bundle": bundle,
                }
            )
        put("case.json", _dumps(case))
        put("checkpoint.txt", checkpoint.encode())
        manifest = {"format": FORMAT} | header | {"checkpoint": "checkpoint.txt", "items": listed}
        put("manifest.json", _dumps(manifest))
    return out.getvalue()


def verify(data: bytes, vkeys: list[str], origin: str | None = None) -> list[str]:
    """What is wrong with a pack, as sentences (empty: every item is the one logged, under
    one signed checkpoint): a file whose hash differs from the manifest's, a bundle that does
    not verify or is against another checkpoint, a bundle whose entry is not the item's,
    a clear document whose content hash is not the logged one."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        manifest = json.loads(z.read("manifest.json"))
        checkpoint = z.read(manifest["checkpoint"]).decode()
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        return [f"not a dispute pack: {exc}"]
    out = []
    for item in manifest.get("items", []):
        label = f"{item['kind']} {item['id']}"
        try:
            raw = z.read(item["file"])
        except KeyError:
            out.append(f"{label}: {item['file']} is missing")
            continue
        if hashlib.sha256(raw).hexdigest() != item["sha256"]:
            out.append(f"{label}: {item['file']} is not the file the manifest lists")
        if item["bundle"] is None:
            continue
        text = z.read(item["bundle"]).decode()
        try:
            bundle = parse_bundle(text)
        except BundleError as exc:
            out.append(f"{label}: {exc}")
            continue
        if bundle.checkpoint != checkpoint:
            out.append(f"{label}: the proof is against another checkpoint than the pack's")
        if bundle.index != item["ledger_index"]:
            out.append(
                f"{label}: the bundle proves entry {bundle.index}, not {item['ledger_index']}"
            )
        out.extend(
            f"{label}: {p}" for p in _check_item(item["kind"], json.loads(raw), text, vkeys, origin)
        )
    return out


def _check_item(
    kind: str, body: dict[str, Any], text: str, vkeys: list[str], origin: str | None
) -> list[str]:
    salt = body.get("evidence_salt")
    if kind in PII_PATHS and isinstance(salt, str):
        verdict = verify_bundle(
            text,
            vkeys,
            origin=origin,
            document=body.get("document"),
            salt=base64.b64decode(salt),
            pii_paths=PII_PATHS[kind],
        )
    else:
        verdict = verify_bundle(text, vkeys, origin=origin)
    if not verdict.ok:
        return [verdict.error or "the bundle does not verify"]
    entry = verdict.entry if isinstance(verdict.entry, dict) else {}
    if kind in PII_PATHS and entry.get("id") != body.get("id"):
        return [f"the entry records document {entry.get('id')}, not this item"]
    if kind == "dispute_event" and entry != body:
        return ["the item is not the entry the log holds"]
    if kind == "tracking_event":
        digest = hashlib.sha256(canonical_json(body)).hexdigest()
        if digest != entry.get("content_sha256"):
            return [f"the event hashes to {digest}, not to the logged content hash"]
    if kind == "compliance_decision" and (
        entry.get("document") != body.get("document_id")
        or entry.get("outcome") != body.get("outcome")
    ):
        return ["the entry records another decision than this item"]
    if kind == "customs_message" and entry.get("guid") != body.get("record_guid"):
        return [f"the entry records message {entry.get('guid')}, not this item"]
    return []
