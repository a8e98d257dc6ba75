"""Every rule code cbec can emit has an English and a Chinese message."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from cbec.i18n import KIND_NAMES, MESSAGES, catalogue, negotiate, render

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


@cache
def zh_catalogue():
    """The Chinese catalogue, read once for the module's hundreds of cases (each reading of
    every .po file takes a tenth of a second)."""
    return catalogue("zh")


def chinese(context: str, english: str) -> str:
    """The catalogue's translation of a rule code's English (the oracle: the .po files as
    Babel reads them, not the running translation)."""
    entry = zh_catalogue().get(english, context=context)
    assert entry is not None and entry.string, f"{context}: no Chinese for {english!r}"
    return entry.string


@pytest.mark.parametrize("code", sorted(codes_in_source()))
def test_code_has_both_languages(code):
    assert MESSAGES.get(code)
    assert chinese(code, MESSAGES[code])


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_placeholders_agree_between_languages(code):
    zh = chinese(code, MESSAGES[code])
    assert set(re.findall(r"{(\w+)}", MESSAGES[code])) == set(re.findall(r"{(\w+)}", zh))
    assert re.search(r"[\u4e00-\u9fff]", zh)


@pytest.mark.parametrize("kind", sorted(KIND_NAMES))
def test_kind_names_have_both_languages(kind):
    assert re.search(r"[\u4e00-\u9fff]", chinese(f"kind:{kind}", KIND_NAMES[kind]))


def test_the_catalogue_holds_no_code_the_source_does_not():
    api = {(m.context, m.id) for m in zh_catalogue() if m.context}
    known = {(c, e) for c, e in MESSAGES.items()}
    known |= {(f"kind:{k}", e) for k, e in KIND_NAMES.items()}
    assert api - known == set(), "stale catalogue entries (a code renamed or its text changed)"


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
