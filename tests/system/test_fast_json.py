"""Answers written by orjson (cbec/api/responses.py) hold the bytes Starlette's JSONResponse
writes — the oracle — for every JSON value the API answers with, and a filed order's
answer is one of them."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.responses import JSONResponse

from cbec.api.responses import FastJSONResponse
from tests.conftest import make_order

# JSON as the views hold it: text (any Unicode, CJK and control characters included), whole
# numbers (past 64 bits too: orjson refuses them, the fallback writes them), booleans, null
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
scalars = st.none() | st.booleans() | st.integers() | texts
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(texts, inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_the_bytes_are_starlettes(value):
    assert FastJSONResponse(value).body == JSONResponse(value).body


def test_finite_floats_are_the_same_numbers():
    for x in (0.1, 1e16, 1e-7, 123.456, -0.0):
        assert json.loads(FastJSONResponse([x]).body) == json.loads(JSONResponse([x]).body)


def test_a_filed_orders_answer_is_what_json_response_wrote(client, parties, rng):
    order = make_order(rng, 1)
    order["buyer"]["name"] = '张三 \u2028 "quoted"'
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.content == JSONResponse(r.json()).body
    got = client.get(r.headers["location"], headers=parties["seller-a"].headers)
    assert got.content == JSONResponse(got.json()).body
