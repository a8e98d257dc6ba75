"""Dates, numbers and amounts in the page's language: the same pages in English and in
Chinese each show them their locale's way. Oracle: Babel called here on the filed values
(CLDR patterns by name, not the console's helper); exports stay ISO dates and plain numbers."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, time
from decimal import Decimal

from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_currency, format_decimal
from lxml import html

from cbec.demo import synthetic
from tests.console.test_console_seller import console_user, csv_rows

LOCALE = {"en": "en", "zh": "zh_CN"}


def _moment(locale: str, at: datetime) -> list[str]:
    """What a moment's text must hold: the medium date, the short time, the zone."""
    return [
        format_date(at, "medium", locale=locale),
        format_time(at, "short", locale=locale),
        "UTC",
    ]


def test_the_same_pages_show_dates_numbers_and_amounts_in_each_language(rt, client, parties):
    at = datetime.combine(datetime.now(UTC).date(), time(), UTC)  # midnight: today, this month
    order = synthetic.order(random.Random(3), "platform-a", "seller-a", "FMT-1", when=at)
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    doc_id = r.json()["id"]
    filed = r.json()["document"]
    paid = Decimal(order["amount_paid"])
    seen: dict[str, list[str]] = {}
    for lang, locale in LOCALE.items():
        console_user(rt, client, "seller-a", lang)
        moment = _moment(locale, at)
        money = format_currency(paid, "CNY", locale=locale)
        seen[lang] = [*moment[:2], money]

        page = html.fromstring(client.get(f"/console/orders/{doc_id}").content)
        facts = dict(zip(page.xpath("//dl/dt/text()"), page.xpath("//dl/dd"), strict=False))
        ordered = facts["Ordered" if lang == "en" else "下单时间"].text_content()
        assert all(part in ordered for part in moment), (lang, ordered)
        assert facts["Paid" if lang == "en" else "实付金额"].text_content() == money

        listed = html.fromstring(client.get("/console/orders").content)
        (row,) = listed.xpath("//table[@class='list']/tbody/tr")
        cells = [td.text_content().strip() for td in row.xpath("td")]
        assert all(part in cells[3] for part in moment) and cells[4] == money, (lang, cells)

        dashboard = html.fromstring(client.get("/console").content)
        days = dashboard.xpath("//section[.//*[@data-chart='orders-by-day']]//tbody/tr")
        shown = {tr.xpath("td/time/@datetime")[0]: tr.xpath("td/time/text()")[0] for tr in days}
        assert shown[at.date().isoformat()] == format_date(at.date(), "medium", locale=locale)
        figures = dashboard.xpath("//ul[@class='figures']/li/span[@class='figure']/text()")
        assert figures[:2] == [format_decimal(1, locale=locale)] * 2  # today, this month
        charts = json.loads(dashboard.xpath("//script[@id='chart-data']/text()")[0])
        labels = charts["orders-by-day"]["labels"]
        assert labels[-1] == format_skeleton("MMMd", at.date(), locale=locale), (lang, labels)

        # the export of the same list stays machine-readable in every language
        _header, row_out = csv_rows(client.get("/console/orders/export.csv"))
        assert row_out[3:5] == [filed["ordered_at"], filed["amount_paid"]], row_out
    assert all(e != z for e, z in zip(seen["en"], seen["zh"], strict=True)), seen
