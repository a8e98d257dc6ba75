"""The CBEC positive list: loading (CSV through the shared rule-data loader, official-style
xlsx annex), and check() statuses by date, channel and quantity.

The status tests use a small synthetic table written here, not the shipped sample: the
sample's rows are unverified, and a test must not read as a claim about the real list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from cbec.ruledata import Row, RuleDataError
from cbec.tax import positive_list as pl
from cbec.tax.positive_list import (
    ALLOWED,
    CONDITIONS_APPLY,
    NOT_ON_LIST,
    AnnexFormatError,
    NotCovered,
    PositiveList,
)

HEADER = ",".join(pl.COLUMNS)
FIXTURE = "test fixture (synthetic)"


def _csv(tmp_path: Path, *lines: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    # No "#" comment line: the loader's line numbers would then skip it (see ruledata.load).
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", "utf-8")
    return path


@pytest.fixture
def plist(tmp_path: Path) -> PositiveList:
    path = _csv(
        tmp_path,
        f"33049900,其他美容化妆品,,false,,,2019,2020-01-01,,{FIXTURE},yes,",
        f"03061100,冻岩礁虾,仅限网购保税商品,true,,,2019,2020-01-01,,{FIXTURE},yes,",
        f"19011010,配方奶粉,每单限购6件,false,6,,2019,2020-01-01,,{FIXTURE},yes,",
        f"95061100,滑雪屐,,false,,,2022,2022-03-01,,{FIXTURE},yes,",
        f"04079090,其他蛋,列入《进出口野生动植物种商品目录》的商品除外,false,,"
        f"CITES-listed species,2019,2020-01-01,2022-02-28,{FIXTURE},yes,",
        f"04079090,其他蛋,,false,,,2022,2022-03-01,,{FIXTURE},yes,",
        f"17019990,其他精制糖,每人每年限2千克,false,,,2019,2020-01-01,,{FIXTURE},yes,",
    )
    return PositiveList.load_csv(path)


ON = date(2023, 6, 1)


# --------------------------------------------------------------------------- the sample


def test_sample_file_is_labelled_as_a_sample() -> None:
    first = pl.SAMPLE.read_text("utf-8").splitlines()[0]
    assert first.startswith("#")
    assert "SAMPLE" in first and "NOT the positive list" in first
    sample = PositiveList.load_sample()
    assert sample.is_sample
    assert 15 <= len(sample.rows) <= 25
    assert {r.get("edition") for r in sample.rows} <= {"2019", "2022"}


def test_sample_rows_are_flagged_unverified_with_a_reason() -> None:
    for row in PositiveList.load_sample().rows:
        if row.get("verified") == "no":
            assert row.get("note"), f"line {row.line} unverified without a note"


def test_finding_from_the_sample_says_so() -> None:
    finding = pl.check("04090000", ON, channel="bonded")
    assert any("SAMPLE" in n for n in finding.notes)
    missing = pl.check("84713000", ON, channel="bonded")
    assert missing.status == NOT_ON_LIST
    assert any("not in the sample" in n for n in missing.notes)


# --------------------------------------------------------------------------- loader validation


def test_row_without_source_is_refused_naming_the_line(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        f"33049900,其他美容化妆品,,false,,,2019,2020-01-01,,{FIXTURE},yes,",
        "33051000,洗发剂,,false,,,2019,2020-01-01,,,yes,",
    )
    with pytest.raises(RuleDataError) as err:
        PositiveList.load_csv(path)
    assert (err.value.line, err.value.column) == (3, "source")
    assert ":3: source" in str(err.value)


@pytest.mark.parametrize(
    ("line", "column"),
    [
        (f"3304990,x,,false,,,2019,2020-01-01,,{FIXTURE},yes,", "tariff_line"),
        (f"33049900,x,,maybe,,,2019,2020-01-01,,{FIXTURE},yes,", "bonded_only"),
        (f"33049900,x,仅限网购保税商品,false,,,2019,2020-01-01,,{FIXTURE},yes,", "bonded_only"),
        (f"33049900,x,,false,0,,2019,2020-01-01,,{FIXTURE},yes,", "max_qty"),
        (f"33049900,x,,false,six,,2019,2020-01-01,,{FIXTURE},yes,", "max_qty"),
        (f"33049900,x,,false,,,2019,2020-01-01,,{FIXTURE},perhaps,", "verified"),
        (f"33049900,x,,false,,,,2020-01-01,,{FIXTURE},yes,", "edition"),
    ],
)
def test_bad_values_are_refused_by_column(tmp_path: Path, line: str, column: str) -> None:
    with pytest.raises(RuleDataError) as err:
        PositiveList.load_csv(_csv(tmp_path, line))
    assert (err.value.line, err.value.column) == (2, column)


def test_overlapping_rows_for_one_line_are_refused(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        f"33049900,x,,false,,,2019,2020-01-01,,{FIXTURE},yes,",
        f"33049900,x,,false,,,2022,2022-03-01,,{FIXTURE},yes,",
    )
    with pytest.raises(RuleDataError, match="overlaps the row at line 2"):
        PositiveList.load_csv(path)


def test_from_rows_validates_hand_built_rows() -> None:
    values = dict.fromkeys(pl.COLUMNS, "")
    values |= {"tariff_line": "33049900", "name_zh": "x", "edition": "2019"}
    values |= {"bonded_only": "false", "verified": "no", "source": ""}
    row = Row(values, date(2020, 1, 1), None, "", 7)
    with pytest.raises(RuleDataError) as err:
        PositiveList.from_rows([row], origin="memory")
    assert (err.value.path, err.value.line, err.value.column) == ("memory", 7, "source")


# --------------------------------------------------------------------------- check()


def test_allowed(plist: PositiveList) -> None:
    finding = plist.check("33049900", ON, channel="direct")
    assert finding.status == ALLOWED
    assert finding.conditions == () and finding.verified
    assert finding.edition == "2019" and FIXTURE in finding.rule and "line 2" in finding.rule


def test_bonded_only_line_via_direct_purchase(plist: PositiveList) -> None:
    finding = plist.check("03061100", ON, channel="direct")
    assert finding.status == CONDITIONS_APPLY
    assert finding.remarks == "仅限网购保税商品"
    (cond,) = finding.conditions
    assert cond.kind == "bonded_only" and cond.met is False
    assert "网购保税" in cond.text and "NOT met" in str(cond)
    assert finding.unmet == (cond,)


def test_bonded_only_line_via_bonded_import(plist: PositiveList) -> None:
    finding = plist.check("03061100", ON, channel="bonded")
    assert finding.status == CONDITIONS_APPLY
    assert [c.met for c in finding.conditions] == [True]
    assert finding.unmet == ()


def test_quantity_over_the_cap(plist: PositiveList) -> None:
    over = plist.check("19011010", ON, channel="bonded", qty=7)
    assert over.status == CONDITIONS_APPLY
    assert [(c.kind, c.met) for c in over.unmet] == [("max_qty", False)]
    within = plist.check("19011010", ON, channel="bonded", qty=Decimal(6))
    assert within.unmet == () and within.conditions[0].met is True


def test_not_on_list(plist: PositiveList) -> None:
    finding = plist.check("84713000", ON, channel="bonded")
    assert finding.status == NOT_ON_LIST
    assert finding.tariff_line == "84713000" and finding.conditions == ()
    assert not any("SAMPLE" in n for n in finding.notes)


def test_line_added_in_2022_is_not_on_the_list_before(plist: PositiveList) -> None:
    assert plist.check("95061100", date(2021, 6, 1), channel="bonded").status == NOT_ON_LIST
    assert plist.check("95061100", date(2022, 2, 28), channel="bonded").status == NOT_ON_LIST
    on_the_day = plist.check("95061100", date(2022, 3, 1), channel="bonded")
    assert on_the_day.status == ALLOWED and on_the_day.edition == "2022"


def test_remark_changed_by_a_later_edition(plist: PositiveList) -> None:
    before = plist.check("04079090", date(2022, 2, 28), channel="direct")
    assert before.status == CONDITIONS_APPLY and before.edition == "2019"
    (cond,) = before.conditions
    assert cond.kind == "exclusion" and cond.met is None and "CITES" in cond.text
    assert before.to_confirm == (cond,)
    after = plist.check("04079090", date(2022, 3, 1), channel="direct")
    assert after.status == ALLOWED and after.edition == "2022"


def test_unparsed_remark_is_passed_on_not_dropped(plist: PositiveList) -> None:
    finding = plist.check("17019990", ON, channel="bonded", qty=100)
    assert finding.status == CONDITIONS_APPLY
    (cond,) = finding.conditions
    assert cond.kind == "remark" and cond.met is None and "2千克" in cond.text


def test_date_before_the_earliest_edition_is_not_answered(plist: PositiveList) -> None:
    with pytest.raises(NotCovered, match="2019-12-31"):
        plist.check("33049900", date(2019, 12, 31), channel="bonded")


@pytest.mark.parametrize("code", ["3304990090", "3304.9900.90", "3304 99 00 90", "33049900"])
def test_ten_digit_code_matches_its_line(plist: PositiveList, code: str) -> None:
    finding = plist.check(code, ON, channel="bonded")
    assert finding.status == ALLOWED and finding.tariff_line == "33049900"
    assert finding.hs_code == code
    ten = len(code.replace(" ", "").replace(".", "")) == 10
    assert any("10-digit" in n for n in finding.notes) == ten


@pytest.mark.parametrize("code", ["3304", "330499", "3304990", "33049900A", "", "330499009", "x"])
def test_bad_code_is_refused_by_name(plist: PositiveList, code: str) -> None:
    with pytest.raises(ValueError, match=repr(code).replace(".", r"\.")):
        plist.check(code, ON, channel="bonded")


def test_bad_channel_and_quantity(plist: PositiveList) -> None:
    with pytest.raises(ValueError, match="channel"):
        plist.check("33049900", ON, channel="mail")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="qty"):
        plist.check("33049900", ON, channel="bonded", qty=0)
    with pytest.raises(TypeError, match="qty"):
        plist.check("33049900", ON, channel="bonded", qty=1.5)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- remark parsing


@pytest.mark.parametrize(
    ("remark", "bonded", "cap", "excluded"),
    [
        ("仅限网购保税商品", True, None, ""),
        ("仅限 网购保税 商品；每单限购6件", True, Decimal(6), ""),
        ("每单不超过 4 罐", False, Decimal(4), ""),
        ("每人每年限2千克", False, None, ""),
        (
            "列入《进出口野生动植物种商品目录》的商品除外；依法需要注册备案管理的特殊食品除外",
            False,
            None,
            "列入《进出口野生动植物种商品目录》的商品除外; 依法需要注册备案管理的特殊食品除外",
        ),
        ("", False, None, ""),
    ],
)
def test_conditions_derived_from_remarks(
    remark: str, bonded: bool, cap: Decimal | None, excluded: str
) -> None:
    assert pl.derive_bonded_only(remark) is bonded
    assert pl.derive_max_qty(remark) == cap
    assert pl.derive_excluded(remark) == excluded


# --------------------------------------------------------------------------- xlsx annex


def _annex(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "附件"
    ws.append(["跨境电子商务零售进口商品清单（2019年版）"])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


OFFICIAL_HEADER = ["序号", "税则号列", "商品描述", "备 注"]
ANNEX_ROWS: list[list[object]] = [
    ["第四章", None, None, None],
    [1, "0402.1000", "脂肪含量≤1.5%的固状乳及奶油", None],
    [2, 4090000, "天然蜂蜜", ""],
    [3, "3304990090", "其他美容化妆品", "仅限网购保税商品；每单限购6件"],
    [4, "04079090", "其他蛋", "列入《进出口野生动植物种商品目录》的商品除外"],
]


def _load(path: Path) -> PositiveList:
    return PositiveList.load_annex_xlsx(path, "2019", date(2020, 1, 1), "annex 2019 No. 96")


def test_annex_xlsx_is_loaded_with_derived_conditions(tmp_path: Path) -> None:
    plist = _load(_annex(tmp_path / "annex.xlsx", OFFICIAL_HEADER, ANNEX_ROWS))
    assert plist.lines_in_force(ON) == {"04021000", "04090000", "33049900", "04079090"}
    assert not plist.is_sample
    cosmetics = plist.row_for("33049900", ON)
    assert cosmetics is not None
    assert cosmetics.get("remarks") == "仅限网购保税商品；每单限购6件"  # raw text kept
    assert (cosmetics.get("bonded_only"), cosmetics.get("max_qty")) == ("true", "6")
    assert cosmetics.source == "annex 2019 No. 96" and cosmetics.line == 7
    eggs = plist.row_for("04079090", ON)
    assert eggs is not None and eggs.get("excluded").endswith("的商品除外")
    notes = " | ".join(plist.load_notes)
    assert "row 6: numeric cell 4090000 read as 04090000" in notes
    assert "row 7: 10-digit code 3304990090 read as tariff line 33049900" in notes
    assert "row 4: no tariff line, skipped" in notes

    finding = plist.check("3304990090", ON, channel="direct", qty=8)
    assert finding.status == CONDITIONS_APPLY and finding.verified
    assert {c.kind for c in finding.unmet} == {"bonded_only", "max_qty"}
    assert plist.check("04090000", ON, channel="direct").status == ALLOWED
    with pytest.raises(NotCovered):
        plist.check("04090000", date(2019, 1, 1), channel="direct")


def test_annex_with_alternative_headings(tmp_path: Path) -> None:
    header = ["序号", "商品编码", "货品名称", "备注", "调整情况"]
    path = _annex(tmp_path / "annex.xlsx", header, [[1, "33049900", "其他美容化妆品", "", "新增"]])
    plist = _load(path)
    assert plist.lines_in_force(ON) == {"33049900"}
    assert any("adjustment marker" in n for n in plist.load_notes)


def test_annex_without_remarks_heading_names_what_is_missing(tmp_path: Path) -> None:
    path = _annex(tmp_path / "annex.xlsx", ["序号", "税则号列", "商品描述"], [[1, "33049900", "x"]])
    with pytest.raises(AnnexFormatError) as err:
        _load(path)
    message = str(err.value)
    assert "not found: 备注" in message and "row 3" in message
    assert "税则号列" not in message.split("not found:")[1]


def test_annex_with_bad_codes_is_refused_with_row_numbers(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [1, "3304", "x", ""],
        [2, "33049900", "x", ""],
        [3, "3304990011", "x", ""],
    ]
    with pytest.raises(AnnexFormatError) as err:
        _load(_annex(tmp_path / "annex.xlsx", OFFICIAL_HEADER, rows))
    message = str(err.value)
    assert "2 bad rows" in message
    assert "row 4: '3304' is not an 8- or 10-digit tariff line" in message
    assert "row 6: tariff line 33049900 already at row 5" in message
