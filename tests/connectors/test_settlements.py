"""Payment settlement reports (cbec.connectors.settlements) read as cbec payment vouchers,
checked against each file's own arithmetic as the independent oracle — ``net = gross − fee``
on every payment row, and the payments' total equal to the gross of the report's payment rows
summed here with the csv module — and against cbec's own payment model and rules. The
fixtures use the column names of Stripe's report schema and PayPal's download fields and
invented people."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cbec.connectors import settlements as st
from cbec.connectors.settlements import core
from cbec.errors import BadRequest
from cbec.trade import encodings, validation, zones
from cbec.trade.kinds import KINDS

DATA = Path(__file__).parent / "data" / "settlements"
PROFILE = core.Profile("platform-a")

# Columns as Stripe's report schema and PayPal's download-history field list name them.
STRIPE_DOCUMENTED = {
    "balance_transaction_id",
    "created_utc",
    "available_on_utc",
    "currency",
    "gross",
    "fee",
    "net",
    "reporting_category",
    "source_id",
    "description",
    "customer_id",
    "customer_email",
    "customer_name",
    "charge_id",
    "payment_intent_id",
}
PAYPAL_DOCUMENTED = {
    "Date",
    "Time",
    "TimeZone",
    "Name",
    "Type",
    "Status",
    "Currency",
    "Gross",
    "Fee",
    "Net",
    "From Email Address",
    "To Email Address",
    "Transaction ID",
    "Item Title",
    "Reference Txn ID",
    "Invoice Number",
    "Custom Number",
    "Contact Phone Number",
    "Balance Impact",
}


def convert(name: str, data: bytes | None = None, profile=PROFILE, wanted="auto"):
    upload = io.BytesIO(data if data is not None else (DATA / name).read_bytes())
    header, records = st.records(upload, "csv", encodings.detect(upload))
    fmt = st.detect(header, wanted)
    conversion = core.Conversion(fmt.name, core.unmapped(fmt, header))
    rows = list(core.convert(fmt, records, profile, conversion))
    return fmt, rows, conversion


def table(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((DATA / name).read_text(encoding="utf-8-sig"))))


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def docs_of(rows) -> dict[int, dict]:
    out = {}
    for number, doc in rows:
        assert isinstance(doc, dict), (number, doc)
        model, errors = validation.validate(KINDS["payment"], doc)
        assert errors == [] and model is not None, (number, errors)
        out[number] = doc
    return out


def refusals(rows) -> list[tuple[int, str, str]]:
    return [
        (n, v.field, v.rule) for n, doc in rows if not isinstance(doc, dict) for v in doc.violations
    ]


def test_each_report_is_told_by_its_header():
    header = lambda name: next(csv.reader(io.StringIO((DATA / name).read_text("utf-8"))))  # noqa: E731
    assert set(header("stripe_balance_itemized.csv")) - STRIPE_DOCUMENTED == {
        f"payment_metadata[{k}]" for k in ("order_no", *core.PAYER_KEYS)
    }
    assert set(header("paypal_activity.csv")) == PAYPAL_DOCUMENTED
    assert st.detect(header("stripe_balance_itemized.csv")).name == "stripe"
    assert st.detect(header("paypal_activity.csv")).name == "paypal"
    assert st.detect(header("generic_settlement.csv")).name == "generic"
    with pytest.raises(BadRequest) as exc:
        st.detect(header("paypal_activity.csv"), "stripe")
    assert exc.value.rule == "settlement_format_unknown"
    with pytest.raises(BadRequest):
        st.detect(["order_no", "buyer.name"])


def test_stripe_charges_become_payments_matching_the_files_arithmetic():
    fmt, rows, conversion = convert("stripe_balance_itemized.csv")
    cells = table("stripe_balance_itemized.csv")
    charges = [(i + 2, c) for i, c in enumerate(cells) if c["reporting_category"] == "charge"]
    for _, c in charges:  # the file's own arithmetic
        assert amount(c["gross"]) - amount(c["fee"]) == amount(c["net"])
    docs = docs_of(rows)
    assert sorted(docs) == [n for n, _ in charges]
    total = sum((Decimal(d["amount"]) for d in docs.values()), Decimal(0))
    assert total == sum((amount(c["gross"]) for _, c in charges), Decimal(0))
    for number, c in charges:
        doc = docs[number]
        assert doc["transaction_id"] == (c["charge_id"] or c["payment_intent_id"])
        assert doc["currency"] == c["currency"].upper()
        assert doc["paid_at"] == c["created_utc"].replace(" ", "T") + "Z"
        assert doc["order_no"] == (c["payment_metadata[order_no]"] or c["description"])
        assert doc["payer"]["id_number"] == c["payment_metadata[payer_id_number]"]
        assert doc["payer"]["name"] == (c["payment_metadata[payer_name]"] or c["customer_name"])
    skipped = Counter(c["reporting_category"] for c in cells if c["reporting_category"] != "charge")
    assert conversion.skipped_by_category == dict(skipped)
    assert "customer_email" in conversion.unmapped and fmt.source.startswith("https://")


def test_paypal_completed_payments_received_become_payments():
    _, rows, conversion = convert("paypal_activity.csv")
    cells = table("paypal_activity.csv")
    # a second reading of "a payment received": a completed credit to the balance
    received = [
        (i + 2, c)
        for i, c in enumerate(cells)
        if c["Status"] == "Completed" and c["Balance Impact"] == "Credit"
    ]
    for _, c in received:
        assert amount(c["Gross"]) - abs(amount(c["Fee"])) == amount(c["Net"])
    good = {n: d for n, d in rows if isinstance(d, dict)}
    assert refusals(rows) == [(7, "Custom Number", "settlement_payer_id_missing")]
    assert sorted([*good, 7]) == [n for n, _ in received]
    docs = docs_of(good.items())
    expected = sum((amount(c["Gross"]) for n, c in received if n in docs), Decimal(0))
    assert sum((Decimal(d["amount"]) for d in docs.values()), Decimal(0)) == expected
    pacific = ZoneInfo("America/Los_Angeles")  # the file's PST
    for number, c in received:
        if number not in docs:
            continue
        local = datetime.strptime(f"{c['Date']} {c['Time']}", "%m/%d/%Y %H:%M:%S")
        utc = local.replace(tzinfo=pacific).astimezone(ZoneInfo("UTC"))
        assert docs[number]["paid_at"] == utc.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert docs[number]["order_no"] == c["Invoice Number"]
        assert docs[number]["transaction_id"] == c["Transaction ID"]
        assert docs[number]["payer"]["id_number"] in c["Custom Number"]
    assert docs[2]["payer"]["name"] == "徐杰"  # from Custom Number, not the account's Name
    assert docs[3]["payer"]["name"] == cells[1]["Name"]  # no payer_name: the Name column
    assert docs[3]["payer"]["phone"] == cells[1]["Contact Phone Number"]
    assert len(conversion.skipped) == len(cells) - len(received)


def test_generic_csv_reads_offsets_thousands_and_ceb_codes():
    _, rows, _ = convert("generic_settlement.csv")
    docs = docs_of(rows)
    cells = table("generic_settlement.csv")
    assert [d["transaction_id"] for d in docs.values()] == [c["transaction_id"] for c in cells]
    for doc, c in zip(docs.values(), cells, strict=True):
        paid = datetime.fromisoformat(c["paid_at"]).astimezone(ZoneInfo("UTC"))
        assert datetime.fromisoformat(doc["paid_at"]) == paid
        assert Decimal(doc["amount"]) == amount(c["amount"])
        assert doc["currency"] == c["currency"].upper()
    assert docs[3]["payer"]["id_type"] == "resident_id"  # CEB411 code 1


def edited(name: str, old: str, new: str) -> bytes:
    text = (DATA / name).read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


@pytest.mark.parametrize(
    "old,new,column,rule",
    [
        (",resident_id,310101198808295149,", ",resident_id,,", "payment_metadata[payer_id_number]",
         "settlement_payer_id_missing"),
        (",resident_id,310101198808295149,", ",licence,310101198808295149,",
         "payment_metadata[payer_id_type]", "settlement_id_type_unknown"),
        ("usd,128.50,4.03,124.47", "usd,128.50,4.03,124.00", "net", "settlement_net_mismatch"),
        ("usd,128.50,4.03,124.47", "usx,128.50,4.03,124.47", "currency",
         "settlement_currency_unknown"),
        ("usd,128.50,4.03,124.47", "usd,0.00,0.00,0.00", "gross", "settlement_amount_not_positive"),
        ("2026-11-02 01:15:02", "02/11/2026 1:15", "created_utc", "marketplace_not_a_time"),
    ],
)  # fmt: skip
def test_a_bad_stripe_row_is_refused_naming_its_column(old, new, column, rule):
    _, rows, _ = convert(
        "stripe_balance_itemized.csv", edited("stripe_balance_itemized.csv", old, new)
    )
    assert refusals(rows) == [(2, column, rule)]


def test_a_stripe_report_without_the_payer_columns_is_refused_by_column():
    cells = table("stripe_balance_itemized.csv")
    keep = sorted(STRIPE_DOCUMENTED)
    out = io.StringIO()
    writer = csv.DictWriter(out, keep, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(cells)
    _, rows, _ = convert("x.csv", out.getvalue().encode())
    found = refusals(rows)
    assert {n for n, _, _ in found} == {2, 3, 6}  # every charge row, none of the others
    assert (2, "payment_metadata[payer_id_number]", "settlement_payer_id_missing") in found
    assert all(not isinstance(d, dict) for _, d in rows)


def test_paypal_time_zones():
    name = "paypal_activity.csv"
    _, rows, _ = convert(name, edited(name, '"09:15:02","PST"', '"09:15:02","GMT+08:00"'))
    assert rows[0][1]["paid_at"] == "2026-11-02T01:15:02Z"
    cst = edited(name, '"09:15:02","PST"', '"09:15:02","CST"')  # US Central or China?
    _, rows, _ = convert(name, cst)
    assert refusals(rows)[0] == (2, "TimeZone", "settlement_time_zone_unknown")
    _, rows, _ = convert(name, cst, core.Profile("platform-a", zones.zone_of("Asia/Shanghai")))
    assert rows[0][1]["paid_at"] == "2026-11-02T01:15:02Z"


def test_paypal_custom_number_of_another_shape_is_refused_without_echoing_it():
    name = "paypal_activity.csv"
    data = edited(
        name, '"payer_id_type=1;payer_id_number=510104199103119517"', '"510104199103119517"'
    )
    _, rows, _ = convert(name, data)
    assert (3, "Custom Number", "settlement_custom_unreadable") in refusals(rows)
    for _, doc in rows:
        if not isinstance(doc, dict):
            assert all("510104" not in str(v.params) for v in doc.violations)
