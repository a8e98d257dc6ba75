"""Property test: whatever JSON a client sends, the API answers 2xx or 4xx — never 5xx —
and a rejected request leaves no document behind."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbec.demo import synthetic
from tests.jsonpaths import locations, replaced

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


BASE = {}


def base_docs():
    if not BASE:
        rng = random.Random(2)
        o = synthetic.order(rng, "platform-a", "seller-a", "FUZZ-1")
        BASE["orders"] = ("seller-a", o)
        BASE["payments"] = ("pay-a", synthetic.payment(rng, o, "FUZZ-T"))
        BASE["waybills"] = ("ship-a", synthetic.waybill(rng, o, "FUZZ-W"))
        BASE["products"] = ("seller-a", synthetic.product(synthetic.CATALOG[0]))
    return BASE


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["orders", "payments", "waybills", "products"]),
    pick=st.integers(min_value=0, max_value=10_000),
    value=json_values,
    delete=st.booleans(),
    raw=st.booleans(),
)
def test_mutated_documents_never_cause_server_errors(
    client, parties, kind, pick, value, delete, raw
):
    who, base = base_docs()[kind]
    headers = parties[who].headers
    if raw:  # a whole random JSON value as the body
        body = value
    else:  # a valid document with one place replaced or removed
        where = locations(base)
        body = replaced(base, where[pick % len(where)], value, delete)
    r = client.post(
        f"/{kind}",
        content=json.dumps(body).encode(),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        problem = r.json()
        assert problem["status"] == r.status_code and problem["detail"]
        for err in problem.get("errors", []):
            assert err["field"] and err["rule"] and err["message"]
    r = client.post(
        f"/{kind}/import",
        content=(json.dumps(body) + "\n").encode(),
        headers={**headers, "Content-Type": "application/x-ndjson"},
    )
    assert r.status_code < 500, r.text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_4xx(client, parties, data):
    for ctype in ("application/json", "text/csv", "application/x-ndjson"):
        r = client.post(
            "/orders", content=data, headers={**parties["seller-a"].headers, "Content-Type": ctype}
        )
        assert 400 <= r.status_code < 500
        r = client.post(
            "/orders/import",
            content=data,
            headers={**parties["seller-a"].headers, "Content-Type": ctype},
        )
        assert r.status_code < 500
