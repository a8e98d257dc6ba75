"""The route planner page: a plan made in the console equals the use case's plan of the same
shipment (the oracle: :func:`cbec.services.logistics.plan_route` called directly), the chart's
data holds the same points, legs the goods may not take are listed, and a refused field is
named in the page's language while the form keeps what was typed."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from lxml import html

from cbec.console.i18n import translations
from cbec.services.logistics import plan_route
from cbec.services.logistics_models import RouteRequest
from tests.console.browser import needs_browser
from tests.console.test_console_seller import console_user
from tests.console.test_console_sign_in import csrf_of
from tests.console.test_console_tax import problems_shown

SHIPMENT = {
    "origin": "CN",
    "destination": "DE",
    "weight_kg": "120",
    "volume_m3": "0.5",
    "on": "2026-06-01",
}
HUBS = (
    "Hub emissions are not counted: the network's data holds no emission intensity for its "
    "hubs, so transshipment adds 0 kg CO2e."
)
STARTER = "The network is starter data: indicative published figures, not a carrier's offer."


def _form(shipment: dict, csrf: str) -> dict[str, str]:
    return {"csrf": csrf, **{f"route-{k}": v for k, v in shipment.items()}}


def _plan(client, shipment: dict):
    csrf = csrf_of(client.get("/console/routes"))
    return client.post("/console/routes", data=_form(shipment, csrf))


def _routes(doc, caption: str) -> list[dict]:
    table = doc.xpath(f"//table[caption='{caption}']")[0]
    return [
        {
            "route": tr.xpath("td[1]")[0].text_content().strip(),
            "cost": Decimal(tr.xpath("td/@data-cost")[0]),
            "currency": tr.xpath("td/@data-currency")[0],
            "p50": Decimal(tr.xpath("td/@data-p50")[0]),
            "p90": Decimal(tr.xpath("td/@data-p90")[0]),
            "co2e": Decimal(tr.xpath("td/@data-co2e")[0]),
            "pareto": tr.get("data-pareto") == "true",
            "best": tr.xpath("td[7]")[0].text_content().strip(),
            "explanation": tr.xpath("td[8]")[0].text_content().strip(),
        }
        for tr in table.xpath("tbody/tr")
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_plan_equals_the_use_cases(rt, client, parties, lang):
    want = plan_route(RouteRequest.model_validate(SHIPMENT), rt.settings.logistics_dir)
    front = [o for o in want.options if o.pareto]
    assert [o.cost for o in front] == [Decimal("62.75"), Decimal("131.25"), Decimal("514.80")]
    assert {o.currency for o in front} == {"USD"}
    console_user(rt, client, "seller-a", lang)
    page = _plan(client, SHIPMENT)
    assert page.status_code == 200, page.text
    doc = html.fromstring(page.content)
    gettext = translations(lang).gettext
    rows = _routes(doc, gettext("Routes, the Pareto front first"))
    assert [
        (r["cost"], r["currency"], r["p50"], r["p90"], r["co2e"], r["pareto"]) for r in rows
    ] == [
        (o.cost, o.currency, o.transit_p50_days, o.transit_p90_days, o.co2e_wtw_kg, o.pareto)
        for o in want.options
    ]
    if lang == "en":  # the API's own sentence
        assert [r["explanation"] for r in rows] == [o.explanation for o in want.options]
    else:  # said in Chinese from the same figures
        for r, o in zip(rows, want.options, strict=True):
            assert "时效中位数" in r["explanation"] and f"{o.co2e_wtw_kg:.1f}" in r["explanation"]
            assert f"{o.transit_p90_days:.1f}" in r["explanation"]
    assert sum(r["pareto"] for r in rows) == 3 and all(r["pareto"] for r in rows[:3])
    names = {"cost": "cheapest", "transit_p90": "fastest", "co2e": "lowest CO2e"}
    assert [r["best"] for r in rows] == [
        ", ".join(gettext(names[b]) for b in o.best) for o in want.options
    ]
    # the legs as "mode origin → destination", in the page's language
    sea = "海运 宁波港 → 汉堡港" if lang == "zh" else "sea Ningbo → Hamburg"
    assert rows[0]["route"] == sea
    # the chart's data: the same routes, the same figures
    (data,) = doc.xpath("//script[@type='application/json'][@id='chart-data']/text()")
    chart = json.loads(data)["pareto"]
    assert chart["type"] == "pareto"
    assert doc.xpath("//div[@data-chart='pareto']/@aria-label") == [chart["title"]]
    assert [(p["x"], p["y"], p["co2e"], p["pareto"]) for p in chart["points"]] == [
        (float(o.transit_p90_days), float(o.cost), float(o.co2e_wtw_kg), o.pareto)
        for o in want.options
    ]
    assert chart["x_label"] == gettext("Transit time, 90th percentile (days)")
    assert chart["y_label"] == gettext("Cost (%(currency)s)") % {"currency": "USD"}
    assert chart["title"] == gettext("Routes: cost against transit time")
    # the notes: hubs not counted (the starter data has no hub factors), starter network
    assert want.hub_emissions == "no_factors"
    notes = [p.text_content() for p in doc.xpath("//p[@class='notice']")]
    assert notes == [gettext(HUBS), gettext(STARTER)]
    # the vendored ECharts, from the package; the form keeps what was typed
    assert doc.xpath("//script/@src").count("/static/vendor/echarts/echarts.min.js") == 1
    assert doc.xpath("//input[@name='route-weight_kg']/@value") == ["120"]
    assert doc.xpath("//input[@name='route-on']/@value") == ["2026-06-01"]


def test_standalone_lithium_leaves_the_air_legs_out(rt, client, parties):
    shipment = {**SHIPMENT, "lithium": "standalone"}
    want = plan_route(RouteRequest.model_validate(shipment), rt.settings.logistics_dir)
    air = {x.id for x in want.excluded}
    assert air and all(i.startswith("AIR-") for i in air)
    console_user(rt, client, "seller-a")
    page = _plan(client, shipment)
    assert page.status_code == 200, page.text
    doc = html.fromstring(page.content)
    table = doc.xpath("//table[caption='Legs left out for these goods']")[0]
    shown = {
        tr.xpath("td[1]")[0].text_content().strip(): tr.xpath("td[2]")[0].text_content().strip()
        for tr in table.xpath("tbody/tr")
    }
    assert shown == {x.id: x.reason for x in want.excluded}
    assert all("lithium" in why and "air" in why for why in shown.values())
    rows = _routes(doc, "Routes, the Pareto front first")
    assert rows and not any("air" in r["route"].split() for r in rows)
    assert [r["cost"] for r in rows] == [o.cost for o in want.options]
    assert doc.xpath("//select[@name='route-lithium']/option[@selected]/@value") == ["standalone"]
    points = json.loads(doc.xpath("//script[@id='chart-data']/text()")[0])["pareto"]["points"]
    assert all("air" not in p["label"].split() for p in points)


@pytest.mark.parametrize(
    ("lang", "accept", "heading"),
    [("en", "en", "Please correct these fields:"), ("zh", "zh-CN", "请更正以下字段")],
)
def test_a_refused_field_is_named_in_the_page_language(rt, client, parties, lang, accept, heading):
    console_user(rt, client, "seller-a", lang)
    cases = [
        ({**SHIPMENT, "origin": "XX"}, "origin"),
        ({**SHIPMENT, "weight_kg": "-3"}, "weight_kg"),
    ]
    for shipment, field in cases:
        body = {k: v for k, v in shipment.items()}
        api = client.post(
            "/logistics/routes",
            json=body,
            headers={**parties["seller-a"].headers, "Accept-Language": accept},
        )
        assert api.status_code == 422, api.text
        want = {(e["field"], e["message"]) for e in api.json()["errors"]}
        assert {f for f, _ in want} == {field}
        page = _plan(client, shipment)
        assert page.status_code == 422
        assert problems_shown(page.content) == want
        assert heading in page.text
        # the form keeps what was typed, and no plan is shown
        doc = html.fromstring(page.content)
        for key, value in shipment.items():
            assert doc.xpath(f"//input[@name='route-{key}']/@value") == [value], key
        assert doc.xpath("//script[@id='chart-data']") == []
    # without the session's CSRF token the form is refused
    assert client.post("/console/routes", data=_form(SHIPMENT, "forged")).status_code == 403


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("tenant", ["seller-a", "platform-a", "regulator"])
def test_the_page_in_both_languages_for_every_role(rt, client, parties, lang, tenant):
    console_user(rt, client, tenant, lang)
    gettext = translations(lang).gettext
    page = client.get("/console/routes")
    assert page.status_code == 200
    doc = html.fromstring(page.content)
    assert doc.get("lang") == ("zh-CN" if lang == "zh" else "en")
    (title,) = doc.xpath("/html/head/title/text()")
    assert title == f"{gettext('Route planner')} — cbec"
    assert doc.xpath("//nav//a[@href='/console/routes']/text()") == [gettext("Routes")]
    if lang == "zh":
        for source in ("Route planner", "Plan the routes", "Lithium batteries", "Weight (kg)"):
            assert gettext(source) != source and source not in page.text
    # every field is labelled; the choices are the network's places and countries
    for el in doc.xpath("//main//input[not(@type='hidden')] | //main//select"):
        assert el.xpath("ancestor::label"), el.get("name")
    choices = doc.xpath("//datalist[@id='route-places']/option/@value")
    assert {"CN", "DE", "CNNGB", "DEHAM", "PVG"} <= set(choices)
    assert doc.xpath("//input[@name='route-origin']/@list") == ["route-places"]
    assert doc.xpath("//script[not(@src)]") == []  # no plan yet, no data block; no inline script
    options = doc.xpath("//select[@name='route-lithium']/option/@value")
    assert options == ["none", "contained", "packed_with", "standalone"]


@needs_browser
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_chart_is_drawn_in_a_browser_with_no_error(rt, parties, tmp_path, locale):
    """In headless chromium, under the strict Content-Security-Policy: the form planned from
    the navigation, the chart drawn from the page's data block (a point per route), no console
    error, and axe-core finds no serious or critical violation on the plan."""
    from tests.console.browser import signed_in_page
    from tests.console.test_console_accessibility import audit

    want = plan_route(RouteRequest.model_validate(SHIPMENT), rt.settings.logistics_dir)
    with signed_in_page(rt, "seller-a", f"routes-{locale}", locale) as (page, url, watched):
        gettext = translations("zh" if locale == "zh-CN" else "en").gettext
        page.get_by_role("link", name=gettext("Routes"), exact=True).click()
        page.wait_for_url(f"{url}/console/routes")
        assert audit(page) == []
        for key, value in SHIPMENT.items():
            page.locator(f"input[name='route-{key}']").fill(value)
        page.get_by_role("button", name=gettext("Plan the routes")).click()
        page.locator("[data-chart='pareto'][data-drawn='true'] svg").wait_for()
        rows = page.locator("table:has(caption) tbody tr[data-pareto]")
        assert rows.count() == len(want.options)
        page.screenshot(path=str(tmp_path / "routes.png"), full_page=True)
        assert audit(page) == []
        assert watched.errors == []
