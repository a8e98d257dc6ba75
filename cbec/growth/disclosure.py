"""Small-count suppression of poll results (statistical disclosure control), as pure rules.

A poll's results are broken down per option × market and per option × segment. A cell
counting one voter from market DK tells whoever reads it how that buyer voted; the seller
who reads its poll knows its buyers (it shipped to them), so a small cell singles one out.
The usual rule for frequency tables is the **threshold rule**: a cell is *sensitive* when
it counts fewer than a minimum number of contributors — "some agencies require at least five
respondents in a cell, others require three" (OECD Glossary of Statistical Terms,
"Threshold rule", from the Glossary of Statistical Disclosure Control of the Joint
UNECE/Eurostat work session, 2005). The minimum is rule data
(``data/disclosure.csv``: ``min_count`` with ``effective_from``, ``effective_to`` and
``source``), the row in force on the day the results are read.

**Primary suppression.** A cell with ``0 < count < min_count`` is suppressed: neither its
count nor its share is published. A zero is published: it counts nobody (beside suppressed
cells it still says that no voter of its group chose that option).

**Secondary (complementary) suppression.** The per-option totals are published exactly and
each group's total can be read off the shares of its published cells, so a cell that is the
only one suppressed in its row (a group) or in its column (an option, within one breakdown)
would be recovered by subtraction from that total. Hundepool et al., *Handbook on
Statistical Disclosure Control* (ESSnet SDC, Eurostat), ch. 4 (cell suppression) and ch. 5
(frequency tables), call for complementary suppressions for that reason. The rule here is
the simple heuristic, not an optimal (linear-programming) one such as τ-ARGUS's: each row
(groups in their order), then each column (options in the poll's order), that holds exactly
one suppressed cell has its smallest published cell suppressed too (the first among equals,
a zero included), and the passes repeat until no row or column holds exactly one — so that
no suppressed count is the difference of a total and published cells. Limits, said plainly:
a breakdown of one group only (every voter from one market) repeats the per-option totals,
which are exact by design, so its cells add nothing to them and cannot be hidden by
suppression; and the heuristic guards against subtraction along rows and columns, not
against every bound a linear program could derive from nonnegative counts. The two
breakdowns share only the option totals (no cell of one is a sum of cells of the other), so
suppressing each by itself protects both.

Alternatively small markets could be folded into an "other" group (table redesign): it
keeps fewer cells but needs the same secondary step whenever "other" itself stays small,
and segments are three fixed groups that cannot be folded, so the cells are suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cbec import ruledata

THRESHOLDS = Path(__file__).resolve().parent / "data" / "disclosure.csv"


@dataclass(frozen=True)
class Threshold:
    """The minimum count a published cell needs, and on whose authority."""

    min_count: int
    source: str


def load_rules(path: Path = THRESHOLDS) -> list[ruledata.Row]:
    """The threshold table, checked (a bad row is refused with file, line and column)."""
    rows = ruledata.load(path, required=("min_count",))
    for row in rows:
        if not row["min_count"].isdigit() or int(row["min_count"]) < 1:
            raise ruledata.RuleDataError(path, row.line, "min_count", "must be a whole count")
    return rows


def threshold(rows: list[ruledata.Row], on: date) -> Threshold:
    """The threshold in force on ``on`` (exactly one row must be)."""
    row = ruledata.one(rows, on, "poll disclosure threshold")
    return Threshold(int(row["min_count"]), row.source)


def suppressed_cells(table: list[list[int]], min_count: int) -> list[list[bool]]:
    """Which cells of ``table`` (rows: groups, columns: options) are suppressed: primary
    (``0 < count < min_count``) then secondary, until every row and column holds none or
    at least two suppressed cells (see the module doc)."""
    hidden = [[0 < n < min_count for n in row] for row in table]
    lines = [[(r, c) for c in range(len(row))] for r, row in enumerate(table)]
    width = max((len(row) for row in table), default=0)
    lines += [[(r, c) for r in range(len(table)) if c < len(table[r])] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[r][c] for r, c in line) != 1:
                continue
            shown = [(table[r][c], i) for i, (r, c) in enumerate(line) if not hidden[r][c]]
            if shown:  # none: a line of one cell (a breakdown of a single group)
                r, c = line[min(shown)[1]]
                hidden[r][c] = changed = True
    return hidden
