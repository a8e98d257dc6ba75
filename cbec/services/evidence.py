"""What a document's reader gets as evidence: its log index and, once a signed checkpoint
covers it, the RFC 9162 §2.1.3 inclusion proof against that checkpoint."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cbec.ledger.entry import CONTENT_TYPE, event_entry


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def evidence_of(ledger: Any, ledger_index: int | None) -> dict[str, Any]:
    """The ``ledger`` block of a document response (``integrated`` false until a checkpoint
    covers the entry)."""
    out: dict[str, Any] = {"index": ledger_index}
    if ledger_index is None:
        return out
    cp = ledger.latest_checkpoint()
    if cp is None or cp.size <= ledger_index:
        out["integrated"] = False
        return out
    out.update(
        integrated=True,
        checkpoint_size=cp.size,
        inclusion_proof=[_b64(h) for h in ledger.inclusion_proof(ledger_index, cp.size)],
        checkpoint=cp.note,
    )
    return out


def log_event(
    uow: Any, entry_type: str, *, at: datetime, tenants: list[str], body: Mapping[str, Any]
) -> int | None:
    """Append the PII-free entry of a change that is not a document (a key, a user, a rule,
    a list, a sandbox, a withdrawn import) in the caller's write transaction; its log index
    (None when the unit of work keeps no ledger)."""
    entry = event_entry(entry_type, at=at, tenants=tenants, body=body)
    (index,) = uow.repo.append_evidence([(CONTENT_TYPE, entry)])
    return index
