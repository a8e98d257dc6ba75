"""A valid algorithm record body for the registry's tests."""

from __future__ import annotations

from typing import Any


def record(name: str = "Home feed ranking", **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "algorithm_type": "personalised_push",
        "provider": {
            "legal_name": "Example Mall Ltd",
            "uscc": "91310000MA1FL0001X",
            "security_owner": "Chief technology officer",
        },
        "application_domain": "e-commerce",
        "service_form": "app and web",
        "launch_date": "2026-03-02",
        "product": {"name": "Example Mall", "urls": ["https://mall.example.com"]},
        "purpose": "Show each shopper the products most likely to interest them.",
        "self_assessment": {
            "summary": "Assessed; no discriminatory pricing.",
            "report_ref": "SA-1",
        },
        "model": {
            "model_type": "gradient-boosted trees",
            "training_data": "90 days of anonymised clicks and orders",
            "input_modalities": ["tabular"],
            "output_modalities": ["ranked list"],
        },
        "data_sources": [
            {
                "name": "order history",
                "category": "transaction",
                "personal": True,
                "lawful_basis": "contract (PIPL Art. 13(2))",
            }
        ],
        "risks": [{"risk": "filter bubble", "mitigation": "a share of random picks"}],
        "main_parameters": [
            {
                "name": "past purchases",
                "description": "categories bought before",
                "rank": 1,
                "weight": "0.6",
                "reason_for_importance": "the best predictor of the next purchase",
            },
            {
                "name": "popularity",
                "description": "orders in the last 7 days",
                "rank": 2,
                "reason_for_importance": "covers shoppers with no history",
            },
        ],
        "user_controls": [
            {
                "option": "personalisation off",
                "description": "settings → recommendations",
                "default": False,
                "profiling_based": False,
            }
        ],
        "non_profiling_option": {"available": True, "description": "sort by popularity only"},
        "tag_management": True,
        "public_text": {
            "zh": "本算法依据购买记录和热度为用户推荐商品，可在设置中关闭个性化推荐。",
            "en": "Recommends products from purchase history and popularity; "
            "personalisation can be switched off in settings.",
        },
    }
    return body | over
