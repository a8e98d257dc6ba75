"""China CBEC retail-import tax: the published combined rates, hand-computed orders at every
limit, the 2016 → 2019 change of rules, and per-line rounding that adds up."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from cbec.cli.main import app
from cbec.services.tax_models import CnImportRequest
from cbec.tax.cn_import import Line, Order, assess

DAY = date(2026, 3, 1)


def one(price: str, vat="0.13", ct="0", duty="0", qty="1", **kw) -> Order:
    return Order(DAY, [Line("A", D(qty), D(price), D(vat), D(ct), D(duty))], **kw)


@pytest.mark.parametrize(
    ("vat", "ct", "published"),
    [("0.13", "0", "9.1"), ("0.09", "0", "6.3"), ("0.13", "0.15", "23.06")],
)
def test_combined_rates_match_the_published_figures(vat, ct, published):
    """((CT + VAT) / (1 − CT)) × 70 %: 9.1 %, 6.3 % and 23.06 % (market-and-rules §3)."""
    result = assess(one("1000", vat=vat, ct=ct))
    assert result.regime == "cbec"
    rate = result.lines[0].rates["cbec_combined"] * 100
    assert rate.quantize(D(published)) == D(published)
    # on RMB 1,000 the tax is the rate in yuan: 91.00, 63.00, 230.59
    assert result.total_tax == (D(1000) * rate / 100).quantize(D("0.01"))


def test_cosmetics_line_by_hand():
    # V = 1000, CT 15 %, VAT 13 %, factor 0.7:
    # CT  = 1000 × 0.15 / 0.85 × 0.7          = 123.529… → 123.53
    # VAT = (1000 + 1000 × 0.15 / 0.85) × 0.13 × 0.7 = 107.058… → 107.06
    r = assess(one("1000", ct="0.15"))
    assert (r.duty, r.consumption_tax, r.vat, r.total_tax) == (
        D("0.00"),
        D("123.53"),
        D("107.06"),
        D("230.59"),
    )
    assert r.tax_total == r.total_tax  # the CEB311 taxTotal


def test_freight_and_insurance_are_shared_by_value_and_lines_add_up():
    # goods 100 × 2 = 200 and 33.33 × 3 = 99.99; freight 20 → 20 × 200/299.99 = 13.33, rest 6.67
    order = Order(
        DAY,
        [Line("A", D(2), D(100), D("0.13")), Line("B", D(3), D("33.33"), D("0.13"))],
        freight=D(20),
        insurance=D("1.00"),
    )
    r = assess(order)
    a, b = r.lines
    assert (a.freight, b.freight) == (D("13.33"), D("6.67"))
    assert (a.insurance, b.insurance) == (D("0.67"), D("0.33"))
    assert a.taxable_value == D("214.00") and b.taxable_value == D("106.99")
    # 214 × 0.13 × 0.7 = 19.474 → 19.47; 106.99 × 0.091 = 9.736… → 9.74
    assert (a.vat, b.vat) == (D("19.47"), D("9.74"))
    assert r.vat == a.vat + b.vat and r.total_tax == sum(t.total for t in r.lines)
    assert r.dutiable_value == D("320.99")  # 299.99 + 20 + 1


def test_single_transaction_limit_boundary():
    at = assess(one("2500", qty="2"))  # 5,000.00 exactly: within
    assert (at.regime, at.cbec_eligible) == ("cbec", True)
    over = assess(
        Order(
            DAY, [Line("A", D(1), D("2500"), D("0.13")), Line("B", D(1), D("2500.01"), D("0.13"))]
        )
    )
    assert (over.regime, over.cbec_eligible, over.counts_toward_annual) == (
        "general_trade",
        False,
        False,
    )
    assert over.annual_after == D(0)  # not counted


def test_one_indivisible_item_over_the_limit_is_taxed_in_full_and_counted():
    # V = 6000, duty 10 %, CT 15 %, VAT 13 %, general trade:
    # D = 600; CT = 6600 × 0.15 / 0.85 = 1164.705… → 1164.71;
    # VAT = (6600 + 1164.705…) × 0.13 = 1009.411… → 1009.41; total 2774.12
    r = assess(one("6000", ct="0.15", duty="0.10", annual_used=D(1000)))
    assert (r.regime, r.cbec_eligible, r.counts_toward_annual) == ("general_trade", True, True)
    assert (r.duty, r.consumption_tax, r.vat, r.total_tax) == (
        D("600.00"),
        D("1164.71"),
        D("1009.41"),
        D("2774.12"),
    )
    assert r.annual_after == D(7000)
    assert "CN-CBEC-2019-SINGLE" in r.rules
    # two of the same item are not indivisible
    assert assess(one("3000.50", qty="2")).cbec_eligible is False


def test_annual_limit_boundary():
    exactly = assess(one("1000", annual_used=D(25000)))
    assert exactly.regime == "cbec" and exactly.annual_after == D(26000)
    over = assess(one("1000.01", annual_used=D(25000)))
    assert (over.regime, over.cbec_eligible, over.counts_toward_annual) == (
        "general_trade",
        False,
        True,
    )
    assert over.annual_after == D("26000.01")
    assert over.vat == D("130.00")  # 1000.01 × 0.13 in full = 130.0013 → 130.00


def test_the_2019_limits_replace_the_2016_ones_on_new_years_day():
    old = assess(Order(date(2018, 12, 31), [Line("A", D(1), D(3000), D("0.13"))]))
    new = assess(Order(date(2019, 1, 1), [Line("A", D(1), D(3000), D("0.13"))]))
    assert (old.regime, old.cbec_eligible) == ("general_trade", False)  # > 2,000, 2016 rules
    assert "CN-CBEC-2016-TXN" in old.rules
    assert (new.regime, new.total_tax) == ("cbec", D("273.00"))  # 3000 × 9.1 %
    with pytest.raises(LookupError, match="no China CBEC import tax policy"):
        assess(Order(date(2016, 4, 7), [Line("A", D(1), D(1), D("0.13"))]))


def fields(exc: ValidationError) -> set[tuple[str | int, ...]]:
    return {e["loc"] for e in exc.errors()}


def test_bad_input_names_the_field():
    with pytest.raises(ValidationError) as err:
        CnImportRequest.model_validate({"date": "2026-03-01", "lines": [{"unit_price": "ten"}]})
    assert fields(err.value) == {("lines", 0, "unit_price")}
    with pytest.raises(ValidationError) as err:
        CnImportRequest.model_validate({"lines": []})
    assert fields(err.value) == {("date",), ("lines",)}
    with pytest.raises(ValueError, match=r"lines\[0\]\.qty: must be more than 0"):
        assess(one("10", qty="0"))
    with pytest.raises(ValueError, match=r"lines\[0\]\.ct_rate"):
        assess(one("10", ct="1"))


def test_cli_reads_the_order_on_stdin():
    order = {
        "date": "2026-03-01",
        "buyer_id_hash": "abc",
        "annual_used": "0",
        "freight": "20",
        "insurance": "0",
        "lines": [
            {
                "sku": "A",
                "qty": 2,
                "unit_price": "100",
                "vat_rate": "0.13",
                "ct_rate": "0",
                "duty_rate": "0.10",
            }
        ],
    }
    done = CliRunner().invoke(app, ["tax", "cn-import"], input=json.dumps(order))
    assert done.exit_code == 0, done.output
    out = json.loads(done.stdout)
    # 220 × 9.1 % = 20.02; duty 0 under CBEC
    assert (out["regime"], out["duty"], out["vat"], out["total_tax"]) == (
        "cbec",
        "0.00",
        "20.02",
        "20.02",
    )
    assert out["lines"][0]["taxable_value"] == "220.00"
    bad = CliRunner().invoke(app, ["tax", "cn-import"], input='{"date": "x", "lines": []}')
    assert bad.exit_code == 2 and "date" in bad.output
