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


_DEEPEST_FAST = 256  # nesting past this is read by json itself, whose limit is the one named


def _floats(value: Any, depth: int = 0) -> bool:
    """True when ``value`` (a dict or list as orjson read it) holds a float, or nests past
    :data:`_DEEPEST_FAST` levels. A float means a number with a fraction or an exponent —
    or an integer past 64 bits, which orjson reads as a float; without one the value is
    exactly what ``json.loads(..., parse_float=Decimal)`` gives, which builds no float."""
    if depth >= _DEEPEST_FAST:
        return True
    for item in value.values() if type(value) is dict else value:
        t = type(item)
        if t is float or ((t is dict or t is list) and _floats(item, depth + 1)):
            return True
    return False


def loads(data: bytes | str) -> Any:
    """Parse JSON with ``Decimal`` numbers; raises :class:`BadRequest` for any bad input.

    ``orjson`` reads it first (five times faster than ``json``, a twentieth of a bulk
    import): what it reads without a float is exactly what ``json.loads`` with
    ``parse_float=Decimal`` gives (:func:`_floats`); anything else — a fraction or exponent
    to be read as a ``Decimal``, an integer past 64 bits, ``NaN``, a lone surrogate, deep
    nesting, bad input and the message naming what is wrong — is read by ``json`` as
    before. ``tests/system/test_jsonio.py`` holds the two equal on generated texts."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    else:
        t = type(value)
        if not (t is float or ((t is dict or t is list) and _floats(value))):
            return value
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
