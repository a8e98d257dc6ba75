"""The canonical form that decides "the same document": the fast type dispatch gives what
the plain isinstance chain it replaced gives (kept here as the oracle), on generated nested
values of every type a model dump holds, and amounts written differently compare equal."""

from __future__ import annotations

import enum
import json
import random
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec.trade.canonical import canonical_bytes, canonical_model_bytes, normalise, plain_model


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


def reference_bytes(doc: dict) -> bytes:
    """The canonical bytes as the standard library writes them: what every stored
    fingerprint was computed from, so the faster encoder must give exactly these."""
    text = json.dumps(reference(doc), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


ODD_LEAVES = (
    LEAVES
    | st.integers(min_value=2**63 - 3, max_value=2**70)
    | st.floats(min_value=1e15, max_value=1e300)
    | st.floats(min_value=1e-300, max_value=1e-3)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=4)
    | st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=2)
    | st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=4)
)


@settings(max_examples=800, deadline=None)
@given(
    st.dictionaries(
        st.text(max_size=5),
        st.recursive(
            ODD_LEAVES,
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=5), inner, max_size=3)
            ),
            max_leaves=20,
        ),
        max_size=6,
    )
)
def test_canonical_bytes_are_the_standard_librarys(doc):
    """Integers past 64 bits, floats the two encoders write in different exponent notations
    (1e+16 against 1e16), control characters and any Unicode text give the standard
    library's bytes, through whichever encoder writes them."""
    try:
        expected = reference_bytes(doc)
    except (TypeError, UnicodeEncodeError) as exc:  # what JSON cannot hold: refused alike
        with pytest.raises(type(exc)):
            canonical_bytes(doc)
        return
    assert canonical_bytes(doc) == expected


def test_an_odd_float_or_a_number_key_takes_the_standard_librarys_form():
    assert canonical_bytes({"x": 1e16}) == b'{"x":1e+16}'
    assert canonical_bytes({"x": 1e-05, "y": [2.5]}) == b'{"x":1e-05,"y":[2.5]}'
    assert canonical_bytes({"n": 2**80}) == b'{"n":1208925819614629174706176}'
    assert canonical_bytes({"m": {1: "a"}}) == b'{"m":{"1":"a"}}'


def test_one_amount_written_three_ways_is_one_document():
    forms = [{"amount": Decimal(x), "note": None} for x in ("100", "100.0", "100.00")]
    assert len({canonical_bytes(f) for f in forms}) == 1
    assert canonical_bytes({"amount": Decimal("-0.00")}) == b'{"amount":"0"}'


# --- a model written straight from its dump -----------------------------------------------


def kind_documents(n: int = 60):
    """Documents of every kind as the demo makes them, some with their amounts, instants and
    texts written in the forms that take different paths: an amount in exponent or with
    trailing zeros, an instant with microseconds and another offset, text with escapes and
    any Unicode."""
    from cbec.demo import synthetic
    from cbec.trade.kinds import KINDS
    from cbec.trade.validation import validate

    rng = random.Random(20261207)
    for i in range(n):
        raw_order = synthetic.order(rng, "silk-mall", "sz-gadgets", f"C{i}")
        if i % 2:  # the same amounts written otherwise: exponent, trailing zeros
            raw_order["freight"] = format(Decimal(str(raw_order["freight"])), "E")
            raw_order["amount_paid"] = f"{raw_order['amount_paid']}000"
            raw_order["ordered_at"] = f"2026-03-0{1 + i % 9}T10:00:00.{i:06d}+08:00"
            raw_order["note"] = f'注 ✓ 𝄞 \u00a0 \\ " {i}'
        raws = {
            "order": raw_order,
            "payment": synthetic.payment(rng, raw_order, f"T{i}"),
            "waybill": synthetic.waybill(rng, raw_order, f"W{i}"),
            "product": synthetic.product(synthetic.CATALOG[i % len(synthetic.CATALOG)]),
        }
        for name, raw in raws.items():
            doc, _ = validate(KINDS[name], raw)
            if doc is not None:  # a variant the rules refuse is no document to compare
                yield name, doc


def test_a_documents_bytes_written_from_its_dump_are_the_general_paths():
    """Every kind's documents, and a document holding what orjson refuses (an integer past
    64 bits, a lone surrogate): :func:`canonical_model_bytes` gives the bytes the general
    path gives for the model's dump."""
    seen, varied = set(), 0
    for name, doc in kind_documents():
        seen.add(name)
        varied += name == "order" and doc.note is not None
        assert canonical_model_bytes(doc) == canonical_bytes(doc.model_dump()), name
    assert seen == {"order", "payment", "waybill", "product"} and varied >= 20
    _, order = next(kind_documents(1))
    wide = order.model_copy(update={"lines": list(order.lines)})
    wide.lines[0] = wide.lines[0].model_copy(update={"line_no": 2**70})
    assert canonical_model_bytes(wide) == canonical_bytes(wide.model_dump())
    assert b'"line_no":1180591620717411303424' in canonical_model_bytes(wide)
    lone = order.model_copy(update={"note": "lone \ud800"})
    with pytest.raises(UnicodeEncodeError):  # refused alike
        canonical_bytes(lone.model_dump())
    with pytest.raises(UnicodeEncodeError):
        canonical_model_bytes(lone)


def test_a_model_with_a_dict_float_or_any_takes_the_general_path():
    """A dict's None values are left out by the general path and kept by ``exclude_none``, and
    a float may be written in two notations: such models are not written from their dump."""
    from pydantic import BaseModel

    class Line(BaseModel):
        qty: Decimal
        at: datetime | None = None

    class Plain(BaseModel):
        lines: list[Line]
        code: Literal["a", "b"] | None = None

    class WithDict(BaseModel):
        extra: dict[str, Any]

    class WithFloat(BaseModel):
        weight: float

    assert plain_model(Plain) and not plain_model(WithDict) and not plain_model(WithFloat)
    doc = WithDict(extra={"a": None, "b": Decimal("1.50")})
    assert (
        canonical_model_bytes(doc) == b'{"extra":{"b":"1.5"}}' == canonical_bytes(doc.model_dump())
    )
    assert canonical_model_bytes(WithFloat(weight=1e16)) == b'{"weight":1e+16}'
    plain = Plain(
        lines=[
            Line(qty=Decimal("2.0")),
            Line(qty=Decimal("0E-3"), at=datetime(2026, 1, 1, tzinfo=UTC)),
        ]
    )
    assert canonical_model_bytes(plain) == canonical_bytes(plain.model_dump())
