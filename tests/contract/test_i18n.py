"""Every rule code cbec can emit has an English and a Chinese message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cbec.i18n import MESSAGES, negotiate, render

SRC = Path(__file__).resolve().parents[2] / "cbec"


def codes_in_source() -> set[str]:
    found = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'Violation\(\s*[^,]+,\s*"([a-z_]+)"', text))
        found |= set(
            re.findall(
                r'(?:Forbidden|NotFound|Conflict|BadRequest|PayloadTooLarge|Unauthenticated)\(\s*"([a-z_]+)"',
                text,
            )
        )
        found |= set(re.findall(r'PydanticCustomError\(\s*"([a-z_]+)"', text))
    return found


def test_scan_finds_codes():
    assert {"line_total", "amount_paid_sum", "party_unknown", "not_found"} <= codes_in_source()


@pytest.mark.parametrize("code", sorted(codes_in_source()))
def test_code_has_both_languages(code):
    assert code in MESSAGES
    assert MESSAGES[code]["en"] and MESSAGES[code]["zh"]


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_placeholders_agree_between_languages(code):
    en = set(re.findall(r"{(\w+)}", MESSAGES[code]["en"]))
    zh = set(re.findall(r"{(\w+)}", MESSAGES[code]["zh"]))
    assert en == zh
    assert re.search(r"[\u4e00-\u9fff]", MESSAGES[code]["zh"])


@pytest.mark.parametrize(
    "header,lang",
    [
        (None, "en"),
        ("zh-CN", "zh"),
        ("zh-Hans-CN,zh;q=0.9", "zh"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr-FR,zh;q=0.7", "zh"),
        ("de", "en"),
    ],
)
def test_negotiation(header, lang):
    assert negotiate(header) == lang


def test_render_fills_parameters_and_kind_names():
    assert render("not_found", "zh", {"kind": "order"}) == "订单不存在"
    assert render("greater_than", "en", {"gt": 0}) == "must be > 0"
