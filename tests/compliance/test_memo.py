"""What a rule set remembers between orders never changes a decision.

:func:`cbec.compliance.evaluate` remembers, per rule set, each line's match for a rule and
the fired entry made from it (``RuleSet._memo``), so later orders with the same goods reuse
them. The oracle is the same evaluation with nothing remembered: every order of a few
thousand generated ones near the rules' codes, words, limits, documents and dates is decided
by one rule set that has seen every order before it, and by a second built from the same
rules whose memory is emptied before each order; the two decisions' ``as_dict()`` must be
identical, also under a sandbox enrolment (which replaces the entries it relaxes), and on
days either side of each change of a list's rows (a line's list answer is remembered for
the list's period, not its day)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from cbec.compliance import evaluate
from cbec.tax.positive_list import PositiveList
from tests.compliance import rule_gen
from tests.compliance.test_rule_index import build, sandbox, shipped_dicts

SANDBOX = sandbox("sb-memo")


@pytest.mark.parametrize("seed", [4, 5])
@pytest.mark.parametrize("sandbox", [None, SANDBOX], ids=["plain", "sandbox"])
def test_a_warm_rule_set_decides_as_a_cold_one(seed, sandbox):
    rng = random.Random(seed)
    dicts = shipped_dicts() + rule_gen.rule_dicts(rng, 120)
    warm, cold = build(dicts, f"memo-{seed}"), build(dicts, f"memo-{seed}")
    orders = list(rule_gen.orders(rng, list(warm.rules), 800))
    again = []  # the same goods again, with other documents (which the memory must not keep)
    for i, (order, on, products) in enumerate(orders[::2]):
        other = {k: v for k, v in order.items() if k != "documents"}
        if i % 2 == 0:
            doc_type = ("licence", "un38_3_test_summary", "cn_positive_list_declaration")[i % 3]
            other["documents"] = [{"type": doc_type, "number": f"M{i}"}]
        again.append((other, on, products))
    orders += again
    # the same goods on days either side of every change of the positive list's rows, and
    # before the list covers any (an answer that names its day)
    sample = PositiveList.load_sample()
    days = [d + timedelta(days=k) for d in sample._boundaries for k in (-1, 0, 1)]
    for i, (order, _, products) in enumerate(orders[:300]):
        orders.append((order, days[i % len(days)], products))
    for order, _, products in orders[:100]:
        orders += [(order, date(2000, 1, 1), products), (order, date(2000, 1, 2), products)]
    remembered = 0
    for order, on, products in orders:
        before = len(warm._memo)
        a = evaluate(order, warm, on, sandbox, products=products)
        remembered += len(warm._memo) == before
        cold._memo.clear()
        b = evaluate(order, cold, on, sandbox, products=products)
        assert a.as_dict() == b.as_dict()
        assert a.stored_dict() == b.stored_dict()
    assert remembered > len(orders) // 4  # the memory was used, not only filled


def test_a_lists_uncovered_days_are_each_answered_for_themselves():
    """A list that covers no day before 2024 refuses each earlier day by name: the same goods
    on two such days get two answers, each as a cold rule set gives it; on covered days the
    answer is shared through the period."""
    from dataclasses import replace as copy

    from cbec.compliance import load_starter, ruleset_from_dicts
    from cbec.compliance.lists import PositiveListAdapter

    sample = PositiveList.load_sample()
    later = PositiveList.from_rows(
        [copy(r, effective_from=max(r.effective_from, date(2024, 1, 1))) for r in sample.rows],
        origin="later.csv",
    )
    dicts = [r.as_dict() for r in load_starter().rules]

    def rules():
        adapter = PositiveListAdapter(later)
        return ruleset_from_dicts(dicts, label="later", lists={adapter.name: adapter})

    warm, cold = rules(), rules()
    rng = random.Random(9)
    from cbec.demo import synthetic

    orders = [synthetic.order(rng, "silk-mall", "sz-gadgets", f"L{i}") for i in range(30)]
    days = [date(2023, 6, 1), date(2023, 6, 2), date(2024, 1, 1), date(2024, 6, 1)]
    named = set()
    for order in orders:
        for day in days:
            a = evaluate(order, warm, day)
            cold._memo.clear()
            b = evaluate(order, cold, day)
            assert a.as_dict() == b.as_dict()
            named |= {day for f in a.fired if str(day) in f.reason.en}
    assert named == {date(2023, 6, 1), date(2023, 6, 2)}  # the refusal names its own day


def test_a_remembered_lines_facts_are_those_built_afresh():
    """An order's lines are remembered by content (``facts._line_of``): every generated
    order's facts, with and without its products' names, codes and attributes, equal those
    built with nothing remembered — also for the same lines again, for a product changed
    after a line was remembered, and for lines holding a list of attributes (never
    remembered)."""
    from cbec.compliance import facts

    rng = random.Random(13)
    ruleset = build(shipped_dicts() + rule_gen.rule_dicts(rng, 60), "memo-lines")
    orders = list(rule_gen.orders(rng, list(ruleset.rules), 600))
    orders += orders[::2]
    remembered = 0
    for order, _, products in orders:
        for catalog in (products or {}, {}):
            before = len(facts._LINES)
            warm = facts.order_facts(order, catalog)
            remembered += len(facts._LINES) == before
            facts._LINES.clear()
            assert facts.order_facts(order, catalog) == warm
    assert remembered > len(orders) // 2
    order, products, at = next(
        (o, p, k)
        for o, _, p in orders
        for k, line in enumerate(o["lines"])
        if p and line.get("sku") in p
    )
    sku = order["lines"][at]["sku"]
    facts.order_facts(order, products)  # remembered with this product
    changed = {**products, sku: {**products[sku], "name_zh": "另一个名字"}}
    texts = facts.order_facts(order, changed).lines[at].texts
    assert ("另一个名字" in [t.value for t in texts]) and facts.order_facts(order, changed) == (
        facts._LINES.clear() or facts.order_facts(order, changed)
    )
    # a line without its own code takes its product's code for the order's destination
    line = {"line_no": 1, "sku": "P-1", "qty": "1", "line_total": "10.00"}
    product = {
        "sku": "P-1",
        "hs_codes": [{"country": "CN", "code": "19011010"}, {"country": "US", "code": "85171200"}],
    }
    base = {"lines": [line], "currency": "CNY", "ordered_at": "2026-03-01T00:00:00Z"}
    codes = [
        facts.order_facts(base | {"destination_country": c}, {"P-1": product}).lines[0].hs_code
        for c in ("CN", "US")
    ]
    assert [c.value for c in codes] == ["19011010", "85171200"]
