"""The typed requests and answers of talent sharing (:mod:`cbec.services.talent` and
:mod:`cbec.services.talent_engagements`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Code = Field(min_length=1, max_length=64)


class Money(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: Decimal = Field(gt=0, max_digits=18, decimal_places=2)
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217")


class Certificate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str = Field(min_length=1, max_length=64, description="A certificate code (vocabulary)")
    issuer: str = Field(min_length=1, max_length=200, description="Who awarded it")
    number: str = Field(min_length=1, max_length=64, description="Personal: stored encrypted")


class ExpertRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=100, description="Personal: stored encrypted")
    contact: str = Field(min_length=1, max_length=200, description="Personal: stored encrypted")
    headline: str = Field(
        min_length=1, max_length=200, description="Shown to every tenant: name no one in it"
    )
    skills: list[str] = Field(min_length=1, max_length=20, description="Skill codes")
    languages: list[str] = Field(default_factory=list, max_length=10, description="ISO 639-1")
    certificates: list[Certificate] = Field(default_factory=list, max_length=10)
    day_rate: Money
    days_per_week: int = Field(ge=1, le=7, description="Days a week the expert is available")


class ExpertChange(BaseModel):
    """A partial change of a profile by its publisher: a field not given (or null) stays;
    ``certificates``, ``skills`` and ``languages`` replace the whole list when given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(None, min_length=1, max_length=100, description="Personal")
    contact: str | None = Field(None, min_length=1, max_length=200, description="Personal")
    headline: str | None = Field(None, min_length=1, max_length=200)
    skills: list[str] | None = Field(None, min_length=1, max_length=20)
    languages: list[str] | None = Field(None, max_length=10)
    certificates: list[Certificate] | None = Field(None, max_length=10)
    day_rate: Money | None = None
    days_per_week: int | None = Field(None, ge=1, le=7)
    withdrawn: bool | None = Field(
        None, description="true: out of the listings and the matches; false: published again"
    )


class CertificateView(BaseModel):
    kind: str
    issuer: str
    number: str | None = Field(description="Shown to the owner and to SMEs that engaged it")


class ExpertView(BaseModel):
    id: str
    owner: str
    headline: str
    skills: list[str]
    languages: list[str]
    certificates: list[CertificateView]
    day_rate: Money
    days_per_week: int
    published_at: datetime
    updated_at: datetime | None
    withdrawn_at: datetime | None = Field(description="Set: withdrawn by its publisher")
    ratings: int
    rating_average: Decimal | None
    personal_shown: bool
    name: str | None
    contact: str | None


class ExpertList(BaseModel):
    experts: list[ExpertView]


class SkillNeed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1, max_length=64)
    weight: int = Field(3, ge=1, le=5, description="How much the skill counts, 1 to 5")


class ProjectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1, max_length=200)
    skills: list[SkillNeed] = Field(min_length=1, max_length=20)
    languages: list[str] = Field(default_factory=list, max_length=10)
    certificates: list[str] = Field(default_factory=list, max_length=10)
    day_budget: Money
    days_per_week: int = Field(ge=1, le=7)
    starts_on: date
    ends_on: date


class ProjectChange(BaseModel):
    """A partial change of a project by its seller: a field not given (or null) stays;
    ``skills``, ``languages`` and ``certificates`` replace the whole list when given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str | None = Field(None, min_length=1, max_length=200)
    skills: list[SkillNeed] | None = Field(None, min_length=1, max_length=20)
    languages: list[str] | None = Field(None, max_length=10)
    certificates: list[str] | None = Field(None, max_length=10)
    day_budget: Money | None = None
    days_per_week: int | None = Field(None, ge=1, le=7)
    starts_on: date | None = None
    ends_on: date | None = None
    closed: bool | None = Field(
        None, description="true: no longer matched or engaged on; false: open again"
    )


class ProjectView(BaseModel):
    id: str
    seller: str
    title: str
    skills: list[SkillNeed]
    languages: list[str]
    certificates: list[str]
    day_budget: Money
    days_per_week: int
    starts_on: date
    ends_on: date
    posted_at: datetime
    updated_at: datetime | None
    closed_at: datetime | None = Field(description="Set: closed by its seller")


class ProjectList(BaseModel):
    projects: list[ProjectView]


class PartView(BaseModel):
    component: str
    weight: Decimal
    share: str = Field(description="The share met, as an exact fraction (e.g. 5/6)")
    contribution: Decimal = Field(description="weight × share, rounded half-up to 0.01")
    reason: str


class MatchView(BaseModel):
    expert_id: str
    headline: str
    total: Decimal = Field(description="The sum of the contributions")
    parts: list[PartView]


class MatchList(BaseModel):
    project_id: str
    weights_source: str
    matches: list[MatchView]
    ledger_index: int | None


class EngagementRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    project_id: str = Field(min_length=1, max_length=32)
    expert_id: str = Field(min_length=1, max_length=32)
    cost: Money = Field(description="What the engagement costs the SME in all")
    starts_on: date
    ends_on: date
    benchmark: str = Field(
        "cn_urban_non_private_average",
        min_length=1,
        max_length=64,
        description="The full-time hire to compare with (salary rule data)",
    )
    deliverables: list[str] = Field(default_factory=list, max_length=20)


class DeliverableRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1, max_length=200)


class StepRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1, description="The deliverable's number")
    to: Literal["submitted", "accepted", "rejected"]


class RatingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rating: int = Field(ge=1, le=5)


class DeliverableView(BaseModel):
    number: int
    title: str
    state: str
    updated_at: datetime


class ComparisonView(BaseModel):
    benchmark: str
    source: str
    days: int
    annual_wage: Decimal
    employer_oncost_rate: Decimal
    currency: str = Field(description="The benchmark's currency")
    full_time_cost: Decimal | None = Field(description="None: the cost is in another currency")
    engagement_cost: Decimal
    saving: Decimal | None = Field(description="Full-time cost minus the engagement's")
    ratio: Decimal | None = Field(description="The engagement's cost over the full-time cost")


class EventView(BaseModel):
    event: str
    at: datetime
    actor: str
    ledger_index: int | None


class EngagementView(BaseModel):
    id: str
    project_id: str
    project_title: str
    expert_id: str
    expert_headline: str
    seller: str
    expert_owner: str
    starts_on: date
    ends_on: date
    cost: Money
    score: Decimal | None
    deliverables: list[DeliverableView]
    delivered: bool
    rating: int | None
    rated_at: datetime | None
    comparison: ComparisonView
    events: list[EventView]


class EngagementList(BaseModel):
    engagements: list[EngagementView]
