"""The carrier-file form of the import page: a logistics firm's operator records a carrier's
file on its waybills; a bad file records nothing and lists each row at fault, in the page's
language. The oracle: the waybill's timeline through the API, and the fixture's own rows."""

from __future__ import annotations

from pathlib import Path

from lxml import html
from pydantic import SecretStr

from cbec.services import users
from tests.connectors.test_carrier_import import file_waybill, timeline
from tests.console.test_console_sign_in import PASSWORD, csrf_of, sign_in

DATA = Path(__file__).resolve().parents[1] / "connectors" / "data" / "carriers"


def test_a_carrier_file_from_the_import_page(rt, client, parties):
    waybill = file_waybill(client, parties, "CT2026000101")
    file_waybill(client, parties, "CT2026000102")
    users.operator_create_user(
        rt.uow(),
        "ship-a",
        users.NewUser(login="cy@ship-a", role="operator", password=SecretStr(PASSWORD)),
    )
    sign_in(client, "cy@ship-a")
    zh = {"Accept-Language": "zh-CN"}
    page = client.get("/console/imports", headers=zh)
    assert "承运商轨迹文件" in page.text
    form = html.fromstring(page.content).xpath("//form[@action='/console/tracking/import']")[0]
    assert form.xpath(".//select[@name='format']/option/@value") == [
        "auto",
        "generic",
        "17track",
        "aftership",
    ]
    body = (DATA / "generic.csv").read_bytes()
    upload = {"file": ("scans.csv", body, "text/csv")}
    csrf = csrf_of(page)
    r = client.post("/console/tracking/import", data={"csrf": csrf}, files=upload, headers=zh)
    assert r.status_code == 422
    problems = html.fromstring(r.content).xpath("//div[@role='alert']//li/text()")
    assert problems == ["line[6].time: 2026-11-03 08:00 没有 UTC 时差：请指定文件的时区"]
    assert timeline(client, parties["ship-a"], waybill) == []
    form = {"csrf": csrf, "format": "generic", "timezone": "Asia/Shanghai"}
    r = client.post("/console/tracking/import", data=form, files=upload)
    assert r.status_code == 200, r.text
    rows = len(body.decode().splitlines()) - 1
    notice = html.fromstring(r.content).xpath("//p[@role='status']/text()")[0]
    assert notice == f"{rows} events recorded, 0 recorded before, on 2 waybills (generic)."
    assert len(timeline(client, parties["ship-a"], waybill)) == 3
