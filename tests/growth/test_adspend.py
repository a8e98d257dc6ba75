"""The ad platforms' report shapes and the generic CSV: what is read, and every refused
cell named by report, line and column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from cbec.errors import DocumentInvalid
from cbec.growth import adspend
from cbec.growth.adspend import Spend

GOOGLE = """\ufeffCampaign report
"March 1, 2026 - March 2, 2026"
Day,Campaign,Currency code,Cost,Country/Territory (User location)
2026-03-01,Spring,USD,"1,234.50",US
2026-03-02,Spring,USD,10.00,DE
Total: Account,,USD,"1,244.50",
"""

META = """Reporting starts,Reporting ends,Campaign name,Amount spent (EUR)
2026-03-01,2026-03-01,Launch,12.34
2026-03-02,2026-03-02,Launch,0
"""


def test_a_google_ads_download_is_read_past_its_title_lines_and_totals():
    rows = adspend.parse(GOOGLE, "google_ads")
    assert rows == [
        Spend("google_ads", "US", date(2026, 3, 1), D("1234.50"), "USD"),
        Spend("google_ads", "DE", date(2026, 3, 2), D("10.00"), "USD"),
    ]


def test_a_meta_export_takes_its_currency_from_the_header_and_the_market_given():
    rows = adspend.parse(META, "meta_ads", market="FR")
    assert rows == [
        Spend("meta_ads", "FR", date(2026, 3, 1), D("12.34"), "EUR"),
        Spend("meta_ads", "FR", date(2026, 3, 2), D("0"), "EUR"),
    ]
    with pytest.raises(DocumentInvalid) as e:
        adspend.parse(META, "meta_ads", index=1)
    assert [(v.field, v.rule) for v in e.value.violations] == [
        ("reports[1].market", "adspend_market_needed")
    ]


def test_every_bad_cell_is_named_by_line_and_column():
    text = (
        "channel,market,day,spend,currency\n"
        "Google Ads,US,2026-03-01,1.00,USD\n"
        "tiktok,usa,2026-02-30,-3,usd\n"
        "tiktok,US,2026-03-01,3.00,USD\n"
    )
    with pytest.raises(DocumentInvalid) as e:
        adspend.parse(text, "generic", index=2)
    assert [(v.field, v.rule) for v in e.value.violations] == [
        ("reports[2].line[2].channel", "adspend_channel"),
        ("reports[2].line[3].day", "date_parsing"),
        ("reports[2].line[3].spend", "decimal_parsing"),
        ("reports[2].line[3].currency", "currency_code"),
        ("reports[2].line[3].market", "country_code"),
    ]


def test_a_meta_row_over_several_days_and_missing_columns_are_refused():
    text = META.replace("2026-03-02,2026-03-02", "2026-03-02,2026-03-08")
    with pytest.raises(DocumentInvalid) as e:
        adspend.parse(text, "meta_ads", market="FR")
    assert [(v.field, v.rule) for v in e.value.violations] == [
        ("reports[0].line[3].Reporting ends", "adspend_one_day")
    ]
    with pytest.raises(DocumentInvalid) as e:
        adspend.parse("Day,Campaign\n2026-03-01,x\n", "google_ads", market="US")
    assert {(v.field, v.rule) for v in e.value.violations} == {
        ("reports[0].Cost", "missing"),
        ("reports[0].Currency code", "missing"),
    }


def test_attribution_names_a_channel_per_order_number_once():
    assert adspend.parse_attribution("order_no,channel\nA-1,google_ads\nA-2,meta_ads\n") == {
        "A-1": "google_ads",
        "A-2": "meta_ads",
    }
    with pytest.raises(DocumentInvalid) as e:
        adspend.parse_attribution("order_no,channel\nA-1,google_ads\nA-1,meta_ads\n")
    assert [(v.field, v.rule) for v in e.value.violations] == [
        ("attribution.line[3].order_no", "adspend_order_twice")
    ]
