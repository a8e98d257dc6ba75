"""The regulator's desk in the console: the screening-hit queue and its review form, the
reveal of an order's personal data with its audit page and exports, and the ledger explorer
— each against what the API gives the same caller, or an independent computation."""

from __future__ import annotations

import base64
import csv
import io
import random

import pytest
from lxml import html
from openpyxl import load_workbook
from pydantic import SecretStr
from sqlalchemy import update

from cbec.demo import synthetic
from cbec.ledger.merkle import root_from_leaf_hashes, verify_consistency
from cbec.ledger.verify import verify_bundle
from cbec.services import users
from cbec.store.tables import ledger_seen
from tests.console.test_console_sign_in import PASSWORD, csrf_of, sign_in
from tests.regulator.hits import LISTED, flagged_order, hits_on, load_list

REASON = "Inquiry 2026-031: suspected split shipments"


def _user(rt, tenant: str, login: str, role: str = "operator") -> str:
    users.operator_create_user(
        rt.uow(), tenant, users.NewUser(login=login, role=role, password=SecretStr(PASSWORD))
    )
    return login


@pytest.fixture
def hit(client, parties) -> dict:
    load_list(client, parties["platform-a"].headers)
    doc_id = flagged_order(client, parties, "platform-a", 7)
    (found,) = hits_on(client, parties["platform-a"].headers, doc_id)
    return found


def _doc(page):
    return html.fromstring(page.content)


def test_the_queue_lists_open_hits_and_a_review_is_recorded_through_the_form(
    rt, client, parties, hit
):
    sign_in(client, _user(rt, "regulator", "rita@regulator"))
    queue = client.get("/console/hits")
    assert queue.status_code == 200
    links = _doc(queue).xpath("//table[@id='hit-queue']//a[starts-with(@href, '/console/hits/')]")
    assert [a.get("href") for a in links] == [f"/console/hits/{hit['id']}"]
    # the queue names the order by its number, linked to the order's page
    (order_link,) = _doc(queue).xpath(
        f"//table[@id='hit-queue']//a[@href='/console/orders/{hit['document_id']}']"
    )
    assert order_link.text_content() == hit["order_no"] == "DESK-7"
    assert LISTED not in queue.text  # the regulator sees the order masked, and the list's not its
    page = client.get(f"/console/hits/{hit['id']}")
    csrf = csrf_of(page)
    # no reason: refused, the reason field named, nothing recorded
    r = client.post(
        f"/console/hits/{hit['id']}/review",
        data={"csrf": csrf, "decision": "confirm", "reason": "  "},
    )
    assert r.status_code == 422
    assert _doc(r).xpath("//p[@id='reason-error']") and _doc(r).xpath(
        "//textarea[@name='reason'][@aria-invalid='true']"
    )
    assert hits_on(client, parties["regulator"].headers, hit["document_id"])[0]["status"] == "open"
    # without the CSRF token: refused
    r = client.post(
        f"/console/hits/{hit['id']}/review", data={"decision": "confirm", "reason": REASON}
    )
    assert r.status_code == 403
    r = client.post(
        f"/console/hits/{hit['id']}/review",
        data={"csrf": csrf, "decision": "confirm", "reason": REASON},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/console/hits/{hit['id']}"
    (api,) = hits_on(client, parties["regulator"].headers, hit["document_id"])
    assert api["status"] == "confirmed" and api["review"]["reason"] == REASON
    assert api["review"]["reviewer"] == "rita@regulator"
    record = _doc(client.get(f"/console/hits/{hit['id']}")).xpath("//dl[@id='review-record']")[0]
    assert REASON in record.text_content() and "regulator" in record.text_content()
    # the queue's default is the open hits; the decided ones are under their status
    assert f"/console/hits/{hit['id']}" not in client.get("/console/hits").text
    assert f"/console/hits/{hit['id']}" in client.get("/console/hits?status=confirmed").text
    # a second review is a conflict, shown on the page
    r = client.post(
        f"/console/hits/{hit['id']}/review",
        data={"csrf": csrf, "decision": "dismiss", "reason": REASON},
    )
    assert r.status_code == 409


def test_who_sees_and_reviews_hits_in_the_console(rt, client, parties, hit):
    # a viewer of platform-a sees the hit masked, without the form: fully, where the API
    # (the policy's row for every platform reader) shows it partially — the masking
    # policy's viewer row (cbec/privacy/data/masking_policy.csv: viewer × personal = full)
    sign_in(client, _user(rt, "platform-a", "val@platform-a", "viewer"))
    page = client.get(f"/console/hits/{hit['id']}")
    assert page.status_code == 200 and not _doc(page).xpath("//textarea[@name='reason']")
    (shown,) = hit["result"]["hits"]
    assert shown["matched_name"] and shown["matched_name"] != LISTED
    assert shown["matched_name"] not in page.text
    assert ">" + "*" * len(shown["matched_name"]) + "<" in page.text
    # the list's own entity is shown to whoever loaded the list, as the API shows it
    assert (LISTED in page.text) == (LISTED in (shown["caption"] or ""))
    r = client.post(
        f"/console/hits/{hit['id']}/review",
        data={"csrf": csrf_of(page), "decision": "dismiss", "reason": REASON},
    )
    assert r.status_code == 403
    # an operator of platform-a reviews it
    sign_in(client, _user(rt, "platform-a", "olga@platform-a"))
    page = client.get(f"/console/hits/{hit['id']}")
    assert _doc(page).xpath("//textarea[@name='reason']")
    # platform-b is told nothing; a seller has no queue
    sign_in(client, _user(rt, "platform-b", "pat@platform-b"))
    assert client.get(f"/console/hits/{hit['id']}").status_code == 404
    assert f"/console/hits/{hit['id']}" not in client.get("/console/hits?status=all").text
    sign_in(client, _user(rt, "seller-b", "sam@seller-b"))
    assert client.get("/console/hits").status_code == 403
    assert client.get(f"/console/hits/{hit['id']}").status_code == 404


def _sheet(response) -> list[list[str]]:
    if response.headers["content-type"].startswith("text/csv"):
        assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Excel
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    rows = load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows()
    return [["" if c.value is None else str(c.value) for c in row] for row in rows]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_hit_queue_exports_the_rows_and_columns_its_reader_sees(rt, client, parties, hit, lang):
    second = flagged_order(client, parties, "platform-a", 8)
    (other,) = hits_on(client, parties["platform-a"].headers, second)
    r = client.post(
        f"/screening/hits/{other['id']}/review",
        json={"decision": "dismiss", "reason": REASON},
        headers=parties["regulator"].headers,
    )
    assert r.status_code == 200, r.text
    client.cookies.set("cbec_lang", lang)
    for tenant in ("regulator", "platform-a"):
        sign_in(client, _user(rt, tenant, f"v-{lang}@{tenant}", "viewer"))
        for status in ("open", "dismissed", "all"):
            page = client.get("/console/hits", params={"status": status})
            shown = [
                [td.text_content().strip() for td in tr.xpath("td")]
                for tr in _doc(page).xpath("//table[@id='hit-queue']/tbody/tr")
            ]
            api = client.get(
                "/screening/hits",
                params={} if status == "all" else {"status": status},
                headers=parties[tenant].headers,
            ).json()
            assert len(shown) == len(api) == (2 if status == "all" else 1), (tenant, status)
            links = _doc(page).xpath("//p[@class='exports']/a/@href")
            assert links == [f"/console/hits/export.{f}?status={status}" for f in ("csv", "xlsx")]
            for link in links:
                header, *rows = _sheet(client.get(link))
                assert len(header) == 10 and len(rows) == len(shown), (tenant, link)
                for row, cells, one in zip(rows, shown, api, strict=True):
                    # the page's columns, as the page shows them; dates and scores as the API
                    assert cells[0] == f"#{row[0]}" and row[0] == str(one["id"])
                    assert row[2:5] == cells[2:5] and row[6] == cells[6]
                    assert row[1] == one["screened_at"] and float(row[5]) == one["score"]
                    assert cells[5] == f"{one['score']:.2f}"
                    assert cells[7].startswith(row[7]) and (row[8] != "") == bool(one["review"])
                    if one["review"]:
                        assert row[8:] == [one["review"][k] for k in ("reviewed_by", "reviewed_at")]
                    # the list's entity is shown to whoever loaded the list, as the API shows it
                    assert (one["entity_id"] or "") in row[6]
    assert LISTED not in client.get("/console/hits/export.csv?status=all").text


def _order(client, parties, n: int) -> tuple[str, dict]:
    order = synthetic.order(random.Random(n), "platform-a", "seller-a", f"REV-{n}")
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    return r.json()["id"], order


def _reveal(client, doc_id: str, reason: str):
    form = client.get(f"/console/orders/{doc_id}/reveal")
    assert form.status_code == 200
    return client.post(
        f"/console/orders/{doc_id}/reveal", data={"csrf": csrf_of(form), "reason": reason}
    )


def test_a_reveal_needs_a_reason_and_shows_the_clear_fields_uncached(rt, client, parties):
    doc_id, order = _order(client, parties, 1)
    sign_in(client, _user(rt, "regulator", "rita@regulator"))
    page = client.get(f"/console/orders/{doc_id}")
    assert _doc(page).xpath(f"//a[@href='/console/orders/{doc_id}/reveal']")
    assert order["buyer"]["name"] not in page.text
    for reason in ("", "too short"):
        r = _reveal(client, doc_id, reason)
        assert r.status_code == 422 and _doc(r).xpath("//p[@id='reason-error']")
        assert order["buyer"]["name"] not in r.text
    assert client.get("/audit/reveals", headers=parties["regulator"].headers).json() == []
    r = _reveal(client, doc_id, REASON)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    revealed = _doc(r).xpath("//dl[@id='revealed']")[0].text_content()
    assert order["buyer"]["name"] in revealed and order["buyer"]["id_number"] in revealed
    assert REASON not in str(r.url)
    (audit,) = client.get("/audit/reveals", headers=parties["regulator"].headers).json()
    assert audit["document_id"] == doc_id and audit["reason"] == REASON
    # the audit names who: the console user here, the API key when a machine reveals
    assert (audit["tenant"], audit["user"], audit["key_id"]) == (
        "regulator",
        "rita@regulator",
        None,
    )
    key = parties["regulator"]
    r = client.post(f"/orders/{doc_id}/reveal", json={"reason": REASON}, headers=key.headers)
    assert r.status_code == 200, r.text
    by_key = client.get("/audit/reveals", headers=key.headers).json()[0]
    assert by_key["user"] is None and key.key.startswith(f"cbec_{by_key['key_id']}_")
    who = _doc(client.get("/console/audit")).xpath("//table[@id='reveals']/tbody/tr/td[2]")
    assert [w.text_content() for w in who] == [
        f"regulator · API key {by_key['key_id']}",
        "regulator · rita@regulator",
    ]
    # no one else reveals, nor sees the link
    sign_in(client, _user(rt, "platform-a", "olga@platform-a"))
    assert "/reveal" not in client.get(f"/console/orders/{doc_id}").text
    assert client.get(f"/console/orders/{doc_id}/reveal").status_code == 403
    assert client.get("/console/audit").status_code == 403


def test_the_audit_page_pages_newest_first_and_exports_what_the_api_gives(rt, client, parties):
    sign_in(client, _user(rt, "regulator", "rita@regulator"))
    reasons = ["Case 1: a check of declared values", '=HYPERLINK("x") case 9']
    for n, reason in enumerate(reasons):
        doc_id, _ = _order(client, parties, 10 + n)
        assert _reveal(client, doc_id, reason).status_code == 200
    api = client.get("/audit/reveals", headers=parties["regulator"].headers).json()
    assert [a["reason"] for a in api] == reasons[::-1]
    page = client.get("/console/audit")
    rows = _doc(page).xpath("//table[@id='reveals']/tbody/tr")
    assert [r.xpath("td")[4].text_content() for r in rows] == [a["reason"] for a in api]
    exported = client.get("/console/audit/reveals.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    header = ["id", "at", "tenant", "user", "key_id", "kind", "document_id", "fields", "reason"]
    assert table[0] == header

    def expected(a: dict) -> list[str]:
        reason = "'" + a["reason"] if a["reason"].startswith("=") else a["reason"]
        row = [a[k] or "" for k in header[:-1]] + [reason]
        return [str(v) if not isinstance(v, list) else " ".join(v) for v in row]

    assert table[1:] == [expected(a) for a in api]
    book = load_workbook(io.BytesIO(client.get("/console/audit/reveals.xlsx").content))
    cells = book.active.iter_rows(values_only=True)
    sheet = [["" if c is None else str(c) for c in row] for row in cells]
    assert sheet == table


def test_the_audit_pages_by_keyset(rt, client, parties, monkeypatch):
    monkeypatch.setattr("cbec.console.regulator_pages.AUDIT_PAGE", 1)
    sign_in(client, _user(rt, "regulator", "rita@regulator"))
    ids = []
    for n in range(3):
        doc_id, _ = _order(client, parties, 20 + n)
        assert _reveal(client, doc_id, f"Case {n}: paging test").status_code == 200
        ids.append(doc_id)
    seen, url = [], "/console/audit"
    while url:
        doc = _doc(client.get(url))
        seen += [a.text_content() for a in doc.xpath("//table[@id='reveals']//a")]
        nxt = doc.xpath("//a[starts-with(@href, '/console/audit?before=')]/@href")
        url = nxt[0] if nxt else None
    assert seen == ids[::-1]


def test_the_desk_pages_obey_the_policy_in_both_languages(rt, client, parties, hit):
    """Rendered in Chinese and English, with no inline script, style or event handler (the
    chart's figures in a JSON data block only)."""
    doc_id, _ = _order(client, parties, 50)
    sign_in(client, _user(rt, "regulator", "rita@regulator"))
    paths = [
        "/console/hits",
        "/console/hits?status=all",
        f"/console/hits/{hit['id']}",
        f"/console/orders/{doc_id}/reveal",
        "/console/audit",
        "/console/ledger",
        f"/console/ledger?document={doc_id}",
    ]
    for lang in ("en", "zh"):
        client.get(f"/console/lang/{lang}")
        for path in paths:
            r = client.get(path)
            assert r.status_code == 200, (path, lang)
            doc = _doc(r)
            assert doc.get("lang") == ("zh-CN" if lang == "zh" else "en")
            code = [s for s in doc.xpath("//script") if s.get("type") != "application/json"]
            assert all(s.get("src") and not (s.text or "").strip() for s in code), path
            assert doc.xpath("//style") == [] and doc.xpath("//*[@style]") == []
            assert not [a for el in doc.iter() for a in el.attrib if a.lower().startswith("on")]
            for field in doc.xpath("//input[not(@type='hidden')] | //textarea | //select"):
                labelled = field.xpath("ancestor::label") or doc.xpath(
                    f"//label[@for='{field.get('id')}']"
                )
                assert labelled, (path, html.tostring(field))
    assert "存证账本" in client.get("/console/ledger").text


def _leaf_hashes(rt, size: int) -> list[bytes]:
    return [rt.ledger.entry(i).leaf_hash for i in range(size)]


def _state(page) -> str:
    return _doc(page).xpath("//*[@id='consistency']")[0].text_content()


def test_the_ledger_explorer_checks_each_visit_against_the_last_seen_checkpoint(
    rt, client, parties
):
    reg = parties["regulator"].headers
    _order(client, parties, 30)
    rt.ledger.integrate(force_checkpoint=True)
    sign_in(client, _user(rt, "regulator", "rita@regulator"))
    first = client.get("/console/ledger")
    assert first.status_code == 200 and "first visit" in _state(first)
    old = client.get("/ledger/checkpoint", headers=reg).json()
    # the page's root is the tree's: recomputed here from the leaves (RFC 9162 §2.1.1)
    root = root_from_leaf_hashes(_leaf_hashes(rt, old["size"]), rt.ledger.hasher)
    assert base64.b64encode(root).decode() == old["root"]
    assert _doc(first).xpath("//*[@id='latest-root']")[0].text_content() == old["root"]
    assert "first visit" not in _state(client.get("/console/ledger"))  # remembered: unchanged
    _order(client, parties, 31)
    rt.ledger.integrate(force_checkpoint=True)
    new = client.get("/ledger/checkpoint", headers=reg).json()
    assert new["size"] > old["size"]
    page = client.get("/console/ledger")
    assert "Consistent" in _state(page) and str(old["size"]) in _state(page)
    # ... as an auditor checks it, from the API's proof and the leaves' own roots
    proof = client.get(
        "/ledger/proof/consistency",
        params={"first": old["size"], "second": new["size"]},
        headers=reg,
    ).json()["proof"]
    new_root = root_from_leaf_hashes(_leaf_hashes(rt, new["size"]), rt.ledger.hasher)
    verify_consistency(
        old["size"],
        new["size"],
        [base64.b64decode(p) for p in proof],
        root,
        new_root,
        rt.ledger.hasher,
    )
    sizes = [int(td.text_content()) for td in _doc(page).xpath("//table[@id='checkpoints']//td[2]")]
    assert sizes[-2:] == [old["size"], new["size"]]
    # a remembered root that differs: a fork alarm, and it stays until looked into
    with rt.engine.begin() as conn:
        conn.execute(update(ledger_seen).values(root=bytes(32)))
    for _ in range(2):
        alarm = client.get("/console/ledger")
        assert _doc(alarm).xpath("//*[@role='alert'][@id='consistency']"), alarm.text
    # kept both: the user accepts the checkpoint shown, and the next visit checks from it
    accept = _doc(alarm).xpath("//form[@action='/console/ledger/accept']")[0]
    r = client.post(
        "/console/ledger/accept",
        data={"csrf": csrf_of(alarm), "size": accept.xpath(".//input[@name='size']/@value")[0]},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "Unchanged" in _state(client.get("/console/ledger"))
    with rt.engine.begin() as conn:
        conn.execute(update(ledger_seen).values(size=new["size"] + 5))
    assert "shrank" in _state(client.get("/console/ledger"))


def test_the_ledger_explorer_finds_an_entry_by_index_or_document(rt, client, parties):
    doc_id, _ = _order(client, parties, 40)
    rt.ledger.integrate(force_checkpoint=True)
    index = client.get(f"/orders/{doc_id}", headers=parties["seller-a"].headers).json()["ledger"][
        "index"
    ]
    key = client.get("/ledger/key", headers=parties["regulator"].headers).json()
    sign_in(client, _user(rt, "regulator", "rita@regulator"))
    for query in (f"index={index}", f"document={doc_id}"):
        page = client.get(f"/console/ledger?{query}")
        entry = _doc(page).xpath("//section[@id='entry']")[0]
        assert entry.xpath(".//*[@class='verified']"), query
        leaf = rt.ledger.entry(index).leaf_hash
        assert base64.b64encode(leaf).decode() in entry.text_content()
    bundle = client.get(f"/console/ledger/entries/{index}/bundle")
    verdict = verify_bundle(bundle.text, key["verifier_keys"], origin=key["origin"])
    assert verdict.ok and verdict.entry["id"] == doc_id
    # seller-b may read neither the entry nor the document
    sign_in(client, _user(rt, "seller-b", "sam@seller-b"))
    for query in (f"index={index}", f"document={doc_id}"):
        page = client.get(f"/console/ledger?{query}")
        assert not _doc(page).xpath("//section[@id='entry']")
    assert client.get(f"/console/ledger/entries/{index}/bundle").status_code == 404
