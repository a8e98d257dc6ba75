"""A canonical form of a validated document, for content comparison.

Two postings are "the same document" when their validated content is equal, whatever the
key order or the way a number was written: ``100``, ``100.0`` and ``"100.00"`` are the same
amount, and ``2026-03-01T10:00:00+08:00`` is the same instant as ``02:00:00Z``. The
canonical bytes are sorted-key, compact JSON with numbers in plain normalised notation.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any


def _norm(value: Any) -> Any:
    # exact types first: strings and small numbers are most of a document, and the general
    # tests below (an attribute lookup that fails on every string) cost more than the rest
    t = type(value)
    if t is str or t is int or t is bool or t is float or value is None:
        return value
    if t is dict:
        return {k: _norm(v) for k, v in value.items() if v is not None}
    if t is list:
        return [_norm(v) for v in value]
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_norm(v) for v in value]
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def normalise(doc: dict[str, Any]) -> Any:
    """The comparable form of ``model.model_dump()`` output."""
    return _norm(doc)


# json.dumps with options builds a new encoder on every call: built once here
_SORTED_COMPACT = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes(doc: dict[str, Any]) -> bytes:
    return _SORTED_COMPACT.encode(normalise(doc)).encode("utf-8")


def differing_paths(a: Any, b: Any, prefix: str = "") -> list[str]:
    """Paths (``lines[1].qty``) where two normalised documents differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b)):
            sub = f"{prefix}.{key}" if prefix else key
            out += differing_paths(a.get(key), b.get(key), sub)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out += differing_paths(x, y, f"{prefix}[{i}]")
        return out
    return [] if a == b else [prefix or "(document)"]
