"""``cbec.jsonio.loads`` reads JSON as ``json.loads(..., parse_float=Decimal)`` does.

It lets ``orjson`` read first and keeps its answer only when that holds no float; the oracle
is the standard library with ``Decimal`` numbers, the way every adapter read JSON before:
on generated values written in several ways (escaped or not, spaced or not), on texts with
numbers of every shape (fractions, exponents, integers past 64 bits, ``NaN``), lone
surrogates, byte order marks, deep nesting and broken input — the same value, with the
same types (an ``int`` stays an ``int``, a fraction is a ``Decimal``), or the same refusal
(rule and message)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec import jsonio
from cbec.errors import BadRequest


def reference(data: bytes | str) -> Any:
    try:
        return ("ok", json.loads(data, parse_float=Decimal))
    except RecursionError:
        return ("bad", "json_too_deep", {"limit": jsonio.MAX_DEPTH})
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
        return ("bad", "invalid_json", {"detail": str(exc)})


def ours(data: bytes | str) -> Any:
    try:
        return ("ok", jsonio.loads(data))
    except BadRequest as exc:
        return ("bad", exc.rule, exc.params)


def typed(value: Any) -> Any:
    """The value with every leaf's type beside it (``1 == 1.0 == Decimal(1)`` in Python)."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    return (type(value).__name__, repr(value))


def same(data: bytes | str) -> None:
    expected, got = reference(data), ours(data)
    if expected[0] == "ok":
        assert got[0] == "ok", got
        assert typed(got[1]) == typed(expected[1])
    else:
        assert got == expected


NUMBERS = st.sampled_from(
    [
        "0",
        "-0",
        "7",
        "-12",
        "1.5",
        "-0.0",
        "1e3",
        "1E-7",
        "2.50",
        "1e400",
        "-1e400",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "9" * 5000,
        "NaN",
        "Infinity",
        "-Infinity",
        "01",
        "1.",
        ".5",
        "+1",
    ]
)
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.text(max_size=6)
    | st.floats(allow_nan=False, allow_infinity=False)
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=600, deadline=None)
@given(VALUES, st.booleans(), st.booleans(), st.booleans())
def test_generated_values_read_alike(value, ascii_only, spaced, as_bytes):
    text = json.dumps(
        value, ensure_ascii=ascii_only, separators=(", ", ": ") if spaced else (",", ":")
    )
    same(text.encode("utf-8", "surrogatepass") if as_bytes else text)


@settings(max_examples=400, deadline=None)
@given(st.lists(NUMBERS, min_size=1, max_size=4), st.booleans())
def test_numbers_of_every_shape_read_alike(numbers, in_object):
    body = ",".join(numbers)
    same(
        "{" + ",".join(f'"k{i}":{n}' for i, n in enumerate(numbers)) + "}"
        if in_object
        else f"[{body}]"
    )


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=12))
def test_any_text_reads_alike(text):
    same(text)
    same(text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize(
    "data",
    [
        '"\\ud800"',
        '{"a": "\\udfff x"}',
        b"\xef\xbb\xbf[1]",
        "\ufeff[1]",
        "[1] x",
        "",
        "   ",
        '{"a":1,"a":2}',
        b'{"a": "\xff"}',
        '["\x00"]',
        "[" * 300 + "]" * 300,
        "[" * 5000 + "]" * 5000,
        "[" * 1000 + "]" * 1000,  # deeper than json reads, not than orjson does
        "[" * 1020 + "]" * 1020,
        '{"a":' * 300 + "1" + "}" * 300,
        "[" * 255 + "1.5" + "]" * 255,
        '[1, 2, {"x": [3, {"y": 2.0}]}]',
        "1.25",
        "42",
        "null",
    ],
)
def test_edge_texts_read_alike(data):
    same(data)
    if isinstance(data, str):
        same(data.encode("utf-8", "surrogatepass"))


def test_a_fraction_is_a_decimal_and_an_integer_an_int():
    assert jsonio.loads('{"price": 238.00, "qty": 3, "big": 18446744073709551616}') == {
        "price": Decimal("238.00"),
        "qty": 3,
        "big": 2**64,
    }
    assert type(jsonio.loads('{"price": 238.00}')["price"]) is Decimal
    assert type(jsonio.loads("[3]")[0]) is int
