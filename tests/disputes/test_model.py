"""The pure core of dispute cases: the state machine, who may rule what, refunds against the
claim, and the deadlines read from dated rule data (a bad row refused with line and column)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from cbec.disputes import model as m
from cbec.errors import Conflict, DocumentInvalid, Forbidden
from cbec.ruledata import RuleDataError

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
CLAIM = Decimal("120.50")


def test_a_message_from_another_party_answers_an_open_case():
    assert m.after_message(m.State.OPEN, by_opener=True) is m.State.OPEN
    assert m.after_message(m.State.OPEN, by_opener=False) is m.State.RESPONDED
    assert m.after_message(m.State.RESPONDED, by_opener=True) is m.State.RESPONDED
    for final in m.FINAL:
        with pytest.raises(Conflict) as exc:
            m.after_message(final, by_opener=False)
        assert exc.value.rule == "dispute_final"


@pytest.mark.parametrize("state", [m.State.OPEN, m.State.RESPONDED])
def test_rulings(state):
    full = m.resolve(state, m.Side.PLATFORM, False, m.Outcome.REFUND_FULL, CLAIM, None)
    assert (full.state, full.refund) == (m.State.RESOLVED, CLAIM)
    part = m.resolve(state, m.Side.REGULATOR, True, m.Outcome.REFUND_PARTIAL, CLAIM, Decimal("1"))
    assert (part.state, part.refund) == (m.State.RESOLVED, Decimal("1"))
    no = m.resolve(state, m.Side.PLATFORM, False, m.Outcome.REJECTED, CLAIM, None)
    assert (no.state, no.refund) == (m.State.RESOLVED, None)
    conceded = m.resolve(state, m.Side.SELLER, False, m.Outcome.REFUND_FULL, CLAIM, CLAIM)
    assert conceded.refund == CLAIM
    gone = m.resolve(state, m.Side.SELLER, True, m.Outcome.WITHDRAWN, CLAIM, None)
    assert (gone.state, gone.outcome) == (m.State.CLOSED, m.Outcome.WITHDRAWN)


@pytest.mark.parametrize(
    ("side", "opener", "outcome", "refund", "error", "rule"),
    [
        (m.Side.SELLER, False, m.Outcome.REJECTED, None, Forbidden, "dispute_ruling_forbidden"),
        (m.Side.PLATFORM, False, m.Outcome.WITHDRAWN, None, Forbidden, "dispute_withdraw_opener"),
        (m.Side.PLATFORM, False, m.Outcome.REFUND_PARTIAL, None, DocumentInvalid, "missing"),
        (
            m.Side.PLATFORM,
            False,
            m.Outcome.REFUND_PARTIAL,
            CLAIM,
            DocumentInvalid,
            "dispute_refund_partial",
        ),
        (
            m.Side.PLATFORM,
            False,
            m.Outcome.REFUND_PARTIAL,
            Decimal(0),
            DocumentInvalid,
            "dispute_refund_partial",
        ),
        (
            m.Side.PLATFORM,
            False,
            m.Outcome.REFUND_FULL,
            Decimal(1),
            DocumentInvalid,
            "dispute_refund_full",
        ),
        (
            m.Side.PLATFORM,
            False,
            m.Outcome.REJECTED,
            Decimal(1),
            DocumentInvalid,
            "dispute_refund_unexpected",
        ),
    ],
)
def test_refused_rulings(side, opener, outcome, refund, error, rule):
    with pytest.raises(error) as exc:
        m.resolve(m.State.OPEN, side, opener, outcome, CLAIM, refund)
    got = exc.value.violations[0] if isinstance(exc.value, DocumentInvalid) else exc.value
    assert got.rule == rule
    if isinstance(exc.value, DocumentInvalid):
        assert exc.value.violations[0].field == "refund_amount"


def test_a_final_case_is_not_ruled_again():
    for final in m.FINAL:
        with pytest.raises(Conflict):
            m.resolve(final, m.Side.PLATFORM, False, m.Outcome.REJECTED, CLAIM, None)


def test_deadlines_follow_the_reason_and_are_missed_only_while_undecided():
    rules = m.load_rules()
    assert {r["reason"] for r in rules} == set(m.REASONS)
    assert all("platform's own policy" in r.source for r in rules)
    dl = m.deadlines(rules, "unauthorised_charge", AT)
    assert (dl.response_due - AT, dl.resolution_due - AT) == (timedelta(days=3), timedelta(days=10))
    late = AT + timedelta(days=4)
    assert m.overdue(m.State.OPEN, dl, late) == ["response"]
    assert m.overdue(m.State.RESPONDED, dl, late) == []
    assert m.overdue(m.State.RESPONDED, dl, AT + timedelta(days=11)) == ["resolution"]
    assert m.overdue(m.State.RESOLVED, dl, AT + timedelta(days=99)) == []
    assert m.time_to_resolution(AT, AT + timedelta(hours=30)) == timedelta(hours=30)
    assert m.time_to_resolution(AT, None) is None


def test_a_reason_without_a_row_on_the_day_is_not_guessed(tmp_path: Path):
    table = tmp_path / "deadlines.csv"
    table.write_text(
        "reason,response_days,resolution_days,effective_from,effective_to,source\n"
        "damaged,7,15,2027-01-01,,test\n",
        encoding="utf-8",
    )
    with pytest.raises(LookupError):
        m.deadlines(m.load_rules(table), "damaged", AT)


def test_a_bad_row_is_refused_with_its_line_and_column(tmp_path: Path):
    table = tmp_path / "deadlines.csv"
    table.write_text(
        "reason,response_days,resolution_days,effective_from,effective_to,source\n"
        "damaged,seven,15,2024-01-01,,test\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleDataError) as exc:
        m.load_rules(table)
    assert (exc.value.line, exc.value.column) == (2, "response_days")


def test_claims():
    assert m.check_claim(Decimal("10.00"), "CNY") == []
    fields = [(v.field, v.rule) for v in m.check_claim(Decimal("-1"), "cny")]
    assert fields == [("claim.amount", "greater_than"), ("claim.currency", "currency_code")]
    assert m.check_claim(Decimal("1.005"), "USD")[0].rule == "decimal_max_places"
