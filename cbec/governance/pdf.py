"""The filing-ready export of an algorithm record as a PDF (fpdf2): the same sections, fields
and change log as the JSON export (:func:`cbec.governance.filing.export`), laid out for a
person to read and attach — the filing system takes documents such as the self-assessment
as attachments, and an auditor reads paper.

Chinese needs a font with CJK glyphs, and cbec ships none (a CJK font is megabytes; the
operating system has one to install): :func:`find_font` takes the configured file or the
first of the usual Debian/Ubuntu CJK fonts present. Pure: the font's path is the caller's,
the date printed is the export's ``as_of``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # Debian fonts-wqy-zenhei
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),  # fonts-wqy-microhei
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # fonts-noto-cjk
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),  # fonts-droid-fallback
)

_META = (
    ("id", "记录编号", "Record"),
    ("owner", "备案主体（租户）", "Filed by (tenant)"),
    ("version", "版本", "Version"),
    ("state", "状态", "State"),
    ("filing_number", "备案编号", "Filing number"),
    ("due_by", "应于此日前备案", "To be filed by"),
    ("as_of", "导出日期", "As of"),
)


def find_font(configured: Path | None, candidates: Iterable[Path] = FONT_CANDIDATES) -> Path | None:
    """The configured font file if it exists (no other is tried: an operator who names a
    font means that one), else the first candidate installed; None when there is none."""
    if configured is not None:
        return configured if configured.is_file() else None
    return next((p for p in candidates if p.is_file()), None)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1)


def render(export: dict[str, Any], font: Path) -> bytes:
    """The PDF of ``export`` (the filing-ready JSON), its text in ``font``."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime.combine(datetime.fromisoformat(export["as_of"]), time(), UTC))
    pdf.set_title(f"{export.get('format', '')} {export['id']} v{export['version']}")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, 18)
    pdf.add_font("cjk", fname=str(font))
    pdf.add_page()
    newline = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}

    def heading(text: str, size: int) -> None:
        pdf.set_font("cjk", size=size)
        pdf.multi_cell(0, size * 0.6, text, **newline)
        pdf.ln(1)

    def field(name: str, value: Any) -> None:
        pdf.set_font("cjk", size=9)
        pdf.set_text_color(90, 90, 90)
        pdf.multi_cell(0, 5, name, **newline)
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("cjk", size=10)
        pdf.multi_cell(0, 5.5, _text(value), **newline)
        pdf.ln(1.5)

    heading("算法备案信息 Algorithm filing record", 16)
    for key, zh, en in _META:
        if export.get(key) is not None:
            field(f"{zh} {en}", export[key])
    for section in export["sections"].values():
        pdf.ln(2)
        title = section.get("title") or {}
        heading(f"{title.get('zh', '')}  {title.get('en', '')}", 13)
        for name, value in section.items():
            if name != "title":
                field(name, value)
    pdf.ln(2)
    heading("变更记录 Change log", 13)
    for entry in export.get("change_log") or []:
        field(f"v{entry.get('version')}", entry)
    return bytes(pdf.output())
