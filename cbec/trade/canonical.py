"""A canonical form of a validated document, for content comparison.

Two postings are "the same document" when their validated content is equal, whatever the
key order or the way a number was written: ``100``, ``100.0`` and ``"100.00"`` are the same
amount, and ``2026-03-01T10:00:00+08:00`` is the same instant as ``02:00:00Z``. The
canonical bytes are sorted-key, compact JSON with numbers in plain normalised notation.
"""

from __future__ import annotations

import json
import math
import types
import typing
from datetime import datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

import orjson
from pydantic import BaseModel


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
        return _amount_text(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _norm(v, odd) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_norm(v, odd) for v in value]
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _amount_text(value: Decimal) -> str:
    """An amount's canonical text: plain notation, no trailing zeros, one zero."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


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


# The scalar leaves a "plain" model may hold (see _plain): those orjson writes as the
# standard library does (str, bool, int within 64 bits, a str or int enum's value) and those
# handed to _scalar (Decimal, datetime).
_PLAIN_LEAVES = (str, bool, int, Decimal, datetime)
_SCALARS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_AMOUNTS: dict[Decimal, str] = {}  # equal amounts have one canonical text: prices recur
_AMOUNTS_MOST = 4096


def _scalar(value: Any) -> str:
    """orjson's ``default``: a Decimal's or datetime's canonical text as :func:`_norm`
    writes it; anything else is refused (and :func:`canonical_model_bytes` falls back)."""
    if type(value) is Decimal:
        found = _AMOUNTS.get(value)
        if found is None:
            found = _amount_text(value)
            if len(_AMOUNTS) >= _AMOUNTS_MOST:
                _AMOUNTS.clear()
            _AMOUNTS[value] = found
        return found
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _plain_type(tp: Any, seen: set[type]) -> bool:
    if tp is type(None) or tp in _PLAIN_LEAVES:
        return True
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _plain_type(typing.get_args(tp)[0], seen)
    if origin is typing.Literal:
        return all(type(a) in (str, int, bool) or a is None for a in typing.get_args(tp))
    if origin in (typing.Union, types.UnionType, list, tuple):
        return all(a is Ellipsis or _plain_type(a, seen) for a in typing.get_args(tp))
    if isinstance(tp, type) and issubclass(tp, Enum):
        return all(type(m.value) in (str, int) for m in tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return _plain(tp, seen)
    return False


def _plain(model: type[BaseModel], seen: set[type] | None = None) -> bool:
    """True when every field of ``model`` (nested models included) has an ASCII name and holds
    only plain leaves, lists, tuples and models: no dict (whose None values :func:`_norm`
    drops but ``exclude_none`` keeps), no float (written in two notations), no ``Any``. Its
    JSON form then holds strings, booleans, integers and nesting under ASCII keys, which
    :func:`cbec.ledger.entry.canonical_json` relies on when told ``plain``."""
    seen = set() if seen is None else seen
    if model in seen:
        return True
    seen.add(model)
    return all(
        name.isascii() and _plain_type(f.annotation, seen) for name, f in model.model_fields.items()
    )


plain_model = cache(_plain)


def canonical_model_bytes(doc: BaseModel) -> bytes:
    """``canonical_bytes(doc.model_dump())``, written straight from the dump when the model is
    plain (:func:`plain_model`): the dump leaves out None fields itself, and orjson writes the
    rest, asking :func:`_scalar` only for amounts and instants — half the cost of walking
    the dump in Python, and the fingerprint of every row imported. Anything orjson refuses
    (an integer past 64 bits, a lone surrogate) takes the general path.
    ``tests/documents/test_canonical.py`` holds the two equal on every kind's documents."""
    if plain_model(type(doc)):
        try:
            return orjson.dumps(doc.model_dump(exclude_none=True), default=_scalar, option=_SCALARS)
        except orjson.JSONEncodeError:
            pass
    return canonical_bytes(doc.model_dump())


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
