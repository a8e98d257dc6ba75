"""Rule tables are refused whole, naming file, physical line and column, when a row lacks
its validity window or source; dates select the rows in force."""

from __future__ import annotations

from datetime import date

import pytest

from cbec import ruledata

HEADER = "# a comment\n# another\nid,rate,effective_from,effective_to,source\n"


def table(tmp_path, body: str):
    path = tmp_path / "t.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        ("a,0.1,2020-01-01,,gazette\nb,0.2,2020-01-01,,\n", 5, "source"),
        ("a,0.1,2020-13-01,,gazette\n", 4, "effective_from"),
        ("a,0.1,2020-01-02,2020-01-01,gazette\n", 4, "effective_to"),
        ("a,ten,2020-01-01,,gazette\n", 4, "rate"),
        ("a,0.1,,,gazette\n", 4, "effective_from"),
    ],
)
def test_a_bad_row_is_named_by_physical_line_and_column(tmp_path, body, line, column):
    with pytest.raises(ruledata.RuleDataError) as exc:
        ruledata.load(table(tmp_path, body), decimals=("rate",))
    assert (exc.value.line, exc.value.column) == (line, column)
    assert str(exc.value).startswith(f"{tmp_path / 't.csv'}:{line}: {column}:")


def test_missing_column_and_selection_by_date(tmp_path):
    with pytest.raises(ruledata.RuleDataError, match="kind: column missing"):
        ruledata.load(table(tmp_path, ""), required=("kind",))
    rows = ruledata.load(
        table(tmp_path, "old,0.1,2019-01-01,2020-12-31,a\nnew,0.2,2021-01-01,,b\n"),
        decimals=("rate",),
    )
    assert [r["id"] for r in ruledata.in_force(rows, date(2020, 12, 31))] == ["old"]
    assert ruledata.one(rows, date(2021, 1, 1), "rate").decimal("rate") == ruledata.Decimal("0.2")
    with pytest.raises(LookupError, match="expected one rule row, found none"):
        ruledata.one(rows, date(2018, 1, 1), "rate")
