"""The payment voucher (支付单): the payment firm's record that the buyer paid for an order.

Mirrors CEB411 ``PaymentHead``. A payer phone without a ``+`` country prefix is read as a
mainland China number, the market the voucher is declared in.
"""

from __future__ import annotations

from cbec.errors import Violation
from cbec.trade import lenient
from cbec.trade.parties import Payer, check_id, check_phone
from cbec.trade.types import CurrencyCode, Document, Key, Money, Text, UtcDateTime

PAYER_PHONE_REGION = "CN"


class Payment(Document):
    payment_firm: Text(64) | None = None
    transaction_id: Key(60)
    order_no: Key(100)
    platform: Text(64)
    payer: Payer
    amount: Money
    currency: CurrencyCode
    paid_at: UtcDateTime


def _payer_id(payment: Payment) -> list[Violation]:
    return check_id(payment.payer.id_type, payment.payer.id_number, "payer.id_number")


def _payer_phone(payment: Payment) -> list[Violation]:
    if payment.payer.phone is None:
        return []
    return check_phone(payment.payer.phone, PAYER_PHONE_REGION, "payer.phone")


RULES = (_payer_id, _payer_phone)


def check(payment: Payment) -> list[Violation]:
    """Business rules across fields (:mod:`cbec.trade.lenient`)."""
    return lenient.run(RULES, payment)
