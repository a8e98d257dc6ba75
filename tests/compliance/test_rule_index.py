"""The rule index prunes, and never changes a decision.

The full scan (``evaluate(..., _index=False)``) is the oracle: on the shipped and demo rule
sets and on generated rule sets using every match group and scope key, every order —
the examples of these tests (see ``conftest.py``, which checks every evaluation the
compliance tests make), the demo's synthetic orders and a few thousand generated ones near
the rules' codes, words, limits and dates, with facts left out — must get a decision whose
``as_dict()`` is identical with and without the index. Pruning is counted with the
``_examined`` hook (rules matched against the order), never timed."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from cbec.compliance import (
    RuleSetError,
    evaluate,
    load_dir,
    load_starter,
    ruleset_from_dicts,
)
from cbec.compliance.index import RuleIndex
from cbec.compliance.model import Rule
from cbec.demo import synthetic
from tests.compliance import rule_gen

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "cbec" / "compliance" / "rules"
DEMO_RULES = ROOT / "cbec" / "demo" / "data" / "demo_rules.json"


def demo_rule_dicts() -> list[dict]:
    """The demo customs office's rules, each at its latest revision (as the store keeps it)."""
    changes = json.loads(DEMO_RULES.read_text(encoding="utf-8"))["rule_changes"]
    return list({c["id"]: c for c in changes}.values())


def shipped_dicts() -> list[dict]:
    return [r.as_dict() for r in load_dir(RULES_DIR).rules]


def build(dicts: list[dict], label: str):
    """A rule set from ``dicts``; generated rules that happen to contradict another rule
    (the set would be refused) are left out."""
    try:
        return ruleset_from_dicts(dicts, label=label)
    except RuleSetError as exc:
        bad = {rid for p in exc.problems for rid in p.rule_ids if rid.startswith("gen.")}
        assert bad, exc
        return ruleset_from_dicts([d for d in dicts if d["id"] not in bad], label=label)


def assert_same(order, ruleset, on=None, products=None, sandbox=None) -> tuple[int, int]:
    """Both decisions, compared in full; returns (rules examined with, without the index)."""
    with_index: list[str] = []
    full: list[str] = []
    a = evaluate(order, ruleset, on, sandbox, products=products, _examined=with_index)
    b = evaluate(order, ruleset, on, sandbox, products=products, _index=False, _examined=full)
    assert a.as_dict() == b.as_dict()
    assert set(with_index) <= set(full)
    assert with_index == sorted(with_index) and full == sorted(full)  # rule-set order kept
    return len(with_index), len(full)


# --------------------------------------------------------------------------- shipped + demo


SETS = {
    "starter": lambda: load_starter(),
    "shipped": lambda: load_dir(RULES_DIR),
    "demo": lambda: ruleset_from_dicts(demo_rule_dicts(), label="demo"),
    "shipped+demo": lambda: build(shipped_dicts() + demo_rule_dicts(), "shipped+demo"),
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_demo_orders_get_the_same_decision(name):
    ruleset = SETS[name]()
    rng = random.Random(7)
    products = {item["sku"]: synthetic.product(item) for item in synthetic.CATALOG}
    for i in range(120):
        order = synthetic.order(rng, "silk-mall", rng.choice(rule_gen.SELLERS), f"D{i}")
        if i % 3 == 0:  # the catalogue supplies codes and names
            for line in order["lines"]:
                line.pop("hs_code")
                line.pop("name")
        on = None if i % 2 else rng.choice(rule_gen.DATES)
        assert_same(order, ruleset, on, products if i % 3 == 0 else None)


@pytest.mark.parametrize("name", sorted(SETS))
def test_generated_orders_on_shipped_rules(name):
    ruleset = SETS[name]()
    rng = random.Random(20261203)
    for order, on, products in rule_gen.orders(rng, list(ruleset.rules), 600):
        assert_same(order, ruleset, on, products)


# --------------------------------------------------------------------------- generated rules


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_rules_and_orders(seed):
    rng = random.Random(seed)
    dicts = shipped_dicts() + rule_gen.rule_dicts(rng, 150)
    ruleset = build(dicts, f"gen-{seed}")
    examined = full = 0
    for order, on, products in rule_gen.orders(rng, list(ruleset.rules), 1200):
        a, b = assert_same(order, ruleset, on, products)
        examined, full = examined + a, full + b
    assert examined < full  # and it did prune something along the way


def sandbox(enrolment_id: str):
    """An enrolment of the generated orders' seller relaxing denies and allows, 2020–2030."""
    from cbec.compliance import Enrolment

    return Enrolment.from_dict(
        {
            "id": enrolment_id,
            "firm": "sz-gadgets",
            "period_start": "2020-01-01",
            "period_end": "2030-12-31",
            "relaxed_kinds": ["deny", "allow"],
            "max_orders": 1000,
        }
    )


def test_generated_rules_with_a_sandbox():
    rng = random.Random(11)
    ruleset = build(shipped_dicts() + rule_gen.rule_dicts(rng, 80), "gen-sandbox")
    enrolment = sandbox("sb-1")
    for order, on, products in rule_gen.orders(rng, list(ruleset.rules), 300):
        assert_same(order, ruleset, on, products, sandbox=enrolment)


def test_rule_order_is_kept_when_rules_fire_on_the_same_line():
    """Entries, notes and whitelist names follow rule-set order: a rule reached through the
    index and one always examined must interleave exactly as in the full scan."""
    rules = [
        {"id": "a.kw", "kind": "flag", "match": {"keywords": {"en": ["vape"]}}},
        {
            "id": "b.limit",
            "kind": "flag",
            "match": {"line_value_above": {"amount": "1", "currency": "USD"}},
        },
        {"id": "c.hs", "kind": "deny", "match": {"hs": ["8543"]}},
        {"id": "d.any", "kind": "flag", "match": {}},
        {
            "id": "e.attr",
            "kind": "require",
            "match": {"attributes": ["battery"]},
            "requires": {"documents": ["msds"]},
        },
    ]
    for r in rules:
        r.update(title={"zh": r["id"], "en": r["id"]}, effective_from="2020-01-01", source="t")
    ruleset = ruleset_from_dicts(rules, label="order")
    order = {
        "ordered_at": "2025-06-01T00:00:00Z",
        "currency": "CNY",
        "lines": [
            {
                "name": "vape pen",
                "hs_code": "8543400000",
                "qty": "1",
                "line_total": "5",
                "attributes": ["battery"],
            }
        ],
    }
    assert_same(order, ruleset)
    ids = [f.rule_id for f in evaluate(order, ruleset).fired]
    assert ids == ["d.any", "a.kw", "c.hs", "e.attr"]


# --------------------------------------------------------------------------- pruning


def test_an_order_examines_only_the_rules_about_its_goods():
    dicts = rule_gen.hs_rule_dicts(400) + rule_gen.hs_rule_dicts(100, "require", start=400)
    ruleset = ruleset_from_dicts(dicts, label="many")
    target = ruleset.rule("hs.deny.00123")
    code = next(iter(target.match[0].hs_prefixes)) + "0000"
    order = {
        "ordered_at": "2025-06-01T00:00:00Z",
        "currency": "CNY",
        "lines": [{"name": "goods", "hs_code": code, "qty": "1", "line_total": "10"}],
    }
    examined: list[str] = []
    decision = evaluate(order, ruleset, _examined=examined)
    assert examined == ["hs.deny.00123"]
    assert decision.outcome == "deny"
    full: list[str] = []
    evaluate(order, ruleset, _index=False, _examined=full)
    assert len(full) == 500
    # a code too short to tell is undecided for every rule under it: all are examined
    order["lines"][0]["hs_code"] = code[:4]
    examined.clear()
    evaluate(order, ruleset, _examined=examined)
    under = {r.id for r in ruleset.rules if next(iter(r.match[0].hs_prefixes)).startswith(code[:4])}
    assert set(examined) == under and len(under) > 1
    assert_same(order, ruleset)


def test_rules_that_cannot_be_prefiltered_are_always_examined():
    def r(rid: str, match: dict, kind: str = "flag") -> Rule:
        return {
            "id": rid,
            "title": {"zh": rid, "en": rid},
            "kind": kind,
            "match": match,
            "effective_from": "2020-01-01",
            "source": "t",
        }

    ruleset = ruleset_from_dicts(
        [
            r("regex", {"regex": [r"\d+mAh"]}),
            r("limit", {"line_value_above": {"amount": "5", "currency": "CNY"}}),
            r(
                "origin-and-limit",
                {"line_origin": ["KP"], "order_value_above": {"amount": "5", "currency": "USD"}},
            ),
            r("party-country", {"party_countries": {"seller": ["KP"]}}),
            r("everything", {}),
            r("whitelist", {"list": "cn_cbec_positive_list"}, "allow"),
            r("hs", {"hs": ["9999"]}),
            r("word", {"keywords": {"zh": ["象牙"], "en": ["ivory"]}}),
            r("origin", {"line_origin": ["KP"]}),
            r("seller", {"parties": {"seller": ["bad-co"]}}),
        ],
        label="always",
    )
    index = ruleset.index
    assert isinstance(index, RuleIndex)
    assert sorted(ruleset.rules[p].id for p in index.always) == [
        "everything",
        "limit",
        "origin-and-limit",
        "party-country",
        "regex",
        "whitelist",
    ]
    order = {
        "ordered_at": "2025-06-01T00:00:00Z",
        "currency": "CNY",
        "seller": "good-co",
        "lines": [
            {
                "name": "杯子",
                "hs_code": "6912000000",
                "origin_country": "JP",
                "qty": "1",
                "line_total": "10",
            }
        ],
    }
    examined: list[str] = []
    evaluate(order, ruleset, _examined=examined)
    assert sorted(examined) == sorted(ruleset.rules[p].id for p in index.always)
    assert_same(order, ruleset)
    order["seller"] = "bad-co"
    order["lines"][0].update(name="ivory carving", origin_country="KP", hs_code="99")
    examined.clear()
    evaluate(order, ruleset, _examined=examined)
    assert len(examined) == len(ruleset.rules)
    assert_same(order, ruleset)


def test_rules_out_of_force_or_scope_are_not_examined():
    dicts = rule_gen.hs_rule_dicts(3)
    dicts[0]["effective_to"] = "2024-12-31"
    dicts[1]["scope"] = {"destination_countries": ["DE"]}
    dicts[2]["scope"] = {"trade_modes": ["1210"]}
    ruleset = ruleset_from_dicts(dicts, label="dates")
    lines = [
        {"hs_code": next(iter(r.match[0].hs_prefixes)), "qty": "1", "line_total": "1"}
        for r in ruleset.rules
    ]
    order = {"ordered_at": "2025-01-01T00:00:00Z", "currency": "CNY", "lines": lines}
    for on, destination, expected in (
        (date(2024, 12, 31), "DE", 3),
        (date(2025, 1, 1), "DE", 2),
        (date(2025, 1, 1), "US", 1),
    ):
        order["destination_country"] = destination
        examined: list[str] = []
        decision = evaluate(order, ruleset, on, _examined=examined)
        assert len(examined) == expected
        assert_same(order, ruleset, on)
        assert any("trade_mode not given" in a for f in decision.fired for a in f.assumed)


def test_a_keyword_that_folds_to_nothing_is_always_examined():
    """The loader refuses empty keywords, but a rule built in code may carry one; it occurs
    in every text, so the rule cannot be filed under a word."""
    from dataclasses import replace

    from cbec.compliance import RuleSet, rule_from_dict

    base = rule_from_dict(
        {
            "id": "empty-word",
            "title": {"zh": "空词", "en": "empty word"},
            "kind": "flag",
            "match": {"keywords": {"zh": ["占位"]}},
            "effective_from": "2020-01-01",
            "source": "t",
        }
    )
    rule = replace(base, match=(replace(base.match[0], keywords_zh=frozenset({""})),))
    ruleset = RuleSet.build([rule], label="empty")
    assert ruleset.index.always == [0]
    order = {
        "ordered_at": "2025-06-01T00:00:00Z",
        "currency": "CNY",
        "lines": [{"name": "杯子", "qty": "1", "line_total": "1"}],
    }
    assert [f.rule_id for f in evaluate(order, ruleset).fired] == ["empty-word"]
    assert_same(order, ruleset)
