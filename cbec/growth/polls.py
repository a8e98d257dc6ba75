"""A seller's poll on a product decision, as pure rules (no web, no database).

A poll asks one question about a product decision (``topic``: colour, size, feature, other)
and offers 2 to 10 distinct options. It is ``open`` until its seller closes it; a closed poll
takes no votes and keeps its results.

Votes come from verified buyers — buyers of one of the seller's orders — one per buyer and
poll. A vote is kept as its option, the market (the order's destination country) and the
buyer's segment (:func:`segment`), under a keyed hash of the buyer: the clear buyer never.

:func:`tally` counts the votes per option, per market and per segment; every figure is a
count with its share of the votes it is counted among (shares rounded to 4 places).
:func:`protect` suppresses the small cells of the breakdowns per market and per segment
(:mod:`cbec.growth.disclosure`); the counts per option stay exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from cbec.errors import Conflict, DocumentInvalid, Violation
from cbec.growth.disclosure import suppressed_cells

TOPICS = ("colour", "size", "feature", "other")
MIN_OPTIONS, MAX_OPTIONS = 2, 10
SEGMENTS = ("new", "repeat", "unknown")


class State(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


def check_options(options: list[str]) -> list[Violation]:
    """Options are distinct once trimmed and case-folded ("Red" and "red " are one option)."""
    seen: dict[str, int] = {}
    out = []
    for i, option in enumerate(options):
        key = option.strip().casefold()
        if not key:
            out.append(Violation(f"options[{i}]", "missing"))
        elif key in seen:
            out.append(Violation(f"options[{i}]", "poll_option_repeated", {"other": seen[key]}))
        else:
            seen[key] = i
    return out


def check_vote(state: State, options: list[str], option: str) -> None:
    """409 ``poll_closed`` for a closed poll; 422 naming ``option`` for one not offered."""
    if state is State.CLOSED:
        raise Conflict("poll_closed", {})
    if option not in options:
        raise DocumentInvalid([Violation("option", "poll_option_unknown")])


def close(state: State) -> State:
    if state is State.CLOSED:
        raise Conflict("poll_closed", {})
    return State.CLOSED


def segment(orders_with_seller: int | None) -> str:
    """The buyer's segment with the seller: ``new`` (this is their only order with the
    seller), ``repeat`` (two or more), ``unknown`` when the order names no buyer identity
    the store can count orders by (the document has no ``subject_ref``).

    A documented simplification of the RFM segments of :mod:`cbec.analytics.customers`:
    RFM scores rank a buyer among all of the seller's buyers and would be computed over
    every order at each vote; the order count is one indexed look-up."""
    if orders_with_seller is None or orders_with_seller < 1:
        return "unknown"
    return "new" if orders_with_seller == 1 else "repeat"


@dataclass(frozen=True)
class Vote:
    option: str
    market: str
    segment: str


@dataclass(frozen=True)
class Count:
    """An option's votes in a group; ``votes`` and ``share`` are None when ``suppressed``."""

    option: str
    votes: int | None
    share: Decimal | None
    suppressed: bool = False


@dataclass(frozen=True)
class Results:
    votes: int
    options: list[Count]
    by_market: dict[str, list[Count]]
    by_segment: dict[str, list[Count]]


def share(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal("0.0000")
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _counts(options: list[str], votes: list[Vote]) -> list[Count]:
    n = Counter(v.option for v in votes)
    return [Count(o, n[o], share(n[o], len(votes))) for o in options]


def tally(options: list[str], votes: Iterable[Vote]) -> Results:
    """Counts per option (in the poll's order, options without votes included), and the
    same per market and per segment (each group's shares are of that group's votes)."""
    votes = list(votes)
    markets = sorted({v.market for v in votes})
    segments = [s for s in SEGMENTS if any(v.segment == s for v in votes)]
    return Results(
        votes=len(votes),
        options=_counts(options, votes),
        by_market={m: _counts(options, [v for v in votes if v.market == m]) for m in markets},
        by_segment={s: _counts(options, [v for v in votes if v.segment == s]) for s in segments},
    )


def _protected(groups: dict[str, list[Count]], min_count: int) -> dict[str, list[Count]]:
    names = list(groups)
    table = [[c.votes or 0 for c in groups[g]] for g in names]
    hidden = suppressed_cells(table, min_count)
    return {
        g: [
            Count(c.option, None, None, True) if h else c
            for c, h in zip(groups[g], row, strict=True)
        ]
        for g, row in zip(names, hidden, strict=True)
    }


def protect(results: Results, min_count: int) -> Results:
    """``results`` as they may be published: each breakdown (per market, per segment) with
    its small cells suppressed, primary and secondary, under ``min_count``
    (:func:`cbec.growth.disclosure.suppressed_cells`); the total and the counts per option
    unchanged."""
    return Results(
        votes=results.votes,
        options=results.options,
        by_market=_protected(results.by_market, min_count),
        by_segment=_protected(results.by_segment, min_count),
    )
