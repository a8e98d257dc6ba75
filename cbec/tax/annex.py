"""Reading the official annex spreadsheet of the CBEC retail-import positive list.

The annex (跨境电子商务零售进口商品清单, e.g. MOF et al. 2019 No. 96) is published as a table with
the headings 序号 / 税则号列 / 商品描述 / 备注. This reader finds the header row by those
headings, normalises every tariff cell to an 8-digit line (restoring the leading zero a
spreadsheet drops from chapters 01–09, cutting 10-digit codes to their line), derives the
structured conditions from the remark, keeps the raw remark, and collects every problem before
refusing the file: a list is loaded whole or not at all (:class:`AnnexFormatError`).

Pure: no web, database or framework imports; ``openpyxl`` is imported only when a file is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from cbec.ruledata import Row
from cbec.tax.positive_list import AnnexFormatError, PositiveList
from cbec.tax.remarks import SPACES, derive_bonded_only, derive_excluded, derive_max_qty

HEADINGS: dict[str, tuple[str, ...]] = {
    "serial": ("序号",),
    "tariff_line": ("税则号列", "税则号", "商品编码", "商品编号", "税号", "HS编码"),
    "name_zh": ("商品描述", "中文货品名称", "货品名称", "商品名称", "品名"),
    "remarks": ("备注",),
}
REQUIRED_HEADINGS = ("tariff_line", "name_zh", "remarks")
HEADER_SCAN_ROWS = 30
_ADJUSTMENT_MARKS = ("调整", "变化", "变更")


def _heading_text(value: Any) -> str:
    return SPACES.sub("", str(value)) if value is not None else ""


def _match_headings(cells: Sequence[Any]) -> dict[str, int]:
    """Column index of each known heading in one row (first match wins, each cell used once)."""
    texts = [_heading_text(c) for c in cells]
    found: dict[str, int] = {}
    for key, aliases in HEADINGS.items():
        for alias in aliases:
            hit = next(
                (i for i, t in enumerate(texts) if alias in t and i not in found.values()), None
            )
            if hit is not None:
                found[key] = hit
                break
    return found


def _find_header(
    rows: Sequence[tuple[Any, ...]], path: Path
) -> tuple[int, dict[str, int], tuple[Any, ...]]:
    best: tuple[int, dict[str, int]] = (0, {})
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = _match_headings(cells)
        if all(k in found for k in REQUIRED_HEADINGS):
            return index, found, cells
        if len(found) > len(best[1]):
            best = (index, found)
    wanted = {k: " / ".join(HEADINGS[k]) for k in (*REQUIRED_HEADINGS, "serial")}
    missing = [wanted[k] for k in wanted if k not in best[1]]
    where = f"best candidate is row {best[0] + 1}" if best[1] else "no heading matched at all"
    raise AnnexFormatError(
        f"{path}: no header row in the first {HEADER_SCAN_ROWS} rows has all required "
        f"headings; {where}; not found: {'; '.join(missing)}"
    )


def _cell_code(value: Any) -> tuple[str | None, str | None]:
    """(8-digit line, note) for a tariff cell, or (None, problem). Spreadsheets often store
    codes as numbers, dropping the leading zero of chapters 01-09: restored and noted."""
    if isinstance(value, bool):
        return None, f"{value!r} is not a tariff line"
    if isinstance(value, float):
        if not value.is_integer():
            return None, f"{value!r} is not a tariff line"
        value = int(value)
    numeric = isinstance(value, int)
    digits = SPACES.sub("", str(value)).replace(".", "")
    note = None
    if numeric and len(digits) in (7, 9):
        digits, note = "0" + digits, f"numeric cell {value} read as {'0' + str(value)}"
    if not digits.isdigit() or not digits.isascii() or len(digits) not in (8, 10):
        return None, f"{value!r} is not an 8- or 10-digit tariff line"
    if len(digits) == 10:
        cut = f"10-digit code {digits} read as tariff line {digits[:8]}"
        note = f"{note}; {cut}" if note else cut
    return digits[:8], note


def _cell_text(cells: Sequence[Any], index: int) -> str:
    value = cells[index] if index < len(cells) else None
    return str(value).strip() if value is not None else ""


def load_annex(
    path: Path,
    edition: str,
    effective_from: date,
    effective_to: date | None,
    source: str,
    sheet: str | None,
) -> PositiveList:
    from openpyxl import load_workbook  # optional at import time: only this loader needs it

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        worksheet = workbook[sheet] if sheet else workbook.active
        table = [tuple(r) for r in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    start, columns, header = _find_header(table, path)
    notes = [
        f"column {_heading_text(c)!r} looks like an adjustment marker; rows were loaded as a "
        "full list"
        for c in header
        if any(m in _heading_text(c) for m in _ADJUSTMENT_MARKS)
    ]
    rows: list[Row] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for offset, cells in enumerate(table[start + 1 :], start=start + 2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        raw = cells[columns["tariff_line"]] if columns["tariff_line"] < len(cells) else None
        if raw is None or str(raw).strip() == "":
            notes.append(f"row {offset}: no tariff line, skipped (a heading or note row?)")
            continue
        line, note = _cell_code(raw)
        if line is None:
            problems.append(f"row {offset}: {note}")
            continue
        if note:
            notes.append(f"row {offset}: {note}")
        if line in seen:
            problems.append(f"row {offset}: tariff line {line} already at row {seen[line]}")
            continue
        seen[line] = offset
        remark = _cell_text(cells, columns["remarks"])
        cap = derive_max_qty(remark)
        values = {
            "tariff_line": line,
            "name_zh": _cell_text(cells, columns["name_zh"]),
            "remarks": remark,
            "bonded_only": "true" if derive_bonded_only(remark) else "false",
            "max_qty": str(cap) if cap is not None else "",
            "excluded": derive_excluded(remark),
            "edition": edition,
            "effective_from": effective_from.isoformat(),
            "effective_to": effective_to.isoformat() if effective_to else "",
            "source": source,
            "verified": "yes",
            "note": f"read from {path.name} row {offset}; conditions derived from 备注",
        }
        rows.append(Row(values, effective_from, effective_to, source, offset))
    if problems:
        shown = "; ".join(problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        raise AnnexFormatError(f"{path}: {len(problems)} bad rows: {shown}{more}")
    if not rows:
        raise AnnexFormatError(f"{path}: header found at row {start + 1} but no data rows")
    return PositiveList.from_rows(rows, origin=str(path), load_notes=notes)
