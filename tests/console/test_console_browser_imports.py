"""The import desk in a real browser (headless chromium): a seller's operator uploads a GBK
CSV with Chinese headers and a broken row, corrects the row in the page, imports, and opens
an imported order whose evidence proof the page has verified."""

from __future__ import annotations

from tests.console.browser import Watched, browser, needs_browser, sign_in
from tests.serverproc import running_server, settings_env

pytestmark = needs_browser


def test_a_seller_imports_a_gbk_file_fixes_a_row_and_sees_the_order_verified(rt, parties):
    from pydantic import SecretStr

    from cbec.services import users
    from cbec.trade.columns import ZH_HEADERS
    from tests.console.test_console_imports import csv_text, flat, orders, table

    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login="ann@seller-a", role="operator", password=SecretStr("x" * 16)),
    )
    docs = orders(2, seed=21)
    records = flat(docs)
    broken = len(docs[0]["lines"])  # the second order's first line
    good_qty = records[broken]["lines.qty"]
    records[broken]["lines.qty"] = "-2"
    body = csv_text(table(records, ZH_HEADERS["order"])).encode("gbk")
    env = settings_env(rt.settings)
    with running_server(env) as (url, _proc), browser() as chromium:
        page = chromium.new_context(locale="en-US").new_page()
        watched = Watched()
        watched.attach(page)
        sign_in(page, url, "ann@seller-a", "x" * 16)
        page.get_by_role("link", name="Import", exact=True).click()
        page.wait_for_url(f"{url}/console/imports")
        page.get_by_label("File (CSV or XLSX)").set_input_files(
            files=[{"name": "orders.csv", "mimeType": "text/csv", "buffer": body}]
        )
        page.get_by_role("button", name="Upload").click()
        page.wait_for_url(f"{url}/console/imports/*")
        assert "read as gb18030" in page.content()
        page.get_by_role("button", name="Save the mapping and check every row").click()
        page.get_by_text("Documents checked: 2; passed: 1; rejected: 1.").wait_for()
        cell = page.locator("input[aria-invalid='true']")
        assert cell.count() == 1
        cell.fill(good_qty)
        page.get_by_role("button", name="Save the corrections and check again").click()
        page.get_by_text("Documents checked: 2; passed: 2; rejected: 0.").wait_for()
        page.get_by_role("button", name="Import the documents that passed (2)").click()
        page.get_by_text("Imported: 2 new, 0 already filed.").wait_for()
        order_no = docs[1]["order_no"]
        page.get_by_role("link", name=order_no).click()
        page.wait_for_url(f"{url}/console/orders?order_no=*")
        page.get_by_role("link", name=order_no).click()
        page.wait_for_url(f"{url}/console/orders/*")
        assert page.get_by_role("heading", level=1).inner_text() == f"Order {order_no}"
        verified = page.get_by_text("Verified: the log's signed checkpoint includes this entry.")
        verified.wait_for()
        assert watched.errors == []
