"""Reading JSON input the way money needs it: numbers as ``Decimal``, never ``float``.

Every adapter (HTTP bodies, JSON Lines imports, CLI files) reads JSON through :func:`loads`, so
``0.1`` stays ``Decimal("0.1")`` and every malformed input becomes one :class:`BadRequest`
naming the rule: not JSON (RFC 8259), not UTF-8, a number too long to convert (Python limits
int conversion to 4,300 digits), or nesting deeper than the parser's recursion limit — which
``json`` reports as ``RecursionError`` and would otherwise end the request with a 500.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import orjson

from cbec.errors import BadRequest

MAX_DEPTH = 1000  # what CPython's json module reaches before RecursionError


def loads(data: bytes | str) -> Any:
    """Parse JSON with ``Decimal`` numbers; raises :class:`BadRequest` for any bad input."""
    try:
        return json.loads(data, parse_float=Decimal)
    except RecursionError:
        raise BadRequest("json_too_deep", {"limit": MAX_DEPTH}) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadRequest("invalid_json", {"detail": str(exc)}) from None
    except ValueError as exc:  # e.g. an integer literal over sys.get_int_max_str_digits()
        raise BadRequest("invalid_json", {"detail": str(exc)}) from None


# What the standard library refuses, orjson refuses too: dates and dataclasses are not
# written for it (dicts of str, numbers, booleans, None and lists are).
_ORJSON = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def dumps(value: Any) -> str:
    """Compact JSON text (UTF-8 characters unescaped) of a value already in JSON form — a
    Pydantic JSON-mode dump or a dict of strings and numbers — for a stored column. ``orjson``
    writes it ~8× faster than ``json.dumps``; what it refuses (an integer past 64 bits, a key
    that is not a string, a lone surrogate) goes to ``json.dumps``, which writes it or raises
    as before. Not for values holding NaN or infinity: JSON (RFC 8259 §6) has no such number,
    and the two encoders disagree on them (``null`` against ``NaN``)."""
    try:
        return orjson.dumps(value, option=_ORJSON).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False)


def dump_bytes(value: Any) -> bytes:
    """Compact JSON as UTF-8 bytes, the body of an HTTP answer: the bytes Starlette's
    ``JSONResponse`` writes (``json.dumps`` with ``ensure_ascii=False`` and no spaces) for a
    value already in JSON form, written by ``orjson``; what it refuses goes to ``json.dumps``
    as before. (Floats may be spelled differently — ``1e16`` against ``1e+16`` — the same
    number.)"""
    try:
        return orjson.dumps(value, option=_ORJSON)
    except orjson.JSONEncodeError:
        return json.dumps(
            value, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode()
