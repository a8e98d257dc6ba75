"""The import desk: files in the encodings and formats sellers have (GBK with Chinese
headers, UTF-8 with a BOM, XLSX) are mapped and imported; every error of every row is shown
in its cell, corrected in the page and imported; the rejects download holds them; mappings
are remembered per tenant; a draft is its user's alone; every form needs its CSRF token.

The oracles: the synthetic orders a file is built from (what is stored must equal them), the
cells the test itself broke (what the page must point at), and the models' own JSON Schema
(the required fields a template must cover). Files are built here with Python's codecs and
openpyxl; the people in them are synthetic (cbec.demo.synthetic)."""

from __future__ import annotations

import csv
import io
import json
import random
from decimal import Decimal

import pytest
from lxml import html
from openpyxl import Workbook, load_workbook
from pydantic import SecretStr

from cbec.services import import_desk, users
from cbec.services.sessions import session_user
from cbec.trade.kinds import KINDS
from tests.conftest import make_order
from tests.console.test_console_sign_in import PASSWORD, csrf_of, sign_in
from tests.system import test_metrics as metrics

NOTE = "请周末送货，谢谢！深圳市南山区"


def _user(rt, tenant: str, login: str, role: str = "operator") -> str:
    users.operator_create_user(
        rt.uow(), tenant, users.NewUser(login=login, role=role, password=SecretStr(PASSWORD))
    )
    return login


@pytest.fixture
def ann(rt, client, parties):
    """seller-a's operator, signed in."""
    _user(rt, "seller-a", "ann@seller-a")
    sign_in(client, "ann@seller-a")
    return "ann@seller-a"


def orders(n: int, seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    docs = [make_order(rng, 500 + seed * 100 + i) for i in range(n)]
    for i, d in enumerate(docs):
        d["note"] = f"{NOTE} {i}"
    return docs


def flat(docs: list[dict]) -> list[dict[str, str]]:
    """One record per order line, nested fields as dotted names (the CSV import's shape)."""
    out = []
    for d in docs:
        head = {k: v for k, v in d.items() if k not in ("buyer", "consignee", "lines")}
        for part in ("buyer", "consignee"):
            head |= {f"{part}.{k}": v for k, v in d[part].items()}
        out += [head | {f"lines.{k}": v for k, v in line.items()} for line in d["lines"]]
    return out


def templates(client, kind: str = "order") -> dict[str, str]:
    """English header → Chinese header, read off the two CSV templates the desk serves."""
    en, zh = (
        next(
            csv.reader(
                io.StringIO(
                    client.get(f"/console/import-templates/{kind}-{h}.csv").content.decode(
                        "utf-8-sig"
                    )
                )
            )
        )
        for h in ("en", "zh")
    )
    assert len(en) == len(zh) == len(set(zh))
    return dict(zip(en, zh, strict=True))


def table(records: list[dict[str, str]], rename: dict[str, str] | None = None) -> list[list[str]]:
    names = list(dict.fromkeys(k for r in records for k in r))
    rename = rename or {}
    return [[rename.get(n, n) for n in names]] + [
        [str(r.get(n, "")) for n in names] for r in records
    ]


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def upload(client, body: bytes, name: str = "orders.csv", kind: str = "order", csrf=None):
    csrf = csrf if csrf is not None else csrf_of(client.get("/console/imports"))
    return client.post(
        "/console/import",
        data={"csrf": csrf, "kind": kind},
        files={"file": (name, body, "application/octet-stream")},
        follow_redirects=False,
    )


def draft_of(r) -> str:
    assert r.status_code == 303, r.text
    return r.headers["location"].rsplit("/", 1)[1]


def chosen(page) -> list[str]:
    doc = html.fromstring(page.content)
    return [
        (s.xpath("option[@selected]/@value") or [""])[0] for s in doc.xpath("//select[@name='col']")
    ]


def confirm(client, draft: str, mapping: list[str] | None = None, timezone: str = ""):
    page = client.get(f"/console/imports/{draft}")
    mapping = chosen(page) if mapping is None else mapping
    r = client.post(
        f"/console/imports/{draft}/mapping",
        data={"csrf": csrf_of(page), "col": mapping, "timezone": timezone},
    )
    assert r.status_code == 200, r.text
    return r


def submit(client, draft: str):
    page = client.get(f"/console/imports/{draft}")
    r = client.post(f"/console/imports/{draft}/submit", data={"csrf": csrf_of(page)})
    assert r.status_code == 200, r.text
    return r


def stored(client, party, order_no: str) -> dict:
    page = client.get("/orders", params={"order_no": order_no}, headers=party.headers).json()
    (item,) = page["items"]
    return item["document"]


def count(client, party) -> int:
    return len(client.get("/orders", params={"limit": 500}, headers=party.headers).json()["items"])


def status_text(page) -> str:
    return " ".join(html.fromstring(page.content).xpath("//*[@role='status']//text()"))


def errors_shown(page) -> set[tuple[int, str, str]]:
    """(row, column header, field) of every line of the errors table."""
    doc = html.fromstring(page.content)
    out = set()
    for tr in doc.xpath("//table[contains(@class,'errors')]/tbody/tr"):
        cells = [c.text_content().strip() for c in tr.xpath("td")]
        out.add((int(cells[0]), cells[1], cells[2]))
    return out


def test_a_gbk_file_with_chinese_headers_is_mapped_and_imported_once(client, parties, ann):
    seller = parties["seller-a"]
    docs = orders(3)
    zh = templates(client)
    body = csv_text(table(flat(docs), zh)).encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")  # the file really is GBK
    draft = draft_of(upload(client, body))
    page = client.get(f"/console/imports/{draft}")
    assert "gb18030" in page.text  # the encoding used, named
    header = table(flat(docs))[0]
    assert chosen(page) == header  # every Chinese header mapped to its field
    zh_page = client.get(f"/console/imports/{draft}", headers={"Accept-Language": "zh-CN"})
    assert "按 gb18030 读取" in zh_page.text
    checked = confirm(client, draft)
    assert "Documents checked: 3; passed: 3; rejected: 0" in status_text(checked)
    done = submit(client, draft)
    assert "Imported: 3 new, 0 already filed" in status_text(done)
    for d in docs:
        got = stored(client, seller, d["order_no"])
        assert got["buyer"] == d["buyer"] and got["note"] == d["note"]
        assert got["lines"] == d["lines"]
    again = draft_of(upload(client, body))
    confirm(client, again)
    assert "Imported: 0 new, 3 already filed" in status_text(submit(client, again))
    assert count(client, seller) == 3


def test_a_utf8_file_with_a_bom_and_a_workbook_are_read(client, parties, ann):
    seller = parties["seller-a"]
    first, second = orders(2, seed=4), orders(2, seed=5)
    bom = draft_of(upload(client, csv_text(table(flat(first))).encode("utf-8-sig")))
    page = client.get(f"/console/imports/{bom}")
    assert "utf-8-sig" in page.text and chosen(page)[0] == "platform"  # no BOM in the name
    confirm(client, bom)
    assert "Imported: 2 new" in status_text(submit(client, bom))
    book = draft_of(upload(client, xlsx_bytes(table(flat(second))), "orders.xlsx"))
    page = client.get(f"/console/imports/{book}")
    assert "Excel workbook" in page.text
    confirm(client, book)
    assert "Imported: 2 new" in status_text(submit(client, book))
    for d in first + second:
        assert stored(client, seller, d["order_no"])["lines"] == d["lines"]


HEAD_FIELDS = ("currency", "destination_country", "buyer.account_id")


def broken() -> tuple[list[dict], list[dict[str, str]], set[tuple[int, str]]]:
    """Two orders, the second with several errors at once — in its first record and in
    its second line — the records of the file, and the cells broken: (file line, column)."""
    docs = orders(2, seed=6)
    while len(docs[1]["lines"]) < 2:
        docs = orders(2, seed=len(docs[1]["lines"]) + 7)
    records = flat(docs)
    start = len(docs[0]["lines"])  # index of the second order's first record
    bad = {
        (start, "currency"): "RMB",  # what many files say; ISO 4217 says CNY
        (start, "destination_country"): "ZZ",
        (start, "buyer.account_id"): "",
        (start + 1, "lines.qty"): "-2",
        (start + 1, "lines.hs_code"): "85x",
    }
    for (i, name), value in bad.items():
        # an order's own fields agree on its every record
        for j in range(start, len(records)) if name in HEAD_FIELDS else [i]:
            records[j][name] = value
    return docs, records, {(i + 2, name) for i, name in bad}  # the header is line 1


def test_every_error_of_a_row_is_shown_then_fixed_in_the_page_and_imported(client, parties, ann):
    seller = parties["seller-a"]
    docs, records, broken_cells = broken()
    draft = draft_of(upload(client, csv_text(table(records)).encode()))
    page = confirm(client, draft)
    assert "Documents checked: 2; passed: 1; rejected: 1" in status_text(page)
    shown = {(line, header) for line, header, _ in errors_shown(page)}
    assert broken_cells <= shown  # each broken cell, by row and column
    doc = html.fromstring(page.content)
    header = table(records)[0]
    invalid = doc.xpath("//input[@aria-invalid='true']/@name")
    assert {(int(n.split("-")[1]), header[int(n.split("-")[2])]) for n in invalid} == broken_cells
    # correct the cells shown in error (only those): the order's own fields repeated on
    # its other record follow, as they must agree
    original = table(flat(docs))[1:]
    form = {"csrf": csrf_of(page)}
    for name in invalid:
        _, line, col = name.split("-")
        form[name] = original[int(line) - 2][int(col)]
    again = client.post(f"/console/imports/{draft}/rows", data=form)
    assert "Documents checked: 2; passed: 2; rejected: 0" in status_text(again), errors_shown(again)
    assert "Imported: 2 new" in status_text(submit(client, draft))
    for d in docs:
        got = stored(client, seller, d["order_no"])
        assert got["lines"] == d["lines"] and got["currency"] == d["currency"]


def test_the_rejects_download_holds_the_rejected_records_and_their_errors(client, ann):
    docs, records, broken_cells = broken()
    draft = draft_of(upload(client, csv_text(table(records)).encode()))
    confirm(client, draft)
    got = client.get(f"/console/imports/{draft}/rejects.csv")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0] == [*table(records)[0], "Errors"]
    rejected = [r for r in records if r["order_no"] == docs[1]["order_no"]]
    assert [r[: len(rows[0]) - 1] for r in rows[1:]] == table(rejected)[1:]
    errors = {i + 2 + len(docs[0]["lines"]): row[-1] for i, row in enumerate(rows[1:])}
    for line, column in broken_cells:
        assert f"{column}:" in errors[line], (line, column, errors[line])


def test_desk_imports_are_counted_as_filings_in_the_metrics(client, parties, ann):
    """The desk's documents are filings as much as the API's: created, unchanged and
    rejected move ``cbec_documents_filed_total`` by exactly what the import did."""
    filed = "cbec_documents_filed_total"
    before = metrics.scrape(client.get("/metrics").text)
    docs, records, _ = broken()  # two orders, the second rejected by its checks
    draft = draft_of(upload(client, csv_text(table(records)).encode()))
    confirm(client, draft)
    assert "Imported: 1 new" in status_text(submit(client, draft))
    both = draft_of(upload(client, csv_text(table(flat(docs))).encode()))
    confirm(client, both)  # the first again (unchanged) and the second, now right
    assert "Imported: 1 new, 1 already filed" in status_text(submit(client, both))
    after = metrics.scrape(client.get("/metrics").text)

    def moved(outcome: str) -> float:
        labels = {"kind": "order", "outcome": outcome}
        return metrics.value(after, filed, **labels) - metrics.value(before, filed, **labels)

    assert (moved("created"), moved("unchanged"), moved("rejected")) == (2, 1, 1)
    assert count(client, parties["seller-a"]) == 2


def test_a_mapping_is_remembered_for_the_tenant_only(rt, client, parties, ann):
    docs = orders(1, seed=8)
    header = table(flat(docs))[0]
    odd = {"order_no": "单号", "buyer.name": "买家"}  # headers the desk does not know
    body = csv_text(table(flat(docs), odd)).encode("gbk")
    draft = draft_of(upload(client, body))
    suggested = chosen(client.get(f"/console/imports/{draft}"))
    assert suggested[header.index("order_no")] == "" and suggested[header.index("buyer.name")] == ""
    first = ["" if h == "note" else h for h in header]
    confirm(client, draft, first)  # the operator picks them (and leaves the note out) …
    confirm(client, draft, header)  # … then changes its mind: the last mapping is kept
    _user(rt, "seller-a", "al@seller-a")
    sign_in(client, "al@seller-a")
    mine = client.get(f"/console/imports/{draft_of(upload(client, body))}")
    assert chosen(mine) == header and "last mapped" in mine.text
    _user(rt, "seller-b", "bo@seller-b")
    sign_in(client, "bo@seller-b")
    theirs = client.get(f"/console/imports/{draft_of(upload(client, body))}")
    assert chosen(theirs) == suggested and "last mapped" not in theirs.text


def test_a_draft_is_its_users_alone(rt, client, parties, ann):
    draft = draft_of(upload(client, csv_text(table(flat(orders(1, seed=9)))).encode()))
    confirm(client, draft)
    _user(rt, "seller-b", "bo@seller-b")
    sign_in(client, "bo@seller-b")
    csrf = csrf_of(client.get("/console/imports"))
    for path in ("", "/progress", "/rejects.csv"):
        assert client.get(f"/console/imports/{draft}{path}").status_code == 404
    for path, data in (("/submit", {}), ("/mapping", {"col": ["order_no"]}), ("/rows", {})):
        r = client.post(f"/console/imports/{draft}{path}", data={"csrf": csrf, **data})
        assert r.status_code == 404, path
    assert count(client, parties["seller-a"]) == 0


def test_forms_without_the_csrf_token_are_refused(client, parties, ann):
    body = csv_text(table(flat(orders(1, seed=10)))).encode()
    assert upload(client, body, csrf="forged").status_code == 403
    draft = draft_of(upload(client, body))
    page = client.get(f"/console/imports/{draft}")
    r = client.post(f"/console/imports/{draft}/mapping", data={"col": chosen(page)})
    assert r.status_code == 403
    confirm(client, draft)
    assert client.post(f"/console/imports/{draft}/submit", data={"csrf": "x"}).status_code == 403
    assert count(client, parties["seller-a"]) == 0


def test_a_viewer_imports_nothing(rt, client, parties):
    _user(rt, "seller-a", "vi@seller-a", "viewer")
    sign_in(client, "vi@seller-a")
    page = client.get("/console/imports")
    assert "/console/imports" not in html.fromstring(page.content).xpath("//nav//a/@href")
    assert upload(client, b"order_no\nX1\n").status_code == 403


def test_progress_is_polled_while_importing_and_stops_when_done(rt, client, parties, ann):
    draft = draft_of(upload(client, csv_text(table(flat(orders(1, seed=12)))).encode()))
    confirm(client, draft)
    user = next(u for u in users.operator_list_users(rt.uow(), "seller-a"))
    signed = session_user(rt.uow(), client.cookies["cbec_session"])
    assert signed.user_id == user.id
    assert import_desk.start_import(rt.uow(), signed, draft)
    polling = html.fromstring(client.get(f"/console/imports/{draft}/progress").content)
    (box,) = polling.xpath("//*[@id='progress']")
    assert box.get("hx-trigger") == "every 1s" and box.get("hx-get").endswith("/progress")
    assert box.xpath(f".//a[@href='/console/imports/{draft}']")  # no-JS refresh
    import_desk.run_import(rt.uow(), signed, draft)
    done = html.fromstring(client.get(f"/console/imports/{draft}/progress").content)
    (box,) = done.xpath("//*[@id='progress']")
    assert box.get("hx-trigger") is None and "1 new" in box.text_content()


def _required(schema: dict, defs: dict, prefix: str = "") -> set[str]:
    """Required leaf paths of a JSON Schema (items of a required non-empty array too)."""
    out = set()
    for name in schema.get("required", []):
        prop = schema["properties"][name]
        ref = prop.get("$ref") or prop.get("items", {}).get("$ref")
        if ref and (prop.get("type") != "array" or prop.get("minItems", 0) > 0):
            out |= _required(defs[ref.rsplit("/", 1)[1]], defs, f"{prefix}{name}.")
        elif not ref:
            out.add(f"{prefix}{name}")
    return out


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_template_maps_to_every_required_field(client, rt, parties, kind):
    filer = {"order": "seller-a", "product": "seller-a", "payment": "pay-a", "waybill": "ship-a"}
    _user(rt, filer[kind], f"op@{filer[kind]}")
    sign_in(client, f"op@{filer[kind]}")
    schema = KINDS[kind].model.model_json_schema()
    required = _required(schema, schema.get("$defs", {}))
    zh = templates(client, kind)
    assert required and required <= set(zh)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in zh.values())
    workbook = client.get(f"/console/import-templates/{kind}-zh.xlsx").content
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert [c.value for c in next(sheet.iter_rows())] == list(zh.values())
    body = client.get(f"/console/import-templates/{kind}-zh.csv").content
    page = client.get(f"/console/imports/{draft_of(upload(client, body, kind=kind))}")
    assert set(chosen(page)) == set(zh)  # every Chinese header maps to its field


def test_the_readme_example_runs_as_written(rt, parties, tmp_path, monkeypatch):
    from tests.contract import test_readme

    readme = test_readme.README.split("<!-- imports:end -->", 1)[1]
    expected = readme.split("```\n", 2)[1]
    plain = test_readme.settings_env
    monkeypatch.setattr(test_readme, "settings_env", lambda s: plain(s) | {"SELLER": "seller-a"})
    done = test_readme.run_block("imports", rt, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected


def test_the_desks_mapping_imports_the_same_file_from_the_command_line(
    rt, client, parties, ann, cli, tmp_path
):
    seller = parties["seller-a"]
    docs = orders(2, seed=14)
    header = table(flat(docs))[0]
    odd = {"order_no": "单号", "buyer.name": "买家", "note": "客户留言"}
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_text(table(flat(docs), odd)).encode("gbk"))
    draft = draft_of(upload(client, path.read_bytes()))
    confirm(client, draft, header)
    saved = client.get(f"/console/imports/{draft}/mapping.json")
    assert saved.json() == {"columns": {odd.get(h, h): h for h in header}, "timezone": None}
    (tmp_path / "mapping.json").write_bytes(saved.content)
    assert count(client, seller) == 0  # checked in the desk, not imported
    r = cli("import", "orders", path, "--as", "seller-a", "--mapping", tmp_path / "mapping.json")
    assert r.exit_code == 0, r.output
    assert "2 created" in r.output and "read as gb18030" in r.output
    for d in docs:
        got = stored(client, seller, d["order_no"])
        assert got["buyer"] == d["buyer"] and got["note"] == d["note"]
    without = cli("import", "orders", path, "--as", "seller-a")
    assert without.exit_code != 0  # the unknown headers make no order without the mapping


def test_progress_is_recorded_chunk_by_chunk(rt, client, parties, ann, monkeypatch):
    from cbec.services import imports
    from cbec.store.draft_store import DraftStore

    monkeypatch.setattr(imports, "CHUNK", 2)
    monkeypatch.setattr(imports, "CHUNK_MOST", 2)
    seen: list[int] = []
    update = DraftStore.update

    def recording(self, draft_id, **values):
        if "done" in values:
            seen.append(values["done"])
        return update(self, draft_id, **values)

    monkeypatch.setattr(DraftStore, "update", recording)
    draft = draft_of(upload(client, csv_text(table(flat(orders(5, seed=15)))).encode()))
    confirm(client, draft)
    assert "Imported: 5 new" in status_text(submit(client, draft))
    assert seen == [2, 4, 5]  # after each chunk of 2, in the chunk's transaction
    assert count(client, parties["seller-a"]) == 5


def test_a_draft_is_sealed_at_rest_and_expires_after_a_day(rt, client, parties, ann, monkeypatch):
    from datetime import timedelta

    from sqlalchemy import select

    from cbec.services import import_desk as desk
    from cbec.services import import_desk_drafts
    from cbec.store.tables import import_drafts

    docs = orders(1, seed=16)
    draft = draft_of(upload(client, csv_text(table(flat(docs))).encode()))
    with rt.engine.connect() as conn:
        (payload,) = conn.execute(select(import_drafts.c.payload)).one()
    for secret in (docs[0]["buyer"]["name"], docs[0]["buyer"]["phone"], docs[0]["order_no"]):
        assert secret not in payload
    assert client.get(f"/console/imports/{draft}").status_code == 200
    later = desk.now() + desk.LIFETIME + timedelta(seconds=1)
    monkeypatch.setattr(import_desk_drafts, "now", lambda: later)
    assert client.get(f"/console/imports/{draft}").status_code == 404


def test_the_desks_pages_obey_the_content_security_policy(client, parties, ann):
    records = broken()[1]
    draft = draft_of(upload(client, csv_text(table(records)).encode()))
    confirm(client, draft)
    for path in ("/console/imports", f"/console/imports/{draft}"):
        doc = html.fromstring(client.get(path).content)
        assert all(s.get("src") for s in doc.xpath("//script"))
        assert doc.xpath("//style") == [] and doc.xpath("//*[@style]") == []
        assert [a for el in doc.iter() for a in el.attrib if a.lower().startswith("on")] == []
        for field in doc.xpath("//main//input[not(@type='hidden')] | //main//select"):
            labelled = field.xpath("ancestor::label") or doc.xpath(
                f"//label[@for='{field.get('id')}']"
            )
            assert labelled, html.tostring(field)


def test_a_file_the_desk_cannot_hold_or_read_is_refused_on_the_upload_page(
    client, parties, ann, monkeypatch
):
    from cbec.services import import_desk_drafts

    monkeypatch.setattr(import_desk_drafts, "MAX_ROWS", 2)
    records = flat(orders(3, seed=17))
    r = upload(client, csv_text(table(records[:3])).encode())
    assert r.status_code == 422 and "more than 2 rows" in r.text
    bad = upload(client, b"not a workbook", "orders.xlsx")
    assert bad.status_code == 422 and html.fromstring(bad.content).xpath("//*[@role='alert']")


def test_an_import_whose_process_died_is_offered_again(rt, client, parties, ann, monkeypatch):
    from datetime import timedelta

    from cbec.services import import_desk as desk
    from cbec.services import import_desk_drafts

    draft = draft_of(upload(client, csv_text(table(flat(orders(1, seed=18)))).encode()))
    confirm(client, draft)
    signed = session_user(rt.uow(), client.cookies["cbec_session"])
    assert desk.start_import(rt.uow(), signed, draft)  # and no run_import: the process died
    assert "Importing" in client.get(f"/console/imports/{draft}").text
    later = desk.now() + desk.STALE_AFTER + timedelta(seconds=1)
    monkeypatch.setattr(import_desk_drafts, "now", lambda: later)
    page = client.get(f"/console/imports/{draft}")
    assert "Documents checked: 1; passed: 1; rejected: 0" in status_text(page)
    assert "Imported: 1 new" in status_text(submit(client, draft))


def test_a_rows_field_errors_and_relation_errors_are_shown_in_one_pass(client, parties, ann):
    """A malformed amount does not hide the errors of the rules over other fields, nor an
    unknown party: all are shown at once, each in its cell."""
    docs = orders(2, seed=19)
    records = flat(docs)
    second = docs[1]["order_no"]
    rows = [i for i, r in enumerate(records) if r["order_no"] == second]
    for i in rows:
        records[i]["freight"] = "十二"  # not a number
        records[i]["platform"] = "no-such-mall"  # a platform no tenant is
    first = records[rows[0]]
    first["lines.unit_price"] = str(Decimal(first["lines.unit_price"]) + 1)  # ≠ total / qty
    draft = draft_of(upload(client, csv_text(table(records)).encode()))
    page = confirm(client, draft)
    assert "Documents checked: 2; passed: 1; rejected: 1" in status_text(page)
    line = rows[0] + 2  # the header is line 1
    assert {(f, h) for n, h, f in errors_shown(page) if n == line} == {
        ("freight", "freight"),
        ("platform", "platform"),
        ("lines[0].line_total", "lines.line_total"),
    }


def test_an_expired_draft_is_deleted_by_the_next_look_at_the_desk_not_the_next_upload(
    rt, client, parties, ann, monkeypatch
):
    from datetime import timedelta

    from sqlalchemy import select

    from cbec.services import import_desk_drafts
    from cbec.store.tables import import_drafts

    def held() -> set[str]:
        with rt.engine.connect() as conn:
            return set(conn.execute(select(import_drafts.c.id)).scalars())

    start = import_desk_drafts.now()
    old = draft_of(upload(client, csv_text(table(flat(orders(1, seed=20)))).encode()))
    monkeypatch.setattr(import_desk_drafts, "now", lambda: start + timedelta(hours=23))
    young = draft_of(upload(client, csv_text(table(flat(orders(1, seed=21)))).encode()))
    assert held() == {old, young}  # the upload swept nothing: neither is a day old
    past = start + import_desk_drafts.LIFETIME + timedelta(seconds=1)
    monkeypatch.setattr(import_desk_drafts, "now", lambda: past)
    assert held() == {old, young}  # expired, and still held until the desk is used
    listing = client.get("/console/imports")
    assert listing.status_code == 200 and old not in listing.text and young in listing.text
    assert held() == {young}  # the row, and with it its sealed payload, is gone
    monkeypatch.setattr(import_desk_drafts, "now", lambda: past + timedelta(hours=23))
    assert client.get(f"/console/imports/{young}").status_code == 404  # its own page sweeps
    assert held() == set()


def _utc(text: str):
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_times_without_an_offset_are_read_in_the_zone_chosen_never_as_utc(
    rt, client, parties, ann, cli, tmp_path
):
    """A GBK file whose order times are China wall-clock times without an offset: without a
    zone each is an error naming ``ordered_at``; read in Asia/Shanghai each is stored 8 hours
    earlier in UTC (the oracle: zoneinfo); the zone is remembered with the mapping, in the
    mapping file, and ``cbec import --mapping`` reads the same file the same way."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    seller = parties["seller-a"]
    docs = orders(2, seed=22)
    walls = [datetime(2026, 3, 7, 11, 45), datetime(2026, 3, 8, 0, 30)]  # the second: UTC's 7th
    records = flat(docs)
    for r in records:
        r["ordered_at"] = walls[[d["order_no"] for d in docs].index(r["order_no"])].isoformat(" ")
    body = csv_text(table(records, templates(client))).encode("gbk")
    draft = draft_of(upload(client, body))
    page = confirm(client, draft)
    assert "Documents checked: 2; passed: 0; rejected: 2" in status_text(page)
    shown = errors_shown(page)
    assert {f for _, _, f in shown} == {"ordered_at"} and {h for _, h, _ in shown} == {"下单时间"}
    doc = html.fromstring(page.content)
    assert doc.xpath("//input[@name='timezone']/@value") == [""]
    assert {"Asia/Shanghai", "UTC"} <= set(doc.xpath("//datalist[@id='zones']/option/@value"))
    zh = client.get(f"/console/imports/{draft}", headers={"Accept-Language": "zh-CN"})
    assert "缺少 UTC 偏移" in zh.text
    page = confirm(client, draft, timezone="Asia/Shanghai")
    assert "Documents checked: 2; passed: 2; rejected: 0" in status_text(page), errors_shown(page)
    saved = client.get(f"/console/imports/{draft}/mapping.json").json()
    assert saved["timezone"] == "Asia/Shanghai"
    assert "Imported: 2 new" in status_text(submit(client, draft))
    for d, wall in zip(docs, walls, strict=True):
        expected = wall.replace(tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
        assert expected == wall.replace(tzinfo=UTC) - timedelta(hours=8)  # China: no DST
        assert _utc(stored(client, seller, d["order_no"])["ordered_at"]) == expected
    again = client.get(f"/console/imports/{draft_of(upload(client, body))}")
    assert html.fromstring(again.content).xpath("//input[@name='timezone']/@value") == [
        "Asia/Shanghai"
    ]  # remembered with the tenant's mapping of these headers
    # the command line: the same file with the desk's mapping file imports nothing new …
    path, mapping = tmp_path / "orders.csv", tmp_path / "mapping.json"
    path.write_bytes(body)
    mapping.write_text(json.dumps(saved), encoding="utf-8")
    r = cli("import", "orders", path, "--as", "seller-a", "--mapping", mapping)
    assert r.exit_code == 0 and "0 created, 2 unchanged" in r.output, r.output
    # … and without a zone its times are errors, not UTC
    saved["timezone"] = None
    mapping.write_text(json.dumps(saved), encoding="utf-8")
    r = cli("import", "orders", path, "--as", "seller-a", "--mapping", mapping)
    assert r.exit_code != 0 and "2 rejected" in r.output
    rejects = [
        json.loads(x) for x in (tmp_path / "orders.csv.rejects.jsonl").read_text().splitlines()
    ]
    assert {e["rule"] for x in rejects for e in x["errors"]} == {"datetime_without_offset"}
    r = cli(
        "import",
        "orders",
        path,
        "--as",
        "seller-a",
        "--mapping",
        mapping,
        "--timezone",
        "Asia/Shanghai",
    )
    assert r.exit_code == 0 and "2 unchanged" in r.output, r.output
    assert count(client, seller) == 2


def test_a_time_zone_the_iana_database_lacks_is_refused_at_the_mapping_step(client, ann):
    draft = draft_of(upload(client, csv_text(table(flat(orders(1, seed=23)))).encode()))
    page = client.get(f"/console/imports/{draft}")
    r = client.post(
        f"/console/imports/{draft}/mapping",
        data={"csrf": csrf_of(page), "col": chosen(page), "timezone": "Asia/Shenzhen"},
    )
    assert r.status_code == 422 and "Asia/Shenzhen" in r.text
    assert "Asia/Shenzhen" not in client.get(f"/console/imports/{draft}").text  # not kept
