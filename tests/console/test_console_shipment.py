"""A shipment's page: the same timeline and alerts as the API's tracking answer for the same
tenant (the oracle: ``GET /logistics/waybills/{id}/tracking``), the reasons said in the
page's language from the alerts' figures, the map's data holding the planned legs and the
scanned places, and "not found" for a waybill the user may not read."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from lxml import html

from cbec.console.i18n import translations
from tests.console.browser import needs_browser
from tests.console.test_console_seller import console_user
from tests.logistics.test_tracking import T0, _iso, file_waybill, scans


def _tracked(client, parties, number: str) -> tuple[str, str]:
    """A refrigerated parcel scanned late and too warm at Los Angeles; the moment to ask."""
    wid, _, _ = file_waybill(client, parties, number, storage="refrigerated", paid=True)
    body = scans(wid, days_to_port=19.5)
    body["events"][1]["readings"] = [{"measurement": "temperature", "value": "9.5"}]
    r = client.post("/logistics/tracking/events", json=body, headers=parties["ship-a"].headers)
    assert r.status_code == 200, r.text
    return wid, _iso(T0 + timedelta(days=25))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_shows_the_apis_timeline_and_alerts_in_the_pages_language(
    rt, client, parties, lang
):
    wid, as_of = _tracked(client, parties, f"SHP-{lang}")
    api = client.get(
        f"/logistics/waybills/{wid}/tracking",
        params={"as_of": as_of},
        headers=parties["seller-a"].headers,
    ).json()
    assert {a["rule"] for a in api["alerts"]} == {"delay", "no_scan", "sensor"}
    console_user(rt, client, "seller-a", lang)
    page = client.get(f"/console/shipments/{wid}", params={"as_of": as_of})
    assert page.status_code == 200, page.text
    doc = html.fromstring(page.content)
    gettext = translations(lang).gettext
    shown = doc.xpath("//ul[@id='alerts']/li")
    assert [(li.get("data-rule"), li.get("data-severity")) for li in shown] == [
        (a["rule"], a["severity"]) for a in api["alerts"]
    ]
    sensor = next(li for li in shown if li.get("data-rule") == "sensor").text_content()
    assert gettext("above") in sensor and "9.5" in sensor and "WHO" in sensor
    delay = next(li for li in shown if li.get("data-rule") == "delay").text_content()
    pct = next(a for a in api["alerts"] if a["rule"] == "delay")["params"]["percentile"]
    assert str(pct) in delay
    rows = doc.xpath("//table[@id='timeline']/tbody/tr")
    assert len(rows) == len(api["events"]) == 2
    assert rows[0].xpath("td[3]")[0].text_content().strip() == gettext("picked up")
    assert rows[1].xpath("td[2]")[0].text_content().strip() == "-08:00"
    data = json.loads(doc.xpath("//script[@id='chart-data']")[0].text)["shipment"]
    assert len(data["legs"]) == 2 and len(data["scans"]) == 2
    assert data["scans"][1]["at"] == [api["events"][1]["lon"], api["events"][1]["lat"]]
    if lang == "zh":
        assert "晚于同一航段计划包裹" in delay


def test_the_order_page_links_each_waybill_to_its_shipment_page(rt, client, parties):
    wid, _ = _tracked(client, parties, "SHP-LINK")
    order_no = client.get(f"/waybills/{wid}", headers=parties["ship-a"].headers).json()["document"][
        "order_no"
    ]
    order = client.get(
        "/orders", params={"order_no": order_no}, headers=parties["seller-a"].headers
    ).json()["items"][0]
    console_user(rt, client, "seller-a", "zh")
    doc = html.fromstring(client.get(f"/console/orders/{order['id']}").content)
    assert doc.xpath(f"//a[@href='/console/shipments/{wid}']/text()") == ["地图、时间线与预警"]


def test_a_waybill_the_user_may_not_read_is_not_found(rt, client, parties):
    wid, _ = _tracked(client, parties, "SHP-HIDDEN")
    console_user(rt, client, "seller-b")
    hidden = client.get(f"/console/shipments/{wid}")
    missing = client.get(f"/console/shipments/{'f' * 32}")
    assert hidden.status_code == missing.status_code == 404


@needs_browser
def test_the_map_is_drawn_in_a_browser_with_no_error(rt, client, parties, tmp_path):
    """In headless chromium under the Content-Security-Policy: the land and the legs drawn,
    no console error, and axe-core finds no serious or critical violation."""
    from tests.console.browser import signed_in_page
    from tests.console.test_console_accessibility import audit

    wid, as_of = _tracked(client, parties, "SHP-MAP")
    with signed_in_page(rt, "seller-a", "map", "zh-CN") as (page, url, watched):
        page.goto(f"{url}/console/shipments/{wid}?as_of={as_of}")
        page.locator("[data-chart='shipment'][data-drawn='true'] svg path").first.wait_for()
        page.screenshot(path=str(tmp_path / "shipment.png"), full_page=True)
        assert audit(page) == []
        assert watched.errors == []
