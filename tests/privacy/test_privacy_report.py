"""The privacy compliance report (PIPL Arts. 55-56 impact assessment draft and audit pack).

Oracles: counts taken in the test straight from the tables (``data_transfers``,
``reveal_audit``, ``api_keys``, ``deployment_keys``) and from the inventory file read with the
``csv`` module; the calendar of China (a transfer dated 31 December 2025 is not 2026's); the
report's words read from ``report_labels.csv``; Markdown parsed by ``markdown-it-py``; the
HTML searched for anything it would fetch."""

from __future__ import annotations

import csv
import json
import random
import re
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from markdown_it import MarkdownIt
from sqlalchemy import func, select

from cbec.demo import synthetic
from cbec.privacy import report_render
from cbec.privacy.inventory import INVENTORY
from cbec.services import privacy_report
from cbec.store.deployment_key_store import DeploymentKeyStore
from cbec.store.rotation_store import RotationStore
from cbec.store.tables import (
    api_keys,
    data_transfers,
    deployment_keys,
    dsr_requests,
    reveal_audit,
    tenants,
)

YEAR = 2026
CHINA = ZoneInfo("Asia/Shanghai")
# (tenant, destination, purpose, individuals, day)
SENT = [
    ("seller-a", "US", "marketing", 120, "2026-03-02"),
    ("seller-a", "US", "marketing", 99_900, "2026-04-10"),  # the year's total passes 100,000
    ("seller-a", "SG", "cross_border_shopping", 40, "2026-05-01"),
    ("seller-a", "JP", "marketing", 7, "2025-12-31"),  # China's 2025: not in the report
    ("seller-b", "DE", "marketing", 5, "2026-07-01"),
]


def _send(client, parties, tenant, destination, purpose, individuals, day, docs=()):
    transfer = {
        "destination": destination,
        "recipient": "Overseas Partner Ltd.",
        "purpose": purpose,
        "data_categories": ["user"],
        "individuals": individuals,
        "document_ids": list(docs),
        "documents_sensitive": False,
        "transferred_on": day,
    }
    made = client.post(
        "/privacy/transfers", json={"transfer": transfer}, headers=parties[tenant].headers
    )
    assert made.status_code == 201, made.text


def _world(client, parties):
    order = synthetic.order(random.Random(3), "platform-a", "seller-a", "RPT-0001")
    filed = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert filed.status_code == 201, filed.text
    doc = filed.json()["id"]
    for i, sent in enumerate(SENT):
        _send(client, parties, *sent, docs=[doc] if i == 0 else ())
    why = {"reason": "Case 2026-31: checking a declared consignee"}
    r = client.post(f"/orders/{doc}/reveal", json=why, headers=parties["regulator"].headers)
    assert r.status_code == 200, r.text
    return doc


def _report(client, party, **params):
    r = client.get("/privacy/report", params={"year": YEAR, **params}, headers=party.headers)
    assert r.status_code == 200, r.text
    return r


def _table_tallies(rt, tenant: str | None, key: str) -> dict[str, int]:
    """Transfers dated in China's 2026 by ``key``, counted in SQL here."""
    t = data_transfers
    col = t.c[key]
    q = (
        select(col, func.count())
        .join(tenants, tenants.c.id == t.c.tenant_id)
        .where(
            t.c.transferred_on.between(datetime(2026, 1, 1).date(), datetime(2026, 12, 31).date())
        )
        .group_by(col)
    )
    if tenant:
        q = q.where(tenants.c.name == tenant)
    with rt.engine.connect() as conn:
        return dict(conn.execute(q).all())


def test_the_figures_are_the_tables_counts_and_each_tenant_sees_its_own(rt, client, parties):
    _world(client, parties)
    mine = _report(client, parties["seller-a"]).json()
    everyone = _report(client, parties["regulator"]).json()
    theirs = _report(client, parties["seller-b"]).json()

    for report, tenant in ((mine, "seller-a"), (everyone, None), (theirs, "seller-b")):
        t = report["transfers"]
        assert {x["key"]: x["transfers"] for x in t["by_route"]} == _table_tallies(
            rt, tenant, "route"
        )
        assert {x["key"]: x["transfers"] for x in t["by_destination"]} == _table_tallies(
            rt, tenant, "destination"
        )
        assert report["scope"]["tenant"] == tenant
    # the figures the test set up: seller-a's 2026 transfers, the 31 December one left out
    assert {x["key"]: x["transfers"] for x in mine["transfers"]["by_destination"]} == {
        "US": 2,
        "SG": 1,
    }
    assert mine["transfers"]["individuals"] == 120 + 1 + 99_900 + 40  # the order's buyer: 1
    routes = {x["key"]: x["transfers"] for x in mine["transfers"]["by_route"]}
    assert routes == {"exempt": 2, "standard_contract_or_certification": 1}
    assert all(i["articles"] for i in mine["transfers"]["items"])
    # isolation: another tenant's transfers, reveals and accounts never appear
    assert {i["exporter"] for i in mine["transfers"]["items"]} == {"seller-a"}
    assert {i["exporter"] for i in theirs["transfers"]["items"]} == {"seller-b"}
    assert {i["exporter"] for i in everyone["transfers"]["items"]} == {"seller-a", "seller-b"}
    assert mine["access"]["reveals"] == [] and mine["access"]["total_reveals"] == 0
    assert {a["tenant"] for a in mine["access"]["accounts"]} == {"seller-a"}
    assert "seller-b" not in json.dumps(mine) and "regulator" not in json.dumps(mine["access"])

    with rt.engine.connect() as conn:
        reveals = conn.execute(select(func.count()).select_from(reveal_audit)).scalar_one()
        keys_by_tenant = dict(
            conn.execute(
                select(tenants.c.name, func.count())
                .join(tenants, tenants.c.id == api_keys.c.tenant_id)
                .where(api_keys.c.revoked_at.is_(None))
                .group_by(tenants.c.name)
            ).all()
        )
        added = conn.execute(select(deployment_keys.c.added_at)).scalars().all()
    assert everyone["access"]["total_reveals"] == reveals == 1
    (who,) = everyone["access"]["reveals"]
    assert (who["tenant"], who["role"], who["documents"]) == ("regulator", "api_key", 1)
    assert {
        a["tenant"]: a["count"] for a in everyone["access"]["accounts"] if a["role"] == "api_key"
    } == keys_by_tenant
    in_2026 = [a for a in added if a.astimezone(CHINA).year == YEAR]
    assert everyone["keys"]["added"] == mine["keys"]["added"] == len(in_2026)
    assert all(e["fingerprint"] for e in everyone["keys"]["events"])
    assert not any(e["fingerprint"] for e in mine["keys"]["events"])  # the regulator's only

    with INVENTORY.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    in_force = [r for r in rows if not r["effective_to"]]
    assert mine["inventory"]["by_category"] == dict(Counter(r["category"] for r in in_force))
    assert mine["inventory"]["by_pi"] == dict(Counter(r["pi"] for r in in_force))
    sensitive = {(r["kind"], r["field"]) for r in in_force if r["pi"] == "sensitive"}
    assert {(f["kind"], f["field"]) for f in mine["pia"]["sensitive_fields"]} == sensitive
    assert mine["pia"]["draft"] is True and mine["pia"]["retention_years"] >= 3
    assert mine["pia"]["protection"]["active_key_id"] == "t1"
    assert mine["pia"]["protection"]["encryption"] == ["a256gcm"]


def test_the_year_is_checked_and_named(client, parties, cli):
    for year in (1999, 10_000, "next"):
        r = client.get(
            "/privacy/report", params={"year": year}, headers=parties["seller-a"].headers
        )
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "year" in json.dumps(r.json()["errors"])
    r = client.get("/privacy/report", headers=parties["seller-a"].headers)
    assert r.status_code == 422 and "year" in json.dumps(r.json()["errors"])
    printed = cli("privacy", "report", "--as", "seller-a", "--year", "2020")
    assert printed.exit_code == 2 and "year" in printed.output


def _labels(lang: str) -> dict[str, str]:
    with report_render.LABELS.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {r["key"]: r[lang] for r in rows}


def _headings(md: str) -> list[tuple[str, str]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    return [
        (tok.tag, tokens[i + 1].content)
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open"
    ]


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_markdown_and_html_in_both_languages(client, parties):
    _world(client, parties)
    seller = parties["seller-a"]
    for lang in ("en", "zh"):
        words = _labels(lang)
        md = _report(client, seller, format="md", lang=lang)
        assert md.headers["content-type"].startswith("text/markdown")
        assert "attachment" in md.headers["content-disposition"]
        heads = _headings(md.text)
        assert heads[0] == ("h1", f"{words['title']} {YEAR}")
        assert [h for tag, h in heads if tag == "h2"] == [
            words[k] for k in ("s_pia", "s_inventory", "s_transfers", "s_dsr", "s_keys", "s_access")
        ]
        assert words["pia_record"] in [h for tag, h in heads if tag == "h3"]
        tokens = MarkdownIt("commonmark").enable("table").parse(md.text)
        assert sum(t.type == "table_open" for t in tokens) >= 8
        assert words["draft"] in md.text and words["v_exempt"] in md.text

        page = _report(client, seller, format="html", lang=lang)
        assert page.headers["content-type"].startswith("text/html")
        html = page.text
        # charts: inventory by category, transfers by route and by destination, accounts
        assert html.count("<svg") == 4 == html.count("<figure>")
        assert not EXTERNAL.search(html), EXTERNAL.search(html)
        assert "<script" not in html and "<link" not in html and "@import" not in html
        assert "@media print" in html and f'lang="{"zh-CN" if lang == "zh" else "en"}"' in html
        assert words["ch_route"] in html and words["s_transfers"] in html


def test_the_command_line_prints_the_apis_report(client, parties, cli, tmp_path):
    _world(client, parties)
    api = _report(client, parties["seller-a"]).json()
    printed = cli("privacy", "report", "--as", "seller-a", "--year", YEAR, "--format", "json")
    assert printed.exit_code == 0, printed.output
    got = json.loads(printed.stdout)
    for report in (got, api):
        report["scope"].pop("generated_at")
        report["access"].pop("accounts")  # the CLI's own key is not the API's
    assert got == api
    out = tmp_path / "report.html"
    written = cli(
        "privacy",
        "report",
        "--as",
        "seller-a",
        "--year",
        YEAR,
        "--format",
        "html",
        "--lang",
        "zh",
        "--out",
        out,
    )
    assert written.exit_code == 0, written.output
    assert out.read_text(encoding="utf-8").count("<svg") == 4


def test_an_exporters_text_stays_text(client, parties):
    hostile = '<script>alert(1)</script> | <img src="https://evil.example/x"> **bold**'
    transfer = {
        "destination": "US",
        "recipient": hostile,
        "data_categories": ["user"],
        "individuals": 3,
        "transferred_on": "2026-08-08",
    }
    seller = parties["seller-a"]
    made = client.post("/privacy/transfers", json={"transfer": transfer}, headers=seller.headers)
    assert made.status_code == 201, made.text
    md = _report(client, seller, format="md").text
    page = _report(client, seller, format="html").text
    assert "<script" not in page and not EXTERNAL.search(page)
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    assert not any(t.type in ("html_inline", "html_block") for t in tokens)
    cells = [t.content for t in tokens if t.type == "inline"]
    assert any(hostile.replace("|", "\\|") in c or "&lt;script&gt;" in c for c in cells)
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in rendered and "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered


def test_rotations_are_counted_in_chinas_year(rt, parties):
    """A data key rotated in as the rotation code records it (a key added, the old one
    retired) at 00:30 on 1 January 2026 in China — still 31 December 2025 in UTC."""
    new_year = datetime(2025, 12, 31, 16, 30, tzinfo=ZoneInfo("UTC"))
    with rt.uow(write=True) as uow:
        old = next(k for k in DeploymentKeyStore(uow.conn).recorded() if k.purpose == "data")
        DeploymentKeyStore(uow.conn).add("data", "f" * 16, "t2", False, new_year)
        RotationStore(uow.conn).retire("data", old.fingerprint, new_year)
        uow.commit()
    with rt.engine.connect() as conn:
        rows = conn.execute(select(deployment_keys)).all()
    retired_2026 = [r for r in rows if r.retired_at and r.retired_at.astimezone(CHINA).year == YEAR]
    added_2026 = [r for r in rows if r.added_at.astimezone(CHINA).year == YEAR]
    seller = parties["seller-a"].viewer
    keys = privacy_report.privacy_report(rt.uow(), seller, YEAR).keys
    assert (keys.added, keys.retired) == (len(added_2026), len(retired_2026)) == (len(rows), 1)
    assert ("added", "t2") in {(e.event, e.kid) for e in keys.events}
    before = privacy_report.privacy_report(rt.uow(), seller, YEAR - 1).keys
    assert (before.added, before.retired) == (0, 0)  # 2025 in UTC, 2026 in China


def test_data_subject_requests_are_the_registers_rows_of_the_year(rt, client, parties):
    """The DSR section counts the register's requests of the year, per scope: a tenant its
    own, the regulator every tenant's; each request named by how the person was found."""
    order = synthetic.order(random.Random(5), "platform-a", "seller-a", "RPT-DSR-1")
    filed = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert filed.status_code == 201, filed.text
    person = {"id_type": "resident_id", "id_number": order["buyer"]["id_number"]}
    asked = [
        ("seller-a", "access", person),
        ("seller-a", "erasure", person),
        ("seller-a", "erasure", person),  # again: already erased, still a request handled
        ("seller-b", "access", {"phone": "13800138000"}),
    ]
    for tenant, kind, who in asked:
        r = client.post(f"/privacy/dsr/{kind}", json=who, headers=parties[tenant].headers)
        assert r.status_code == 200, r.text
    with rt.uow() as uow:
        rows = uow.conn.execute(
            select(tenants.c.name, dsr_requests.c.kind, dsr_requests.c.status).join(
                tenants, tenants.c.id == dsr_requests.c.tenant_id
            )
        ).all()
    for party, scope in (("seller-a", {"seller-a"}), ("regulator", {"seller-a", "seller-b"})):
        dsr = _report(client, parties[party]).json()["dsr"]
        mine = [r for r in rows if r.name in scope]
        assert dsr["requests"] == len(mine) == len(dsr["items"])
        assert dsr["access"] == sum(r.kind == "access" for r in mine)
        assert dsr["erasure"] == sum(r.kind == "erasure" for r in mine)
        assert Counter(i["status"] for i in dsr["items"]) == Counter(r.status for r in mine)
        assert {i["tenant"] for i in dsr["items"]} == scope
    a = _report(client, parties["seller-a"]).json()["dsr"]
    assert [i["found_by"] for i in a["items"]] == ["id_number"] * 3
    assert a["keys_shredded"] >= 1 and a["erasure"] == 2
    md = _report(client, parties["seller-a"], format="md").text
    words = _labels("en")
    assert words["s_dsr"] in md and words["v_already_erased"] in md
    assert order["buyer"]["id_number"] not in md and order["buyer"]["name"] not in md
    html = _report(client, parties["seller-a"], format="html").text
    assert words["ch_dsr"] in html
    assert _report(client, parties["seller-a"], year=YEAR - 1).json()["dsr"]["requests"] == 0


def test_charts_drawn_at_once_on_threads_are_the_charts_drawn_one_by_one():
    """The API renders reports on worker threads: matplotlib's style (``rcParams``) is
    process-wide, so charts drawn side by side must come out as each drawn alone."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from cbec.privacy.report_charts import bar_svg

    specs = [
        (f"chart {n}", [f"label {n}.{i}" for i in range(n % 5 + 1)], list(range(1, n % 5 + 2)))
        for n in range(12)
    ]
    alone = [bar_svg(t, labels, values, f"c{i}") for i, (t, labels, values) in enumerate(specs)]
    start = Barrier(4)

    def draw(i: int) -> str:
        if i < 4:
            start.wait()  # the first four begin together
        t, labels, values = specs[i]
        return bar_svg(t, labels, values, f"c{i}")

    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(draw, range(len(specs))))
    assert together == alone
    assert all('role="img"' in svg and "<style" not in svg for svg in together)
