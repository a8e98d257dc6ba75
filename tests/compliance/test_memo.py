"""What a rule set remembers between orders never changes a decision.

:func:`cbec.compliance.evaluate` remembers, per rule set, each line's match for a rule and
the fired entry made from it (``RuleSet._memo``), so later orders with the same goods reuse
them. The oracle is the same evaluation with nothing remembered: every order of a few
thousand generated ones near the rules' codes, words, limits, documents and dates is decided
by one rule set that has seen every order before it, and by a second built from the same
rules whose memory is emptied before each order; the two decisions' ``as_dict()`` must be
identical, also under a sandbox enrolment (which replaces the entries it relaxes)."""

from __future__ import annotations

import random

import pytest

from cbec.compliance import Enrolment, evaluate
from tests.compliance import rule_gen
from tests.compliance.test_rule_index import build, shipped_dicts

SANDBOX = Enrolment.from_dict(
    {
        "id": "sb-memo",
        "firm": "sz-gadgets",
        "period_start": "2020-01-01",
        "period_end": "2030-12-31",
        "relaxed_kinds": ["deny", "allow"],
        "max_orders": 1000,
    }
)


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
