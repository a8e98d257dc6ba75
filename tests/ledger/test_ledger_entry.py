"""Log entries: canonical JSON (RFC 8785, checked against the ``rfc8785`` package),
commitments instead of personal values, and what a regulator can recompute."""

from __future__ import annotations

import json
import random

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec.demo import synthetic
from cbec.ledger import entry
from cbec.trade.kinds import KINDS

json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.floats(min_value=1e-5, max_value=1e17),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=15,
)


@settings(max_examples=500, deadline=None)
@given(json_like)
def test_canonical_json_is_rfc8785(value):
    try:
        expected = rfc8785.dumps(value)
    except Exception:  # values JCS cannot represent (e.g. lone surrogates)
        return
    assert entry.canonical_json(value) == expected


@settings(max_examples=2000, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_is_written_as_rfc8785_writes_it(x):
    """Sensor readings are floats in EPCIS JSON: the fast path must write each exactly as
    the ECMAScript number serialisation RFC 8785 prescribes (the library is the oracle)."""
    for value in (x, -x, [x], {"value": x}):
        assert entry.canonical_json(value) == rfc8785.dumps(value)


def test_canonical_json_of_a_document_matches_the_library():
    order = synthetic.order(random.Random(3), "p", "s", "X1")
    assert entry.canonical_json(order) == rfc8785.dumps(order)


def test_a_plain_models_json_form_skips_the_walk_and_stays_rfc8785():
    """Filing tells ``canonical_json`` that a body is the JSON form of a plain model (no
    float, ASCII keys): every kind's documents, redacted as their entries hold them, and
    their entries give the library's bytes without the walk, and an integer past 2^53 − 1
    is refused alike."""
    from datetime import UTC, datetime

    from cbec.trade.canonical import plain_model
    from tests.documents.test_canonical import kind_documents

    salt = bytes(range(32))
    seen = set()
    for name, doc in kind_documents(30):
        assert plain_model(KINDS[name].model)
        body = doc.model_dump(mode="json", exclude_none=True)
        redacted = entry.redact(body, KINDS[name].pii, salt)
        assert entry.canonical_json(redacted, plain=True) == rfc8785.dumps(redacted)
        assert entry.content_hash(body, KINDS[name].pii, salt, plain=True) == entry.content_hash(
            body, KINDS[name].pii, salt
        )
        written = entry.document_entry(
            kind=name,
            doc_id="d1",
            event="created",
            at=datetime(2026, 12, 7, 10, tzinfo=UTC),
            filer="卖家-a",
            tenants=["卖家-a", "platform-a"],
            natural_key="键-1",
            body=body,
            pii_paths=KINDS[name].pii,
            salt=salt,
            supersedes=7,
            plain=True,
        )
        assert written == rfc8785.dumps(json.loads(written))
        seen.add(name)
    assert seen == set(KINDS)
    for wide in (2**53, -(2**53), 2**63):
        value = {"lines": [{"line_no": wide}]}
        with pytest.raises(rfc8785.IntegerDomainError):
            rfc8785.dumps(value)
        with pytest.raises(rfc8785.IntegerDomainError):
            entry.canonical_json(value, plain=True)
    edge = {"n": [2**53 - 1, -(2**53 - 1)]}
    assert entry.canonical_json(edge, plain=True) == rfc8785.dumps(edge)


def test_entry_holds_no_personal_value_and_commitments_recompute():
    order = synthetic.order(random.Random(4), "platform-a", "seller-a", "E-1")
    salt = bytes(range(32))
    from datetime import UTC, datetime

    raw = entry.document_entry(
        kind="order",
        doc_id="d" * 32,
        event="created",
        at=datetime(2026, 3, 1, tzinfo=UTC),
        filer="seller-a",
        tenants=["seller-a", "platform-a", "seller-a"],
        natural_key="E-1",
        body=order,
        pii_paths=KINDS["order"].pii,
        salt=salt,
    )
    text = raw.decode()
    for path in KINDS["order"].pii:
        part, field = path.split(".")
        assert order[part][field] not in text
    parsed = json.loads(raw)
    assert parsed["tenants"] == ["platform-a", "seller-a"]
    assert parsed["at"] == "2026-03-01T00:00:00Z"
    assert raw == rfc8785.dumps(parsed)  # the entry itself is canonical
    # a regulator with the document and its salt recomputes the content hash …
    assert parsed["content_sha256"] == entry.content_hash(order, KINDS["order"].pii, salt)
    # … and any change to the document, or a wrong salt, gives another hash
    changed = json.loads(json.dumps(order))
    changed["buyer"]["id_number"] = "11010519491231002X"
    assert parsed["content_sha256"] != entry.content_hash(changed, KINDS["order"].pii, salt)
    assert parsed["content_sha256"] != entry.content_hash(order, KINDS["order"].pii, b"\0" * 32)
    redacted = entry.redact(order, KINDS["order"].pii, salt)
    assert redacted["buyer"]["name"].startswith(entry.COMMIT_PREFIX)
    assert order["buyer"]["name"] != redacted["buyer"]["name"]  # the input is untouched
