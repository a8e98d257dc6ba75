"""The compliance report's page: the API's report rendered in the page's language (the same
use case, so the same figures), its charts as images the Content-Security-Policy allows, the
Markdown and HTML downloads, a tenant's page without another tenant's transfers, and a year out
of range refused."""

from __future__ import annotations

import base64
import re

from lxml import html

from cbec.privacy import report_render
from tests.console.test_console_seller import console_user
from tests.console.test_console_sign_in import csrf_of
from tests.privacy.test_privacy_report import YEAR, _labels, _world


def _svgs(page) -> list[str]:
    doc = html.fromstring(page.content)
    sources = doc.xpath("//section[@class='report']//img/@src")
    prefix = "data:image/svg+xml;base64,"
    assert all(s.startswith(prefix) for s in sources)
    return [base64.b64decode(s[len(prefix) :]).decode() for s in sources]


def test_the_page_shows_the_apis_report_in_the_pages_language(rt, client, parties):
    _world(client, parties)
    console_user(rt, client, "seller-a")  # before the API's report: it counts the accounts
    api = client.get(
        "/privacy/report",
        params={"year": YEAR, "format": "md"},
        headers=parties["seller-a"].headers,
    )
    for lang in ("en", "zh"):
        console_user(rt, client, "seller-a", lang)
        page = client.get("/console/privacy-report", params={"year": YEAR})
        assert page.status_code == 200, page.text
        words = _labels(lang)
        doc = html.fromstring(page.content)
        h2 = [h.text_content() for h in doc.xpath("//section[@class='report']//h2")]
        assert h2 == [
            words[k] for k in ("s_pia", "s_inventory", "s_transfers", "s_dsr", "s_keys", "s_access")
        ]
        assert len(_svgs(page)) == 4 and all("<svg" in s for s in _svgs(page))
        assert "<svg" not in page.text  # inline SVG styles would break the page's CSP
        assert "seller-b" not in page.text
        md = client.get("/console/privacy-report.md", params={"year": YEAR})
        assert md.headers["content-type"].startswith("text/markdown")
        if lang == "en":  # the console's download is the API's
            strip = re.compile(r"^\| (Generated|Requested by) .*$", re.M)
            assert strip.sub("", md.text) == strip.sub("", api.text)
        page_html = client.get("/console/privacy-report.html", params={"year": YEAR})
        assert page_html.text.count("<svg") == 4
        assert report_render.labels()["title"][lang] in page_html.text
    assert client.get("/console/privacy-report.pdf").status_code == 404


def test_a_year_out_of_range_is_refused(rt, client, parties):
    console_user(rt, client, "seller-a")
    assert client.get("/console/privacy-report", params={"year": 1999}).status_code == 422
    assert client.get("/console/privacy-report").status_code == 200  # this year in China


def test_a_reveal_in_the_console_is_counted_under_its_users_role(rt, client, parties):
    doc = _world(client, parties)  # the regulator's API key revealed it once
    console_user(rt, client, "regulator", role="operator")
    form = client.get(f"/console/orders/{doc}/reveal")
    why = {"reason": "Case 2026-32: a second look", "csrf": csrf_of(form)}
    assert client.post(f"/console/orders/{doc}/reveal", data=why).status_code == 200
    access = client.get(
        "/privacy/report", params={"year": YEAR}, headers=parties["regulator"].headers
    ).json()["access"]
    by_who = {(r["role"], r["user"]): (r["reveals"], r["documents"]) for r in access["reveals"]}
    assert by_who == {("api_key", None): (1, 1), ("operator", "operator@regulator"): (1, 1)}
    assert access["total_reveals"] == 2
    page = client.get("/console/privacy-report", params={"year": YEAR})
    assert "operator@regulator" in page.text and "seller-b" in page.text  # every tenant
