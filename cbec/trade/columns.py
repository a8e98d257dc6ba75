"""The columns of a kind's table (CSV or a sheet), read off its model: the dotted names a
bulk import accepts, which of them every document needs, and the Chinese header each has in
cbec's bilingual templates.

The column list is derived from the Pydantic model (:mod:`cbec.trade.kinds`), never written
out by hand, so a field added to a model is a column at once; only its Chinese header is
written here, and ``tests/console/test_console_imports.py`` fails when a column has none.
The Chinese headers follow the field names of the China customs cross-border e-commerce
messages each model mirrors (CEB311 电子订单, CEB411 支付单, CEB511 运单) and the seller's
catalogue (商品备案): a file exported from a Chinese ERP or filled in from our template is
mapped without the operator choosing every column.

A column of a list of plain values (an order line's ``attributes``) has no place in a flat
table — a cell cannot hold a list — so it is left out; such values come in JSON Lines.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from cbec.trade.kinds import Kind
from cbec.trade.lenient import is_list, model_of


@dataclass(frozen=True)
class Column:
    """One column of a kind's table: its dotted ``name`` (the English header), whether
    every document must fill it, and its Chinese header."""

    name: str
    required: bool
    zh: str
    time: bool = False  # a date-time: read in the file's zone when written without offset


ZH_HEADERS: dict[str, dict[str, str]] = {
    "order": {
        "platform": "电商平台",
        "order_no": "订单编号",
        "seller": "电商企业",
        "ordered_at": "下单时间",
        "buyer.account_id": "订购人注册号",
        "buyer.name": "订购人姓名",
        "buyer.phone": "订购人电话",
        "buyer.id_type": "订购人证件类型",
        "buyer.id_number": "订购人证件号码",
        "consignee.name": "收货人姓名",
        "consignee.phone": "收货人电话",
        "consignee.address": "收货地址",
        "consignee.district_code": "收货地区代码",
        "destination_country": "目的国",
        "origin_country": "启运国",
        "currency": "币制",
        "goods_value": "商品价格",
        "freight": "运杂费",
        "discount": "非现金抵扣金额",
        "tax_withheld": "代扣税款",
        "amount_paid": "实际支付金额",
        "incoterm": "贸易术语",
        "ioss_number": "IOSS编号",
        "note": "备注",
        "lines.line_no": "商品序号",
        "lines.sku": "企业商品货号",
        "lines.name": "商品名称",
        "lines.spec": "规格型号",
        "lines.hs_code": "商品编码",
        "lines.origin_country": "原产国",
        "lines.unit": "计量单位",
        "lines.qty": "数量",
        "lines.unit_price": "单价",
        "lines.line_total": "总价",
        "lines.barcode": "条码",
    },
    "payment": {
        "payment_firm": "支付企业",
        "transaction_id": "支付交易编号",
        "order_no": "订单编号",
        "platform": "电商平台",
        "payer.name": "支付人姓名",
        "payer.id_type": "支付人证件类型",
        "payer.id_number": "支付人证件号码",
        "payer.phone": "支付人电话",
        "amount": "支付金额",
        "currency": "币制",
        "paid_at": "支付时间",
    },
    "waybill": {
        "logistics_firm": "物流企业",
        "waybill_no": "物流运单编号",
        "order_no": "订单编号",
        "platform": "电商平台",
        "destination_country": "目的国",
        "consignee.name": "收货人姓名",
        "consignee.phone": "收货人电话",
        "consignee.address": "收货地址",
        "consignee.district_code": "收货地区代码",
        "currency": "币制",
        "freight": "运费",
        "insured_fee": "保价费",
        "gross_weight_kg": "毛重（千克）",
        "packages": "件数",
        "events.time": "轨迹时间",
        "events.place": "轨迹地点",
        "events.status": "轨迹状态",
        "events.note": "轨迹备注",
        "route.leg": "运输段编号",
        "route.mode": "运输方式",
        "route.vehicle": "运输工具类别",
        "route.carrier": "承运人",
        "route.distance_km": "运输距离（千米）",
        "route.origin": "起运地",
        "route.destination": "到达地",
    },
    "product": {
        "seller": "电商企业",
        "sku": "企业商品货号",
        "name_zh": "中文品名",
        "name_en": "英文品名",
        "spec": "规格型号",
        "unit": "计量单位",
        "weight_kg": "重量（千克）",
        "dimensions.length_cm": "长（厘米）",
        "dimensions.width_cm": "宽（厘米）",
        "dimensions.height_cm": "高（厘米）",
        "origin_country": "原产国",
        "hs_code": "商品编码",
        "hs_codes.country": "国别税号国家",
        "hs_codes.code": "国别税号",
        "barcode": "条码",
        "legal_unit": "法定计量单位",
        "legal_qty_per_unit": "法定数量",
    },
}


def _min_items(info: FieldInfo) -> int:
    for meta in info.metadata:
        if getattr(meta, "min_length", None):
            return int(meta.min_length)
    return 0


def _walk(model: type[BaseModel], prefix: str, required: bool) -> list[tuple[str, bool, bool]]:
    out: list[tuple[str, bool, bool]] = []
    for name, info in model.model_fields.items():
        here = required and info.is_required()
        inner = model_of(info.annotation)
        if is_list(info.annotation):
            if inner is not None:  # list items: one per row (Kind.list_field)
                out += _walk(inner, f"{prefix}{name}.", here and _min_items(info) > 0)
            continue  # a list of plain values has no column
        if inner is not None:
            out += _walk(inner, f"{prefix}{name}.", here)
        else:
            out.append((f"{prefix}{name}", here, _is_time(info.annotation)))
    return out


def _is_time(annotation: Any) -> bool:
    if annotation is datetime:
        return True
    return any(_is_time(a) for a in typing.get_args(annotation))


def columns(kind: Kind) -> list[Column]:
    """The columns of ``kind``'s table in the model's field order. A party field the filer's
    own role fills (an order's ``seller`` filed by a seller) is optional in the model, so not
    required here either."""
    labels = ZH_HEADERS.get(kind.name, {})
    return [
        Column(name, required, labels.get(name, name), time)
        for name, required, time in _walk(kind.model, "", True)
    ]


def time_columns(kind: Kind) -> frozenset[str]:
    """The names of ``kind``'s date-time columns (``ordered_at``, ``events.time``)."""
    return frozenset(c.name for c in columns(kind) if c.time)


def known_headers(kind: Kind) -> dict[str, str]:
    """Every header a file may carry for a column, folded (:func:`fold`) → the column."""
    out: dict[str, str] = {}
    for column in columns(kind):
        out[fold(column.name)] = column.name
        out[fold(column.zh)] = column.name
    return out


def fold(header: str) -> str:
    """A header as compared: surrounding blanks, a byte-order mark and case do not count,
    nor full-width brackets against ASCII ones (``毛重(千克)`` is ``毛重（千克）``)."""
    text = header.replace("\ufeff", "").strip().casefold()
    return text.replace("（", "(").replace("）", ")").replace(" ", "")


def suggest(kind: Kind, header: list[str]) -> list[str | None]:
    """The column each header names by its exact English or Chinese name, else None; a
    column is suggested for its first header only."""
    known = known_headers(kind)
    out: list[str | None] = []
    taken: set[str] = set()
    for h in header:
        name = known.get(fold(h or ""))
        out.append(name if name is not None and name not in taken else None)
        if name is not None:
            taken.add(name)
    return out
