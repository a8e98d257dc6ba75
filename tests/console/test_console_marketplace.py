"""The marketplace file page: a seller's operator uploads an order export, its format told by
the header row, and sees the orders filed (the file's own count of orders as the oracle),
the columns not read, the cancelled orders skipped and each rejected row with the file's
column and the reason, in English or Chinese; a second upload changes nothing; a payment
firm's user is refused."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from lxml import html
from pydantic import SecretStr

from cbec.connectors import marketplaces
from cbec.demo import synthetic
from cbec.services import users
from tests.console.test_console_access import PASSWORD, sign_in

DATA = Path(__file__).parents[1] / "connectors" / "data"


def post(client, csrf: str, content: bytes, name: str = "orders.csv", **form):
    data = {"csrf": csrf, "source": "auto", "platform": "platform-a", **form}
    return client.post(
        "/console/marketplace/import", data=data, files={"file": (name, content, "text/csv")}
    )


def _orders_in(content: bytes) -> tuple[set[str], set[str]]:
    """The Shopify file's order numbers, filed and cancelled, read with the csv module."""
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    cancelled = {r["Name"] for r in rows if r.get("Cancelled at")}
    return {r["Name"] for r in rows} - cancelled, cancelled


def test_a_seller_files_a_marketplace_export_and_sees_its_outcome(
    rt, parties, client, cli, tmp_path
):
    products = tmp_path / "products.jsonl"
    products.write_text(
        "".join(
            json.dumps(synthetic.product(i), ensure_ascii=False) + "\n" for i in synthetic.CATALOG
        ),
        encoding="utf-8",
    )
    assert cli("import", "products", products, "--as", "seller-a").exit_code == 0
    for tenant in ("seller-a", "pay-a"):
        users.operator_create_user(
            rt.uow(),
            tenant,
            users.NewUser(login=f"ops@{tenant}", role="operator", password=SecretStr(PASSWORD)),
        )
    csrf = sign_in(client, "ops@seller-a")
    page = html.fromstring(client.get("/console/marketplace").content)
    assert page.xpath("//select[@name='source']/option/@value") == list(marketplaces.NAMES)
    content = (DATA / "shopify_orders.csv").read_bytes()
    filed, cancelled = _orders_in(content)
    r = post(client, csrf, content)
    assert r.status_code == 200, r.text
    page = html.fromstring(r.content)
    assert page.xpath("//p[@data-created]/@data-created") == [str(len(filed))]
    assert page.xpath("//p[@id='marketplace-format']/@data-format") == ["shopify"]
    assert bool(page.xpath("//p[@id='marketplace-skipped']")) == bool(cancelled)
    again = html.fromstring(post(client, csrf, content).content)
    assert again.xpath("//p[@data-unchanged]/@data-unchanged") == [str(len(filed))]
    # a bad row: refused whole, the file's column named, in Chinese
    client.cookies.set("cbec_lang", "zh")
    bad = content.replace(
        b",2,Wireless Bluetooth earbuds,24.99,", b",x,Wireless Bluetooth earbuds,24.99,", 1
    )
    assert bad != content
    page = html.fromstring(post(client, csrf, bad, name="bad.csv").content)
    assert page.xpath("//p[@data-rejected]/@data-rejected") != ["0"]
    columns = page.xpath("//table[@id='marketplace-rejects']//td[2]/code/text()")
    assert "Lineitem quantity" in columns
    assert "未申报任何单据" in page.text_content()  # the zh_CN catalogue's words
    client.cookies.clear()
    csrf = sign_in(client, "ops@pay-a")
    assert "Only a seller" in client.get("/console/marketplace").text
    assert post(client, csrf, content).status_code == 403


def test_aliexpress_open_platform_json_in_the_console(rt, parties, client, cli, tmp_path):
    """The JSON order details are offered (named in Chinese too) and filed from their
    content; a refused order names its place in the file and the field's path."""
    products = tmp_path / "products.jsonl"
    products.write_text(
        "".join(json.dumps(synthetic.product(i)) + "\n" for i in synthetic.CATALOG),
        encoding="utf-8",
    )
    assert cli("import", "products", products, "--as", "seller-a").exit_code == 0
    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login="ops@seller-a", role="operator", password=SecretStr(PASSWORD)),
    )
    csrf = sign_in(client, "ops@seller-a")
    client.cookies.set("cbec_lang", "zh")
    page = html.fromstring(client.get("/console/marketplace").content)
    label = page.xpath("//select[@name='source']/option[@value='aliexpress-api']/text()")
    assert [t.strip() for t in label] == ["速卖通开放平台订单详情（JSON）"]
    docs = json.loads((DATA / "aliexpress_api_orders.json").read_text(encoding="utf-8"))
    docs[1]["child_order_list"][1]["product_count"] = "three"
    bad = json.dumps(docs).encode()
    page = html.fromstring(post(client, csrf, bad, name="orders.json").content)
    assert page.xpath("//table[@id='marketplace-rejects']//td[1]//text()")[0].strip() == "2"
    columns = page.xpath("//table[@id='marketplace-rejects']//td[2]/code/text()")
    assert columns == ["child_order_list[].product_count"]
    good = (DATA / "aliexpress_api_orders.json").read_bytes()
    page = html.fromstring(post(client, csrf, good, name="orders.json").content)
    assert page.xpath("//p[@data-created]/@data-created") == ["2"]
    assert page.xpath("//p[@id='marketplace-format']/@data-format") == ["aliexpress-api"]
    assert page.xpath("//p[@id='marketplace-skipped']")
