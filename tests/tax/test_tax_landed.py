"""Destination landed-cost quotes against hand-computed oracles.

Each boundary test quotes the shipped rule rows (data/dest_rules.csv, data/mfn_rates.csv) on
both sides of a date or value boundary; the expected numbers are worked out by hand from those
rows in the comment beside them. FX, where a test needs it, comes from a small table written
here, so the shipped sample rates can change without touching these oracles.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cbec.ruledata import RuleDataError
from cbec.tax import landed
from cbec.tax.landed import QuoteError, QuoteLine, QuoteOrder, quote

D = Decimal
TSHIRT = "6109.10.0012"  # cotton T-shirt, sub-heading 610910
TOY = "9503.00"


def order(currency: str, freight: str, *lines: QuoteLine, **kw) -> QuoteOrder:
    return QuoteOrder(currency, D(freight), D(0), list(lines), **kw)


def line(
    price: str, hs: str = TSHIRT, origin: str = "CN", qty: int = 1, sku: str = "TS"
) -> QuoteLine:
    return QuoteLine(sku, D(qty), D(price), hs, origin)


def fx_table(tmp_path: Path, *rates: tuple[str, str, str]) -> list:
    """A test FX table: (base, quote, rate) rows in force from 2020-01-01."""
    text = "date,base,quote,rate,effective_from,effective_to,source\n" + "".join(
        f"2025-01-02,{b},{q},{r},2020-01-01,,test rate\n" for b, q, r in rates
    )
    path = tmp_path / "fx.csv"
    path.write_text(text, encoding="utf-8")
    return landed.load_fx(path)


def amounts(q: landed.Quote) -> tuple[str, str, str, str]:
    d = q.as_dict()
    return d["duty"], d["vat"], d["fees"], d["total"]


# --------------------------------------------------------------------------- United States


US_ORDER = order("USD", "10", line("50", qty=2))  # goods 100.00, freight 10.00


def test_us_cn_origin_still_de_minimis_on_2025_05_01():
    q = quote(US_ORDER, "US", date(2025, 5, 1))
    # US-DM-2016: intrinsic 100 <= 800 -> duty 0; US-VAT-NONE; total 100 + 10 = 110.00
    assert amounts(q) == ("0.00", "0.00", "0.00", "110.00")
    assert q.de_minimis_applied and "US-DM-2016" in q.rules


def test_us_cn_origin_pays_duty_on_2025_05_03():
    q = quote(US_ORDER, "US", date(2025, 5, 3))
    # US-DM-CNHK-2025 (priority 20) beats US-DM-2016: MFN 16.5 % of FOB 100 = 16.50
    # total 100 + 10 + 16.50 = 126.50
    assert amounts(q) == ("16.50", "0.00", "0.00", "126.50")
    assert not q.de_minimis_applied
    assert q.lines[0].duty_rule == "US-DM-CNHK-2025"


def test_us_vn_origin_de_minimis_on_2025_08_28():
    vn = order("USD", "10", line("50", qty=2, origin="VN"))
    q = quote(vn, "US", date(2025, 8, 28))
    # VN is not CN/HK and the all-country suspension starts 08-29: exempt, 110.00
    assert amounts(q) == ("0.00", "0.00", "0.00", "110.00")
    assert q.de_minimis_applied


def test_us_vn_origin_pays_duty_on_2025_08_30():
    vn = order("USD", "10", line("50", qty=2, origin="VN"))
    q = quote(vn, "US", date(2025, 8, 30))
    # US-DM-SUSP-2025: MFN 16.5 % of 100 = 16.50; total 126.50
    assert amounts(q) == ("16.50", "0.00", "0.00", "126.50")
    assert q.lines[0].duty_rule == "US-DM-SUSP-2025"


def test_us_postal_after_suspension_is_refused_not_guessed():
    postal = order("USD", "10", line("50", origin="VN"), channel="postal")
    with pytest.raises(QuoteError, match="US-DM-POSTAL-2025 is not modelled") as err:
        quote(postal, "US", date(2025, 9, 1))
    assert err.value.field == "lines[0]"


# --------------------------------------------------------------------------- European Union

# Two lines of sub-heading 610910 (one declared at 8 digits) and one toy; freight 12 is shared
# by goods value 40 : 20 : 60 -> 4.00, 2.00, 6.00; CIF 44, 22, 66.
EU_ORDER = order(
    "EUR",
    "12",
    line("20", qty=2, sku="TS-RED"),
    line("20", hs="61091000", sku="TS-BLUE"),
    line("60", hs=TOY, sku="TOY"),
)


def test_eu_duty_exempt_on_2026_06_30():
    q = quote(EU_ORDER, "DE", date(2026, 6, 30))
    # EU-DM-DUTY-150: intrinsic 120 <= 150, duty 0
    # DE-VAT-19 on CIF+duty: 44 x .19 = 8.36, 22 x .19 = 4.18, 66 x .19 = 12.54 -> 25.08
    # total 120 + 12 + 25.08 = 157.08
    assert amounts(q) == ("0.00", "25.08", "0.00", "157.08")
    assert [li.vat for li in q.lines] == [D("8.36"), D("4.18"), D("12.54")]
    assert q.de_minimis_applied


def test_eu_flat_eur_3_per_sub_heading_on_2026_07_01():
    q = quote(EU_ORDER, "DE", date(2026, 7, 1))
    # EU-FLAT3-2026: sub-headings 610910 (lines 0, 1) and 950300 (line 2) -> 2 x 3 = 6.00
    # 610910's 3.00 shared by goods 40 : 20 -> 2.00, 1.00; toy 3.00
    # VAT 19 %: (44 + 2) = 46 -> 8.74; (22 + 1) = 23 -> 4.37; (66 + 3) = 69 -> 13.11 -> 26.22
    # total 120 + 12 + 6 + 26.22 = 164.22
    assert amounts(q) == ("6.00", "26.22", "0.00", "164.22")
    assert [li.duty for li in q.lines] == [D("2.00"), D("1.00"), D("3.00")]
    assert {li.duty_rule for li in q.lines} == {"EU-FLAT3-2026"}
    assert not q.de_minimis_applied


def test_eu_ioss_number_means_vat_collected_at_sale():
    with_ioss = order("EUR", "12", line("20", qty=2), ioss_number="IM2760000001")
    q = quote(with_ioss, "DE", date(2026, 7, 1))
    assert q.vat_collection == "sale"
    assert any("IOSS" in d and "collected at sale" in d for d in q.decisions)
    assert q.as_dict()["ioss_number"] == "IM2760000001"
    without = quote(order("EUR", "12", line("20", qty=2)), "DE", date(2026, 7, 1))
    assert without.vat_collection == "border"


def test_eu_above_150_pays_mfn_on_cif():
    q = quote(order("EUR", "10", line("200")), "FR", date(2026, 7, 1))
    # EU-DUTY-MFN: 12 % of CIF 210 = 25.20; FR-VAT-20: (210 + 25.20) x .20 = 47.04
    # total 210 + 25.20 + 47.04 = 282.24
    assert amounts(q) == ("25.20", "47.04", "0.00", "282.24")


# --------------------------------------------------------------------------- United Kingdom


def test_uk_at_gbp_135_is_duty_free():
    q = quote(order("GBP", "10", line("135.00")), "GB", date(2025, 6, 1))
    # GB-DM-DUTY-135: 135.00 <= 135; GB-VAT-20 on CIF 145 = 29.00; total 174.00
    assert amounts(q) == ("0.00", "29.00", "0.00", "174.00")
    assert q.vat_collection == "sale"  # GB-POS-135: VAT charged at the point of sale


def test_uk_at_gbp_135_01_pays_duty():
    q = quote(order("GBP", "10", line("135.01")), "GB", date(2025, 6, 1))
    # GB-DUTY-MFN 12 % of CIF 145.01 = 17.4012 -> 17.40
    # VAT 20 % of 145.01 + 17.40 = 162.41 -> 32.482 -> 32.48; total 135.01+10+17.40+32.48
    assert amounts(q) == ("17.40", "32.48", "0.00", "194.89")
    assert q.vat_collection == "border"


# --------------------------------------------------------------------------- Australia


def test_au_at_aud_1000_is_duty_free():
    q = quote(order("AUD", "20", line("1000")), "AU", date(2025, 6, 1))
    # AU-DM-DUTY-1000 (customs value = goods 1000); AU-GST-10: 10 % of 1020 = 102.00
    assert amounts(q) == ("0.00", "102.00", "0.00", "1122.00")


def test_au_at_aud_1000_01_pays_duty_on_fob():
    q = quote(order("AUD", "20", line("1000.01")), "AU", date(2025, 6, 1))
    # AU-DUTY-MFN 5 % (chapter 61) of FOB 1000.01 = 50.0005 -> 50.00
    # GST 10 % of 1020.01 + 50.00 = 107.001 -> 107.00; total 1000.01+20+50+107 = 1177.01
    assert amounts(q) == ("50.00", "107.00", "0.00", "1177.01")


# --------------------------------------------------------------------------- Thailand

TH_ORDER = order("THB", "100", line("1000"))  # CIF 1,100 THB


def test_th_duty_exempt_on_2025_12_31():
    q = quote(TH_ORDER, "TH", date(2025, 12, 31))
    # TH-DM-DUTY-1500: CIF 1100 <= 1500; TH-VAT-7: 7 % of 1100 = 77.00; total 1177.00
    assert amounts(q) == ("0.00", "77.00", "0.00", "1177.00")


def test_th_duty_from_thb_1_on_2026_01_01():
    q = quote(TH_ORDER, "TH", date(2026, 1, 1))
    # TH-DM-DUTY-1-2026 only up to THB 1 -> TH-DUTY-MFN 30 % (unverified sample) of CIF 1100
    # = 330.00; VAT 7 % of 1430 = 100.10; total 1100 + 330 + 100.10 = 1530.10
    assert amounts(q) == ("330.00", "100.10", "0.00", "1530.10")


# --------------------------------------------------------------------------- Brazil


def test_br_at_usd_50_pays_20_percent_and_icms(tmp_path):
    fx = fx_table(tmp_path, ("USD", "BRL", "5"))
    q = quote(order("USD", "10", line("40.00")), "BR", date(2025, 3, 1), fx=fx)
    # CIF 50.00 USD <= 50 -> BR-II-RC-20-2024; in BRL: goods 200.00, freight 50.00
    # II 20 % of 250.00 = 50.00; ICMS por dentro (250 + 50) / 0.83 x 0.17 = 61.4457 -> 61.45
    # total 250 + 50 + 61.45 = 361.45
    assert amounts(q) == ("50.00", "61.45", "0.00", "361.45")
    assert q.currency == "BRL" and q.fx["rate"] == "5"


def test_br_at_usd_50_01_pays_60_percent_less_usd_20(tmp_path):
    fx = fx_table(tmp_path, ("USD", "BRL", "5"))
    q = quote(order("USD", "10", line("40.01")), "BR", date(2025, 3, 1), fx=fx)
    # CIF 50.01 USD > 50 -> BR-II-RC-60-2024; goods 200.05 BRL, CIF 250.05
    # II 60 % x 250.05 = 150.03, less USD 20 = 100.00 BRL -> 50.03
    # ICMS (250.05 + 50.03) / 0.83 x 0.17 = 61.4622 -> 61.46; total 361.54
    assert amounts(q) == ("50.03", "61.46", "0.00", "361.54")


# --------------------------------------------------------------------------- Mexico

MX_ORDER = order("MXN", "100", line("1000"))  # CIF 1,100 MXN = 55.00 USD at 20 MXN/USD


def test_mx_cn_origin_19_percent_on_2025_08_14(tmp_path):
    fx = fx_table(tmp_path, ("USD", "MXN", "20"))
    q = quote(MX_ORDER, "MX", date(2025, 8, 14), fx=fx)
    # MX-GR-19-2025: 19 % of CIF 1100 = 209.00; IVA inside the global rate; total 1309.00
    assert amounts(q) == ("209.00", "0.00", "0.00", "1309.00")


def test_mx_cn_origin_33_5_percent_on_2025_08_15(tmp_path):
    fx = fx_table(tmp_path, ("USD", "MXN", "20"))
    q = quote(MX_ORDER, "MX", date(2025, 8, 15), fx=fx)
    # MX-GR-335-2025: 33.5 % of 1100 = 368.50; total 1468.50
    assert amounts(q) == ("368.50", "0.00", "0.00", "1468.50")
    assert any("55.00 USD within" in d for d in q.decisions)  # 1100 MXN / 20 = 55.00 USD


# --------------------------------------------------------------------------- Canada


def test_ca_cusma_origin_us_is_duty_free_but_taxed():
    q = quote(order("CAD", "10", line("100", origin="US")), "CA", date(2025, 6, 1))
    # CA-CUSMA-DUTY-150: 100 <= 150 duty-free; above CAD 40 -> CA-GST-5 on VFD 100 = 5.00
    # total 100 + 10 + 5 = 115.00
    assert amounts(q) == ("0.00", "5.00", "0.00", "115.00")


def test_ca_origin_cn_pays_duty_and_gst():
    q = quote(order("CAD", "10", line("100", origin="CN")), "CA", date(2025, 6, 1))
    # above CAD 20: CA-DUTY-MFN 18 % of FOB 100 = 18.00; GST 5 % of 118 = 5.90
    # total 100 + 10 + 18 + 5.90 = 133.90
    assert amounts(q) == ("18.00", "5.90", "0.00", "133.90")


# --------------------------------------------------------------------------- tables and shape


def test_every_shipped_row_loads_with_a_source_and_unique_ids():
    rules, mfn, fx = landed.load_rules(), landed.load_mfn(), landed.load_fx()
    for table in (rules, mfn, fx):
        assert table and all(row.source for row in table)
    ids = [row["id"] for row in rules]
    assert len(ids) == len(set(ids))


def test_duplicate_rule_id_is_refused_with_its_line(tmp_path):
    text = (landed.RULES_CSV).read_text(encoding="utf-8")
    last = text.rstrip("\n").splitlines()[-1]
    path = tmp_path / "rules.csv"
    path.write_text(text + last + "\n", encoding="utf-8")
    with pytest.raises(RuleDataError) as err:
        landed.load_rules(path)
    assert err.value.column == "id"


def test_missing_mfn_rate_names_the_line_and_hs_code():
    shoes = order("USD", "10", line("30"), line("40", hs="6402.99", sku="SHOE"))
    with pytest.raises(QuoteError) as err:
        quote(shoes, "US", date(2025, 9, 1))
    assert err.value.field == "lines[1].hs_code"
    assert "640299" in err.value.detail and "SHOE" in err.value.detail


def test_totals_are_sums_of_rounded_lines():
    three = order("EUR", "10", line("10", sku="A"), line("10", sku="B"), line("10", sku="C"))
    q = quote(three, "IT", date(2026, 7, 1))
    # freight 10.00 over equal goods: 3.34 + 3.33 + 3.33 (largest remainder, first line first)
    assert [li.freight for li in q.lines] == [D("3.34"), D("3.33"), D("3.33")]
    for attr in ("goods", "freight", "insurance", "duty", "vat", "fees", "total"):
        assert getattr(q, attr) == sum(getattr(li, attr) for li in q.lines)
    # one sub-heading: EUR 3 shared 1.00 each; VAT 22 % of 14.34 -> 3.15, of 14.33 -> 3.15 (x2)
    assert q.duty == D("3.00") and q.vat == D("9.45")


def test_as_dict_is_json_ready_with_the_required_keys():
    d = quote(EU_ORDER, "DE", date(2026, 7, 1)).as_dict()
    required = {"currency", "goods", "freight", "duty", "vat", "fees", "total"}
    assert required | {"de_minimis_applied", "rules", "lines", "fx", "decisions"} <= d.keys()
    assert all(isinstance(d[k], str) for k in required)
    assert d["fx"] == {"pair": "EUR/EUR", "rate": "1", "date": None, "rule": "identity"}
    first = d["lines"][0]  # customs value = CIF 40 + 4 (duty not included)
    assert first["customs_value"] == "44.00" and first["duty_rule"] == "EU-FLAT3-2026"


def test_pivot_fx_through_usd_is_reported(tmp_path):
    fx = fx_table(tmp_path, ("USD", "CNY", "7"), ("USD", "GBP", "0.75"))
    q = quote(order("CNY", "70", line("700")), "GB", date(2025, 6, 1), fx=fx)
    # 1 CNY = 0.75 / 7 GBP: goods 700 -> 75.00 GBP, freight 70 -> 7.50; 75 <= 135 duty-free
    # VAT 20 % of 82.50 = 16.50; total 99.00
    assert amounts(q) == ("0.00", "16.50", "0.00", "99.00")
    assert q.fx["rule"].startswith("1/FX-USDCNY") and "*FX-USDGBP" in q.fx["rule"]


@pytest.mark.parametrize(
    ("destination", "bad_order", "field"),
    [
        ("ZZ", order("USD", "0", line("1")), "destination"),
        ("US", order("USD", "0", QuoteLine("X", D(-1), D(1), TSHIRT, "CN")), "lines[0].qty"),
        ("US", order("USD", "0", QuoteLine("X", D(1), 1.5, TSHIRT, "CN")), "lines[0].unit_price"),
        ("US", order("USD", "0", line("1", hs="61")), "lines[0].hs_code"),
        ("DE", order("XAU", "0", line("1")), "currency"),
        ("US", order("USD", "-1", line("1")), "freight"),
    ],
)
def test_bad_input_names_the_field(destination, bad_order, field):
    with pytest.raises(QuoteError) as err:
        quote(bad_order, destination, date(2025, 6, 1))
    assert err.value.field == field
