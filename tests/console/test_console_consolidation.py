"""The shared container loads page: a plan made in the console from a CSV — pasted, or
uploaded in GB18030 with Chinese headers — equals the API's plan of the same parcels sent as
JSON (``POST /logistics/consolidations``), and the demo set's plan equals the use case's
(:func:`cbec.services.logistics_consolidation.consolidate` called directly); the savings per
seller are shown as a table and as the charts' data; a refused cell is named as the API names
it, in the page's language, and the form keeps what was typed."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from lxml import html

from cbec.console.i18n import translations
from cbec.services import logistics_parcels as lp
from cbec.services.logistics_consolidation import consolidate
from cbec.services.logistics_models import ConsolidationRequest
from tests.console.browser import needs_browser
from tests.console.test_console_seller import console_user
from tests.console.test_console_sign_in import csrf_of
from tests.console.test_console_tax import problems_shown

PARCELS = [
    # id, seller, weight_kg, volume_m3, ready_on, deadline
    # 23 m³ in all: alone, USD 0.1255 a kg by measure (1 m³ = 1,000 kg) is more than a box
    ("A1", "shop-a", "620", "5", "2026-06-01", "2026-08-30"),
    ("A2", "shop-a", "480", "4", "2026-06-01", "2026-08-30"),
    ("B1", "shop-b", "900", "6", "2026-06-01", "2026-08-30"),
    ("B2", "shop-b", "60", "0.6", "2026-06-01", "2026-06-10"),  # the sea leg is too slow
    ("C1", "shop-c", "1450", "8", "2026-06-01", "2026-08-30"),
]
COLUMNS = ("id", "seller", "weight_kg", "volume_m3", "ready_on", "deadline")
LOAD = {"leg": "SEA-SHA-RTM", "departure": "2026-06-02", "container": "40ft_dry"}


def _csv(header: list[str], rows=PARCELS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _post(client, data: dict, files=None):
    csrf = csrf_of(client.get("/console/consolidation"))
    return client.post("/console/consolidation", data={"csrf": csrf, **data}, files=files)


def _form(load: dict, text: str = "") -> dict[str, str]:
    return {"action": "plan", "load-parcels": text, **{f"load-{k}": v for k, v in load.items()}}


def _shown(doc) -> dict:
    """The plan as the page shows it, read off its tables' data attributes."""

    def cells(table: str, *names: str) -> list[tuple]:
        return [
            tuple(tr.xpath(f"td/@data-{n}")[0] for n in names)
            for tr in doc.xpath(f"//table[@id='{table}']/tbody/tr[td[@data-{names[0]}]]")
        ]

    return {
        "loads": cells(
            "loads", "parcels", "weight", "weight-fill", "volume", "volume-fill", "rate"
        ),
        "sellers": [
            (tr.xpath("td[1]")[0].text_content().strip(), *rest)
            for tr, rest in zip(
                doc.xpath("//table[@id='sellers']/tbody/tr"),
                cells(
                    "sellers",
                    "parcels",
                    "cost-alone",
                    "cost-shared",
                    "cost-saved",
                    "co2e-alone",
                    "co2e-shared",
                    "co2e-saved",
                ),
                strict=True,
            )
        ],
        "left_out": [
            tr.xpath("td[1]")[0].text_content().strip()
            for tr in doc.xpath("//table[@id='left-out']/tbody/tr")
        ],
    }


def _expected(plan: dict) -> dict:
    return {
        "loads": [
            (
                str(len(c["parcels"])),
                c["weight_kg"],
                c["weight_fill_pct"],
                c["volume_m3"],
                c["volume_fill_pct"],
                c["rate"],
            )
            for c in plan["containers"]
        ],
        "sellers": [
            (
                s["seller"],
                str(s["parcels"]),
                s["cost_alone"],
                s["cost_shared"],
                s["cost_saved"],
                s["co2e_alone_kg"],
                s["co2e_shared_kg"],
                s["co2e_saved_kg"],
            )
            for s in plan["sellers"]
        ],
        "left_out": [x["id"] for x in plan["left_out"]],
    }


def _api_plan(client, parties, rows=PARCELS) -> dict:
    body = {**LOAD, "parcels": [dict(zip(COLUMNS, r, strict=True)) for r in rows]}
    r = client.post("/logistics/consolidations", json=body, headers=parties["seller-a"].headers)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_pasted_table_is_planned_as_the_api_plans_it(rt, client, parties, lang):
    want = _api_plan(client, parties)
    # the oracle's own figures: one container, B2 left out, savings add up per seller
    assert len(want["containers"]) == 1 and [x["id"] for x in want["left_out"]] == ["B2"]
    for s in want["sellers"]:
        assert Decimal(s["cost_alone"]) - Decimal(s["cost_shared"]) == Decimal(s["cost_saved"])
    console_user(rt, client, "seller-a", lang)
    gettext = translations(lang).gettext
    page = _post(client, _form(LOAD, _csv(list(COLUMNS))))
    assert page.status_code == 200, page.text
    doc = html.fromstring(page.content)
    assert _shown(doc) == _expected(want)
    (title,) = doc.xpath("/html/head/title/text()")
    assert title == f"{gettext('Shared container loads')} — cbec"
    assert doc.xpath("//nav//a[@href='/console/consolidation']/text()") == [gettext("Shared loads")]
    # the charts: each seller alone against shared, the table's figures
    charts = json.loads(doc.xpath("//script[@id='chart-data']/text()")[0])
    assert charts["cost"]["labels"] == [s["seller"] for s in want["sellers"]]
    assert [s["values"] for s in charts["cost"]["series"]] == [
        [float(s["cost_alone"]) for s in want["sellers"]],
        [float(s["cost_shared"]) for s in want["sellers"]],
    ]
    assert [s["values"] for s in charts["co2e"]["series"]] == [
        [float(s["co2e_alone_kg"]) for s in want["sellers"]],
        [float(s["co2e_shared_kg"]) for s in want["sellers"]],
    ]
    assert [s["name"] for s in charts["cost"]["series"]] == [gettext("Alone"), gettext("Shared")]
    for name in ("cost", "co2e"):
        assert doc.xpath(f"//div[@data-chart='{name}']/@aria-label") == [charts[name]["title"]]
    assert doc.xpath("//script/@src").count("/static/vendor/echarts/echarts.min.js") == 1
    # the form keeps what was sent
    assert doc.xpath("//select[@name='load-leg']/option[@selected]/@value") == ["SEA-SHA-RTM"]
    assert doc.xpath("//input[@name='load-departure']/@value") == ["2026-06-02"]
    if lang == "zh":
        for source in ("Savings per seller", "Plan the loads", "Cost alone"):
            assert gettext(source) != source and source not in page.text


def test_an_uploaded_file_with_chinese_headers_in_gb18030(rt, client, parties):
    """As Excel saves "CSV" on a Chinese Windows: GB18030 (GBK), Chinese headers, the columns
    in another order."""
    want = _api_plan(client, parties)
    zh = {c.name: c.zh for c in lp.parcel_columns()}
    order = [5, 4, 3, 2, 1, 0]
    header = [zh[COLUMNS[i]] for i in order]
    rows = [[r[i] for i in order] for r in PARCELS]
    body = _csv(header, rows).encode("gb18030")
    assert body.decode("gb18030").startswith("最晚送达日期,备妥日期")
    console_user(rt, client, "seller-a", "zh")
    files = {"load-file": ("拼箱.csv", body, "text/csv")}
    page = _post(client, _form(LOAD), files=files)
    assert page.status_code == 200, page.text
    assert _shown(html.fromstring(page.content)) == _expected(want)


def test_the_demo_set_equals_the_use_cases_plan(rt, client, parties):
    rows = lp.demo_parcels()
    req = ConsolidationRequest.model_validate(
        {"leg": lp.DEMO_LEG, "departure": lp.DEMO_DEPARTURE, "parcels": rows}
    )
    want = consolidate(req, rt.settings.logistics_dir).model_dump(mode="json")
    assert len(rows) == 48 and [x["id"] for x in want["left_out"]] == ["P001"]
    console_user(rt, client, "seller-a")
    page = _post(client, {"action": "demo"})
    assert page.status_code == 200, page.text
    doc = html.fromstring(page.content)
    assert _shown(doc) == _expected(want)
    # the demo's table is in the form, to change and plan again
    (text,) = doc.xpath("//textarea[@name='load-parcels']/text()")
    assert lp.parcel_rows(text.encode()) == rows
    assert doc.xpath("//p/@data-cost-saved") == [want["cost_saved"]]


@pytest.mark.parametrize(
    ("lang", "accept", "heading"),
    [("en", "en", "Please correct these fields:"), ("zh", "zh-CN", "请更正以下字段")],
)
def test_a_refused_cell_is_named_as_the_api_names_it(rt, client, parties, lang, accept, heading):
    console_user(rt, client, "seller-a", lang)
    bad_weight = [PARCELS[0], ("A2", "shop-a", "-3", "0.9", "2026-06-01", "2026-08-30")]
    repeated = [PARCELS[0], PARCELS[0]]
    cases = [
        (LOAD, bad_weight, {"parcels[1].weight_kg"}),
        (LOAD, repeated, {"parcels[1].id"}),
        ({**LOAD, "leg": "NO-SUCH-LEG"}, PARCELS[:1], {"leg"}),
    ]
    for load, rows, fields in cases:
        body = {**load, "parcels": [dict(zip(COLUMNS, r, strict=True)) for r in rows]}
        api = client.post(
            "/logistics/consolidations",
            json=body,
            headers={**parties["seller-a"].headers, "Accept-Language": accept},
        )
        assert api.status_code == 422, api.text
        want = {(e["field"], e["message"]) for e in api.json()["errors"]}
        assert {f for f, _ in want} == fields
        text = _csv(list(COLUMNS), rows)
        page = _post(client, _form(load, text))
        assert page.status_code == 422
        assert problems_shown(page.content) == want
        assert heading in page.text
        doc = html.fromstring(page.content)
        assert doc.xpath("//textarea[@name='load-parcels']/text()") == [text]
        assert doc.xpath("//script[@id='chart-data']") == []
    # a column the model does not know, and one missing: named per row, as the API names them
    page = _post(
        client,
        _form(
            LOAD,
            "id,seller,weight,volume_m3,ready_on,deadline\n" + "A,s,1,1,2026-06-01,2026-08-30\n",
        ),
    )
    assert page.status_code == 422
    assert {f for f, _ in problems_shown(page.content)} == {
        "parcels[0].weight",
        "parcels[0].weight_kg",
    }
    # no header at all
    page = _post(client, _form(LOAD, ""))
    assert page.status_code == 422
    assert {f for f, _ in problems_shown(page.content)} == {"parcels"}
    # without the session's CSRF token the form is refused
    forged = {"csrf": "forged", **_form(LOAD, _csv(list(COLUMNS)))}
    assert client.post("/console/consolidation", data=forged).status_code == 403


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("tenant", ["seller-a", "platform-a", "regulator"])
def test_the_form_in_both_languages_for_every_role(rt, client, parties, lang, tenant):
    console_user(rt, client, tenant, lang)
    page = client.get("/console/consolidation")
    assert page.status_code == 200
    doc = html.fromstring(page.content)
    assert doc.get("lang") == ("zh-CN" if lang == "zh" else "en")
    for el in doc.xpath("//main//input[not(@type='hidden')] | //main//select | //main//textarea"):
        assert el.xpath("ancestor::label"), el.get("name")
    # the legs offered are those with a container rate; the columns listed are the model's
    legs = doc.xpath("//select[@name='load-leg']/option/@value")
    assert "SEA-SHA-RTM" in legs and not any(g.startswith("AIR-") for g in legs)
    assert doc.xpath("//details//tbody/tr/td[1]/code/text()") == list(COLUMNS)
    assert doc.xpath("//form[@action='/console/consolidation']/@enctype") == ["multipart/form-data"]
    assert doc.xpath("//script[not(@src)]") == []


@needs_browser
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_demo_is_drawn_in_a_browser_with_no_error(rt, parties, tmp_path, locale):
    """In headless chromium, under the strict Content-Security-Policy: the page opened from
    the navigation, the demo set planned, both savings charts drawn from the page's data block
    (a bar per seller and series), no console error, and axe-core finds no serious or critical
    violation on the plan."""
    from tests.console.browser import signed_in_page
    from tests.console.test_console_accessibility import audit

    with signed_in_page(rt, "seller-a", f"loads-{locale}", locale) as (page, url, watched):
        gettext = translations("zh" if locale == "zh-CN" else "en").gettext
        page.get_by_role("link", name=gettext("Shared loads"), exact=True).click()
        page.wait_for_url(f"{url}/console/consolidation")
        assert audit(page) == []
        page.get_by_role("button", name=gettext("Load the demo set")).click()
        for name in ("cost", "co2e"):
            page.locator(f"[data-chart='{name}'][data-drawn='true'] svg").wait_for()
            # three sellers, alone and shared: six bars
            bars = page.locator(f"[data-chart='{name}'] svg path[fill='#0b5cad']")
            assert bars.count() >= 3, name
        assert page.locator("table#sellers tbody tr").count() == 3
        page.screenshot(path=str(tmp_path / "loads.png"), full_page=True)
        assert audit(page) == []
        assert watched.errors == []
