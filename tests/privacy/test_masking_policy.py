"""The masking operators and the per-reader policy table that picks them
(cbec/privacy/masking.py, cbec/privacy/masking_policy.py, data/masking_policy.csv)."""

from __future__ import annotations

import csv
import hashlib
import hmac
from datetime import date
from pathlib import Path

import pytest

from cbec.privacy import masking, masking_policy
from cbec.privacy.inventory import INVENTORY
from cbec.ruledata import RuleDataError
from cbec.trade.kinds import KINDS

KEY = bytes(range(32))
HEADER = "reader,user_role,pi,operator,effective_from,effective_to,source\n"


def _hmac16(value: str) -> str:
    """RFC 2104 HMAC-SHA-256 with the purpose prefix, computed here without cbec's helper."""
    return hmac.new(KEY, b"mask\x00" + value.encode(), hashlib.sha256).hexdigest()[:16]


@pytest.mark.parametrize(
    "value,mask",
    [("11010519491231002X", "id_number"), ("13812345678", "phone"), ("张三丰", "name")],
)
def test_each_operator_against_an_independent_oracle(value: str, mask: str) -> None:
    assert masking.apply("clear", mask, value, KEY) == value
    assert masking.apply("partial", mask, value, KEY) == masking.MASKERS[mask](value)
    assert masking.apply("full", mask, value, KEY) == "*" * len(value)
    assert masking.apply("hash", mask, value, KEY) == _hmac16(value)
    assert masking.apply("hash", mask, value, KEY) != masking.apply("hash", mask, value, KEY[::-1])
    assert masking.apply("redact", mask, value, KEY) is None
    with pytest.raises(ValueError):
        masking.apply("blur", mask, value, KEY)


def test_the_pseudonym_is_not_the_blind_index_of_the_same_value() -> None:
    """Purpose separation: a masked value cannot be joined to the subject index."""
    from cbec.privacy.pseudonym import keyed_hash

    assert (
        masking.pseudonym(KEY, "110105194912310021")
        != keyed_hash(KEY, "subject", "110105194912310021")[:16]
    )


def _dates(path: Path) -> set[date]:
    rows = masking_policy.load(path).rules
    return {r.row.effective_from for r in rows} | {date.today()}


def test_the_policy_covers_every_reader_and_level_on_every_date() -> None:
    policy = masking_policy.current()
    for on in _dates(masking_policy.POLICY):
        assert policy.gaps(on) == [], on
        for reader in masking_policy.READERS:
            for role in (None, "admin", "operator", "viewer"):
                chosen = policy.by_level(reader, role, on)
                assert set(chosen.values()) <= set(masking.OPERATORS)
                # only the filer sees clear values; the filer always does
                assert (set(chosen.values()) == {"clear"}) == (reader == "filer")


def _table(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "policy.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _current_rows() -> list[str]:
    lines = masking_policy.POLICY.read_text(encoding="utf-8").splitlines()
    return [line for line in lines[2:] if line]


def test_a_reader_and_level_without_a_row_is_a_gap(tmp_path: Path) -> None:
    rows = [r for r in _current_rows() if not r.startswith("payment,,sensitive,")]
    policy = masking_policy.load(_table(tmp_path, rows))
    assert policy.gaps(date(2026, 1, 1)) == ["payment × sensitive"]
    with pytest.raises(masking_policy.PolicyGap):
        policy.operator("payment", None, "sensitive", date(2026, 1, 1))
    # the table's payment × viewer × sensitive row is still there: it does not cover readers
    # who are not viewers
    assert any(r.startswith("payment,viewer,sensitive,") for r in rows)


@pytest.mark.parametrize(
    "row,column",
    [
        ("seller,,personal,blur,2024-10-01,,test", "operator"),
        ("buyer,,personal,full,2024-10-01,,test", "reader"),
        ("seller,guest,personal,full,2024-10-01,,test", "user_role"),
        ("seller,,secret,full,2024-10-01,,test", "pi"),
        ("seller,,personal,clear,2024-10-01,,test", "operator"),  # clear is the filer's
        ("filer,,personal,partial,2024-10-01,,test", "operator"),  # the filer sees clear
        ("seller,,personal,full,2025-06-01,,test", "effective_from"),  # overlaps a row
        ("seller,,personal,full,2024-10-01,,", "source"),
    ],
)
def test_a_bad_row_is_refused_naming_line_and_column(tmp_path: Path, row, column) -> None:
    rows = [*_current_rows(), row]
    with pytest.raises(RuleDataError) as refused:
        masking_policy.load(_table(tmp_path, rows))
    assert refused.value.column == column
    assert refused.value.line == len(rows) + 1  # the header is line 1


def test_dated_rows_apply_on_their_dates_and_a_user_role_row_wins(tmp_path: Path) -> None:
    rows = [r for r in _current_rows() if not r.startswith("seller,,sensitive,")]
    rows += [
        "seller,,sensitive,partial,2024-10-01,2025-12-31,test",
        "seller,,sensitive,hash,2026-01-01,,test",
        "seller,admin,sensitive,full,2024-10-01,,test",
    ]
    policy = masking_policy.load(_table(tmp_path, rows))
    assert policy.operator("seller", None, "sensitive", date(2025, 12, 31)) == "partial"
    assert policy.operator("seller", None, "sensitive", date(2026, 1, 1)) == "hash"
    assert policy.operator("seller", "operator", "sensitive", date(2026, 1, 1)) == "hash"
    assert policy.operator("seller", "admin", "sensitive", date(2026, 1, 1)) == "full"
    assert policy.operator("seller", "viewer", "sensitive", date(2026, 1, 1)) == "redact"


def test_field_operators_follow_the_inventory_levels() -> None:
    """Oracle: the inventory file read with the csv module, not cbec's loader."""
    with INVENTORY.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    levels = {(r["kind"], r["field"]): r["pi"] for r in csv.DictReader(lines)}
    by_level = {"personal": "partial", "sensitive": "redact"}
    for name, kind in KINDS.items():
        chosen = masking_policy.field_operators(name, kind.pii, by_level)
        for path, operator in chosen.items():
            expected = "redact" if levels[(name, path)] == "sensitive" else "partial"
            assert operator == expected, (name, path)
    assert set(masking_policy.free_text_fields("order")) == {"note"}
    assert set(masking_policy.free_text_fields("waybill")) == {"events[].note"}


def test_the_readme_table_is_the_policy_in_force() -> None:
    """The README's table (between its markers) says what the table file says today."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- masking-policy:start -->")[1].split("<!-- masking-policy:end -->")[0]
    rows = [line.strip("|").split("|") for line in table.strip().splitlines()[2:]]
    shown = {cells[0].strip().split()[0]: [c.strip() for c in cells[1:]] for cells in rows}
    readers = {"filer": "filer", "seller": "seller", "platform": "platform", "payment": "payment"}
    readers |= {"logistics": "logistics", "regulator": "regulator"}
    for word, reader in readers.items():
        chosen = masking_policy.for_reader(reader, None)
        assert shown[word] == [chosen["personal"], chosen["sensitive"]], reader
    for reader in masking_policy.READERS[1:]:
        chosen = masking_policy.for_reader(reader, "viewer")
        assert shown["console"] == [chosen["personal"], chosen["sensitive"]], reader
