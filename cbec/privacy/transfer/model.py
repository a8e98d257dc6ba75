"""Typed inputs and the decision of the transfer route engine (Pydantic v2, frozen).

The models carry types only; the engine (:func:`cbec.privacy.transfer.engine.decide`)
checks meaning — counts not negative, a known ISO 3166 code, roles where the GDPR route
needs them — and raises :class:`~cbec.privacy.transfer.errors.TransferInputError` naming
the field, so the Python caller and the later API get the same cbec error. :func:`parse`
turns JSON-shaped input into the models, a structural problem becoming
:class:`cbec.errors.DocumentInvalid` with the field path, as the API reports it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from cbec.errors import DocumentInvalid, Violation, path_of


class Route(StrEnum):
    """Where a transfer goes. China side: the three mechanisms of PIPL Art. 38 as adjusted by
    the CAC provisions of 2024-03-22, or none (exempt). EU side: GDPR Chapter V."""

    EXEMPT = "exempt"
    STANDARD_CONTRACT_OR_CERTIFICATION = "standard_contract_or_certification"
    SECURITY_ASSESSMENT = "security_assessment"
    ADEQUACY = "adequacy"
    SCC = "scc"
    INTRA_EEA = "intra_eea"


class ExporterProfile(BaseModel):
    """Who sends the data. ``annual_turnover`` is in ``turnover_currency`` (only CNY is
    accepted: the policy threshold is in RMB and the engine converts nothing).
    ``ftz_negative_list_hit``: None when the exporter is not in a pilot free-trade zone; in
    one, whether this data is on that zone's negative list (CAC provisions Art. 6)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    is_ciio: bool = False
    annual_turnover: Decimal | None = None
    turnover_currency: str = "CNY"
    ftz_negative_list_hit: bool | None = None


class Transfer(BaseModel):
    """One outbound transfer.

    ``non_sensitive_count`` and ``sensitive_count`` are the numbers of individuals whose
    non-sensitive / sensitive PI (PIPL Art. 28) the exporter has sent abroad since 1 January
    of the decision's year, **including this transfer** (the provisions count cumulatively,
    自当年1月1日起累计). ``data_categories`` are cbec's three: ``user``, ``transaction``
    (both personal information), ``supply_chain`` (none). ``collected_abroad``: PI collected
    abroad, processed in China and sent back with nothing domestic added (Art. 4).
    ``exporter_role``/``importer_role`` (``controller``/``processor``) and
    ``importer_dpf_certified`` matter for an EU origin only.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    origin: str
    destination: str
    purpose: str = "other"
    data_categories: tuple[str, ...]
    non_sensitive_count: int = 0
    sensitive_count: int = 0
    important_data: bool = False
    collected_abroad: bool = False
    exporter_role: str | None = None
    importer_role: str | None = None
    importer_dpf_certified: bool = False


class Reason(BaseModel):
    """One step of the decision: the rule row's id and the provision it rests on."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    source: str
    text: str


class RouteDecision(BaseModel):
    """The route, why (``reasons``, deciding reason first), and the duties that apply whatever
    the route (``obligations``: PIPL Arts. 39, 55, 56 whenever PI leaves China)."""

    model_config = ConfigDict(frozen=True)

    route: Route
    decided_on: date
    reasons: tuple[Reason, ...]
    obligations: tuple[Reason, ...] = ()
    scc_module: int | None = None
    tia_required: bool = False

    @property
    def articles(self) -> list[str]:
        """Every source the decision cites, reasons then obligations."""
        return [r.source for r in (*self.reasons, *self.obligations)]


def parse(profile: dict[str, Any], transfer: dict[str, Any]) -> tuple[ExporterProfile, Transfer]:
    """The models from JSON-shaped dicts; every structural problem named by field path
    (``transfer.sensitive_count``) in one :class:`DocumentInvalid`."""
    violations: list[Violation] = []
    built: list[BaseModel] = []
    for name, model, data in (
        ("profile", ExporterProfile, profile),
        ("transfer", Transfer, transfer),
    ):
        try:
            built.append(model.model_validate(data))
        except ValidationError as exc:
            for err in exc.errors():
                params = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
                loc = (name, *err.get("loc", ()))
                violations.append(Violation(path_of(loc), err["type"], params))
    if violations:
        raise DocumentInvalid(violations)
    made_profile, made_transfer = built
    assert isinstance(made_profile, ExporterProfile) and isinstance(made_transfer, Transfer)
    return made_profile, made_transfer
