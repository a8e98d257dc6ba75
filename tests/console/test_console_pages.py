"""The console's pages: served at / by the API server, every asset from the package, a
strict Content-Security-Policy that the pages themselves obey (no inline script, style or
event handler), and clickjacking refused."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

from lxml import html

from cbec.console.security import CSP

PAGES = ["/console"]


def test_root_leads_to_the_console(client):
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console"


def test_console_pages_carry_the_policy_and_the_api_docs_keep_theirs(client):
    for path in PAGES:
        r = client.get(path)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/html")
        assert r.headers["content-security-policy"] == CSP
        assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
        assert "frame-ancestors 'none'" in CSP
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in client.get("/docs").headers
    assert "content-security-policy" not in client.get("/healthz").headers


def test_pages_obey_the_policy_no_inline_script_style_or_handler(client):
    for path in PAGES:
        for lang in ("en", "zh-CN"):
            doc = html.fromstring(client.get(path, headers={"Accept-Language": lang}).content)
            scripts = doc.xpath("//script")
            code = [s for s in scripts if s.get("type") != "application/json"]
            assert code and all(s.get("src") and not (s.text or "").strip() for s in code)
            data = [s for s in scripts if s.get("type") == "application/json"]
            assert all(not s.get("src") for s in data)  # data, never executed (CSP allows)
            assert doc.xpath("//style") == []
            assert doc.xpath("//*[@style]") == []
            handlers = [a for el in doc.iter() for a in el.attrib if a.lower().startswith("on")]
            assert handlers == []
            assert doc.xpath("//main[@id='main']") and doc.xpath("//a[@href='#main']")


def test_every_asset_a_page_names_is_served_from_the_package(client):
    manifest = json.loads((resources.files("cbec") / "static" / "vendor.json").read_text())
    vendored = {
        f"/static/vendor/{key}/{name.rsplit('/', 1)[-1]}": digest
        for key, entry in manifest["packages"].items()
        for name, digest in entry["files"].items()
    }
    for path in PAGES:
        doc = html.fromstring(client.get(path).content)
        urls = doc.xpath("//script/@src") + doc.xpath("//link[@rel='stylesheet']/@href")
        assert urls
        for url in urls:
            assert url.startswith("/static/"), url  # same origin: no CDN
            r = client.get(url)
            assert r.status_code == 200, url
            if url in vendored:
                assert hashlib.sha256(r.content).hexdigest() == vendored[url]
    assert "/static/vendor/htmx/htmx.min.js" in vendored
    assert "/static/vendor/echarts/echarts.min.js" in vendored
