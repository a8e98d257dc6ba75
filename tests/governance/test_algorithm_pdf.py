"""The filing-ready PDF of an algorithm record says what the JSON export says: read back with
pypdf (an independent PDF reader), every section title and every text field of the export is
in it, in Chinese and English. Without a font that renders Chinese the answer is 503 naming
the rule — after the record is found, so another tenant still learns nothing."""

from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader

from cbec.governance.pdf import find_font
from tests.governance.records import record

needs_font = pytest.mark.skipif(
    find_font(None) is None,
    reason="no CJK font installed (Debian: fonts-wqy-zenhei; .ci/run installs it)",
)


def _squeezed(text: str) -> str:
    """Without white space: a long value wraps over lines in the PDF."""
    return re.sub(r"\s+", "", text)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _filed(client, headers) -> str:
    rid = client.post("/algorithms", json=record(), headers=headers).json()["id"]
    r = client.post(
        f"/algorithms/{rid}/filing", json={"filing_number": "网信算备-PDF-0001"}, headers=headers
    )
    assert r.status_code == 200, r.text
    return rid


@needs_font
def test_the_pdf_says_what_the_export_says(client, parties):
    mine = parties["platform-a"].headers
    rid = _filed(client, mine)
    exported = client.get(f"/algorithms/{rid}/export", headers=mine).json()
    r = client.get(f"/algorithms/{rid}/export.pdf", headers=mine)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="algorithm-{rid}-v1.pdf"'
    reader = PdfReader(io.BytesIO(r.content))
    text = _squeezed("".join(page.extract_text() for page in reader.pages))
    for section in exported["sections"].values():
        assert _squeezed(section["title"]["zh"]) in text
        assert _squeezed(section["title"]["en"]) in text
        fields = {k: v for k, v in section.items() if k != "title"}
        for value in _strings(fields):
            assert _squeezed(value) in text, value
    assert "网信算备-PDF-0001" in text
    assert "ExampleMallLtd" in text


@needs_font
def test_the_cli_writes_the_pdf(cli, parties, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(record()), encoding="utf-8")
    rid = json.loads(cli("algorithms", "create", path, "--as", "platform-a").stdout)["id"]
    out = tmp_path / "filing.pdf"
    r = cli("algorithms", "export", rid, "--pdf", out, "--as", "platform-a")
    assert r.exit_code == 0, r.output
    said = json.loads(r.stdout)
    assert said == {"pdf": str(out), "bytes": out.stat().st_size, "version": 1}
    text = _squeezed("".join(p.extract_text() for p in PdfReader(out).pages))
    assert "算法基础属性信息" in text and "Homefeedranking" in text


def test_without_a_font_it_is_503_naming_the_rule_and_others_still_learn_nothing(
    client, parties, rt, monkeypatch, tmp_path
):
    mine = parties["platform-a"].headers
    rid = client.post("/algorithms", json=record(), headers=mine).json()["id"]
    monkeypatch.setattr(rt.settings, "pdf_font", tmp_path / "no-such-font.ttf")
    r = client.get(f"/algorithms/{rid}/export.pdf", headers=mine)
    assert r.status_code == 503, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "pdf_font_missing"
    zh = client.get(
        f"/algorithms/{rid}/export.pdf", headers=mine | {"Accept-Language": "zh-CN"}
    ).json()
    assert "未安装可显示中文的字体" in zh["detail"]
    other = client.get(f"/algorithms/{rid}/export.pdf", headers=parties["seller-b"].headers)
    assert other.status_code == 404, other.text
