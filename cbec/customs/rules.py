"""Business rules of the CEB messages beyond what the XSD can say.

Each rule is a small object with the same three verbs — ``applies(name)``, ``evaluate(msg)``
and ``explain(lang)`` — in the manner of python-stdnum's per-standard modules, so the
validator, the CLI and the API treat them alike. The rules are those the 202205 schema
states in its documentation elements (and the order rules cbec already applies):

- CEB-PAID     acturalPaid = goodsValue + freight + taxTotal − discount (CEB311)
- CEB-TOTAL    totalPrice = price × qty, per line (CEB311, CEB621), rounded half-up to the
               precision totalPrice is given in (at least 2 places)
- CEB-CURRENCY currency is 142 (RMB) on heads and lines of import messages
- CEB-IDTYPE   buyerIdType / payerIdType is 1 (resident ID card)
- CEB-ID       the buyer's / payer's ID is a valid 18-character GB 11643 resident ID
- CEB-GNUM     line numbers gnum run 1..n in order
- CEB-SIGN     CEB621/623/625 with appStatus 2 (declare) carry a ds:Signature
- CEB-STATUS   a receipt's returnStatus is a number (the schema types it as a string of up
               to 10 characters, its documentation as 2/3/4/100/120/399 or negative)

Arithmetic runs in a decimal context wide enough to be exact for any schema-valid amount
(totalDigits 19: a price × qty has at most 38 digits), so no input can make a rule raise.

Paths are XPath-like and 1-based, as lxml reports schema errors:
``/CEB311Message/Order[1]/OrderList[2]/totalPrice``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any

from cbec.customs.state import RECEIPTS, STATUS
from cbec.trade.parties import resident_id_problem

EXACT = Context(prec=60)  # > 2 × totalDigits 19 + fractionDigits 5: products stay exact


@dataclass(frozen=True)
class Finding:
    rule: str
    path: str
    message: str


@dataclass(frozen=True)
class Rule:
    code: str
    messages: tuple[str, ...]
    en: str
    zh: str
    check: Callable[[str, Any], Iterator[Finding]]

    def applies(self, name: str) -> bool:
        return name in self.messages

    def evaluate(self, name: str, message: Any) -> list[Finding]:
        return list(self.check(name, message)) if self.applies(name) else []

    def explain(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en


def _places(value: Decimal) -> int:
    exp = value.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def _round_like(value: Decimal, like: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-max(2, _places(like))), ROUND_HALF_UP)


# (message attribute, element, head attribute, head element, lines attribute, line element)
_LAYOUT = (
    ("order", "Order", "order_head", "OrderHead", "order_list", "OrderList"),
    (
        "inventory",
        "Inventory",
        "inventory_head",
        "InventoryHead",
        "inventory_list",
        "InventoryList",
    ),
    ("payment", "Payment", "payment_head", "PaymentHead", None, None),
    ("logistics", "Logistics", "logistics_head", "LogisticsHead", None, None),
)


def _records(name: str, message: Any) -> Iterator[tuple[str, Any, list[tuple[str, Any]]]]:
    """(path, head, [(path, line)]) for each business record in a message."""
    for attr, tag, head_attr, head_tag, list_attr, list_tag in _LAYOUT:
        for i, item in enumerate(getattr(message, attr, None) or [], start=1):
            base = f"/{name}Message/{tag}[{i}]"
            head = getattr(item, head_attr)
            lines = getattr(item, list_attr) or [] if list_attr else []
            yield (
                f"{base}/{head_tag}",
                head,
                [(f"{base}/{list_tag}[{j}]", line) for j, line in enumerate(lines, start=1)],
            )


def _paid(name: str, msg: Any) -> Iterator[Finding]:
    for path, head, _ in _records(name, msg):
        expected = head.goods_value + head.freight + head.tax_total - head.discount
        if head.actural_paid != expected:
            yield Finding(
                "CEB-PAID",
                f"{path}/acturalPaid",
                f"acturalPaid {head.actural_paid} ≠ goodsValue + freight + taxTotal − discount "
                f"= {expected}",
            )


def _total(name: str, msg: Any) -> Iterator[Finding]:
    for _, _, lines in _records(name, msg):
        for path, line in lines:
            product = _round_like(line.price * line.qty, line.total_price)
            if line.total_price != product:
                yield Finding(
                    "CEB-TOTAL",
                    f"{path}/totalPrice",
                    f"totalPrice {line.total_price} ≠ price {line.price} × qty {line.qty} "
                    f"= {product}",
                )


def _currency(name: str, msg: Any) -> Iterator[Finding]:
    for path, head, lines in _records(name, msg):
        for p, rec in [(path, head), *lines]:
            value = getattr(rec, "currency", None)
            if value is not None and value != "142":
                yield Finding(
                    "CEB-CURRENCY", f"{p}/currency", f"currency {value}: must be 142 (RMB)"
                )


def _person(head: Any) -> tuple[str, str | None, str | None]:
    for prefix in ("buyer", "payer"):
        if hasattr(head, f"{prefix}_id_type"):
            return prefix, getattr(head, f"{prefix}_id_type"), getattr(head, f"{prefix}_id_number")
    return "", None, None


def _id_type(name: str, msg: Any) -> Iterator[Finding]:
    for path, head, _ in _records(name, msg):
        who, id_type, _ = _person(head)
        if who and id_type != "1":
            yield Finding(
                "CEB-IDTYPE",
                f"{path}/{who}IdType",
                f"{who}IdType {id_type}: must be 1 (resident ID card)",
            )


def _id(name: str, msg: Any) -> Iterator[Finding]:
    for path, head, _ in _records(name, msg):
        who, id_type, number = _person(head)
        if who and id_type == "1" and number is not None:
            problem = resident_id_problem(number)
            if problem:
                what = {"id_length": "length", "id_format": "format", "id_checksum": "check digit",
                        "id_component": "birth date or region"}[problem]  # fmt: skip
                yield Finding(
                    "CEB-ID",
                    f"{path}/{who}IdNumber",
                    f"{who}IdNumber: wrong {what} for a GB 11643 resident ID",
                )


def _gnum(name: str, msg: Any) -> Iterator[Finding]:
    for _, _, lines in _records(name, msg):
        for expected, (path, line) in enumerate(lines, start=1):
            if line.gnum != expected:
                yield Finding(
                    "CEB-GNUM",
                    f"{path}/gnum",
                    f"gnum {line.gnum}: lines must be numbered 1..n, expected {expected}",
                )


def _signature(name: str, msg: Any) -> Iterator[Finding]:
    heads = []
    for attr, head_attr in (
        ("inventory", "inventory_head"),
        ("invt_cancel", None),
        ("invt_refund", "invt_refund_head"),
    ):
        items = getattr(msg, attr, None)
        for item in items or []:
            heads.append(getattr(item, head_attr) if head_attr else item)
    declaring = any(getattr(h, "app_status", None) == "2" for h in heads)
    if declaring and getattr(msg, "signature", None) is None:
        yield Finding(
            "CEB-SIGN", f"/{name}Message/Signature", "appStatus 2 (declare) requires a ds:Signature"
        )


def _status(name: str, msg: Any) -> Iterator[Finding]:
    attr, _ = RECEIPTS[name]
    tag = next(f.metadata.get("name", attr) for f in dataclasses.fields(msg) if f.name == attr)
    for i, receipt in enumerate(getattr(msg, attr) or [], start=1):
        if not STATUS.fullmatch(receipt.return_status or ""):
            yield Finding(
                "CEB-STATUS",
                f"/{name}Message/{tag}[{i}]/returnStatus",
                "returnStatus must be an integer of at most 9 digits (2, 3, 4, 100, 120, "
                "399, or negative for an error)",
            )


IMPORT_RECORDS = ("CEB311", "CEB411", "CEB511", "CEB621")
ORDERS_AND_LISTS = ("CEB311", "CEB621")
BUYERS = ("CEB311", "CEB411")
RULES: list[Rule] = [
    Rule(
        "CEB-PAID",
        ("CEB311",),
        "acturalPaid = goodsValue + freight + taxTotal − discount",
        "实际支付金额 = 商品价格 + 运杂费 + 代扣税款 − 非现金抵扣金额",
        _paid,
    ),
    Rule("CEB-TOTAL", ORDERS_AND_LISTS, "totalPrice = price × qty", "总价 = 单价 × 数量", _total),
    Rule("CEB-CURRENCY", IMPORT_RECORDS, "currency is 142 (RMB)", "币制为人民币（142）", _currency),
    Rule("CEB-IDTYPE", BUYERS, "ID type is 1 (resident ID)", "证件类型为身份证（1）", _id_type),
    Rule("CEB-ID", BUYERS, "ID is a valid GB 11643 resident ID", "证件号码须符合 GB 11643", _id),
    Rule("CEB-GNUM", ORDERS_AND_LISTS, "gnum runs 1..n", "商品序号从 1 起连续编号", _gnum),
    Rule(
        "CEB-SIGN",
        ("CEB621", "CEB623", "CEB625"),
        "declared inventory messages are signed",
        "申报状态的清单类报文须加签",
        _signature,
    ),
    Rule(
        "CEB-STATUS",
        tuple(RECEIPTS),
        "a receipt's returnStatus is a number",
        "回执的 returnStatus 为数字",
        _status,
    ),
]


def evaluate(name: str, message: Any) -> list[Finding]:
    """Every business-rule finding for a parsed message named ``name`` (e.g. ``CEB311``)."""
    with localcontext(EXACT):
        return [f for rule in RULES for f in rule.evaluate(name, message)]
