"""A canonical form of a validated document, for content comparison.

Two postings are "the same document" when their validated content is equal, whatever the
key order or the way a number was written: ``100``, ``100.0`` and ``"100.00"`` are the same
amount, and ``2026-03-01T10:00:00+08:00`` is the same instant as ``02:00:00Z``. The
canonical bytes are sorted-key, compact JSON with numbers in plain normalised notation.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson


def _norm(value: Any, odd: list[float]) -> Any:
    # exact types first: strings and small numbers are most of a document, and the general
    # tests below (an attribute lookup that fails on every string) cost more than the rest
    t = type(value)
    if t is str or t is int or t is bool or value is None:
        return value
    if t is float:
        if value and not (math.isfinite(value) and 1e-4 <= abs(value) < 1e16):
            odd.append(value)  # written differently by the two encoders (see canonical_bytes)
        return value
    if t is dict:
        return {k: _norm(v, odd) for k, v in value.items() if v is not None}
    if t is list:
        return [_norm(v, odd) for v in value]
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _norm(v, odd) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_norm(v, odd) for v in value]
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def normalise(doc: dict[str, Any]) -> Any:
    """The comparable form of ``model.model_dump()`` output."""
    return _norm(doc, [])


# json.dumps with options builds a new encoder on every call: built once here
_SORTED_COMPACT = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# sorted keys; dates and dataclasses refused as the standard library refuses them
_ORJSON = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def canonical_bytes(doc: dict[str, Any]) -> bytes:
    """Sorted-key compact JSON of the normalised ``doc``, UTF-8. Fingerprints stored years
    ago are compared with today's, so the bytes are those of the standard library's encoder
    (``sort_keys``, ``(",", ":")``, ``ensure_ascii=False``); ``orjson`` writes the same bytes
    eight times faster for what documents hold — strings, booleans, integers of 64 bits,
    keys that are strings — and is used unless a float outside ``[1e-4, 1e16)`` (which the
    two write in different exponent notations) or anything it refuses (a wider integer, a
    key that is not a string, a lone surrogate) is present. ``tests/documents/
    test_canonical.py`` checks the two against each other on generated values."""
    odd: list[float] = []
    value = _norm(doc, odd)
    if not odd:
        try:
            return orjson.dumps(value, option=_ORJSON)
        except orjson.JSONEncodeError:
            pass
    return _SORTED_COMPACT.encode(value).encode("utf-8")


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
