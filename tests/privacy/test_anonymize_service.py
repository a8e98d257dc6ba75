"""The anonymizer's use case, its HTTP route (POST /privacy/anonymize), its command
(``cbec privacy anonymize``) and the console scan page's masked text: the same answers, the
scanner's limits refused naming the field or line."""

from __future__ import annotations

import json

import pytest
from lxml import html

from cbec.privacy import masking
from cbec.services import privacy_anonymize as svc
from cbec.services import privacy_scan
from tests.console.test_console_seller import console_user
from tests.console.test_console_sign_in import csrf_of

NOTE = "收件人王小明，电话13812345678"
SPANS = [(3, 6, "CN_PERSON", "王小明"), (9, 20, "CN_MOBILE", "13812345678")]


def _expected(rt, operator: str) -> dict:
    """Oracle: the operator functions on the spans the scan test pins (independent of
    Presidio's engine, which the use case goes through)."""
    key = rt.vault.hmac_key
    kinds = {"CN_PERSON": "name", "CN_MOBILE": "phone"}
    replaced = [
        {
            "start": s,
            "end": e,
            "entity_type": t,
            "operator": operator,
            "shown": masking.apply(operator, kinds[t], v, key, masking.TEXT_PURPOSE) or "",
        }
        for s, e, t, v in SPANS
    ]
    text = "收件人" + replaced[0]["shown"] + "，电话" + replaced[1]["shown"]
    return {"text": text, "replaced": replaced}


@pytest.mark.parametrize("operator", ["partial", "full", "hash", "redact"])
def test_use_case_and_api_answer_the_same(rt, client, parties, operator) -> None:
    request = svc.AnonymizeRequest(texts=[NOTE, ""], operator=operator)
    result = svc.anonymize_texts(rt.uow(), request).model_dump()
    assert result["results"] == [_expected(rt, operator), {"text": "", "replaced": []}]
    body = {"texts": [NOTE, ""], "operator": operator}
    answer = client.post("/privacy/anonymize", json=body, headers=parties["seller-a"].headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == result


def test_partial_is_the_default_and_is_what_document_fields_show(rt) -> None:
    result = svc.anonymize_texts(rt.uow(), svc.AnonymizeRequest(texts=[NOTE]))
    assert result.results[0].text == "收件人王**，电话138****5678"


def test_api_refuses_naming_the_field(client, parties) -> None:
    headers = parties["seller-a"].headers
    too_long = {"texts": ["ok", "a" * (privacy_scan.MAX_CHARS + 1)]}
    refused = client.post("/privacy/anonymize", json=too_long, headers=headers)
    assert refused.status_code == 400, refused.text
    assert "texts[1]" in refused.text and "scan_input" in refused.text
    assert "aaaa" not in refused.text
    for body in ({"texts": [NOTE], "operator": "clear"}, {"texts": "x"}, {"texts": [], "x": 1}):
        bad = client.post("/privacy/anonymize", json=body, headers=headers)
        assert bad.status_code in (400, 422), (body, bad.text)
        assert bad.headers["content-type"].startswith("application/problem+json")
    assert client.post("/privacy/anonymize", json={"texts": [NOTE]}).status_code == 401


def test_cli_answers_one_line_per_input_line(rt, cli) -> None:
    lines = [json.dumps({"text": NOTE}, ensure_ascii=False), "", json.dumps({"text": "hi"})]
    result = cli("privacy", "anonymize", "--operator", "hash", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        _expected(rt, "hash"),
        {"text": "hi", "replaced": []},
    ]


@pytest.mark.parametrize(
    "bad", ['{"text": 1}', "[]", '{"text": "x"', '{"txt": "x"}', '{"text": "\\ud800"}']
)
def test_cli_malformed_line_exits_2_naming_its_number(cli, bad) -> None:
    result = cli("privacy", "anonymize", input=f'{{"text": "ok"}}\n\n{bad}\n{{"text": "x"}}\n')
    assert result.exit_code == 2
    assert "line 3" in result.stderr
    assert len(result.stdout.splitlines()) == 1  # the line before was answered


@pytest.mark.parametrize("lang,heading", [("en", "Masked text"), ("zh", "脱敏后的文本")])
def test_the_scan_page_shows_the_masked_text_next_to_the_spans(rt, client, parties, lang, heading):
    console_user(rt, client, "seller-a", lang)
    csrf = csrf_of(client.get("/console/scan"))
    page = client.post("/console/scan", data={"text": NOTE, "csrf": csrf, "operator": "full"})
    assert page.status_code == 200
    doc = html.fromstring(page.content)
    assert doc.xpath("string(//p[@id='scan-masked'])") == _expected(rt, "full")["text"]
    assert heading in page.text
    shown = [c.text_content() for c in doc.xpath("//table[@id='scan-spans']//tr/td[5]")]
    assert shown == ["***", "*" * 11]
    refused = client.post("/console/scan", data={"text": NOTE, "csrf": csrf, "operator": "x"})
    assert refused.status_code == 422


def test_the_endpoints_hash_never_confirms_a_documents_pseudonym(rt, client, parties) -> None:
    """A tenant that reads a payer's ID number as a pseudonym cannot hash a guess through
    POST /privacy/anonymize and compare: the two are keyed for different purposes."""
    resident_id = "11010519491231002X"
    in_document = masking.apply("hash", "id_number", resident_id, rt.vault.hmac_key)
    body = {"texts": [f"身份证 {resident_id}"], "operator": "hash"}
    answer = client.post("/privacy/anonymize", json=body, headers=parties["seller-a"].headers)
    (replaced,) = answer.json()["results"][0]["replaced"]
    assert replaced["entity_type"] == "CN_RESIDENT_ID"
    assert len(replaced["shown"]) == len(in_document) and replaced["shown"] != in_document


def test_a_lone_surrogate_is_answered_not_a_500(client, parties) -> None:
    """JSON may escape half a UTF-16 pair (``\\ud800``); the answer echoes text, so it must
    still be writable."""
    raw = '{"texts": ["\\ud800 收件人王小明，电话13812345678"], "operator": "full"}'
    headers = parties["seller-a"].headers | {"content-type": "application/json"}
    answer = client.post("/privacy/anonymize", content=raw, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"].startswith("texts")
