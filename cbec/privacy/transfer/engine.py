"""Route engine for cross-border personal-data transfers pure core.

:func:`decide` says which mechanism a transfer needs, on a date, from the rule tables of
:mod:`cbec.privacy.transfer.rules`.

China (origin ``CN``): 促进和规范数据跨境流动规定 (CAC, issued and in force 2024-03-22) with
PIPL Art. 38. Order of precedence, first match decides:

1. CIIO sending any PI or important data -> security assessment (Art. 7(1)).
2. Important data (only data notified or announced as such, Art. 2) -> security assessment
   (Art. 7(2)).
3. Deployment policy, not law: annual turnover above the policy value (RMB 1 billion) with PI
   or important data -> security assessment (``cn_transfer_policy.csv``, can be switched off).
4. PI sent for a necessity purpose — contract with the individual (cross-border shopping,
   delivery, remittance, payment, account opening, air ticket/hotel booking, visa, exams),
   HR management, emergency -> exempt (Art. 5(1)-(3)), **whatever the volume**: Arts. 7
   and 8 each end "属于本规定第三条、第四条、第五条、第六条规定情形的，从其规定" (where
   Arts. 3-6 apply, they govern). PI collected abroad and sent back -> exempt (Art. 4).
5. No PI (and, by 1-2, no important data): trade / supply-chain data -> exempt (Art. 3).
6. Exporter in a pilot FTZ and the data not on its negative list -> exempt (Art. 6), also
   whatever the volume (same closing sentence).
7. Non-sensitive PI of 1,000,000 individuals or more, or sensitive PI of 10,000 or more ->
   security assessment (Art. 7(2): "100万人以上", "1万人以上").
8. No sensitive PI and non-sensitive PI of fewer than 100,000 -> exempt (Art. 5(4): "不满10万人").
9. Otherwise — 100,000 to 999,999 non-sensitive, or 1 to 9,999 sensitive — standard contract
   filing or PI protection certification (Art. 8: "10万人以上、不满100万人 … 或者不满1万人敏感").

Boundaries: in Chinese legal drafting 以上 includes the number itself and 不满 excludes it
(so "10万人以上、不满100万人" is 100,000 ≤ n ≤ 999,999). Hence 99,999 -> exempt,
100,000 -> contract, 999,999 -> contract, 1,000,000 -> assessment; sensitive 9,999 ->
contract, 10,000 -> assessment. (Summaries that write "more than 1,000,000" miss that the legal
text's 以上 makes the threshold itself an assessment case.) Counts are
cumulative since 1 January of the decision's year and include this transfer; whether
exempt transfers count toward them is the caller's call (the provisions do not say).

Whenever PI leaves China, PIPL applies whatever the route: Art. 39 notice and separate
consent, Art. 55(4) impact assessment, Art. 56 records kept at least three years.

EU (origin a member state): GDPR Chapter V. A destination in the EEA is no third-country
transfer (Art. 44); a country with an adequacy decision (Art. 45; the US only for
DPF-certified recipients) -> ``adequacy``; otherwise standard contractual clauses (Art. 46,
Decision (EU) 2021/914) with the module given by the parties' roles and a transfer impact
assessment (Clause 14) -> ``scc``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pycountry

from cbec.privacy.transfer.errors import NoRulesInForce, TransferInputError
from cbec.privacy.transfer.model import ExporterProfile, Reason, Route, RouteDecision, Transfer
from cbec.privacy.transfer.rules import TransferRules
from cbec.ruledata import Row

PI_CATEGORIES = frozenset({"user", "transaction"})
CATEGORIES = PI_CATEGORIES | {"supply_chain"}
ROLES = frozenset({"controller", "processor"})


def _reason(row: Row, text: str) -> Reason:
    return Reason(rule_id=row["id"], source=row.source, text=text)


def _country(code: object, field: str) -> str:
    if not isinstance(code, str) or len(code) != 2 or not code.isascii() or not code.isupper():
        raise TransferInputError(field, "must be an ISO 3166-1 alpha-2 code (two capitals)")
    if pycountry.countries.get(alpha_2=code) is None:
        raise TransferInputError(field, "is not an ISO 3166-1 alpha-2 country code")
    return code


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TransferInputError(field, "must be a whole number of individuals")
    if value < 0:
        raise TransferInputError(field, "must not be negative")
    return value


def _check(profile: ExporterProfile, transfer: Transfer, on: date, rules: TransferRules) -> None:
    """Refuse what cannot be decided, naming the field (never the value)."""
    if not isinstance(on, date) or isinstance(on, datetime):
        raise TransferInputError("on", "must be a date")
    origin = _country(transfer.origin, "transfer.origin")
    if origin != "CN" and origin not in rules.gdpr_states():
        raise TransferInputError("transfer.origin", "must be CN or an EU or EEA state")
    if _country(transfer.destination, "transfer.destination") == origin:
        raise TransferInputError("transfer.destination", "must differ from the origin")
    if not transfer.data_categories:
        raise TransferInputError("transfer.data_categories", "must name at least one category")
    for i, category in enumerate(transfer.data_categories):
        if category not in CATEGORIES:
            where = f"transfer.data_categories[{i}]"
            raise TransferInputError(where, f"must be one of {', '.join(sorted(CATEGORIES))}")
    ns = _count(transfer.non_sensitive_count, "transfer.non_sensitive_count")
    s = _count(transfer.sensitive_count, "transfer.sensitive_count")
    if not transfer.purpose or not transfer.purpose.strip():
        raise TransferInputError("transfer.purpose", "must not be empty")
    for field in ("exporter_role", "importer_role"):
        role = getattr(transfer, field)
        if role is not None and role not in ROLES:
            raise TransferInputError(f"transfer.{field}", "must be controller or processor")
    turnover = profile.annual_turnover
    if turnover is not None:
        if not turnover.is_finite() or turnover < 0:
            raise TransferInputError("profile.annual_turnover", "must be a finite amount >= 0")
        if profile.turnover_currency != "CNY":
            raise TransferInputError("profile.turnover_currency", "must be CNY")
    if origin == "CN" and _carries_pi(transfer) and ns + s == 0:
        raise TransferInputError(
            "transfer.non_sensitive_count",
            "counts since 1 January must include this transfer's individuals",
        )


def _carries_pi(transfer: Transfer) -> bool:
    return any(c in PI_CATEGORIES for c in transfer.data_categories)


def decide(
    profile: ExporterProfile, transfer: Transfer, on: date, rules: TransferRules
) -> RouteDecision:
    """The route ``transfer`` needs on ``on``, with its reasons and the duties that apply
    whatever the route. Raises :class:`TransferInputError` for an input it cannot decide and
    :class:`NoRulesInForce` for a date no rule governs (before 2024-03-22 for China)."""
    _check(profile, transfer, on, rules)
    if transfer.origin == "CN":
        return _china(profile, transfer, on, rules)
    return _eu(transfer, on, rules)


def _china(
    profile: ExporterProfile, transfer: Transfer, on: date, rules: TransferRules
) -> RouteDecision:
    # Read every threshold first: a date the provisions do not govern fails here, whatever
    # the branch taken below.
    lower, lower_row = rules.threshold(on, "personal_lower")
    upper, upper_row = rules.threshold(on, "personal_upper")
    s_upper, s_upper_row = rules.threshold(on, "sensitive_upper")
    pi = _carries_pi(transfer)
    ns, s = transfer.non_sensitive_count, transfer.sensitive_count
    obligations = tuple(_reason(r, r["rule"]) for r in rules.obligations(on)) if pi else ()

    def done(route: Route, *reasons: Reason) -> RouteDecision:
        return RouteDecision(route=route, decided_on=on, reasons=reasons, obligations=obligations)

    assessment = Route.SECURITY_ASSESSMENT
    if profile.is_ciio and (pi or transfer.important_data):
        row = rules.cn_row(on, "ciio_assessment")
        return done(assessment, _reason(row, "CIIO sending PI or important data"))
    if transfer.important_data:
        row = rules.cn_row(on, "important_data_assessment")
        return done(assessment, _reason(row, "important data"))
    policy = rules.turnover_rule(on)
    turnover = profile.annual_turnover
    if policy is not None and turnover is not None and turnover > Decimal(policy["value"]) and pi:
        text = f"deployment policy (not law): annual turnover above {policy['value']} CNY"
        return done(assessment, _reason(policy, text))

    above = ns >= upper or s >= s_upper
    volume_note = (
        _reason(
            upper_row if ns >= upper else s_upper_row,
            "volume at or above the assessment threshold; Art. 7 yields to Arts. 3-6 (从其规定)",
        ),
    )
    if pi:
        necessity = rules.necessity_purposes(on).get(transfer.purpose)
        if necessity is not None:
            text = f"necessity purpose {transfer.purpose}: exempt whatever the volume"
            return done(Route.EXEMPT, _reason(necessity, text), *(volume_note if above else ()))
        if transfer.collected_abroad:
            row = rules.cn_row(on, "collected_abroad")
            return done(Route.EXEMPT, _reason(row, "PI collected abroad, sent back"))
    else:
        row = rules.cn_row(on, "no_personal_information")
        return done(Route.EXEMPT, _reason(row, "no personal information, no important data"))
    if profile.ftz_negative_list_hit is False:
        row = rules.cn_row(on, "ftz_outside_negative_list")
        text = "pilot FTZ exporter, data not on the zone's negative list"
        return done(Route.EXEMPT, _reason(row, text), *(volume_note if above else ()))
    if ns >= upper:
        return done(assessment, _reason(upper_row, f"non-sensitive PI of {upper} or more"))
    if s >= s_upper:
        return done(assessment, _reason(s_upper_row, f"sensitive PI of {s_upper} or more"))
    if s == 0 and ns < lower:
        row = rules.cn_row(on, "below_threshold")
        return done(
            Route.EXEMPT,
            _reason(row, f"non-CIIO, non-sensitive PI of fewer than {lower}, no sensitive PI"),
            _reason(lower_row, "不满 excludes the number itself"),
        )
    row = rules.cn_row(on, "contract_or_certification")
    band = (
        f"non-sensitive PI of {lower} to {upper - 1}"
        if ns >= lower
        else f"sensitive PI of 1 to {s_upper - 1}"
    )
    return done(Route.STANDARD_CONTRACT_OR_CERTIFICATION, _reason(row, band))


def _eu(transfer: Transfer, on: date, rules: TransferRules) -> RouteDecision:
    if rules.gdpr_state(on, transfer.origin) is None:
        raise NoRulesInForce("on", f"the GDPR does not govern {transfer.origin} on {on}")
    dest = transfer.destination
    if (state := rules.gdpr_state(on, dest)) is not None:
        text = "destination in the EEA: no third-country transfer (GDPR Art. 44)"
        return RouteDecision(route=Route.INTRA_EEA, decided_on=on, reasons=(_reason(state, text),))
    reasons: list[Reason] = []
    adequacy = rules.adequacy_row(on, dest)
    if adequacy is not None:
        condition = adequacy.get("condition")
        if condition != "dpf_certified" or transfer.importer_dpf_certified:
            text = "adequacy decision" + (f" ({condition})" if condition else "")
            return RouteDecision(
                route=Route.ADEQUACY, decided_on=on, reasons=(_reason(adequacy, text),)
            )
        reasons.append(_reason(adequacy, "adequacy covers DPF-certified recipients only"))
    for field in ("exporter_role", "importer_role"):
        if getattr(transfer, field) is None:
            raise TransferInputError(f"transfer.{field}", "is required to choose the SCC module")
    assert transfer.exporter_role is not None and transfer.importer_role is not None
    scc = rules.scc_row(on, transfer.exporter_role, transfer.importer_role)
    module = int(scc["module"])
    reasons.insert(0, _reason(scc, f"no adequacy: SCC module {module}"))
    reasons.append(
        Reason(
            rule_id="EU-SCC-CL14",
            source="Decision (EU) 2021/914, Annex, Clause 14: local laws and practices",
            text="transfer impact assessment of the destination's laws",
        )
    )
    if dest == "CN":
        reasons.append(
            Reason(
                rule_id="EU-SCC-SUPP",
                source="GDPR Art. 46(1) (effective safeguards); EDPB Recommendations 01/2020",
                text="no adequacy for China: masking/pseudonymisation as supplementary measures",
            )
        )
    return RouteDecision(
        route=Route.SCC, decided_on=on, reasons=tuple(reasons), scc_module=module, tia_required=True
    )
