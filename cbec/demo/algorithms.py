"""The demo platform's algorithm registry: cbec's own analytics that rank or target people,
filed as a platform using them would file them — customer-lifetime-value targeting (BG/NBD
and Gamma-Gamma, :mod:`cbec.analytics.clv`) and RFM segments (:mod:`cbec.analytics.customers`)
filed, and demand forecasting (:mod:`cbec.analytics.forecasting`) a draft. The filing numbers
are invented (``DEMO-…``). A second load files nothing again."""

from __future__ import annotations

from typing import Any

from cbec.governance.record import AlgorithmRecordIn
from cbec.runtime import Runtime
from cbec.services import algorithms as svc
from cbec.services.algorithm_models import FilingRequest
from cbec.tenancy.access import Viewer

PROVIDER = {
    "legal_name": "Silk Mall Cross-border E-commerce Co., Ltd. (demo)",
    "security_owner": "Head of data governance",
}
NO_PROFILING = "Sort by newest or by price; marketing messages off in account settings."


def _record(name: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "name": name,
        "algorithm_type": kind,
        "provider": PROVIDER,
        "application_domain": "cross-border e-commerce",
        "service_form": "web shop and mobile app",
        "product": {"name": "Silk Mall", "urls": ["https://silk-mall.example"]},
        "non_profiling_option": {"available": True, "description": NO_PROFILING},
        "tag_management": True,
        **fields,
    }


EXAMPLES = [
    _record(
        "CLV-based offer targeting",
        "personalised_push",
        purpose="Pick which shoppers receive retention offers, by predicted lifetime value.",
        self_assessment={"summary": "No price differs by profile; offers are coupons only."},
        model={
            "model_type": "BG/NBD purchase model with a Gamma-Gamma spend model",
            "training_data": "Each shopper's purchase days and order values, last 12 months",
            "input_modalities": ["transaction history"],
            "output_modalities": ["expected purchases", "discounted lifetime value"],
        },
        data_sources=[
            {
                "name": "orders",
                "category": "transaction",
                "personal": True,
                "lawful_basis": "contract performance (PIPL Art. 13(1)2)",
            }
        ],
        risks=[
            {
                "risk": "Offers withheld from new or infrequent shoppers",
                "mitigation": "A share of every campaign goes to shoppers chosen at random",
            }
        ],
        main_parameters=[
            {
                "name": "Expected purchases in the next 12 months",
                "description": "From how often and how recently the shopper bought (BG/NBD)",
                "rank": 1,
                "reason_for_importance": "Repeat purchases drive lifetime value the most",
            },
            {
                "name": "Expected order value",
                "description": "The shopper's average spend, shrunk to the shop mean",
                "rank": 2,
                "reason_for_importance": "Separates frequent small baskets from large ones",
            },
        ],
        user_controls=[
            {
                "option": "Marketing offers off",
                "description": "Account settings → notifications",
                "default": False,
                "profiling_based": False,
            }
        ],
        public_text={
            "zh": "本算法根据购买频次、最近一次购买时间和平均订单金额预测顾客价值，用于决定向哪些"
            "顾客发送优惠券；不影响商品价格。可在账户设置中关闭营销推送。",
            "en": "Predicts each shopper's value from how often and how recently they bought "
            "and what they spend, to choose who receives coupons; prices are never affected. "
            "Marketing can be switched off in account settings.",
        },
    ),
    _record(
        "RFM customer segments",
        "personalised_push",
        purpose="Group shoppers by recency, frequency and spend to tailor newsletters.",
        self_assessment={"summary": "Segments use order data only; no sensitive data."},
        model={
            "model_type": "Quintile scores (RFM), rule-based segments",
            "training_data": "None (descriptive scores of the last 12 months of orders)",
        },
        risks=[
            {
                "risk": "Lapsed shoppers contacted too often",
                "mitigation": "At most one message a month to the lapsed segment",
            }
        ],
        main_parameters=[
            {
                "name": "Recency",
                "description": "Days since the last purchase",
                "rank": 1,
                "reason_for_importance": "The strongest sign of whether a shopper is active",
            },
            {
                "name": "Frequency",
                "description": "Purchase days in the last 12 months",
                "rank": 2,
                "reason_for_importance": "Separates loyal shoppers from one-off buyers",
            },
            {
                "name": "Monetary value",
                "description": "Spend in the last 12 months",
                "rank": 3,
                "reason_for_importance": "Breaks ties between equally active shoppers",
            },
        ],
        public_text={
            "zh": "本算法按最近购买时间、购买频次和消费金额将顾客分组，用于调整邮件推送内容。",
            "en": "Groups shoppers by recency, frequency and spend to tailor newsletters.",
        },
    ),
    _record(
        "Demand forecasting for replenishment",
        "scheduling_decision",
        purpose="Forecast demand per product and market to plan stock and shipments.",
        self_assessment={"summary": "Uses aggregate sales only; no individual is profiled."},
        model={
            "model_type": "Per-series model choice: AutoETS, Croston/TSB, naive baselines",
            "training_data": "Weekly units sold per SKU and market, with holiday calendars",
        },
        risks=[
            {
                "risk": "Stock-outs around holidays",
                "mitigation": "Holiday lift per market; intervals, not point forecasts",
            }
        ],
        main_parameters=[
            {
                "name": "Recent sales per SKU and market",
                "description": "Units sold in past weeks",
                "rank": 1,
                "reason_for_importance": "Recent demand predicts near-term demand best",
            }
        ],
        public_text={
            "zh": "本算法依据各商品在各市场的历史销量预测需求，用于补货和发运计划，不针对个人。",
            "en": "Forecasts demand per product and market from past sales to plan stock; "
            "it targets no one.",
        },
    ),
]
FILED = {"CLV-based offer targeting": "DEMO-0001", "RFM customer segments": "DEMO-0002"}


def file_examples(rt: Runtime, platform: Viewer) -> int:
    """File the examples under ``platform`` unless it has them; how many were filed now."""
    have = {a.name for a in svc.list_records(rt.uow(), platform).algorithms}
    made = 0
    for body in EXAMPLES:
        if body["name"] in have:
            continue
        view = svc.create(rt.uow(), platform, AlgorithmRecordIn.model_validate(body))
        number = FILED.get(body["name"])
        if number:
            svc.mark_filed(rt.uow(), platform, view.id, FilingRequest(filing_number=number))
        made += 1
    return made
