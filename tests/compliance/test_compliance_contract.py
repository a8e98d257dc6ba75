"""The contract of the compliance and screening operations: hostile bodies, paths and queries
answer 400/413/422 naming the field and the rule (never 500), and OpenAPI declares every
operation's body, summary, description and statuses."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DATA

SANCTIONS = DATA / "sanctions"

RULE = {
    "id": "t.rule",
    "title": {"zh": "测试", "en": "test"},
    "kind": "deny",
    "match": [{"hs": ["8518"]}],
    "effective_from": "2020-01-01",
    "source": "test",
}
ENROLMENT = {
    "firm": "seller-a",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "relaxed_kinds": ["deny"],
}
ORDER = {"currency": "CNY", "ordered_at": "2026-01-01T00:00:00Z"}
HUGE = 99999999999999999999  # over 2**63-1: what SQL BIGINT holds


def deep(levels: int, inner: str = "1") -> str:
    return "[" * levels + inner + "]" * levels


def rule(**changes) -> str:
    return json.dumps(RULE | changes, ensure_ascii=False)


def enrolment(**changes) -> str:
    return json.dumps(ENROLMENT | changes)


def line(**fields) -> str:
    return json.dumps(ORDER | {"lines": [{"qty": "1", "unit_price": "1"} | fields]})


# (method, url, body, status, field, rule): the body as sent (str), None for no body
HOSTILE = [
    # nesting past the parser's limit: 400 naming the rule
    ("PUT", "/compliance/rules/t.rule", deep(1000), 400, None, "json_too_deep"),
    ("POST", "/compliance/what-if", deep(1000), 400, None, "json_too_deep"),
    ("POST", "/compliance/evaluate", deep(1000), 400, None, "json_too_deep"),
    ("POST", "/compliance/sandboxes", deep(1000), 400, None, "json_too_deep"),
    ("POST", "/screening/screen", deep(1000), 400, None, "json_too_deep"),
    # deep values below the parser's limit, where text belongs: the field is named
    ("PUT", "/compliance/rules/t.rule", rule(note=json.loads(deep(900))), 422, "note", None),
    ("POST", "/compliance/evaluate", line(name=json.loads(deep(900))), 422, "lines[0].name", None),
    (
        "POST",
        "/screening/screen",
        json.dumps({"names": [{"name": json.loads(deep(900))}]}),
        422,
        "names[0].name",
        "string_type",
    ),
    # NaN, infinities and out-of-range numbers in amounts
    (
        "PUT",
        "/compliance/rules/t.rule",
        rule(match=[{"line_value_above": {"amount": "NaN", "currency": "CNY"}}]),
        422,
        "match[0].line_value_above.amount",
        "string_pattern_mismatch",
    ),
    (
        "PUT",
        "/compliance/rules/t.rule",
        rule(match=[{"order_qty_above": 10**30}]),
        422,
        "match[0].order_qty_above",
        "string_too_long",
    ),
    (
        "PUT",
        "/compliance/rules/t.rule",
        rule(match=[{"line_qty_above": 1.5}]),
        422,
        "match[0].line_qty_above",
        "string_type",
    ),
    ("POST", "/compliance/evaluate", line(qty="NaN"), 422, "lines[0].qty", "invalid"),
    ("POST", "/compliance/evaluate", line(unit_price="Infinity"), 422, "lines[0].unit_price", None),
    (
        "POST",
        "/compliance/evaluate",
        line(qty="1e999999", unit_price="1e999999"),
        422,
        "lines[0].qty",
        "invalid",
    ),
    (
        "POST",
        "/compliance/sandboxes",
        enrolment()[:-1] + ', "max_value": {"amount": NaN, "currency": "CNY"}}',
        422,
        "max_value.amount",
        "string_type",
    ),
    (
        "POST",
        "/compliance/sandboxes",
        enrolment(max_order_value={"amount": "NaN", "currency": "CNY"}),
        422,
        "max_order_value.amount",
        "string_pattern_mismatch",
    ),
    (
        "POST",
        "/screening/screen",
        '{"names": [{"name": "A"}], "threshold": NaN}',
        422,
        "threshold",
        "finite_number",
    ),
    (
        "POST",
        "/screening/screen",
        '{"names": [{"name": "A"}], "threshold": Infinity}',
        422,
        "threshold",
        "finite_number",
    ),
    # control characters in names and texts
    (
        "PUT",
        "/compliance/rules/t.rule",
        rule(title={"zh": "测\u0000", "en": "t"}),
        422,
        "title.zh",
        "control_character",
    ),
    ("POST", "/compliance/sandboxes", enrolment(firm="seller-a\u0007"), 422, "firm", None),
    (
        "POST",
        "/screening/screen",
        json.dumps({"names": [{"name": "Jane\u001bSmith"}]}),
        422,
        "names[0].name",
        "control_character",
    ),
    (
        "POST",
        "/screening/screen",
        json.dumps({"names": [{"name": "Jane", "id_number": "\u0085"}]}),
        422,
        "names[0].id_number",
        "control_character",
    ),
    ("POST", "/screening/lists?name=x%00&source=y", "x", 422, "query.name", "control_character"),
    # huge integers, in bodies, paths and queries
    ("PUT", "/compliance/rules/t.rule", '{"id": 1' + "0" * 5000 + "}", 400, None, "invalid_json"),
    (
        "POST",
        "/compliance/what-if",
        json.dumps({"changes": {"t.rule": RULE}, "days": HUGE}),
        422,
        "days",
        "less_than_equal",
    ),
    ("POST", "/compliance/sandboxes", enrolment(max_orders=HUGE), 422, "max_orders", None),
    ("POST", "/compliance/evaluate", line(qty=10**400), 422, "lines[0].qty", "invalid"),
    (
        "POST",
        "/screening/screen",
        json.dumps({"names": [{"name": "A"}], "threshold": 10**400}),
        422,
        "threshold",
        None,
    ),
    ("DELETE", f"/compliance/sandboxes/{HUGE}", None, 422, "path.enrolment_id", "less_than_equal"),
    ("DELETE", "/compliance/sandboxes/0", None, 422, "path.enrolment_id", None),
    ("DELETE", "/compliance/sandboxes/-1", None, 422, "path.enrolment_id", None),
    ("GET", f"/compliance/sandboxes/report?days={HUGE}", None, 422, "query.days", None),
    ("GET", f"/screening/hits?limit={HUGE}", None, 422, "query.limit", None),
    # shapes and meanings the rules refuse, each named
    ("PUT", "/compliance/rules/" + "r" * 101, rule(), 422, "path.rule_id", None),
    ("PUT", "/compliance/rules/t.rule", rule(id="other"), 422, "id", "rule_id_mismatch"),
    ("PUT", "/compliance/rules/t.rule", rule(kind="forbid"), 422, "kind", "literal_error"),
    ("PUT", "/compliance/rules/t.rule", rule(efective_to="2030-01-01"), 422, "efective_to", None),
    (
        "PUT",
        "/compliance/rules/t.rule",
        rule(match=[{"regex": ["(x"]}]),
        422,
        "match[0].regex[0]",
        "rule_invalid",
    ),
    (
        "PUT",
        "/compliance/rules/t.rule",
        rule(match=[{"hs": ["85a"]}]),
        422,
        "match[0].hs[0]",
        "rule_invalid",
    ),
    ("PUT", "/compliance/rules/t.rule", "[]", 422, None, "model_attributes_type"),
    (
        "POST",
        "/compliance/what-if",
        json.dumps({"changes": {"t.rule": RULE | {"kind": "x"}}}),
        422,
        "changes.t.rule.kind",
        None,
    ),
    (
        "POST",
        "/compliance/what-if",
        json.dumps({"changes": {"t.rule": RULE | {"effective_from": "2020-13-01"}}}),
        422,
        "changes.t.rule.effective_from",
        "rule_invalid",
    ),
    ("POST", "/compliance/what-if", json.dumps({"changes": {}}), 422, "changes", None),
    ("POST", "/compliance/evaluate", "[]", 422, None, None),
    ("POST", "/compliance/evaluate", json.dumps(ORDER | {"lines": [7]}), 422, "lines[0]", None),
    (
        "POST",
        "/compliance/evaluate",
        line(origin_country=["CN"]),
        422,
        "lines[0].origin_country",
        "invalid",
    ),
    ("POST", "/compliance/sandboxes", enrolment(period_end="2025-12-31"), 422, "period_end", None),
    ("POST", "/compliance/sandboxes", enrolment(relaxed_kinds=[]), 422, "relaxed_rules", None),
    (
        "POST",
        "/compliance/sandboxes",
        enrolment(period_start="2026-02-30"),
        422,
        "period_start",
        None,
    ),
    (
        "POST",
        "/compliance/sandboxes",
        enrolment(scope={"direction": ["sideways"]}),
        422,
        "scope.direction[0]",
        None,
    ),
    ("POST", "/compliance/sandboxes", enrolment(firm="nobody"), 422, "firm", "unknown_tenant"),
    (
        "POST",
        "/screening/screen",
        json.dumps({"names": [{"name": "  "}]}),
        422,
        "names[0].name",
        "blank",
    ),
    (
        "POST",
        "/screening/screen",
        json.dumps({"names": [{"name": "A", "role": "king"}]}),
        422,
        "names[0].role",
        None,
    ),
    ("POST", "/screening/screen", json.dumps({"names": []}), 422, "names", None),
    (
        "POST",
        "/screening/screen",
        json.dumps({"names": [{"name": "A"}] * 1001}),
        422,
        "names",
        None,
    ),
    ("GET", "/compliance/rules/" + "r" * 101 + "/history", None, 422, "path.rule_id", None),
    ("GET", "/orders/" + "x" * 65 + "/checks", None, 422, "path.doc_id", None),
    # list files no loader reads
    ("POST", "/screening/lists?name=x&source=y", "\udcff", 422, "(document)", "screening_list"),
    (
        "POST",
        "/screening/lists?name=x&source=y",
        "<sdnList><x>",
        422,
        "(document)",
        "screening_list",
    ),
    (
        "POST",
        "/screening/lists?name=x&source=y",
        "<!DOCTYPE x><sdnList/>",
        422,
        "(document)",
        "screening_list",
    ),
    (
        "POST",
        "/screening/lists?name=x&source=y",
        '{"id": "a", "schema": "Person", "properties": {"name": "x"}}',
        422,
        "(document)",
        "screening_list",
    ),
    (
        "POST",
        "/screening/lists?name=x&source=y",
        '{"id": "a", "schema": "Person"}\n' + deep(5000),
        422,
        "(document)",
        "screening_list",
    ),
    (
        "POST",
        "/screening/lists?name=x&source=y",
        "1,2\r3," * 8 + "\n",
        422,
        "(document)",
        "screening_list",
    ),
]


@pytest.fixture
def loaded(client, parties):
    """A screening list, so that screening requests reach their checks."""
    content = (SANCTIONS / "synthetic_sanctions.ftm.json").read_bytes()
    r = client.post(
        "/screening/lists",
        params={"name": "eu", "source": "demo"},
        content=content,
        headers=parties["regulator"].headers,
    )
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "field", "rule"),
    HOSTILE,
    ids=[f"{i}-{m} {u[:40]}" for i, (m, u, *_) in enumerate(HOSTILE)],
)
def test_hostile_input_is_refused_naming_the_field(
    client, parties, loaded, method, url, body, status, field, rule
):
    content = None if body is None else body.encode("utf-8", "surrogateescape")
    headers = parties["regulator"].headers | {"Content-Type": "application/json"}
    r = client.request(method, url, content=content, headers=headers)
    assert r.status_code == status, r.text
    problem = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    if status == 422:
        fields = {e["field"]: e["rule"] for e in problem["errors"]}
        if field is not None:
            assert field in fields, problem
        if rule is not None:
            assert rule in ({fields[field]} if field else set(fields.values())), problem
    elif rule is not None:
        assert problem["code"] == rule


def test_oversized_bodies_are_413(client, parties, rt):
    limit = rt.settings.max_body_bytes
    headers = parties["regulator"].headers | {"Content-Type": "application/json"}
    padded = b'{"names": [{"name": "A"}]' + b" " * (limit + 10) + b"}"
    for url in ("/screening/screen", "/compliance/what-if", "/compliance/evaluate"):
        r = client.post(url, content=padded, headers=headers)
        assert r.status_code == 413 and r.json()["code"] == "payload_too_large", url
    r = client.put("/compliance/rules/t.rule", content=padded, headers=headers)
    assert r.status_code == 413


def test_amounts_keep_their_decimals(client, parties):
    """JSON numbers reach the engine as decimals: 0.1 + 0.2 is 0.3, not 0.30000000000000004."""
    body = ORDER | {"lines": [{"qty": 1, "unit_price": 0.1}, {"qty": 1, "unit_price": 0.2}]}
    r = client.post("/compliance/evaluate", json=body, headers=parties["seller-a"].headers)
    assert r.status_code == 200, r.text
    assert r.json()["order"]["goods_value"] == "0.3"


OPERATIONS = {
    ("get", "/compliance/rules"): (),
    ("put", "/compliance/rules/{rule_id}"): (403, 409),
    ("delete", "/compliance/rules/{rule_id}"): (403, 404),
    ("get", "/compliance/rules/{rule_id}/history"): (),
    ("post", "/compliance/evaluate"): (),
    ("get", "/orders/{doc_id}/checks"): (404,),
    ("post", "/compliance/what-if"): (403,),
    ("post", "/compliance/sandboxes"): (403,),
    ("get", "/compliance/sandboxes"): (403,),
    ("get", "/compliance/sandboxes/report"): (403,),
    ("delete", "/compliance/sandboxes/{enrolment_id}"): (403, 404),
    ("post", "/screening/lists"): (403,),
    ("get", "/screening/lists"): (),
    ("post", "/screening/screen"): (),
    ("get", "/screening/hits"): (403,),
    ("post", "/screening/hits/{hit_id}/review"): (403, 404, 409),
    ("get", "/compliance/decisions"): (),
}
BODIES = {
    ("put", "/compliance/rules/{rule_id}"): ("application/json", "RuleDocument"),
    ("post", "/compliance/evaluate"): ("application/json", "Order"),
    ("post", "/compliance/what-if"): ("application/json", "WhatIfRequest"),
    ("post", "/compliance/sandboxes"): ("application/json", "EnrolmentRequest"),
    ("post", "/screening/screen"): ("application/json", "ScreenRequest"),
    ("post", "/screening/hits/{hit_id}/review"): ("application/json", "ReviewRequest"),
}


def test_openapi_declares_every_compliance_and_screening_operation(client):
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    ours = {
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if path.startswith(("/compliance", "/screening")) or path == "/orders/{doc_id}/checks"
    }
    assert ours == set(OPERATIONS)
    for (method, path), statuses in OPERATIONS.items():
        op = spec["paths"][path][method]
        assert op["summary"] and op["description"] and op["description"] != op["summary"]
        responses = op["responses"]
        assert {"200", "400", "401", "422", "503"} <= set(responses), (method, path)
        assert {str(s) for s in statuses} <= set(responses), (method, path)
        ok = responses["200"]["content"]["application/json"]["schema"]
        assert "$ref" in ok or "$ref" in ok.get("items", {}), (method, path)
        for status, response in responses.items():
            if int(status) >= 400:
                assert "application/problem+json" in response["content"], (method, path, status)
        if method in ("post", "put") and path != "/screening/lists":
            media, model = BODIES[(method, path)]
            schema = op["requestBody"]["content"][media]["schema"]
            name = schema["$ref"].rsplit("/", 1)[-1]
            assert name.startswith(model) and name in schemas
            assert "413" in responses
        for param in op.get("parameters", []):
            if param["schema"].get("type") == "integer":
                assert param["schema"]["maximum"] <= 2**63 - 1, (method, path, param["name"])
    upload = spec["paths"]["/screening/lists"]["post"]["requestBody"]["content"]
    assert {"application/x-ndjson", "application/xml", "text/csv"} <= set(upload)
    rule = schemas["RuleDocument-Input"]
    assert set(rule["required"]) >= {"id", "title", "kind", "match", "effective_from", "source"}


def test_every_starter_rule_fits_the_rule_document(client, parties):
    """The rules in force validate against the model OpenAPI shows (and round-trip: what GET
    returns may be PUT back unchanged)."""
    reg = parties["regulator"].headers
    rules = client.get("/compliance/rules", headers=reg).json()["rules"]
    assert len(rules) > 10
    own = next(r for r in rules if r["kind"] == "deny")
    r = client.put(f"/compliance/rules/{own['id']}", json=own, headers=reg)
    assert r.status_code == 200, r.text
    assert r.json()["revision"] == 1


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=10,
)
VALID = {
    ("PUT", "/compliance/rules/t.rule"): RULE,
    ("POST", "/compliance/what-if"): {"changes": {"t.rule": RULE}, "days": 30},
    ("POST", "/compliance/evaluate"): json.loads(line(hs_code="8518300000")),
    ("POST", "/compliance/sandboxes"): ENROLMENT,
    ("POST", "/screening/screen"): {"names": [{"name": "A", "birth_date": "1970"}]},
}


def _locations(doc, prefix=()):
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield (*prefix, k)
            yield from _locations(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield (*prefix, i)
            yield from _locations(v, (*prefix, i))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_body_answers_5xx(client, parties, loaded, data):
    """Whatever JSON reaches a compliance or screening body — valid documents with one value
    replaced, or anything at all — the answer is 2xx or 4xx."""
    (method, url), valid = data.draw(st.sampled_from(sorted(VALID.items())))
    doc = copy.deepcopy(valid)
    spots = list(_locations(doc))
    if data.draw(st.booleans()) and spots:
        *parent, key = data.draw(st.sampled_from(spots))
        holder = doc
        for step in parent:
            holder = holder[step]
        holder[key] = data.draw(JSON)
    else:
        doc = data.draw(JSON)
    body = json.dumps(doc, ensure_ascii=False)  # NaN and Infinity as JSON extensions
    headers = parties["regulator"].headers | {"Content-Type": "application/json"}
    r = client.request(method, url, content=body.encode(), headers=headers)
    assert r.status_code < 500, (method, url, body, r.text)


def test_cli_evaluate_reads_decimals_and_names_the_field():
    """``cbec compliance evaluate`` runs the same core: JSON numbers are decimals, and an
    order the engine cannot read exits 2 naming the field."""
    from typer.testing import CliRunner

    from cbec.cli.main import app

    order = ORDER | {"destination_country": "CN", "lines": [{"qty": 1, "unit_price": 0.1}]}
    r = CliRunner().invoke(app, ["compliance", "evaluate"], input=json.dumps(order))
    assert r.exit_code in (0, 1), r.output
    assert json.loads(r.stdout)["order"]["goods_value"] == "0.1"
    bad = ORDER | {"lines": [{"qty": "NaN", "unit_price": "1"}]}
    r = CliRunner().invoke(app, ["compliance", "evaluate"], input=json.dumps(bad))
    assert r.exit_code == 2 and "lines[0].qty" in r.output
    r = CliRunner().invoke(app, ["compliance", "evaluate"], input=deep(1000))
    assert r.exit_code == 2
