"""The talent tests' world: an expert published by logistics firm ship-a, another by seller-b,
and a project seller-a posts (as API bodies and as the console's forms)."""

from __future__ import annotations

from typing import Any

EXPERT = {
    "name": "Li Hua",
    "contact": "lihua@example.cn",
    "headline": "Customs compliance and carbon accounting for CBEC exporters",
    "skills": ["customs_compliance", "carbon_accounting"],
    "languages": ["en", "zh"],
    "certificates": [
        {"kind": "1x_cbec_b2b_data_ops", "issuer": "Alibaba.com", "number": "1X-2023-000417"}
    ],
    "day_rate": {"amount": "1200.00", "currency": "CNY"},
    "days_per_week": 2,
}
OTHER = {
    "name": "Wang Fang",
    "contact": "+86 138 0000 0000",
    "headline": "Digital marketing across Latin America",
    "skills": ["customs_compliance", "digital_marketing", "carbon_accounting"],
    "languages": ["en", "es"],
    "day_rate": {"amount": "800.00", "currency": "USD"},
    "days_per_week": 5,
}
PROJECT = {
    "title": "Export compliance review",
    "skills": [
        {"code": "customs_compliance", "weight": 3},
        {"code": "digital_marketing", "weight": 1},
        {"code": "carbon_accounting", "weight": 2},
    ],
    "languages": ["en", "es"],
    "certificates": ["1x_cbec_b2b_data_ops"],
    "day_budget": {"amount": "1000.00", "currency": "CNY"},
    "days_per_week": 4,
    "starts_on": "2026-01-01",
    "ends_on": "2026-03-01",
}

# The console's forms of the same profile and project (tests/talent/test_talent_console.py).
EXPERT_FORM = {
    "name": "Li Hua",
    "contact": "lihua@example.cn",
    "headline": "Customs compliance and carbon accounting for CBEC exporters",
    "skills": ["customs_compliance", "carbon_accounting"],
    "languages": ["en", "zh"],
    "certificates": "1x_cbec_b2b_data_ops | Alibaba.com | 1X-2023-000417",
    "day_rate": "1200.00",
    "currency": "CNY",
    "days_per_week": "2",
}
PROJECT_FORM = {
    "title": "Export compliance review",
    "skills": "customs_compliance 3\ndigital_marketing 1\ncarbon_accounting 2",
    "languages": ["en", "es"],
    "certificates": ["1x_cbec_b2b_data_ops"],
    "day_budget": "1000.00",
    "currency": "CNY",
    "days_per_week": "4",
    "starts_on": "2026-01-01",
    "ends_on": "2026-03-01",
}


def post(client, party, path: str, body: Any, status: int = 201) -> dict:
    r = client.post(path, json=body, headers=party.headers)
    assert r.status_code == status, r.text
    return r.json()


def engagement(client, parties) -> dict[str, Any]:
    """seller-a engages ship-a's expert on its project, with two deliverables."""
    expert = post(client, parties["ship-a"], "/talent/experts", EXPERT)
    project = post(client, parties["seller-a"], "/talent/projects", PROJECT)
    body = {
        "project_id": project["id"],
        "expert_id": expert["id"],
        "cost": {"amount": "20000.00", "currency": "CNY"},
        "starts_on": "2026-01-01",
        "ends_on": "2026-03-01",
        "benchmark": "example_cbec_specialist",
        "deliverables": ["HS classification review", "Carbon footprint report"],
    }
    engaged = post(client, parties["seller-a"], "/talent/engagements", body)
    return {"expert": expert, "project": project, "engagement": engaged}
