"""The demo files cbec's own analytics that rank or target people as the demo platform's
algorithm records: CLV targeting and RFM segments filed, demand forecasting a draft, all on
the platform's public page; a second load files nothing again."""

from __future__ import annotations

from cbec.demo import algorithms, loader
from cbec.services import algorithms as svc
from cbec.services.documents import caller_named
from tests.conftest import DEMO_ANCHOR


def test_the_demo_files_cbecs_own_analytics(rt, client):
    loader.load(rt, 30, DEMO_ANCHOR)
    platform = caller_named(rt.uow(), "silk-mall")
    listed = svc.list_records(rt.uow(), platform).algorithms
    assert {(a.name, a.algorithm_type, a.state) for a in listed} == {
        ("CLV-based offer targeting", "personalised_push", "filed"),
        ("RFM customer segments", "personalised_push", "filed"),
        ("Demand forecasting for replenishment", "scheduling_decision", "draft"),
    }
    shown = client.get("/public/platforms/silk-mall/algorithms").json()["algorithms"]
    assert sorted(a["filing_number"] for a in shown) == ["DEMO-0001", "DEMO-0002"]
    assert algorithms.file_examples(rt, platform) == 0
    assert len(svc.list_records(rt.uow(), platform).algorithms) == 3
