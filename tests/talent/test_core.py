"""The pure core of talent sharing: the explainable score (hand-computed), its tie-breaks,
the deliverables' state machine, the one rating after delivery and the cost comparison."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from cbec.errors import Conflict, Forbidden
from cbec.ruledata import RuleDataError
from cbec.talent import engagement as eng
from cbec.talent import match, vocabulary
from cbec.talent.engagement import Deliverable as D
from cbec.talent.engagement import Side

ON = date(2026, 12, 1)
WEIGHTS = match.weights(match.load_weights(), ON)
NEEDS = match.Needs(
    skills={"customs_compliance": 3, "digital_marketing": 1, "carbon_accounting": 2},
    languages=("en", "es"),
    certificates=("1x_cbec_b2b_data_ops",),
    day_budget=Decimal("1000"),
    currency="CNY",
    days_per_week=4,
)


def offer(expert_id: str, **kw) -> match.Offer:
    base = {
        "skills": frozenset(),
        "languages": frozenset(),
        "certificates": frozenset(),
        "day_rate": Decimal("1000"),
        "currency": "CNY",
        "days_per_week": 5,
        "ratings": (),
    }
    return match.Offer(expert_id=expert_id, **(base | kw))


A = offer(
    "a1",
    skills=frozenset({"customs_compliance", "carbon_accounting"}),
    languages=frozenset({"en", "zh"}),
    certificates=frozenset({"1x_cbec_b2b_data_ops"}),
    day_rate=Decimal("1200"),
    days_per_week=2,
    ratings=(5, 4),
)
B = offer(
    "b1",
    skills=frozenset({"customs_compliance", "digital_marketing", "carbon_accounting"}),
    languages=frozenset({"en", "es"}),
    day_rate=Decimal("800"),
    currency="USD",
)


def test_the_weights_add_up_to_100():
    assert sum(WEIGHTS.values()) == 100


def test_each_component_is_its_weight_times_the_share_met():
    s = match.score(NEEDS, A, WEIGHTS)
    parts = {p.component: p.contribution for p in s.parts}
    # skills 45 × 5/6; languages 15 × 1/2; certificates 15 × 1/1; rating 10 × 4.5/5;
    # budget 10 × 1000/1200 = 8.333…; availability 5 × 2/4
    assert parts == {
        "skills": Decimal("37.50"),
        "languages": Decimal("7.50"),
        "certificates": Decimal("15.00"),
        "rating": Decimal("9.00"),
        "budget": Decimal("8.33"),
        "availability": Decimal("2.50"),
    }
    assert s.total == Decimal("79.83")
    skills = s.parts[0]
    assert skills.share == Fraction(5, 6) and skills.reason == "2 of 3 (weight 5 of 6)"
    # B: every skill and language, no certificate, never rated (half), rate in another
    # currency (no budget fit), 5 of 4 days (capped at 1): 45 + 15 + 0 + 5 + 0 + 5
    assert match.score(NEEDS, B, WEIGHTS).total == Decimal("70.00")
    assert [s.expert_id for s in match.rank(NEEDS, [B, A], WEIGHTS)] == ["a1", "b1"]


def test_ties_go_to_the_skills_then_to_the_id():
    needs = match.Needs(NEEDS.skills, (), (), Decimal("1000"), "CNY", 4)
    # p: all skills 45 + 15 + 15 + half rating 5 + other currency 0 + 5 = 85
    p = offer("z9", skills=frozenset(NEEDS.skills), currency="EUR")
    # q: skills weight 4 of 6 → 30 + 15 + 15 + rating 10 + budget 10 + 5 = 85
    q = offer("a0", skills=frozenset({"customs_compliance", "digital_marketing"}), ratings=(5,))
    ranked = match.rank(needs, [q, p], WEIGHTS)
    assert [s.total for s in ranked] == [Decimal("85.00"), Decimal("85.00")]
    assert [s.expert_id for s in ranked] == ["z9", "a0"]
    twins = [offer("b", skills=frozenset({"customs_compliance"})), offer("a")]
    twins[1] = offer("a", skills=frozenset({"customs_compliance"}))
    assert [s.expert_id for s in match.rank(needs, twins, WEIGHTS)] == ["a", "b"]


def test_an_unknown_code_is_named_with_its_position():
    rows = vocabulary.load()
    found = vocabulary.check(rows, "skill", ON, "skills", ["customs_compliance", "juggling"])
    assert [(v.field, v.rule, v.params["code"]) for v in found] == [
        ("skills[1]", "talent_unknown_code", "juggling")
    ]
    assert vocabulary.check(rows, "certificate", ON, "c", ["1x_cbec_b2b_data_ops"]) == []


def test_a_vocabulary_row_of_an_unknown_kind_is_refused(tmp_path):
    bad = tmp_path / "v.csv"
    text = vocabulary.VOCABULARY.read_text(encoding="utf-8")
    bad.write_text(text.replace(",language,English", ",tongue,English"), encoding="utf-8")
    with pytest.raises(RuleDataError) as refused:
        vocabulary.load(bad)
    assert refused.value.column == "kind"


def test_deliverable_steps_and_sides():
    assert eng.step(D.PLANNED, D.SUBMITTED, Side.EXPERT) is D.SUBMITTED
    assert eng.step(D.SUBMITTED, D.REJECTED, Side.SME) is D.REJECTED
    assert eng.step(D.REJECTED, D.SUBMITTED, Side.EXPERT) is D.SUBMITTED
    with pytest.raises(Forbidden) as side:
        eng.step(D.SUBMITTED, D.ACCEPTED, Side.EXPERT)
    assert side.value.rule == "talent_deliverable_side"
    with pytest.raises(Conflict) as final:
        eng.step(D.ACCEPTED, D.SUBMITTED, Side.EXPERT)
    assert final.value.rule == "talent_deliverable_step"


def test_one_rating_by_the_sme_after_delivery():
    eng.may_rate([D.ACCEPTED, D.ACCEPTED], False, Side.SME)
    with pytest.raises(Conflict) as early:
        eng.may_rate([D.ACCEPTED, D.SUBMITTED], False, Side.SME)
    assert early.value.rule == "talent_not_delivered"
    with pytest.raises(Conflict) as none:
        eng.may_rate([], False, Side.SME)
    assert none.value.rule == "talent_not_delivered"
    with pytest.raises(Conflict) as twice:
        eng.may_rate([D.ACCEPTED], True, Side.SME)
    assert twice.value.rule == "talent_rated"
    with pytest.raises(Forbidden):
        eng.may_rate([D.ACCEPTED], False, Side.EXPERT)


def test_the_cost_of_a_full_time_hire_for_the_same_period():
    rows = eng.load_salaries()
    c = eng.compare(
        rows, "example_cbec_specialist", date(2026, 1, 1), date(2026, 3, 1), Decimal("20000"), "CNY"
    )
    # 1 Jan to 1 Mar inclusive: 60 days; 180000 × 1.30 × 60 / 365 = 38465.753… → 38465.75
    assert c.days == 60 and c.full_time_cost == Decimal("38465.75")
    assert c.saving == Decimal("18465.75") and c.ratio == Decimal("0.5199")
    assert "EXAMPLE" in c.source
    other = eng.compare(
        rows, "example_cbec_specialist", date(2026, 1, 1), date(2026, 3, 1), Decimal("3000"), "USD"
    )
    assert other.full_time_cost is None and other.saving is None and other.currency == "CNY"
