"""The API contract: the OpenAPI document declares what every operation takes and answers,
the docs are served from the package, and the hostile inputs that once answered 500 answer a
4xx that names the field and the rule."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import make_order

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "cbec" / "static"
METHODS = ("get", "post", "put", "delete", "patch")


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


@pytest.fixture
def spec(client):
    return client.get("/openapi.json").json()


def test_every_operation_is_described_and_secured(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["apiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["apiKey"]["description"],
    }
    for path, method, op in _operations(spec):
        where = f"{method.upper()} {path}"
        assert op.get("summary"), where
        assert op.get("description"), where
        # probes of a load balancer, and the public algorithm transparency list: no key
        if path not in ("/healthz", "/readyz", "/public/platforms/{platform}/algorithms"):
            assert {"apiKey": []} in op.get("security", []), where
            assert "401" in op["responses"], where


def test_every_error_status_is_a_problem_document(spec):
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "code", "detail", "errors"} <= set(problem["properties"])
    for path, method, op in _operations(spec):
        for status, response in op["responses"].items():
            if int(status) >= 400:
                content = response["content"]
                assert list(content) == ["application/problem+json"], (path, method, status)
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }
        assert {"400", "422", "503"} <= set(op["responses"]), (path, method)
        if "requestBody" in op:
            assert "413" in op["responses"], (path, method)


def test_documents_declare_their_bodies(spec):
    for kind, model in (("orders", "Order"), ("payments", "Payment"), ("waybills", "Waybill")):
        body = spec["paths"][f"/{kind}"]["post"]["requestBody"]["content"]["application/json"]
        assert body["schema"] == {"$ref": f"#/components/schemas/{model}"}
        assert model in spec["components"]["schemas"]
        imports = spec["paths"][f"/{kind}/import"]["post"]["requestBody"]["content"]
        assert {"application/x-ndjson", "text/csv"} <= set(imports)
    reveal = spec["paths"]["/orders/{doc_id}/reveal"]["post"]["requestBody"]
    assert reveal["content"]["application/json"]["schema"]["$ref"].endswith("RevealRequest")


def test_docs_are_served_from_the_package(client):
    manifest = json.loads((VENDOR / "vendor.json").read_text())
    for page, package, script in (
        ("/docs", "swagger-ui", "swagger-ui-bundle.js"),
        ("/redoc", "redoc", "redoc.standalone.js"),
    ):
        html = client.get(page)
        assert html.status_code == 200
        url = f"/static/vendor/{package}/{script}"
        assert url in html.text
        assert "cdn" not in html.text.lower()
        assert "fonts.googleapis" not in html.text
        served = client.get(url)
        assert served.status_code == 200
        name = next(n for n in manifest["packages"][package]["files"] if n.endswith(script))
        assert (
            hashlib.sha256(served.content).hexdigest()
            == (manifest["packages"][package]["files"][name])
        )


def test_vendored_files_match_their_manifest():
    """A vendored file edited by hand (or a refresh left half-done) fails here."""
    manifest = json.loads((VENDOR / "vendor.json").read_text())
    for key, entry in manifest["packages"].items():
        assert entry["version"] and entry["license"]
        for name, digest in entry["files"].items():
            path = VENDOR / "vendor" / key / Path(name).name
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path
        assert any(Path(n).name.startswith("LICENSE") for n in entry["files"]), key


# --- hostile inputs that once answered 500 ------------------------------------------------


def _problem(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    if code is not None:
        assert body["code"] == code, body
    return body


def _field_errors(body: dict) -> set[tuple[str, str]]:
    return {(e["field"], e["rule"]) for e in body.get("errors") or []}


@pytest.mark.parametrize(
    "path",
    [
        "/ledger/entries/99999999999999999999",
        "/ledger/checkpoints/99999999999999999999",
        "/ledger/proof/inclusion?index=99999999999999999999",
        "/ledger/proof/consistency?first=0&second=99999999999999999999",
    ],
)
def test_integers_beyond_bigint_are_refused_by_name(client, parties, path):
    body = _problem(client.get(path, headers=parties["regulator"].headers), 422)
    fields = {field for field, _ in _field_errors(body)}
    assert fields & {"path.index", "path.size", "query.index", "query.second"}, body


@pytest.mark.parametrize("seq", ["99999999999999999999999", "9223372036854775808", "１２"])
def test_a_forged_cursor_is_400(client, parties, seq):
    cursor = base64.urlsafe_b64encode(f"s:{seq}".encode()).decode().rstrip("=")
    r = client.get("/orders", params={"cursor": cursor}, headers=parties["seller-a"].headers)
    _problem(r, 400, "bad_cursor")


def test_json_nested_a_thousand_deep(client, parties):
    deep = b"[" * 100_000 + b"]" * 100_000
    headers = {**parties["seller-a"].headers, "Content-Type": "application/json"}
    _problem(client.post("/orders", content=deep, headers=headers), 400, "json_too_deep")
    line = b'{"a": ' * 1200 + b"1" + b"}" * 1200 + b"\n"
    r = client.post(
        "/orders/import",
        content=line,
        headers={**parties["seller-a"].headers, "Content-Type": "application/x-ndjson"},
    )
    body = _problem(r, 422, "batch_rejected")
    assert body["report"]["rejects"][0]["errors"][0]["rule"] == "json_too_deep"


def test_csv_with_a_column_that_is_both_value_and_parent(client, parties):
    csv = "order_no,platform,buyer,buyer.name\nX1,platform-a,b,c\n"
    r = client.post(
        "/orders/import",
        content=csv.encode(),
        headers={**parties["seller-a"].headers, "Content-Type": "text/csv"},
    )
    body = _problem(r, 400, "csv_header")
    assert "buyer" in body["detail"]


def test_csv_field_over_the_csv_module_limit(client, parties):
    csv = "order_no,platform,note\nX1,platform-a," + "x" * 140_000 + "\n"
    r = client.post(
        "/orders/import",
        content=csv.encode(),
        headers={**parties["seller-a"].headers, "Content-Type": "text/csv"},
    )
    _problem(r, 400, "csv_unreadable")


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\x85", "\ud800"])
def test_control_characters_and_lone_surrogates_in_text(client, parties, rng, bad):
    order = make_order(rng, 1)
    order["lines"][0]["name"] = "面霜" + bad
    raw = json.dumps(order, ensure_ascii=True).encode()  # \ud800 only travels escaped
    headers = {**parties["seller-a"].headers, "Content-Type": "application/json"}
    body = _problem(client.post("/orders", content=raw, headers=headers), 422)
    rule = "string_unicode" if bad == "\ud800" else "control_character"  # Pydantic's own check
    assert ("lines[0].name", rule) in _field_errors(body)
    assert "Unicode" in body["errors"][0]["message"] or "control" in body["errors"][0]["message"]


def test_tab_and_line_breaks_are_still_text(client, parties, rng):
    order = make_order(rng, 1)
    order["note"] = "第一行\n第二行\tend\r\n"
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text


@pytest.mark.parametrize(
    "token",
    ["cbec_{id}_秘密", "cbec_{id}_" + "é" * 43, "cbec_{id}_abc def", "cbec_{id}_\x00"],
)
def test_api_key_with_a_known_id_and_a_strange_secret_is_401(client, parties, token):
    key_id = parties["seller-a"].key.split("_")[1]
    value = token.format(id=key_id)
    r = client.get("/me", headers={"Authorization": f"Bearer {value}".encode()})
    _problem(r, 401, "unauthenticated")


def test_model_bodies_keep_their_own_rules(client, parties, rt):
    """A route whose body is a request model answers an oversized body 413 and a too-deep one
    with its rule — not FastAPI's generic "error parsing the body"."""
    headers = {**parties["regulator"].headers, "Content-Type": "application/json"}
    big = b'{"reason": "' + b"x" * (rt.settings.max_body_bytes + 10) + b'"}'
    _problem(client.post("/orders/abc/reveal", content=big, headers=headers), 413)
    deep = b"[" * 5000 + b"]" * 5000
    _problem(client.post("/orders/abc/reveal", content=deep, headers=headers), 400, "json_too_deep")


def test_screening_lists_take_files_over_the_default_body_limit(client, parties, rt):
    headers = {**parties["regulator"].headers, "Content-Type": "application/x-ndjson"}
    body = b"\n" * (rt.settings.max_body_bytes + 10)  # blank lines: no entity, but not too big
    r = client.post("/screening/lists", params={"name": "blank"}, content=body, headers=headers)
    assert r.status_code != 413, r.text
    assert r.status_code < 500
