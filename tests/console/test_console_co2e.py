"""The CO2e page and a waybill's CO2e on the order page: the figures shown equal the API's
report for the same reader (``GET /logistics/co2e/monthly``, ``GET /logistics/waybills/{id}
/co2e``) and a hand calculation from the DESNZ 2025 rows (:func:`_by_hand`); a tenant sees
only the waybills it may read; a refused year is named in the page's language."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from lxml import html

from cbec.console.i18n import translations
from tests.console.browser import needs_browser
from tests.console.test_console_seller import console_user
from tests.console.test_console_tax import problems_shown
from tests.logistics.test_waybill_co2e import RAIL_VAN, _by_hand, _waybill

NOTE = (
    "%(named)s of %(total)s waybills of %(year)s named their route; a waybill without one "
    "adds no CO2e."
)
TKM = 0.0025 * 11179 + 0.0025 * 18.5 * 1.05  # 2.5 kg over the rail leg and the van leg


def _file(client, parties) -> dict[str, str]:
    ids = {}
    for number, route, first in [
        ("WB-P-1", RAIL_VAN, "2026-03-07T07:45:00Z"),
        ("WB-P-2", RAIL_VAN, "2026-03-20T07:45:00Z"),
        ("WB-P-3", [{"leg": "SEA-SHA-RTM"}], "2026-04-02T07:45:00Z"),
        ("WB-P-4", None, "2026-04-03T07:45:00Z"),
        ("WB-P-5", RAIL_VAN, "2025-12-30T07:45:00Z"),
    ]:
        ids[number], _ = _waybill(client, parties, number, route=route, first_event=first)
    return ids


def _rows(doc, table: str) -> list[list[str]]:
    return [
        [td.text_content().strip() for td in tr.xpath("td")]
        for tr in doc.xpath(f"//table[@id='{table}']/tbody/tr")
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_equals_the_report_of_the_same_reader(rt, client, parties, lang):
    _file(client, parties)
    api = client.get(
        "/logistics/co2e/monthly", params={"year": 2026}, headers=parties["platform-a"].headers
    )
    assert api.status_code == 200, api.text
    want = api.json()
    console_user(rt, client, "platform-a", lang)
    gettext = translations(lang).gettext
    page = client.get("/console/co2e", params={"year": "2026"})
    assert page.status_code == 200, page.text
    doc = html.fromstring(page.content)
    (title,) = doc.xpath("/html/head/title/text()")
    assert title == f"{gettext('CO2e by month and lane')} — cbec"
    assert doc.xpath("//nav//a[@href='/console/co2e']/text()") == [gettext("CO2e")]
    assert doc.xpath("//select[@name='year']/option[@selected]/@value") == ["2026"]
    # by month: 2 of 2 in March, 2 in April of which one named its route; 2025 left out
    months = _rows(doc, "co2e-months")
    assert [r[:3] for r in months] == [["2026-03", "2", "2"], ["2026-04", "2", "1"]]
    assert [(r[4], r[5]) for r in months] == [
        (m["co2e_wtw_kg"], m["co2e_ttw_kg"]) for m in want["months"]
    ]
    assert abs(float(months[0][4]) - 2 * _by_hand()) <= 0.002  # the hand calculation
    assert abs(float(months[0][3]) - 2 * TKM) <= 0.002
    # by month and lane: the rail lane in March, the sea lane in April
    cells = _rows(doc, "co2e-cells")
    default = gettext("default (published factors)")
    assert cells == [
        [c["month"], c["lane"], str(c["waybills"]), c["tonne_km"], c["co2e_wtw_kg"], default]
        for c in want["by_month_lane"]
    ]
    assert [(c[0], c[1], c[2]) for c in cells] == [
        ("2026-03", "CNCKG-RAIL → van", "2"),
        ("2026-04", "CNSHA → NLRTM", "1"),
    ]
    # the note of how many named their route, and the tier the report states
    (note,) = doc.xpath("//p[@data-named]")
    assert (note.get("data-named"), note.get("data-waybills")) == ("3", "4")
    assert note.text_content() == gettext(NOTE) % {"named": 3, "total": 4, "year": 2026}
    assert doc.xpath("//p[@data-tiers]/@data-tiers") == [" ".join(want["tiers"])] == ["default"]
    # the chart: a bar per month, stacked by lane, the same figures as the table
    chart = json.loads(doc.xpath("//script[@id='chart-data']/text()")[0])["co2e"]
    assert chart["type"] == "bars" and chart["stacked"] is True
    assert chart["labels"] == ["2026-03", "2026-04"]
    assert {s["name"]: s["values"] for s in chart["series"]} == {
        "CNCKG-RAIL → van": [float(want["months"][0]["co2e_wtw_kg"]), 0.0],
        "CNSHA → NLRTM": [0.0, float(want["months"][1]["co2e_wtw_kg"])],
    }
    assert doc.xpath("//div[@data-chart='co2e']/@aria-label") == [chart["title"]]
    assert doc.xpath("//script/@src").count("/static/vendor/echarts/echarts.min.js") == 1
    if lang == "zh":
        for source in ("CO2e by month and lane", "Waybills with a route", "Tonne-km"):
            assert gettext(source) != source and source not in page.text


def test_a_tenant_counts_only_what_it_may_read(rt, client, parties):
    _file(client, parties)
    console_user(rt, client, "seller-b")
    doc = html.fromstring(client.get("/console/co2e", params={"year": "2026"}).content)
    assert _rows(doc, "co2e-months") == [["No waybill you may read in this year."]]
    assert doc.xpath("//p[@data-named]/@data-waybills") == ["0"]
    assert doc.xpath("//div[@data-chart]") == []


@pytest.mark.parametrize(
    ("lang", "accept", "heading"),
    [("en", "en", "Please correct these fields:"), ("zh", "zh-CN", "请更正以下字段")],
)
def test_a_refused_year_is_named_in_the_page_language(rt, client, parties, lang, accept, heading):
    console_user(rt, client, "seller-a", lang)
    for year in ("1999", "twenty"):
        api = client.get(
            "/logistics/co2e/monthly",
            params={"year": year},
            headers={**parties["seller-a"].headers, "Accept-Language": accept},
        )
        assert api.status_code == 422, api.text
        # the API names the query parameter, the page its form field
        want = {(e["field"].removeprefix("query."), e["message"]) for e in api.json()["errors"]}
        assert {f for f, _ in want} == {"year"}
        page = client.get("/console/co2e", params={"year": year})
        assert page.status_code == 422
        assert problems_shown(page.content) == want
        assert heading in page.text
        assert html.fromstring(page.content).xpath("//table[@id='co2e-months']") == []


def _order_of(client, parties, number: str) -> str:
    found = client.get(
        "/orders", params={"order_no": f"O-{number}"}, headers=parties["seller-a"].headers
    ).json()["items"]
    return found[0]["id"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_order_page_shows_each_waybills_co2e(rt, client, parties, lang):
    ids = _file(client, parties)
    gettext = translations(lang).gettext
    for reader in ("platform-a", "regulator"):  # the order's platform, customs
        console_user(rt, client, reader, lang)
        page = client.get(f"/console/orders/{_order_of(client, parties, 'WB-P-1')}")
        assert page.status_code == 200, page.text
        doc = html.fromstring(page.content)
        (section,) = doc.xpath(f"//section[@data-waybill='{ids['WB-P-1']}']")
        want = client.get(
            f"/logistics/waybills/{ids['WB-P-1']}/co2e", headers=parties[reader].headers
        ).json()["emissions"]
        assert section.xpath("p/@data-co2e") == [want["co2e_wtw_kg"]]
        assert abs(float(want["co2e_wtw_kg"]) - _by_hand()) <= 0.001
        legs = [
            (
                tr.xpath("td[1]")[0].text_content().split()[0],
                tr.xpath("td/@data-distance")[0],
                tr.xpath("td/@data-emission-distance")[0],
                tr.xpath("td/@data-tkm")[0],
                tr.xpath("td/@data-co2e")[0],
                tr.xpath("td/@data-tier")[0],
                tr.xpath("td[7]")[0].text_content().strip(),
            )
            for tr in section.xpath(".//tbody/tr")
        ]
        assert legs == [
            (
                gettext(g["mode"]),
                g["distance_km"],
                g["emission_distance_km"],
                g["tonne_km"],
                g["co2e_wtw_kg"],
                g["factor"]["tier"],
                g["factor"]["source"],
            )
            for g in want["legs"]
        ]
        assert [g[5] for g in legs] == ["default", "default"]
        # the van leg: 18.5 km × 1.05 = 19.425 (ISO 14083 Table 3, road), shown to 0.1 km
        assert Decimal(legs[1][2]) == Decimal("19.4")
        # a waybill naming no route: the service's reason
        page = client.get(f"/console/orders/{_order_of(client, parties, 'WB-P-4')}")
        doc = html.fromstring(page.content)
        (section,) = doc.xpath(f"//section[@data-waybill='{ids['WB-P-4']}']")
        reason = client.get(
            f"/logistics/waybills/{ids['WB-P-4']}/co2e", headers=parties[reader].headers
        ).json()["reason"]
        assert section.xpath(".//span[@data-reason]/text()") == [reason]
        assert gettext("No CO2e for this waybill:") in section.text_content()
    # the seller reads its order, not the logistics firm's waybill: no CO2e is shown for it
    console_user(rt, client, "seller-a", lang)
    page = client.get(f"/console/orders/{_order_of(client, parties, 'WB-P-1')}")
    assert page.status_code == 200
    assert html.fromstring(page.content).xpath("//section[@data-waybill]") == []
    assert ids["WB-P-1"] not in page.text


@needs_browser
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_chart_is_drawn_in_a_browser_with_no_error(rt, client, parties, locale):
    """In headless chromium, under the strict Content-Security-Policy: the page opened from
    the navigation, the stacked chart drawn from the page's data block, no console error, and
    axe-core finds no serious or critical violation."""
    from tests.console.browser import signed_in_page
    from tests.console.test_console_accessibility import audit

    _file(client, parties)
    with signed_in_page(rt, "platform-a", f"co2e-{locale}", locale) as (page, url, watched):
        gettext = translations("zh" if locale == "zh-CN" else "en").gettext
        page.get_by_role("link", name=gettext("CO2e"), exact=True).click()
        page.wait_for_url(f"{url}/console/co2e")
        page.get_by_label(gettext("Year")).select_option("2026")
        page.get_by_role("button", name=gettext("Show")).click()
        page.wait_for_url(f"{url}/console/co2e?year=2026")
        page.locator("[data-chart='co2e'][data-drawn='true'] svg").wait_for()
        assert page.locator("table#co2e-cells tbody tr").count() == 2
        assert audit(page) == []
        assert watched.errors == []
