"""The roles a tenant plays in a CBEC sale, after the parties China customs names."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SELLER = "seller"  # e-commerce enterprise (电商企业, ebc)
    PLATFORM = "platform"  # e-commerce platform (电商平台, ebp)
    PAYMENT = "payment"  # payment firm (支付企业)
    LOGISTICS = "logistics"  # logistics firm (物流企业)
    REGULATOR = "regulator"  # customs, CAC or another authority: reads everything


ROLE_NAMES = {
    Role.SELLER: {"en": "seller", "zh": "电商企业"},
    Role.PLATFORM: {"en": "platform", "zh": "电商平台"},
    Role.PAYMENT: {"en": "payment firm", "zh": "支付企业"},
    Role.LOGISTICS: {"en": "logistics firm", "zh": "物流企业"},
    Role.REGULATOR: {"en": "regulator", "zh": "监管机构"},
}
