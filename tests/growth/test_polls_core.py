"""The poll's pure rules: distinct options, votes only on an open poll for an offered option,
the segment, and the tally per option, market and segment."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from cbec.errors import Conflict, DocumentInvalid
from cbec.growth import polls
from cbec.growth.polls import State, Vote


def test_options_are_distinct_once_trimmed_and_case_folded():
    assert polls.check_options(["Red", "Blue"]) == []
    problems = polls.check_options(["Red", "blue", " red ", ""])
    assert [(p.field, p.rule, p.params) for p in problems] == [
        ("options[2]", "poll_option_repeated", {"other": 0}),
        ("options[3]", "missing", {}),
    ]


def test_a_vote_needs_an_open_poll_and_an_offered_option():
    polls.check_vote(State.OPEN, ["Red", "Blue"], "Red")
    with pytest.raises(DocumentInvalid) as e:
        polls.check_vote(State.OPEN, ["Red", "Blue"], "Green")
    assert e.value.violations[0].field == "option"
    with pytest.raises(Conflict):
        polls.check_vote(State.CLOSED, ["Red", "Blue"], "Red")
    with pytest.raises(Conflict):
        polls.close(State.CLOSED)


def test_segment_is_new_repeat_or_unknown():
    assert [polls.segment(n) for n in (None, 0, 1, 2, 7)] == [
        "unknown",
        "unknown",
        "new",
        "repeat",
        "repeat",
    ]


def test_tally_counts_per_option_market_and_segment():
    votes = [
        Vote("Red", "US", "new"),
        Vote("Red", "US", "repeat"),
        Vote("Blue", "DE", "new"),
    ]
    res = polls.tally(["Red", "Blue", "Green"], votes)
    assert res.votes == 3
    assert [(c.option, c.votes, c.share) for c in res.options] == [
        ("Red", 2, D("0.6667")),
        ("Blue", 1, D("0.3333")),
        ("Green", 0, D("0")),
    ]
    assert [(c.option, c.votes) for c in res.by_market["US"]] == [
        ("Red", 2),
        ("Blue", 0),
        ("Green", 0),
    ]
    assert list(res.by_market) == ["DE", "US"]
    assert [(c.option, c.share) for c in res.by_segment["new"]][:2] == [
        ("Red", D("0.5000")),
        ("Blue", D("0.5000")),
    ]
    assert list(res.by_segment) == ["new", "repeat"]
