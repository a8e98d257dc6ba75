"""Rule patterns run on a linear-time engine (RE2): a catastrophic pattern cannot stall the
checks, and a pattern only a backtracking engine could run is refused at load time, naming
the rule — from a rule file and from ``PUT /compliance/rules/{id}``."""

from __future__ import annotations

import pytest

from cbec.compliance import (
    RuleError,
    RuleSetError,
    evaluate,
    load_dir,
    rule_from_dict,
    ruleset_from_dicts,
)
from cbec.compliance.patterns import ENGINE, PatternRefused, compile_pattern

CATASTROPHIC = "(x+x+)+y"  # exponential for a backtracking engine on "xxx…x"


def rule(rid: str, regex: list[str]) -> dict:
    return {
        "id": rid,
        "title": {"zh": f"规则 {rid}", "en": f"rule {rid}"},
        "kind": "flag",
        "match": [{"regex": regex}],
        "effective_from": "2020-01-01",
        "source": "test fixture",
    }


def order(name: str) -> dict:
    return {
        "platform": "platform-a",
        "seller": "seller-a",
        "order_no": "RE-1",
        "ordered_at": "2025-01-01T00:00:00+00:00",
        "direction": "import",
        "currency": "CNY",
        "goods_value": "10.00",
        "lines": [{"line_no": 1, "name": name, "qty": "1", "line_total": "10.00"}],
    }


def test_the_catastrophic_pattern_is_compiled_by_re2_and_evaluates():
    rs = ruleset_from_dicts([rule("redos", [CATASTROPHIC])], label="t")
    (pattern,) = rs.rule("redos").match[0].patterns
    assert ENGINE == "re2" and type(pattern).__module__.startswith("re2")
    assert evaluate(order("x" * 26), rs).outcome == "allow"  # no match, and no backtracking
    assert evaluate(order("x" * 26 + "y"), rs).outcome == "review"


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=a)b", r"(?<!a)b"])
def test_a_pattern_re2_cannot_run_is_refused_naming_the_rule(pattern):
    with pytest.raises(PatternRefused):
        compile_pattern(pattern)
    with pytest.raises(RuleError) as info:
        rule_from_dict(rule("backref.rule", [pattern]), "rules/test.yaml")
    assert info.value.rule_id == "backref.rule" and info.value.field == "match[0].regex[0]"
    assert "backref.rule" in str(info.value) and "rules/test.yaml" in str(info.value)
    (violation,) = info.value.violations
    assert violation.rule == "rule_pattern_refused" and violation.params["rule"] == "backref.rule"


def test_a_refused_pattern_is_refused_over_the_api_naming_the_rule(client, parties):
    reg = parties["regulator"].headers
    r = client.put("/compliance/rules/t.backref", json=rule("t.backref", [r"(a)\1"]), headers=reg)
    assert r.status_code == 422, r.text
    (error,) = r.json()["errors"]
    assert error["field"] == "match[0].regex[0]" and error["rule"] == "rule_pattern_refused"
    assert "t.backref" in error["message"]
    r = client.put("/compliance/rules/t.redos", json=rule("t.redos", [CATASTROPHIC]), headers=reg)
    assert r.status_code == 200, r.text


def test_an_invalid_expression_is_still_rule_invalid():
    with pytest.raises(RuleError) as info:
        rule_from_dict(rule("broken", ["(x"]), "<api>")
    assert info.value.violations[0].rule == "rule_invalid"


def test_a_rule_file_with_a_refused_pattern_is_refused_naming_the_rule(tmp_path):
    (tmp_path / "platform.yaml").write_text(
        "rules:\n"
        "  - id: file.backref\n"
        "    title: {zh: 回溯, en: backreference}\n"
        "    kind: flag\n"
        "    match: [{regex: ['(a)\\1']}]\n"
        "    effective_from: 2020-01-01\n"
        "    source: test\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleSetError) as info:
        load_dir(tmp_path)
    text = str(info.value)
    assert "file.backref" in text and "match[0].regex[0]" in text and "RE2" in text
