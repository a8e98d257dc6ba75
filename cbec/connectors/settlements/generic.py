"""cbec's generic payment settlement CSV: for a payment service with no format of its own
here, or a merchant's own ledger. One row per payment received (every row is filed; leave
refunds and fees out of the file). Comma-separated, UTF-8 (GBK/GB18030 from a Chinese Excel
is detected too), or the first sheet of an XLSX workbook; the header names the columns in any
order (documented in the README, "Payment settlement reports").

| column | cbec field | required | what it holds |
| --- | --- | --- | --- |
| transaction_id | transaction_id | yes | the payment service's transaction id (unique per payment firm) |
| order_no | order_no | yes | the order the payment is for |
| paid_at | paid_at | yes | ISO 8601 with its offset (`2026-11-02T10:00:00+08:00`); without one, read in the profile's time zone |
| amount | amount | yes | the amount paid, in major units with a dot (`1,234.56` is read too) |
| currency | currency | yes | ISO 4217 (`CNY`, `usd`) |
| payer_name | payer.name | yes | the payer's name as on the ID |
| payer_id_type | payer.id_type | yes | `resident_id`, `passport` or `other` (CEB411 codes `1` and `2` read as `resident_id` and `other`) |
| payer_id_number | payer.id_number | yes | the ID number (a resident ID is checked by GB 11643) |
| payer_phone | payer.phone | no | the payer's phone (`+` and country code, else read as a mainland China number) |
"""  # noqa: E501

from __future__ import annotations

from cbec.connectors.settlements.core import PAYER_KEYS, Format, Profile, Reader, payer, payment

COLUMNS = (
    "transaction_id",
    "order_no",
    "paid_at",
    "amount",
    "currency",
    *PAYER_KEYS,
)

MAPPING = {
    "transaction_id": "transaction_id",
    "order_no": "order_no",
    "paid_at": "paid_at",
    "amount": "amount",
    "currency": "currency",
    "payer_name": "payer.name",
    "payer_id_type": "payer.id_type",
    "payer_id_number": "payer.id_number",
    "payer_phone": "payer.phone",
}


def _build(r: Reader, profile: Profile):
    who = payer(r, {key: r.first.get(key) for key in PAYER_KEYS}, {k: k for k in PAYER_KEYS})
    return payment(
        r,
        profile,
        transaction_id=r.text("transaction_id"),
        order_no=r.text("order_no"),
        payer=who,
        amount=r.amount("amount"),
        currency=r.currency_code("currency"),
        paid_at=r.time("paid_at"),
    )


FORMAT = Format(
    name="generic",
    title="cbec generic payment settlement CSV",
    source="README.md#payment-settlement-reports",
    signature=frozenset({"transaction_id", "order_no", "paid_at", "amount", "payer_id_number"}),
    mapping=MAPPING,
    build=_build,
)

FORMATS = (FORMAT,)
