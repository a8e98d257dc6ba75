"""The scanner's use case, its HTTP route (POST /privacy/scan) and its command
(``cbec privacy scan``): the same answers, the limits refused naming the field or line."""

from __future__ import annotations

import json

import pytest

from cbec.services import privacy_scan as svc

NOTE = "收件人王小明，电话13812345678"
SPANS = [
    {"start": 3, "end": 6, "entity_type": "CN_PERSON", "score": 0.7},
    {"start": 9, "end": 20, "entity_type": "CN_MOBILE", "score": 0.95},
]


def test_use_case_answers_one_entry_per_text_in_order() -> None:
    result = svc.scan_texts(svc.ScanRequest(texts=[NOTE, "", "mail bob@example.com"]))
    assert [r.model_dump()["spans"] for r in result.results] == [
        SPANS,
        [],
        [{"start": 5, "end": 20, "entity_type": "EMAIL_ADDRESS", "score": 1.0}],
    ]
    high = svc.scan_texts(svc.ScanRequest(texts=[NOTE], threshold=0.9))
    assert [s.entity_type for s in high.results[0].spans] == ["CN_MOBILE"]


@pytest.mark.parametrize(
    "texts,field",
    [
        (["x"] * (svc.MAX_TEXTS + 1), "texts"),
        (["ok", "a" * (svc.MAX_CHARS + 1)], "texts[1]"),
    ],
)
def test_use_case_refuses_beyond_the_limits_naming_the_field(texts, field) -> None:
    with pytest.raises(svc.ScanInput) as refused:
        svc.scan_texts(svc.ScanRequest(texts=texts))
    assert refused.value.field == field
    assert refused.value.rule == "scan_input"
    assert "aaaa" not in str(refused.value.details())  # the text is never quoted


def test_api_scans_and_refuses(client, parties) -> None:
    headers = parties["seller-a"].headers
    answer = client.post("/privacy/scan", json={"texts": [NOTE]}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"results": [{"spans": SPANS}]}

    too_long = {"texts": ["ok", "a" * (svc.MAX_CHARS + 1)]}
    refused = client.post("/privacy/scan", json=too_long, headers=headers)
    assert refused.status_code == 400, refused.text
    assert "texts[1]" in refused.text and "scan_input" in refused.text

    for body in ({"texts": "not a list"}, {"texts": [NOTE], "extra": 1}, {"threshold": 2}):
        bad = client.post("/privacy/scan", json=body, headers=headers)
        assert bad.status_code in (400, 422), (body, bad.text)

    assert client.post("/privacy/scan", json={"texts": [NOTE]}).status_code == 401


def test_cli_answers_one_line_per_input_line(cli) -> None:
    lines = [json.dumps({"text": NOTE}, ensure_ascii=False), "", json.dumps({"text": "hi"})]
    result = cli("privacy", "scan", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"spans": SPANS},
        {"spans": []},
    ]


@pytest.mark.parametrize("bad", ['{"text": 1}', "[]", '{"text": "x"', '{"txt": "x"}', "NaN"])
def test_cli_malformed_line_exits_2_naming_its_number(cli, bad) -> None:
    result = cli("privacy", "scan", input=f'{{"text": "ok"}}\n\n{bad}\n{{"text": "x"}}\n')
    assert result.exit_code == 2
    assert "line 3" in result.stderr
    assert len(result.stdout.splitlines()) == 1  # the line before was answered


def test_cli_refuses_a_text_over_the_limit_naming_its_line(cli) -> None:
    big = json.dumps({"text": "a" * (svc.MAX_CHARS + 1)})
    result = cli("privacy", "scan", input=f"{big}\n")
    assert result.exit_code == 2
    assert "line 1" in result.stderr and str(svc.MAX_CHARS) in result.stderr
