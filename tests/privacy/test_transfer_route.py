"""The transfer route engine decides as the law reads.

Oracle: the provisions as published (CAC 促进和规范数据跨境流动规定 of 2024-03-22, Arts. 2-8;
GDPR Chapter V and Decision (EU) 2021/914) and the legal wording of the thresholds — 以上
includes the number, 不满 excludes it. Expected routes, articles and SCC modules are
written here, never read back from the engine's data files.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cbec import ruledata
from cbec.errors import BadRequest, CbecError, DocumentInvalid
from cbec.privacy.transfer import (
    ExporterProfile,
    NoRulesInForce,
    Route,
    Transfer,
    TransferInputError,
    decide,
    parse,
    shipped,
)
from cbec.privacy.transfer.rules import FILES

ON = date(2025, 6, 30)
RULES = shipped()
PLAIN = ExporterProfile()
EXEMPT, SCC_OR_CERT, ASSESS = (
    Route.EXEMPT,
    Route.STANDARD_CONTRACT_OR_CERTIFICATION,
    Route.SECURITY_ASSESSMENT,
)


def cn(ns: int = 0, s: int = 0, **kw) -> Transfer:
    """A China-origin transfer of buyer data for a purpose outside the necessity list."""
    base = {
        "origin": "CN",
        "destination": "DE",
        "purpose": "marketing",
        "data_categories": ("user",),
        "non_sensitive_count": ns,
        "sensitive_count": s,
    }
    return Transfer(**{**base, **kw})


def eu(dest: str, exporter: str | None = "controller", importer: str | None = "processor", **kw):
    base = {
        "origin": "DE",
        "destination": dest,
        "purpose": "fulfilment",
        "data_categories": ("user",),
    }
    return Transfer(**{**base, "exporter_role": exporter, "importer_role": importer, **kw})


def cites(decision, *articles: str) -> None:
    """The deciding reason cites each article (as written in the provisions)."""
    first = decision.reasons[0]
    assert first.rule_id and first.source
    for article in articles:
        assert article in first.source, (article, first.source)


# --- China: thresholds, exactly at the legal boundaries ---------------------------------

CAC = "促进和规范数据跨境流动规定"


@pytest.mark.parametrize(
    "ns,route,article",
    [
        (1, EXEMPT, "Art. 5(4)"),
        (99_999, EXEMPT, "Art. 5(4)"),  # 不满10万人: below 100,000
        (100_000, SCC_OR_CERT, "Art. 8"),  # 10万人以上: 100,000 itself is in the band
        (100_001, SCC_OR_CERT, "Art. 8"),
        (999_999, SCC_OR_CERT, "Art. 8"),  # 不满100万人: still the band
        (1_000_000, ASSESS, "Art. 7(2)"),  # 100万人以上: 1,000,000 itself is assessment
        (1_000_001, ASSESS, "Art. 7(2)"),
    ],
)
def test_non_sensitive_boundaries(ns, route, article):
    decision = decide(PLAIN, cn(ns), ON, RULES)
    assert decision.route == route
    cites(decision, CAC, article)


@pytest.mark.parametrize(
    "s,route,article",
    [
        (1, SCC_OR_CERT, "Art. 8"),  # any sensitive PI leaves the Art. 5(4) exemption
        (9_999, SCC_OR_CERT, "Art. 8"),  # 不满1万人敏感个人信息
        (10_000, ASSESS, "Art. 7(2)"),  # 1万人以上: 10,000 itself is assessment
        (10_001, ASSESS, "Art. 7(2)"),
    ],
)
def test_sensitive_boundaries(s, route, article):
    decision = decide(PLAIN, cn(ns=10, s=s), ON, RULES)
    assert decision.route == route
    cites(decision, CAC, article)


def test_sensitive_only_transfer_is_in_the_contract_band():
    assert decide(PLAIN, cn(ns=0, s=1), ON, RULES).route == SCC_OR_CERT


def test_mixed_volumes_take_the_stricter_route():
    assert decide(PLAIN, cn(ns=99_999, s=10_000), ON, RULES).route == ASSESS
    assert decide(PLAIN, cn(ns=1_000_000, s=1), ON, RULES).route == ASSESS


# --- China: assessment routes -----------------------------------------------------------


def test_ciio_sending_pi_is_assessed_even_when_small():
    decision = decide(ExporterProfile(is_ciio=True), cn(ns=1), ON, RULES)
    assert decision.route == ASSESS
    cites(decision, CAC, "Art. 7(1)")


def test_ciio_sending_important_data_without_pi_is_assessed():
    transfer = cn(data_categories=("supply_chain",), important_data=True)
    decision = decide(ExporterProfile(is_ciio=True), transfer, ON, RULES)
    assert decision.route == ASSESS
    cites(decision, "Art. 7(1)")
    assert decision.obligations == ()  # no PI: the PIPL duties do not arise


def test_important_data_is_assessed_even_for_a_necessity_purpose():
    transfer = cn(ns=5, important_data=True, purpose="cross_border_shopping")
    decision = decide(PLAIN, transfer, ON, RULES)
    assert decision.route == ASSESS
    cites(decision, "Art. 7(2)", "Art. 2")


def test_ciio_without_pi_or_important_data_is_exempt():
    transfer = cn(data_categories=("supply_chain",))
    assert decide(ExporterProfile(is_ciio=True), transfer, ON, RULES).route == EXEMPT


# --- the turnover policy (proposal, not law) --------------------------------------------

BIG = ExporterProfile(annual_turnover=Decimal("1000000000.01"))


def test_turnover_policy_sends_large_firms_to_assessment():
    decision = decide(BIG, cn(ns=10, purpose="cross_border_shopping"), ON, RULES)
    assert decision.route == ASSESS
    assert "not law" in decision.reasons[0].source


def test_turnover_policy_threshold_is_strictly_above_one_billion():
    at = ExporterProfile(annual_turnover=Decimal("1000000000"))
    assert decide(at, cn(ns=10), ON, RULES).route == EXEMPT


def test_turnover_policy_can_be_switched_off():
    off = RULES.with_turnover_policy(False)
    assert decide(BIG, cn(ns=10), ON, off).route == EXEMPT
    assert decide(BIG, cn(ns=10), ON, shipped(turnover_policy=False)).route == EXEMPT


def test_turnover_policy_needs_pi_or_important_data():
    transfer = cn(data_categories=("supply_chain",))
    assert decide(BIG, transfer, ON, RULES).route == EXEMPT


# --- China: exemptions ------------------------------------------------------------------

NECESSITY = [
    ("cross_border_shopping", "Art. 5(1)"),
    ("cross_border_delivery", "Art. 5(1)"),
    ("cross_border_remittance", "Art. 5(1)"),
    ("cross_border_payment", "Art. 5(1)"),
    ("cross_border_account_opening", "Art. 5(1)"),
    ("air_ticket_hotel_booking", "Art. 5(1)"),
    ("visa_application", "Art. 5(1)"),
    ("exam_services", "Art. 5(1)"),
    ("hr_management", "Art. 5(2)"),
    ("emergency", "Art. 5(3)"),
]


@pytest.mark.parametrize("purpose,article", NECESSITY)
def test_necessity_purposes_are_exempt(purpose, article):
    decision = decide(PLAIN, cn(ns=500_000, s=50, purpose=purpose), ON, RULES)
    assert decision.route == EXEMPT
    cites(decision, CAC, article)


@pytest.mark.parametrize("ns,s", [(1_000_000, 0), (5_000_000, 0), (10, 10_000), (10, 200_000)])
def test_necessity_exempts_whatever_the_volume(ns, s):
    """Arts. 7 and 8 end: where Arts. 3-6 apply, they govern (从其规定)."""
    decision = decide(PLAIN, cn(ns=ns, s=s, purpose="cross_border_delivery"), ON, RULES)
    assert decision.route == EXEMPT
    cites(decision, "Art. 5(1)")
    assert any("Art. 7(2)" in r.source for r in decision.reasons[1:])


def test_trade_data_without_pi_is_exempt_art_3():
    transfer = cn(data_categories=("supply_chain",), non_sensitive_count=2_000_000)
    decision = decide(PLAIN, transfer, ON, RULES)
    assert decision.route == EXEMPT
    cites(decision, CAC, "Art. 3")
    assert decision.obligations == ()


def test_pi_collected_abroad_and_sent_back_is_exempt_art_4():
    decision = decide(PLAIN, cn(ns=300_000, collected_abroad=True), ON, RULES)
    assert decision.route == EXEMPT
    cites(decision, "Art. 4")


def test_ftz_data_off_the_negative_list_is_exempt_art_6():
    in_ftz = ExporterProfile(ftz_negative_list_hit=False)
    for ns in (100_000, 2_000_000):
        decision = decide(in_ftz, cn(ns=ns), ON, RULES)
        assert decision.route == EXEMPT
        cites(decision, CAC, "Art. 6")


def test_ftz_data_on_the_negative_list_follows_the_thresholds():
    hit = ExporterProfile(ftz_negative_list_hit=True)
    assert decide(hit, cn(ns=100_000), ON, RULES).route == SCC_OR_CERT
    assert decide(hit, cn(ns=1_000_000), ON, RULES).route == ASSESS
    assert decide(hit, cn(ns=99_999), ON, RULES).route == EXEMPT


# --- PIPL duties whatever the route -----------------------------------------------------


@pytest.mark.parametrize(
    "transfer",
    [cn(ns=10), cn(ns=100_000), cn(ns=1_000_000), cn(ns=10, purpose="cross_border_payment")],
)
def test_pipl_duties_apply_whatever_the_route(transfer):
    decision = decide(PLAIN, transfer, ON, RULES)
    sources = " | ".join(o.source for o in decision.obligations)
    for article in ("Art. 39", "Art. 55", "Art. 56"):
        assert article in sources
    assert "separate consent" in sources and "three years" in sources


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2024, 3, 21), date(2022, 9, 1), date(2000, 1, 1)])
def test_before_the_provisions_no_china_rule_is_in_force(day):
    with pytest.raises(NoRulesInForce) as caught:
        decide(PLAIN, cn(ns=10), day, RULES)
    assert isinstance(caught.value, BadRequest) and caught.value.field == "on"


def test_the_provisions_apply_from_their_first_day():
    assert decide(PLAIN, cn(ns=10), date(2024, 3, 22), RULES).route == EXEMPT


def test_eu_before_the_gdpr_applies_raises():
    with pytest.raises(NoRulesInForce):
        decide(PLAIN, eu("JP"), date(2018, 5, 24), RULES)


# --- EU, GDPR Chapter V -----------------------------------------------------------------

ADEQUATE = ["AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY"]


@pytest.mark.parametrize("dest", ADEQUATE)
def test_adequacy_countries(dest):
    decision = decide(PLAIN, eu(dest), ON, RULES)
    assert decision.route == Route.ADEQUACY and not decision.tia_required
    cites(decision, "Art. 45")


@pytest.mark.parametrize(
    "exporter,importer,module",
    [
        ("controller", "controller", 1),
        ("controller", "processor", 2),
        ("processor", "processor", 3),
        ("processor", "controller", 4),
    ],
)
def test_eu_to_china_needs_scc_by_role_and_a_tia(exporter, importer, module):
    decision = decide(PLAIN, eu("CN", exporter, importer), ON, RULES)
    assert decision.route == Route.SCC
    assert decision.scc_module == module and decision.tia_required is True
    cites(decision, "2021/914")
    assert any("Clause 14" in r.source for r in decision.reasons)


def test_us_needs_dpf_certification_for_adequacy():
    certified = decide(PLAIN, eu("US", importer_dpf_certified=True), ON, RULES)
    assert certified.route == Route.ADEQUACY
    cites(certified, "2023/1795")
    plain = decide(PLAIN, eu("US"), ON, RULES)
    assert plain.route == Route.SCC and plain.scc_module == 2 and plain.tia_required


def test_us_before_the_dpf_needs_scc():
    decision = decide(PLAIN, eu("US", importer_dpf_certified=True), date(2023, 7, 9), RULES)
    assert decision.route == Route.SCC


def test_within_the_eea_is_no_third_country_transfer():
    assert decide(PLAIN, eu("FR"), ON, RULES).route == Route.INTRA_EEA
    assert decide(PLAIN, eu("NO"), ON, RULES).route == Route.INTRA_EEA


def test_the_uk_was_inside_until_the_transition_ended_then_adequate():
    """GDPR Art. 99(2) and the Withdrawal Agreement: the United Kingdom applied the GDPR until
    2020-12-31; from 2021-06-28 an adequacy decision (Implementing Decision (EU) 2021/1772)."""
    assert decide(PLAIN, eu("GB"), date(2019, 6, 1), RULES).route == Route.INTRA_EEA
    assert decide(PLAIN, eu("GB"), date(2022, 1, 3), RULES).route == Route.ADEQUACY
    with pytest.raises(NoRulesInForce) as caught:  # a UK exporter is no longer under the GDPR
        decide(PLAIN, eu("JP").model_copy(update={"origin": "GB"}), date(2022, 1, 3), RULES)
    assert caught.value.field == "on"


def test_an_eea_exporter_is_under_chapter_v():
    """EEA Joint Committee Decision No 154/2018: the GDPR applies in Norway too."""
    decision = decide(PLAIN, eu("CN").model_copy(update={"origin": "NO"}), ON, RULES)
    assert decision.route == Route.SCC and decision.tia_required


def test_scc_needs_the_roles():
    with pytest.raises(TransferInputError) as caught:
        decide(PLAIN, eu("CN", importer=None), ON, RULES)
    assert caught.value.field == "transfer.importer_role"


# --- input errors name the field --------------------------------------------------------


@pytest.mark.parametrize(
    "transfer,profile,field",
    [
        (cn(ns=-1), PLAIN, "transfer.non_sensitive_count"),
        (cn(ns=5, s=-1), PLAIN, "transfer.sensitive_count"),
        (cn(ns=5, destination="XX"), PLAIN, "transfer.destination"),
        (cn(ns=5, destination="de"), PLAIN, "transfer.destination"),
        (cn(ns=5, destination="DEU"), PLAIN, "transfer.destination"),
        (cn(ns=5, destination="CN"), PLAIN, "transfer.destination"),
        (cn(ns=5, origin="US"), PLAIN, "transfer.origin"),
        (cn(ns=5, data_categories=()), PLAIN, "transfer.data_categories"),
        (cn(ns=5, data_categories=("user", "health")), PLAIN, "transfer.data_categories[1]"),
        (cn(ns=0, s=0), PLAIN, "transfer.non_sensitive_count"),
        (cn(ns=5, purpose=" "), PLAIN, "transfer.purpose"),
        (eu("CN", exporter="joint"), PLAIN, "transfer.exporter_role"),
        (cn(ns=5), ExporterProfile(annual_turnover=Decimal(-1)), "profile.annual_turnover"),
        (
            cn(ns=5),
            ExporterProfile(annual_turnover=Decimal(1), turnover_currency="USD"),
            "profile.turnover_currency",
        ),
    ],
)
def test_bad_inputs_raise_a_cbec_error_naming_the_field(transfer, profile, field):
    with pytest.raises(TransferInputError) as caught:
        decide(profile, transfer, ON, RULES)
    error = caught.value
    assert isinstance(error, BadRequest) and isinstance(error, ValueError)
    assert error.field == field and error.details()[0]["field"] == field


def test_parse_names_structural_errors_by_path():
    with pytest.raises(DocumentInvalid) as caught:
        parse({"is_ciio": "maybe"}, {"origin": "CN", "destination": "DE", "bogus": 1})
    fields = {v.field for v in caught.value.violations}
    assert {"profile.is_ciio", "transfer.data_categories", "transfer.bogus"} <= fields
    profile, transfer = parse(
        {}, {"origin": "CN", "destination": "JP", "data_categories": ["user"]}
    )
    assert isinstance(transfer, Transfer) and profile == PLAIN


def test_error_messages_render_in_both_languages():
    error = TransferInputError("transfer.destination", "is not an ISO 3166-1 alpha-2 country code")
    assert isinstance(error, CbecError)
    assert "transfer.destination" in error.message("en")
    assert "transfer.destination" in error.message("zh") and "有误" in error.message("zh")


# --- the data files ---------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_data_file_loads_and_every_row_has_a_source(path):
    rows = ruledata.load(path)
    assert rows
    for row in rows:
        assert row.source.strip() and row.get("id")


def test_china_rows_cite_the_provisions_and_start_on_their_date():
    for row in RULES.cn:
        if row["kind"] != "obligation":
            assert CAC in row.source and row.effective_from == date(2024, 3, 22)
        else:
            assert "个人信息保护法" in row.source


def test_every_decision_cites_a_source():
    cases = [cn(ns=n) for n in (5, 100_000, 1_000_000)] + [eu("JP"), eu("CN"), eu("FR")]
    for transfer in cases:
        decision = decide(PLAIN, transfer, ON, RULES)
        assert decision.reasons and all(r.source and r.rule_id for r in decision.reasons)


def test_a_threshold_that_is_not_a_whole_number_is_refused(tmp_path):
    from cbec.privacy.transfer.rules import CN_RULES, TransferRules

    text = CN_RULES.read_text(encoding="utf-8").replace(
        ",personal_lower,100000,", ",personal_lower,1e5,"
    )
    broken = tmp_path / "cn.csv"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ruledata.RuleDataError) as caught:
        TransferRules.load(cn=broken)
    assert caught.value.column == "value"
