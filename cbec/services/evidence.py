"""What a document's reader gets as evidence: its log index and, once a signed checkpoint
covers it, the RFC 9162 §2.1.3 inclusion proof against that checkpoint."""

from __future__ import annotations

import base64
from typing import Any


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
