"""Ad spend per channel × market × day, read from the CSV reports the ad platforms export,
or from a generic CSV (pure: text in, rows out).

Accepted shapes (the column names are matched exactly, after trimming spaces and a UTF-8
BOM; other columns are ignored):

``generic`` — cbec's own: ``channel``, ``market`` (ISO 3166-1 alpha-2), ``day``
(YYYY-MM-DD), ``spend``, ``currency`` (ISO 4217).

``google_ads`` — a Google Ads report downloaded as CSV, segmented by day: ``Day``,
``Cost``, and ``Currency code`` (or ``Currency``); the market from ``Country/Territory
(User location)`` when the report is segmented by it, else the import's ``market``. Google
Ads downloads put the report's title and date range above the header; lines before the
first line holding ``Day`` and ``Cost`` are skipped, and so are the ``Total: …`` rows at the
end. *Unverified against a live account*: the column names are those of the Google Ads
report editor's "Day", "Cost", "Currency code" and "Country/Territory (User location)"
columns (support.google.com/google-ads/answer/2454072 describes downloads); Google shows
countries by name in that column, which is refused here — only alpha-2 codes are read.

``meta_ads`` — a Meta Ads Manager export (CSV) with a daily time breakdown:
``Reporting starts``, ``Reporting ends`` (the same day), ``Amount spent (XXX)`` where XXX is
the account's ISO 4217 currency; the market from ``Country`` when broken down by country,
else the import's ``market``. *Unverified against a live account*: the names are those of
the Ads Manager export's default columns.

Every channel is a short lower-case name (``google_ads``, ``meta_ads`` for the platforms'
reports). Amounts are Decimals (a thousands comma, as spreadsheets write, is read);
a row that cannot be read is refused naming its report, line and column — all rows of a
report are checked and every problem reported, and nothing is taken from a report with one.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from cbec.errors import DocumentInvalid, Violation

FORMATS = ("generic", "google_ads", "meta_ads")
_AMOUNT = re.compile(r"^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$")
_META_SPENT = re.compile(r"^Amount spent \(([A-Z]{3})\)$")
_CHANNEL = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
GOOGLE_COUNTRY = "Country/Territory (User location)"


@dataclass(frozen=True)
class Spend:
    channel: str
    market: str
    day: date
    amount: Decimal
    currency: str


def _amount(text: str) -> Decimal | None:
    text = text.strip()
    if not _AMOUNT.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


def _code(text: str, size: int) -> str | None:
    text = text.strip()
    return text if len(text) == size and text.isascii() and text.isupper() else None


class _Report:
    def __init__(self, index: int, fmt: str, market: str | None) -> None:
        self.where = f"reports[{index}]"
        self.fmt = fmt
        self.market = market
        self.problems: list[Violation] = []

    def bad(self, line: int | None, column: str, rule: str, **params: object) -> None:
        at = f"{self.where}.line[{line}]" if line is not None else self.where
        self.problems.append(Violation(f"{at}.{column}", rule, dict(params)))


def _header_at(lines: list[str], needed: tuple[str, ...]) -> int:
    """The index of the first line naming every column in ``needed`` (0 when none does:
    the header check then reports what is missing)."""
    for i, line in enumerate(lines[:20]):
        cells = [c.strip() for c in next(csv.reader([line]), [])]
        if all(n in cells for n in needed):
            return i
    return 0


def parse(text: str, fmt: str, index: int = 0, market: str | None = None) -> list[Spend]:
    """The spend rows of one report in format ``fmt`` (module doc); ``market`` is the market
    of a platform report that is not broken down by country. 422 naming every bad cell."""
    rep = _Report(index, fmt, market)
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    needed = {"google_ads": ("Day", "Cost"), "meta_ads": ("Reporting starts",)}.get(fmt, ())
    skip = _header_at(lines, needed) if needed else 0
    reader = csv.DictReader(io.StringIO("\n".join(lines[skip:])))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    cols = _columns(rep, header)
    if rep.problems:
        raise DocumentInvalid(rep.problems)
    out = []
    for n, row in enumerate(reader, start=skip + 2):  # the file's line number
        if fmt == "google_ads" and (row.get("Day") or "").strip().startswith("Total"):
            continue
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        spend = _row(rep, n, row, cols)
        if spend is not None:
            out.append(spend)
    if rep.problems:
        raise DocumentInvalid(rep.problems)
    return out


def _columns(rep: _Report, header: list[str]) -> dict[str, str | None]:
    """Which column holds what, for ``rep``'s format; missing ones are reported."""
    if rep.fmt == "generic":
        cols: dict[str, str | None] = {c: c for c in ("channel", "market", "day", "spend")}
        cols["currency"] = "currency"
    elif rep.fmt == "google_ads":
        currency = next((c for c in ("Currency code", "Currency") if c in header), "Currency code")
        country = GOOGLE_COUNTRY if GOOGLE_COUNTRY in header else None
        cols = {"day": "Day", "spend": "Cost", "currency": currency, "market": country}
    else:
        spent = next((c for c in header if _META_SPENT.match(c)), "Amount spent (XXX)")
        country = "Country" if "Country" in header else None
        cols = {"day": "Reporting starts", "end": "Reporting ends", "spend": spent}
        cols["market"] = country
    for column in cols.values():
        if column is not None and column not in header:
            rep.bad(None, column, "missing")
    if rep.fmt != "generic" and cols["market"] is None and rep.market is None:
        rep.bad(None, "market", "adspend_market_needed")
    return cols


def _row(rep: _Report, n: int, row: dict[str, str], cols: dict[str, str | None]) -> Spend | None:
    before = len(rep.problems)

    def cell(key: str) -> str:
        return (row.get(cols[key] or "") or "").strip()

    day = _day(cell("day"))
    if day is None:
        rep.bad(n, str(cols["day"]), "date_parsing")
    if rep.fmt == "meta_ads" and day is not None and _day(cell("end")) != day:
        rep.bad(n, str(cols["end"]), "adspend_one_day")
    amount = _amount(cell("spend"))
    if amount is None:
        rep.bad(n, str(cols["spend"]), "decimal_parsing")
    if rep.fmt == "meta_ads":
        currency = _META_SPENT.match(str(cols["spend"])).group(1)  # type: ignore[union-attr]
    else:
        currency = _code(cell("currency"), 3)
        if currency is None:
            rep.bad(n, str(cols["currency"]), "currency_code")
    market = _code(cell("market"), 2) if cols["market"] else rep.market
    if market is None:
        rep.bad(n, str(cols["market"]), "country_code")
    if rep.fmt == "generic":
        channel = cell("channel")
        if not _CHANNEL.match(channel):
            rep.bad(n, "channel", "adspend_channel")
    else:
        channel = rep.fmt
    if len(rep.problems) > before:
        return None
    return Spend(channel, str(market), day, amount, str(currency))  # type: ignore[arg-type]


def parse_attribution(text: str) -> dict[str, str]:
    """An attribution file: CSV with ``order_no`` and ``channel`` (cbec's orders carry no
    channel or UTM field: which ad brought an order is the seller's own knowledge, e.g. from
    its shop's UTM records). 422 naming the line and column of a bad row or an order
    number given twice."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    problems = [
        Violation(f"attribution.{c}", "missing") for c in ("order_no", "channel") if c not in header
    ]
    if problems:
        raise DocumentInvalid(problems)
    out: dict[str, str] = {}
    for n, row in enumerate(reader, start=2):
        order_no, channel = (row.get("order_no") or "").strip(), (row.get("channel") or "").strip()
        if not order_no:
            problems.append(Violation(f"attribution.line[{n}].order_no", "missing"))
        elif order_no in out:
            problems.append(Violation(f"attribution.line[{n}].order_no", "adspend_order_twice"))
        if not _CHANNEL.match(channel):
            problems.append(Violation(f"attribution.line[{n}].channel", "adspend_channel"))
        out[order_no] = channel
    if problems:
        raise DocumentInvalid(problems)
    return out
