"""The canonical form that decides "the same document": the fast type dispatch gives what
the plain isinstance chain it replaced gives (kept here as the oracle), on generated nested
values of every type a model dump holds, and amounts written differently compare equal."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cbec.trade.canonical import canonical_bytes, normalise


class Colour(enum.StrEnum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


def reference(value: Any) -> Any:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: reference(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [reference(v) for v in value]
    if hasattr(value, "value"):
        return value.value
    return value


LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=4)
    | st.datetimes(timezones=st.just(UTC))
    | st.sampled_from([Colour.RED, Level.HIGH])
    | st.floats(allow_nan=False, allow_infinity=False)
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.text(max_size=5), VALUES, max_size=6))
def test_the_fast_dispatch_gives_the_reference_form(doc):
    assert normalise(doc) == reference(doc)


def test_one_amount_written_three_ways_is_one_document():
    forms = [{"amount": Decimal(x), "note": None} for x in ("100", "100.0", "100.00")]
    assert len({canonical_bytes(f) for f in forms}) == 1
    assert canonical_bytes({"amount": Decimal("-0.00")}) == b'{"amount":"0"}'
