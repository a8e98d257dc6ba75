"""PayPal's Activity download ("Download history" / Activity → Statements → Activity
download), comma-separated, one row per transaction of the account.

Column names and meanings follow PayPal's list of downloadable history fields
(https://developer.paypal.com/api/nvp-soap/paypal-payments-standard/admin/download-history/):
``Date`` written ``[M]M/[D]D/YYYY`` and ``Time`` ``HH:MM:SS`` in the account's time zone,
named in ``TimeZone``; ``Gross``, ``Fee`` and ``Net`` signed decimals that PayPal writes
with thousands separators (``1,234.56``), the fee as a negative amount, so
``Net = Gross − |Fee|`` — checked here on every payment row as the file's own arithmetic.
``Type`` says what a row is (``Express Checkout Payment``, ``Website Payment``,
``Payment Refund``, ``General Withdrawal``, ``General Currency Conversion`` …) and
``Status`` where it stands (``Completed``, ``Pending``, ``Refunded``, ``Reversed`` …): only
completed payments received (a ``Type`` naming a payment and no refund or reversal, a
positive ``Gross``, ``Balance Impact`` ``Credit`` where the column is present) become
payments; every other row is skipped and counted by its ``Type``.

``Invoice Number`` is the merchant's ``invoice`` variable and ``Custom Number`` its
``custom`` pass-through variable, both set at checkout and returned untouched. PayPal's
report has no column for the payer's identity document, which customs needs: cbec reads it
from ``Custom Number`` written as ``key=value`` pairs separated by ``;`` with the keys
``payer_name``, ``payer_id_type``, ``payer_id_number`` and ``payer_phone`` (e.g.
``payer_id_type=resident_id;payer_id_number=…;payer_name=…``). A row whose ``Custom Number``
has no ``payer_id_number`` is refused, never filled in.

``TimeZone`` is read as a fixed offset (``GMT``, ``UTC``, ``GMT+08:00``), an IANA name, or one
of the abbreviations below; ``CST`` and ``IST`` name more than one zone and, like a blank,
need the profile's time zone (``--tz``).

| column | cbec field |
| --- | --- |
| Transaction ID | transaction_id |
| Invoice Number | order_no |
| Date, Time, TimeZone | paid_at |
| Gross | amount |
| Currency | currency |
| Custom Number: payer_name (else Name) | payer.name |
| Custom Number: payer_id_type | payer.id_type |
| Custom Number: payer_id_number | payer.id_number |
| Custom Number: payer_phone (else Contact Phone Number) | payer.phone |
| Fee, Net | checked: Net = Gross − abs(Fee) |
| Type, Status, Balance Impact | only completed payments received |
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from cbec.connectors.settlements.core import (
    PAYER_KEYS,
    Format,
    Profile,
    Reader,
    Skipped,
    fixed_zone,
    iso,
    payer,
    payment,
)

CUSTOM = "Custom Number"
DATE_FORMATS = ("%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S")

ABBREVIATIONS = {  # unambiguous ones only; PayPal's own accounts are on US Pacific time
    "PST": -8,
    "PDT": -7,
    "MST": -7,
    "MDT": -6,
    "EST": -5,
    "EDT": -4,
    "HST": -10,
    "AKST": -9,
    "AKDT": -8,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "HKT": 8,
    "SGT": 8,
    "JST": 9,
    "KST": 9,
    "AEST": 10,
    "AEDT": 11,
}

MAPPING = {
    "Transaction ID": "transaction_id",
    "Invoice Number": "order_no",
    "Date": "paid_at",
    "Time": "paid_at",
    "TimeZone": "paid_at",
    "Gross": "amount",
    "Currency": "currency",
    CUSTOM: "payer (payer_name, payer_id_type, payer_id_number, payer_phone)",
    "Name": "payer.name",
    "Contact Phone Number": "payer.phone",
    "Fee": "(checked)",
    "Net": "(checked)",
    "Type": "(only payments)",
    "Status": "(only Completed)",
    "Balance Impact": "(only Credit)",
}

AMBIGUOUS = {
    "Date": "read as month/day/year, the order PayPal's field list gives",
    "Name": "the payer's name only where Custom Number has no payer_name",
}


def _is_payment(r: Reader) -> bool:
    row = r.first
    kind = (row.get("Type") or "").strip().lower()
    if (row.get("Status") or "").strip() != "Completed":
        return False
    if "payment" not in kind or "refund" in kind or "reversal" in kind:
        return False
    impact = row.get("Balance Impact")
    if impact is not None and impact.strip() and impact.strip() != "Credit":
        return False
    gross = (row.get("Gross") or "").strip()
    return not gross.startswith("-")


def custom_fields(r: Reader) -> dict[str, str]:
    """The payer's fields of ``Custom Number`` (``key=value;…``); a text of another shape is
    refused by name, and never echoed (it may hold an ID number)."""
    text = r.text(CUSTOM, required=False)
    if text is None:
        return {}
    out: dict[str, str] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep:
            r.fail(CUSTOM, "settlement_custom_unreadable")
            return {}
        if key.strip() in PAYER_KEYS:
            out[key.strip()] = value.strip()
    return out


def _zone(r: Reader, profile: Profile) -> tzinfo | None:
    text = r.text("TimeZone", required=False)
    if text is not None:
        found = fixed_zone(text)
        if found is not None:
            return found
        if text.upper() in ABBREVIATIONS:
            return timezone(timedelta(hours=ABBREVIATIONS[text.upper()]))
        if "/" in text and text in available_timezones():
            try:
                return ZoneInfo(text)
            except (ZoneInfoNotFoundError, ValueError):
                pass
    if profile.zone is not None:
        return profile.zone
    r.fail("TimeZone", "settlement_time_zone_unknown", found=(text or "")[:40])
    return None


def _paid_at(r: Reader, profile: Profile) -> str | None:
    day, clock = r.text("Date"), r.text("Time")
    if day is None or clock is None:
        return None
    for pattern in DATE_FORMATS:
        try:
            local = datetime.strptime(f"{day} {clock}", pattern)
            break
        except ValueError:
            continue
    else:
        r.fail("Date", "marketplace_not_a_time", found=f"{day} {clock}"[:40])
        return None
    zone = _zone(r, profile)
    return iso(local.replace(tzinfo=zone)) if zone is not None else None


def _build(r: Reader, profile: Profile):
    if not _is_payment(r):
        kind = (r.first.get("Type") or "").strip()
        status = (r.first.get("Status") or "").strip()
        return Skipped(kind if status == "Completed" else f"{kind} ({status})")
    fields = custom_fields(r)
    columns = {key: CUSTOM for key in PAYER_KEYS}
    who = payer(r, fields, columns, name_fallback="Name", phone_fallback="Contact Phone Number")
    amount = r.amount("Gross")
    r.net_agrees("Gross", "Fee", "Net")
    return payment(
        r,
        profile,
        transaction_id=r.text("Transaction ID"),
        order_no=r.text("Invoice Number"),
        payer=who,
        amount=amount,
        currency=r.currency_code("Currency"),
        paid_at=_paid_at(r, profile),
    )


FORMAT = Format(
    name="paypal",
    title="PayPal activity download (CSV)",
    source="https://developer.paypal.com/api/nvp-soap/paypal-payments-standard/admin/download-history/",
    signature=frozenset({"Transaction ID", "Gross", "Fee", "Net", "Status", "Type"}),
    mapping=MAPPING,
    build=_build,
    ambiguous=AMBIGUOUS,
)

FORMATS = (FORMAT,)
