"""The parcels of a shared container load as a table (:mod:`cbec.services.logistics_consolidation`):
the columns a seller's CSV carries, read off :class:`~cbec.services.logistics_models.ParcelIn`
so a field added to the model is a column at once, each with its Chinese header; the rows of
a pasted or uploaded CSV (RFC 4180) as the request's ``parcels``; the legs and containers a
load may use; and a demo set to try the planner on.

Reading a table only names its cells: every value is checked by the request model, so a bad
cell is refused as the API refuses it, by its path (``parcels[3].weight_kg``, the 4th data
row), and an unknown header reaches the model as a field it forbids. Headers are matched as
the bulk import matches them (:func:`cbec.trade.columns.fold`: case, blanks, a byte-order mark
and full-width brackets do not count); the file's encoding is detected as for imports
(:func:`cbec.trade.encodings.detect`: UTF-8, GB18030 as Excel saves it on a Chinese Windows).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cbec.errors import BadRequest, DocumentInvalid, Violation
from cbec.logistics import consolidation as core
from cbec.services.logistics_models import ParcelIn
from cbec.trade import encodings
from cbec.trade.columns import fold

# The Chinese header of each column, in the words of a forwarder's consolidation (拼箱) sheet.
ZH_HEADERS = {
    "id": "包裹编号",
    "seller": "卖家",
    "weight_kg": "重量（千克）",
    "volume_m3": "体积（立方米）",
    "ready_on": "备妥日期",
    "deadline": "最晚送达日期",
}
MAX_LINE = 4096  # characters of a row: six short cells need far fewer


@dataclass(frozen=True)
class ParcelColumn:
    name: str
    zh: str


def parcel_columns() -> list[ParcelColumn]:
    """The columns of a parcels table, in the model's field order."""
    return [ParcelColumn(n, ZH_HEADERS.get(n, n)) for n in ParcelIn.model_fields]


def parcel_rows(body: bytes) -> list[dict[str, str]]:
    """The data rows of a CSV of parcels, each ``{column: cell}`` with blank cells left out
    (the model then says the field is required) and blank rows skipped. A header in English
    or Chinese names its column; any other is kept as written. 422 names ``parcels`` for a
    file that cannot be read: no header, a header named twice, an unknown encoding, a
    malformed line."""
    try:
        encoding = encodings.detect(io.BytesIO(body))
    except BadRequest as exc:
        raise _refused(exc.rule, exc.params) from None
    text = body.decode(encoding, errors=encodings.ERRORS)
    known = {}
    for c in parcel_columns():
        known[fold(c.name)] = c.name
        known[fold(c.zh)] = c.name
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[dict[str, str]] = []
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise _refused("csv_header", {"column": "(header)", "detail": "no header row"})
        names = [known.get(fold(h), h.strip()) for h in header]
        for name in names:
            if names.count(name) > 1:
                raise _refused("csv_header", {"column": name, "detail": "named twice"})
        for cells in reader:
            line = reader.line_num
            if encodings.UNDECODABLE in "".join(cells):
                raise _refused("not_decodable", {"encoding": encoding, "line": line})
            if sum(len(c) for c in cells) > MAX_LINE:
                raise _refused("line_too_long", {"line": line, "limit": MAX_LINE})
            row = {n: c.strip() for n, c in zip(names, cells, strict=False) if c.strip()}
            if row:
                rows.append(row)
    except csv.Error as exc:
        raise _refused("csv_unreadable", {"line": reader.line_num, "detail": str(exc)}) from None
    return rows


def _refused(rule: str, params: dict) -> DocumentInvalid:
    return DocumentInvalid([Violation("parcels", rule, params)])


def parcels_csv(parcels: list[dict[str, str]], zh: bool = False) -> str:
    """Parcels as a CSV with the columns' English (or Chinese) headers: the form's text
    when the demo set is loaded, and a template to fill in."""
    out = io.StringIO()
    columns = parcel_columns()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.zh if zh else c.name for c in columns])
    for p in parcels:
        writer.writerow([p.get(c.name, "") for c in columns])
    return out.getvalue()


@dataclass(frozen=True)
class LoadChoice:
    """A leg a container can be booked on, with the container kinds it has a rate for."""

    leg: str
    containers: tuple[str, ...]
    currency: str


def load_choices(on: date) -> list[LoadChoice]:
    """The legs with a container rate in force on ``on`` (``data/container_rates.csv``)."""
    by_leg: dict[str, list[str]] = {}
    currency: dict[str, str] = {}
    for r in core.rate_rows():
        if core.container_rate(r["leg"], r["container"], on) is not None:
            by_leg.setdefault(r["leg"], [])
            if r["container"] not in by_leg[r["leg"]]:
                by_leg[r["leg"]].append(r["container"])
            currency[r["leg"]] = r["currency"]
    return [LoadChoice(k, tuple(v), currency[k]) for k, v in sorted(by_leg.items())]


def container_kinds(on: date) -> list[str]:
    """The container kinds in force on ``on`` (``data/containers.csv``)."""
    return sorted({r["kind"] for r in core.container_rows() if core.container(r["kind"], on)})


DEMO_LEG = "SEA-SHA-RTM"
DEMO_DEPARTURE = date(2026, 6, 2)


def demo_parcels() -> list[dict[str, str]]:
    """Three small sellers' cartons for Rotterdam on one departure: 48 parcels of 20 to 75 kg
    and 0.3 to 1.2 m³, one with a deadline the sea leg cannot meet (it is left out)."""
    sellers = ("shop-a", "shop-b", "shop-c")
    out = []
    for i in range(48):
        deadline = DEMO_DEPARTURE + timedelta(days=18 if i == 0 else 89)
        out.append(
            {
                "id": f"P{i + 1:03d}",
                "seller": sellers[i % 3],
                "weight_kg": str(20 + (i * 11) % 56),
                "volume_m3": str(Decimal("0.3") + Decimal((i * 7) % 10) / 10),
                "ready_on": str(DEMO_DEPARTURE - timedelta(days=1)),
                "deadline": str(deadline),
            }
        )
    return out
