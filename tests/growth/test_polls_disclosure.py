"""Small-count suppression of poll results (cbec.growth.disclosure): primary and secondary
suppression checked cell by cell on hand-computed tables, no suppressed count recoverable
by subtraction from the published totals, and the threshold read from its rule data."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from cbec import ruledata
from cbec.growth import disclosure, polls
from cbec.growth.polls import Vote
from cbec.services import polls as svc
from tests.growth.world import open_poll, order, vote

S = None  # a suppressed cell, in the tables below

OPTIONS = ["Red", "Sage", "Cream"]
# Per market (rows) and option (columns), hand-made: CN's 3 and DK's 1 are below 5.
MARKETS = {"CN": [12, 7, 3], "DE": [6, 9, 8], "DK": [1, 0, 0], "US": [9, 6, 5]}
# Per segment, the same option totals (28, 22, 16): repeat's 3s, unknown's 1 and 2 below 5.
SEGMENTS = {"new": [21, 17, 13], "repeat": [6, 3, 3], "unknown": [1, 2, 0]}


def published(table: dict[str, list[int]], k: int) -> dict[str, list[int | None]]:
    grid = list(table.values())
    hidden = disclosure.suppressed_cells(grid, k)
    return {
        g: [None if h else n for n, h in zip(row, mask, strict=True)]
        for (g, row), mask in zip(table.items(), hidden, strict=True)
    }


def test_primary_and_secondary_suppression_cell_by_cell():
    # Markets, k = 5. Primary: CN·Cream (3), DK·Red (1). Pass 1, rows: CN holds one, its
    # smallest published cell is Sage (7 < 12); DK holds one, its smallest is Sage (0, the
    # first of two zeros). Columns: Red holds one (DK), its smallest is DE (6); Sage holds
    # two; Cream holds one (CN), its smallest is DK (0). Pass 2, rows: DE holds one (Red),
    # its smallest is Cream (8 < 9). Pass 3: every row and column holds none or two or more.
    assert published(MARKETS, 5) == {
        "CN": [12, S, S],
        "DE": [S, 9, S],
        "DK": [S, S, S],
        "US": [9, 6, 5],
    }
    # Segments, k = 5. Primary: repeat·Sage, repeat·Cream (3, 3), unknown·Red, unknown·Sage
    # (1, 2); unknown·Cream is 0, not primary. Rows hold two each. Columns: Red holds one
    # (unknown), its smallest is repeat (6 < 21); Sage holds two; Cream holds one (repeat),
    # its smallest is unknown (0 < 13). Then every row and column holds two or three.
    assert published(SEGMENTS, 5) == {
        "new": [21, 17, 13],
        "repeat": [S, S, S],
        "unknown": [S, S, S],
    }
    # a lower threshold, k = 2: only DK·Red (1) is primary. Pass 1, rows: DK's complement is
    # Sage (0). Columns: Red's is DE (6 < 9 < 12); Sage now holds one (DK), its complement is
    # US (6 < 7 < 9); Cream holds none. Pass 2, rows: DE holds one (Red), its complement is
    # Cream (8 < 9); US holds one (Sage), its complement is Cream (5 < 9). Then every row
    # and column holds none or two.
    assert published(MARKETS, 2) == {
        "CN": [12, 7, 3],
        "DE": [S, 9, S],
        "DK": [S, S, 0],
        "US": [9, S, S],
    }
    # nothing small: nothing suppressed; a breakdown of one group repeats the exact totals
    assert published({"CN": [5, 0, 9], "US": [6, 7, 0]}, 5) == {"CN": [5, 0, 9], "US": [6, 7, 0]}
    assert published({"CN": [1, 0, 0]}, 5) == {"CN": [S, S, 0]}


def votes_of(markets: dict[str, list[int]], segments: dict[str, list[int]]) -> list[Vote]:
    """Votes whose counts per option × market and per option × segment are the tables."""
    out = []
    for i, option in enumerate(OPTIONS):
        ms = [m for m, row in markets.items() for _ in range(row[i])]
        ss = [s for s, row in segments.items() for _ in range(row[i])]
        out += [Vote(option, m, s) for m, s in zip(ms, ss, strict=True)]
    random.Random(7).shuffle(out)
    return out


def test_the_published_results_keep_totals_exact_and_hide_the_cells():
    res = polls.protect(polls.tally(OPTIONS, votes_of(MARKETS, SEGMENTS)), 5)
    assert res.votes == 66
    assert [(c.option, c.votes, c.share, c.suppressed) for c in res.options] == [
        ("Red", 28, D("0.4242"), False),
        ("Sage", 22, D("0.3333"), False),
        ("Cream", 16, D("0.2424"), False),
    ]
    cn = res.by_market["CN"]  # 22 votes in CN: 12/22 published, the others not
    assert [(c.votes, c.share, c.suppressed) for c in cn] == [
        (12, D("0.5455"), False),
        (None, None, True),
        (None, None, True),
    ]
    assert {m: [c.votes for c in cs] for m, cs in res.by_market.items()} == published(MARKETS, 5)
    assert {s: [c.votes for c in cs] for s, cs in res.by_segment.items()} == published(SEGMENTS, 5)


def solve_by_subtraction(
    table: dict[str, list[int | None]], row_totals: dict[str, int], col_totals: list[int]
) -> dict[tuple[str, int], int]:
    """What a reader of the published table works out: a row or column with one unknown
    cell gives it as its total less the known cells; solved cells become known, and the
    reader goes on until nothing more is solved."""
    known = {(g, i): n for g, row in table.items() for i, n in enumerate(row) if n is not None}
    solved: dict[tuple[str, int], int] = {}
    lines = [([(g, i) for i in range(len(col_totals))], row_totals[g]) for g in table]
    lines += [([(g, i) for g in table], col_totals[i]) for i in range(len(col_totals))]
    progress = True
    while progress:
        progress = False
        for cells, total in lines:
            unknown = [c for c in cells if c not in known]
            if len(unknown) == 1:
                value = total - sum(known[c] for c in cells if c in known)
                known[unknown[0]] = solved[unknown[0]] = value
                progress = True
    return solved


def totals(table: dict[str, list[int]]) -> tuple[dict[str, int], list[int]]:
    # a group's total is published in effect (its published cells' shares give it), and the
    # per-option totals exactly
    return {g: sum(row) for g, row in table.items()}, [
        sum(c) for c in zip(*table.values(), strict=True)
    ]


def test_no_suppressed_count_is_recovered_from_the_published_totals():
    # the reader's method works: with primary suppression alone, DK's single voter is found
    primary = {g: [None if 0 < n < 5 else n for n in row] for g, row in MARKETS.items()}
    assert solve_by_subtraction(primary, *totals(MARKETS)) == {("CN", 2): 3, ("DK", 0): 1}
    for table in (MARKETS, SEGMENTS):
        assert solve_by_subtraction(published(table, 5), *totals(table)) == {}
    # and on many tables of small counts (two to six groups, two to ten options)
    rng = random.Random(20261206)
    hidden_cells = 0
    for _ in range(400):
        width = rng.randint(2, 10)
        table = {
            f"G{g}": [rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 9, 14)) for _ in range(width)]
            for g in range(rng.randint(2, 6))
        }
        shown = published(table, rng.choice((3, 5, 10)))
        hidden_cells += sum(n is None for row in shown.values() for n in row)
        assert solve_by_subtraction(shown, *totals(table)) == {}, table
    assert hidden_cells > 1000  # the tables did have cells to protect


def test_the_threshold_is_rule_data(tmp_path: Path):
    # the row in force: 5, on the authority it names
    rule = disclosure.threshold(disclosure.load_rules(), date(2026, 12, 6))
    assert rule.min_count == 5 and "Threshold rule" in rule.source
    path = tmp_path / "disclosure.csv"
    path.write_text(
        "min_count,effective_from,effective_to,source\n"
        "5,2024-01-01,2026-06-30,old policy\n"
        "10,2026-07-01,,new policy\n"
    )
    rows = disclosure.load_rules(path)
    assert disclosure.threshold(rows, date(2026, 6, 30)) == disclosure.Threshold(5, "old policy")
    assert disclosure.threshold(rows, date(2026, 7, 1)) == disclosure.Threshold(10, "new policy")
    with pytest.raises(LookupError):  # a day no row covers
        disclosure.threshold(rows, date(2023, 12, 31))
    path.write_text("min_count,effective_from,effective_to,source\n0,2024-01-01,,x\n")
    with pytest.raises(ruledata.RuleDataError) as bad:
        disclosure.load_rules(path)
    assert (bad.value.line, bad.value.column) == (2, "min_count")


def test_the_results_follow_the_threshold_in_force(client, parties, monkeypatch, tmp_path):
    """The use case reads the threshold from the rule table: with a minimum of 2, a market
    of two voters would be published, one of a single voter is not (nor, then, its complements)."""
    path = tmp_path / "disclosure.csv"
    path.write_text("min_count,effective_from,effective_to,source\n2,2024-01-01,,test policy\n")
    monkeypatch.setattr(svc, "_thresholds", lambda: disclosure.load_rules(path))
    seller, platform = parties["seller-a"], parties["platform-a"]
    poll = open_poll(client, seller)
    for n, (acct, country) in enumerate((("t-1", "CN"), ("t-2", "CN"), ("t-3", "US"))):
        oid, _ = order(client, parties, f"TH-{n}", acct, country)
        assert vote(client, platform, poll["id"], oid, acct, "Red").status_code == 201
    res = client.get(f"/polls/{poll['id']}", headers=seller.headers).json()["results"]
    assert res["disclosure"] == {"min_count": 2, "source": "test policy"}
    # CN [2, 0, 0] and US [1, 0, 0]: US·Red (1 < 2) is primary, US·Sage (0) its row's
    # complement; the Red column then holds one, its complement is CN·Red (2), the Sage
    # column one, its complement CN·Sage (0); then each row and column holds two
    assert {m: [c["votes"] for c in cs] for m, cs in res["by_market"].items()} == {
        "CN": [S, S, 0],
        "US": [S, S, 0],
    }
    assert [c["votes"] for c in res["options"]] == [3, 0, 0]
    assert [c["votes"] for c in res["by_segment"]["new"]] == [3, 0, 0]  # 3 ≥ 2: published
