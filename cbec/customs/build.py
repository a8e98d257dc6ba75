"""Build CEB311 (order), CEB411 (payment) and CEB511 (waybill) from cbec documents.

A cbec document is richer and looser than a customs message: amounts in any currency,
order numbers up to 100 characters, ISO country codes, free-text units. Building a message
maps each field to its CEB name and checks what customs demands — RMB (currency ``142``),
a resident ID card for the buyer (type ``1``), JGS-20 three-character units, JGS-20 country
codes, and the schema's field lengths — so a document that cannot be declared is refused
with every reason at once, naming the cbec field and the CEB field (``order_no → orderNo:
70 characters, at most 60``) instead of surfacing later as a customs rejection.

Parties are identified to customs by their registration codes, which cbec tenants do not
carry: the caller passes a :class:`Registry` (tenant → code and registered name).
"""

from __future__ import annotations

import csv
import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cbec.customs.bindings import ceb_import as b
from cbec.customs.xml import illegal_char
from cbec.errors import DocumentInvalid, Violation

CHINA_TIME = ZoneInfo("Asia/Shanghai")
DATA = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Party:
    code: str  # customs registration code (≤ 18)
    name: str  # registered name (≤ 100)


@dataclass(frozen=True)
class Registry:
    parties: Mapping[str, Party]  # by cbec tenant name
    sender: Party  # BaseTransfer copCode/copName: who connects to customs
    dxp_id: str  # China E-Port exchange user id

    def party(self, tenant: str, field: str, errors: list[Violation]) -> Party:
        found = self.parties.get(tenant)
        if found is None:
            errors.append(Violation(field, "customs_party_unknown", {"tenant": tenant}))
            return Party("", "")
        return found


@cache
def _countries() -> dict[str, str]:
    with (DATA / "countries.csv").open(encoding="utf-8") as fh:
        return {r["iso2"]: r["customs_code"] for r in csv.DictReader(fh) if not r["effective_to"]}


def guid() -> str:
    """The 36-character upper-case id every CEB message and record carries."""
    return str(uuid.uuid4()).upper()


def app_time(at: datetime) -> str:
    """YYYYMMDDhhmmss in China time, as customs expects."""
    return at.astimezone(CHINA_TIME).strftime("%Y%m%d%H%M%S")


def _new_record(at: datetime) -> dict[str, str]:
    """The fields every declared record starts with: a fresh guid, appType 1 (new),
    appTime in China time, appStatus 2 (declare)."""
    return {"guid": guid(), "app_type": "1", "app_time": app_time(at), "app_status": "2"}


@cache
def _ceb_name(cls: type, attr: str) -> str:
    """The schema's name of a binding attribute (``order_no`` → ``orderNo``)."""
    return next(f.metadata.get("name", f.name) for f in dataclasses.fields(cls) if f.name == attr)


@cache
def _max_length(cls: type, attr: str) -> int | None:
    for f in dataclasses.fields(cls):
        if f.name == attr:
            return f.metadata.get("max_length") or f.metadata.get("length")
    return None


def _record(
    cls: type, values: dict[str, Any], where: Mapping[str, str], errors: list[Violation]
) -> Any:
    """Instantiate a binding, first checking each string against the schema's length facet
    and against XML 1.0's characters (§2.2: a NUL or a form feed cannot be written into a
    message at all — documents filed before cbec refused control characters may hold one).
    ``where`` maps binding attributes to the cbec field they came from."""
    for attr, value in values.items():
        if not isinstance(value, str):
            continue
        char = illegal_char(value)
        if char is not None:
            params = {"ceb": _ceb_name(cls, attr), "char": char}
            errors.append(Violation(where.get(attr, attr), "customs_xml_char", params))
            continue
        limit = _max_length(cls, attr)
        if limit is not None and len(value) > limit:
            ceb = _ceb_name(cls, attr)
            errors.append(
                Violation(
                    where.get(attr, attr),
                    "customs_length",
                    {"ceb": ceb, "length": len(value), "limit": limit},
                )
            )
    if errors:
        return None
    # Fields the schema fixes (e.g. currency 142) are generated with init=False: the value
    # given must be that fixed value, and is not passed.
    fixed = {f.name: f.default for f in dataclasses.fields(cls) if not f.init}
    for attr, value in list(values.items()):
        if attr in fixed:
            if value != fixed[attr]:
                raise ValueError(f"{cls.__name__}.{attr} is fixed to {fixed[attr]!r}")
            del values[attr]
    return cls(**values)


def _money(value: str | Decimal) -> Decimal:
    return Decimal(str(value))


def _rmb(doc: Mapping[str, Any], errors: list[Violation]) -> None:
    if doc.get("currency") != "CNY":
        errors.append(Violation("currency", "customs_currency", {"found": doc.get("currency")}))


def _base_transfer(reg: Registry) -> b.BaseTransfer:
    return b.BaseTransfer(
        cop_code=reg.sender.code, cop_name=reg.sender.name, dxp_mode="DXP", dxp_id=reg.dxp_id
    )


def ceb311(
    order: Mapping[str, Any],
    reg: Registry,
    *,
    at: datetime,
    payment: Mapping[str, Any] | None = None,
) -> b.Ceb311Message:
    """CEB311 for one cbec order (and, when known, its payment's transaction)."""
    errors: list[Violation] = []
    _rmb(order, errors)
    buyer, consignee = order["buyer"], order["consignee"]
    if buyer.get("id_type") != "resident_id":
        errors.append(Violation("buyer.id_type", "customs_id_type", {}))
    platform = reg.party(order["platform"], "platform", errors)
    seller = reg.party(order["seller"], "seller", errors)
    pay = reg.party(payment["payment_firm"], "payment.payment_firm", errors) if payment else None
    countries = _countries()
    lines = []
    for i, line in enumerate(order["lines"]):
        country = countries.get(line["origin_country"])
        if country is None:
            errors.append(
                Violation(
                    f"lines[{i}].origin_country", "customs_country", {"iso": line["origin_country"]}
                )
            )
        if len(line["unit"]) != 3 or not line["unit"].isdigit():
            errors.append(Violation(f"lines[{i}].unit", "customs_unit", {}))
        lines.append(
            _record(
                b.OrderList,
                {
                    "gnum": line["line_no"],
                    "item_no": line["sku"],
                    "item_name": line["name"],
                    "gmodel": line["spec"],
                    "bar_code": line.get("barcode"),
                    "unit": line["unit"],
                    "qty": _money(line["qty"]),
                    "price": _money(line["unit_price"]),
                    "total_price": _money(line["line_total"]),
                    "currency": "142",
                    "country": country or "",
                },
                {
                    "item_no": f"lines[{i}].sku",
                    "item_name": f"lines[{i}].name",
                    "gmodel": f"lines[{i}].spec",
                    "bar_code": f"lines[{i}].barcode",
                },
                errors,
            )
        )
    head = _record(
        b.OrderHead,
        {
            **_new_record(at),
            "order_type": "I",
            "order_no": order["order_no"],
            "ebp_code": platform.code,
            "ebp_name": platform.name,
            "ebc_code": seller.code,
            "ebc_name": seller.name,
            "goods_value": _money(order["goods_value"]),
            "freight": _money(order["freight"]),
            "discount": _money(order["discount"]),
            "tax_total": _money(order["tax_withheld"]),
            "actural_paid": _money(order["amount_paid"]),
            "currency": "142",
            "buyer_reg_no": buyer["account_id"],
            "buyer_name": buyer["name"],
            "buyer_telephone": buyer["phone"],
            "buyer_id_type": "1",
            "buyer_id_number": buyer.get("id_number") or "",
            "pay_code": pay.code if pay else None,
            "pay_name": pay.name if pay else None,
            "pay_transaction_id": payment["transaction_id"] if payment else None,
            "consignee": consignee["name"],
            "consignee_telephone": consignee["phone"],
            "consignee_address": consignee["address"],
            "consignee_district": consignee.get("district_code"),
            "note": order.get("note"),
        },
        {
            "order_no": "order_no",
            "buyer_reg_no": "buyer.account_id",
            "buyer_name": "buyer.name",
            "buyer_telephone": "buyer.phone",
            "consignee": "consignee.name",
            "consignee_telephone": "consignee.phone",
            "consignee_address": "consignee.address",
            "note": "note",
            "ebp_code": "platform",
            "ebc_code": "seller",
        },
        errors,
    )
    if errors:
        raise DocumentInvalid(errors)
    return b.Ceb311Message(
        order=[b.Ceb311Message.Order(order_head=head, order_list=lines)],
        base_transfer=_base_transfer(reg),
        guid=head.guid,
        version="1.0",
    )


def ceb411(payment: Mapping[str, Any], reg: Registry, *, at: datetime) -> b.Ceb411Message:
    errors: list[Violation] = []
    _rmb(payment, errors)
    payer = payment["payer"]
    if payer.get("id_type") != "resident_id":
        errors.append(Violation("payer.id_type", "customs_id_type", {}))
    firm = reg.party(payment["payment_firm"], "payment_firm", errors)
    platform = reg.party(payment["platform"], "platform", errors)
    paid_at = datetime.fromisoformat(payment["paid_at"])
    head = _record(
        b.PaymentHead,
        {
            **_new_record(at),
            "pay_code": firm.code,
            "pay_name": firm.name,
            "pay_transaction_id": payment["transaction_id"],
            "order_no": payment["order_no"],
            "ebp_code": platform.code,
            "ebp_name": platform.name,
            "payer_id_type": "1",
            "payer_id_number": payer["id_number"],
            "payer_name": payer["name"],
            "telephone": payer.get("phone"),
            "amount_paid": _money(payment["amount"]),
            "currency": "142",
            "pay_time": app_time(paid_at),
        },
        {
            "pay_transaction_id": "transaction_id",
            "order_no": "order_no",
            "payer_name": "payer.name",
            "telephone": "payer.phone",
        },
        errors,
    )
    if errors:
        raise DocumentInvalid(errors)
    return b.Ceb411Message(
        payment=[b.Ceb411Message.Payment(payment_head=head)],
        base_transfer=_base_transfer(reg),
        guid=head.guid,
        version="1.0",
    )


def ceb511(waybill: Mapping[str, Any], reg: Registry, *, at: datetime) -> b.Ceb511Message:
    errors: list[Violation] = []
    _rmb(waybill, errors)
    firm = reg.party(waybill["logistics_firm"], "logistics_firm", errors)
    consignee = waybill["consignee"]
    head = _record(
        b.LogisticsHead,
        {
            **_new_record(at),
            "logistics_code": firm.code,
            "logistics_name": firm.name,
            "logistics_no": waybill["waybill_no"],
            "order_no": waybill["order_no"],
            "freight": _money(waybill["freight"]),
            "insured_fee": _money(waybill["insured_fee"]),
            "currency": "142",
            "weight": _money(waybill["gross_weight_kg"]),
            "pack_no": waybill["packages"],
            "consignee": consignee["name"],
            "consignee_address": consignee["address"],
            "consignee_telephone": consignee["phone"],
        },
        {
            "logistics_no": "waybill_no",
            "order_no": "order_no",
            "consignee": "consignee.name",
            "consignee_address": "consignee.address",
            "consignee_telephone": "consignee.phone",
        },
        errors,
    )
    if errors:
        raise DocumentInvalid(errors)
    return b.Ceb511Message(
        logistics=[b.Ceb511Message.Logistics(logistics_head=head)],
        base_transfer=_base_transfer(reg),
        guid=head.guid,
        version="1.0",
    )
