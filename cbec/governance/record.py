"""An algorithm registry record: what China's algorithm filing system asks of a provider
(entity, algorithm basics, algorithm details, product) and what the EU DSA Art. 27 asks a
platform to state about each recommender system (its main parameters, the reasons for their
relative importance, the options to change them, and — Art. 38 — one not based on profiling).

The field list follows the filing system's sections as vendor guides describe them
(secondary; the system's own forms are not public) and Art. 27 as secondary summaries
paraphrase it — both partly **unverified**. A record names no person: the
algorithm security owner is a position (``安全负责人: 首席技术官``), never a name, so the
registry holds no personal information.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cbec.errors import Violation
from cbec.governance.rules import all_type_codes

Text = Field(min_length=1, max_length=4000)
Short = Field(min_length=1, max_length=200)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(_Model):
    zh: str = Field(min_length=1, max_length=4000, description="简体中文")
    en: str = Field(min_length=1, max_length=4000, description="English")


class Provider(_Model):
    """主体信息: the filing entity (no person's name)."""

    legal_name: str = Field(min_length=1, max_length=200, description="The provider's legal name")
    uscc: str | None = Field(
        None,
        pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$",
        description="Unified social credit code (统一社会信用代码), 18 characters",
    )
    security_owner: str = Field(
        min_length=1,
        max_length=200,
        description="The algorithm security owner's position (算法安全负责人), not a name",
    )


class SelfAssessment(_Model):
    """算法安全自评估报告: its summary and where the full report is kept."""

    summary: str = Text
    report_ref: str | None = Field(None, max_length=500, description="Where the report is kept")
    assessed_on: date | None = None


class ModelInfo(_Model):
    """算法详细属性: the model, its training data, its input and output and its strategy."""

    model_type: str = Short
    training_data: str = Field(min_length=1, max_length=4000, description="The training data sets")
    input_modalities: list[str] = Field(default_factory=list, max_length=20)
    output_modalities: list[str] = Field(default_factory=list, max_length=20)
    strategy: str | None = Field(None, max_length=4000, description="Business rules applied")


class Product(_Model):
    """产品及功能信息: the product the algorithm serves."""

    name: str = Short
    urls: list[str] = Field(default_factory=list, max_length=20)
    access_path: str | None = Field(None, max_length=500, description="Where users meet it")


class MainParameter(_Model):
    """A DSA Art. 27 main parameter: a criterion that determines what is suggested, and why
    it weighs as much as it does."""

    name: str = Short
    description: str = Text
    rank: int = Field(ge=1, le=100, description="1 = the most significant")
    weight: Decimal | None = Field(None, ge=0, le=1, description="Share of the score, 0–1")
    reason_for_importance: str = Text


class DataSource(_Model):
    name: str = Short
    category: Literal["user", "transaction", "supply_chain", "other"]
    personal: bool = Field(description="Holds personal information (PIPL Art. 4)")
    sensitive: bool = Field(False, description="Holds sensitive personal information (Art. 28)")
    lawful_basis: str | None = Field(None, max_length=500, description="PIPL Art. 13 basis")
    cross_border: bool = False


class UserControl(_Model):
    option: str = Short
    description: str = Text
    default: bool = Field(description="Whether the option is on by default")
    profiling_based: bool = Field(description="Whether it relies on profiling (GDPR Art. 4(4))")


class NonProfilingOption(_Model):
    """Art. 17 of the CAC provisions, PIPL Art. 24, DSA Art. 38: a way to get results not
    based on personal characteristics (or to switch the recommendation off)."""

    available: bool
    description: str = Field("", max_length=4000)


class Risk(_Model):
    risk: str = Text
    mitigation: str = Text


class AlgorithmRecordIn(_Model):
    """A record as filed or changed (every version holds the whole record)."""

    name: str = Field(min_length=1, max_length=100, description="The algorithm's name")
    algorithm_type: str = Field(
        description="generative_synthesis, personalised_push, ranking_selection, "
        "search_filtering or scheduling_decision (the five CAC types)"
    )
    provider: Provider
    application_domain: str = Short
    service_form: str = Field(min_length=1, max_length=200, description="App, web, API …")
    launch_date: date | None = Field(
        None,
        ge=date(2000, 1, 1),
        le=date(2100, 12, 31),
        description="When the service was launched (its filing is due 10 working days later)",
    )
    product: Product
    purpose: str = Text
    self_assessment: SelfAssessment
    model: ModelInfo
    data_sources: list[DataSource] = Field(default_factory=list, max_length=50)
    risks: list[Risk] = Field(min_length=1, max_length=50)
    main_parameters: list[MainParameter] = Field(min_length=1, max_length=50)
    user_controls: list[UserControl] = Field(default_factory=list, max_length=50)
    non_profiling_option: NonProfilingOption
    tag_management: bool = Field(False, description="Users can see and delete their tags")
    public_text: Bilingual = Field(
        description="The text published: basic principles, purpose, main operating mechanism"
    )


def problems(record: AlgorithmRecordIn) -> list[Violation]:
    """What the model's types cannot say: the type is one of the five, each rank appears
    once, a sensitive source names its lawful basis, an available non-profiling option is
    described."""
    out: list[Violation] = []
    codes = all_type_codes()
    if record.algorithm_type not in codes:
        params = {"expected": ", ".join(codes)}
        out.append(Violation("algorithm_type", "algorithm_type_unknown", params))
    seen: set[int] = set()
    for i, p in enumerate(record.main_parameters):
        if p.rank in seen:
            out.append(Violation(f"main_parameters[{i}].rank", "parameter_rank_repeated"))
        seen.add(p.rank)
    for i, s in enumerate(record.data_sources):
        if s.sensitive and not s.lawful_basis:
            out.append(Violation(f"data_sources[{i}].lawful_basis", "sensitive_basis_missing"))
    if record.non_profiling_option.available and not record.non_profiling_option.description:
        out.append(Violation("non_profiling_option.description", "non_profiling_undescribed"))
    return out
