"""Stripe's itemized balance reports: "Balance change from activity" (report type
``balance_change_from_activity.itemized.3``) and "Payout reconciliation"
(``payout_reconciliation.itemized.5``), downloaded as CSV from the Dashboard's Balance or
Payout reconciliation report or made with the Reporting API.

Column names and meanings follow Stripe's report schema
(https://docs.stripe.com/reports/report-types/balance and
https://docs.stripe.com/reports/payout-reconciliation): one row per balance transaction,
``created_utc`` in UTC (``created`` in the report's chosen time zone), ``currency`` the
lower-case ISO code, ``gross``, ``fee`` and ``net`` in major units (dollars for USD, yen for
JPY) with ``net = gross − fee``, checked here on every payment row as the file's own
arithmetic. ``reporting_category`` groups the rows (https://docs.stripe.com/reports/reporting-categories):
only ``charge`` rows are a buyer paying, and become payments; ``refund``, ``fee``,
``payout``, ``dispute``, ``transfer`` … are skipped and counted by category.

A charge's metadata appears as ``payment_metadata[KEY]`` columns when the report is run with
them (https://docs.stripe.com/reports/metadata). Customs needs the payer's name and identity
document, which Stripe keeps nowhere else: the merchant sets the charge's (PaymentIntent's)
metadata keys ``payer_name``, ``payer_id_type``, ``payer_id_number`` and ``payer_phone`` at
checkout, and ``order_no`` for the order the payment is for.

| column | cbec field |
| --- | --- |
| charge_id (else payment_intent_id) | transaction_id |
| payment_metadata[order_no] (else description) | order_no |
| created_utc (else created, in the profile's time zone) | paid_at |
| gross | amount |
| currency (upper-cased) | currency |
| payment_metadata[payer_name] (else customer_name) | payer.name |
| payment_metadata[payer_id_type] | payer.id_type |
| payment_metadata[payer_id_number] | payer.id_number |
| payment_metadata[payer_phone] | payer.phone |
| fee, net | checked: net = gross − fee |
| reporting_category | only `charge` rows are payments |
"""

from __future__ import annotations

from cbec.connectors.settlements.core import (
    PAYER_KEYS,
    Format,
    Profile,
    Reader,
    Skipped,
    payer,
    payment,
)

TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")

META = {key: f"payment_metadata[{key}]" for key in (*PAYER_KEYS, "order_no")}

MAPPING = {
    "charge_id": "transaction_id",
    "payment_intent_id": "transaction_id",
    META["order_no"]: "order_no",
    "description": "order_no",
    "created_utc": "paid_at",
    "created": "paid_at",
    "gross": "amount",
    "currency": "currency",
    META["payer_name"]: "payer.name",
    "customer_name": "payer.name",
    META["payer_id_type"]: "payer.id_type",
    META["payer_id_number"]: "payer.id_number",
    META["payer_phone"]: "payer.phone",
    "fee": "(checked)",
    "net": "(checked)",
    "reporting_category": "(only charge rows)",
}

AMBIGUOUS = {
    "description": "the order number only where payment_metadata[order_no] is blank",
    "customer_name": "the payer's name only where payment_metadata[payer_name] is blank",
}

PAYMENT_CATEGORY = "charge"


def _build(r: Reader, profile: Profile):
    category = (r.first.get("reporting_category") or "").strip()
    if category != PAYMENT_CATEGORY:
        return Skipped(category)
    transaction = r.text("charge_id", required=False) or r.text("payment_intent_id")
    order_no = r.text(META["order_no"], required=False) or r.text("description")
    if r.first.get("created_utc") is not None or r.first.get("created") is None:
        when = r.utc_time("created_utc", TIME_FORMATS)
    else:
        when = r.time("created", TIME_FORMATS)
    amount = r.amount("gross")
    r.net_agrees("gross", "fee", "net")
    who = payer(
        r,
        {key: r.first.get(META[key]) for key in PAYER_KEYS},
        {key: META[key] for key in PAYER_KEYS},
        name_fallback="customer_name",
    )
    return payment(
        r,
        profile,
        transaction_id=transaction,
        order_no=order_no,
        payer=who,
        amount=amount,
        currency=r.currency_code("currency"),
        paid_at=when,
    )


FORMAT = Format(
    name="stripe",
    title="Stripe itemized balance / payout reconciliation report (CSV)",
    source="https://docs.stripe.com/reports/report-types/balance",
    signature=frozenset({"balance_transaction_id", "reporting_category", "gross", "fee", "net"}),
    mapping=MAPPING,
    build=_build,
    ambiguous=AMBIGUOUS,
)

FORMATS = (FORMAT,)
