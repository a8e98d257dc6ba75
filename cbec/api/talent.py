"""HTTP routes of talent sharing (use cases in :mod:`cbec.services.talent` and
:mod:`cbec.services.talent_engagements`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.services import talent as svc
from cbec.services import talent_edits as edits
from cbec.services import talent_engagements as eng
from cbec.services import talent_matching as matching
from cbec.services import talent_models as m

router = APIRouter(tags=["talent"], route_class=JsonBodyRoute)

ExpertId = Annotated[str, Path(max_length=32, description="The expert profile's id")]
ProjectId = Annotated[str, Path(max_length=32, description="The project's id")]
EngagementId = Annotated[str, Path(max_length=32, description="The engagement's id")]


@router.post(
    "/talent/experts",
    summary="Publish an expert profile",
    description=(
        "Any tenant but a regulator (403 `talent_expert_publisher`) publishes a profile it "
        "owns: skills, languages and certificate kinds from the talent vocabulary (422 "
        "`talent_unknown_code` naming each unknown one), a day rate and days a week. The "
        "expert's name, contact and certificate numbers are personal: stored encrypted and "
        "shown only to the owner and to sellers that have engaged the expert. Logged in the "
        "evidence ledger (codes and amounts, no personal data)."
    ),
    status_code=201,
    response_model=m.ExpertView,
    responses=problems(403),
)
def publish_expert(body: m.ExpertRequest, caller: Caller, uow: Uow) -> m.ExpertView:
    return svc.publish_expert(uow, caller, body)


@router.get(
    "/talent/experts",
    summary="The published expert profiles",
    description=(
        "Every tenant reads them; personal parts as in `POST /talent/experts`. A withdrawn "
        "profile is not among them; with `mine=true`, your tenant's own profiles, withdrawn "
        "ones too."
    ),
    response_model=m.ExpertList,
)
def list_experts(
    caller: Caller,
    uow: Uow,
    skill: Annotated[str | None, Query(max_length=64, description="Only with this skill")] = None,
    mine: Annotated[bool, Query(description="Only your tenant's, withdrawn ones too")] = False,
) -> m.ExpertList:
    return svc.list_experts(uow, caller, skill, mine)


@router.get(
    "/talent/experts/{expert_id}",
    summary="A published expert profile",
    description=(
        "Every tenant reads a published profile; the expert's name, contact and certificate "
        "numbers only its publisher and the sellers that engaged the expert (null for others)."
        " A withdrawn profile only its publisher reads (404 for anyone else)."
    ),
    response_model=m.ExpertView,
    responses=problems(404),
)
def show_expert(expert_id: ExpertId, caller: Caller, uow: Uow) -> m.ExpertView:
    return svc.show_expert(uow, caller, expert_id)


@router.patch(
    "/talent/experts/{expert_id}",
    summary="Change, withdraw or publish again your expert profile",
    description=(
        "The profile's publisher changes the fields it gives (the others stay): checked as "
        "in `POST /talent/experts` (422 `talent_unknown_code` naming each unknown code), the "
        "personal parts sealed again. `withdrawn: true` takes the profile out of the listings "
        "and the matches, `false` publishes it again. Anyone else gets 404, as for a profile "
        "that does not exist. Logged in the evidence ledger with the names of the fields "
        "changed, never their values."
    ),
    response_model=m.ExpertView,
    responses=problems(404),
)
def edit_expert(
    expert_id: ExpertId, body: m.ExpertChange, caller: Caller, uow: Uow
) -> m.ExpertView:
    return edits.edit_expert(uow, caller, expert_id, body)


@router.post(
    "/talent/projects",
    summary="Post a project (a seller)",
    description=(
        "A seller (403 `talent_project_seller` for another role) posts a project: required "
        "skills with their weights (1–5), languages, certificate kinds, a day budget, days a "
        "week and a period. Only the seller reads it."
    ),
    status_code=201,
    response_model=m.ProjectView,
    responses=problems(403),
)
def post_project(body: m.ProjectRequest, caller: Caller, uow: Uow) -> m.ProjectView:
    return svc.post_project(uow, caller, body)


@router.get(
    "/talent/projects",
    summary="Your projects",
    description="The projects your tenant posted, newest first.",
    response_model=m.ProjectList,
)
def list_projects(caller: Caller, uow: Uow) -> m.ProjectList:
    return svc.list_projects(uow, caller)


@router.get(
    "/talent/projects/{project_id}",
    summary="A project of yours",
    description="Anyone but its seller gets 404.",
    response_model=m.ProjectView,
    responses=problems(404),
)
def show_project(project_id: ProjectId, caller: Caller, uow: Uow) -> m.ProjectView:
    return svc.show_project(uow, caller, project_id)


@router.patch(
    "/talent/projects/{project_id}",
    summary="Change, close or open again a project of yours",
    description=(
        "The project's seller changes the fields it gives (the others stay): checked as in "
        "`POST /talent/projects` (422 `talent_unknown_code` naming each unknown code, "
        "`talent_period` for a period that ends before it starts, the dates not given taken "
        "from the project). `closed: true` closes it — no match or engagement on it (409 "
        "`talent_project_closed`) — and `false` opens it again. Anyone else gets 404. Logged "
        "in the evidence ledger with the names of the fields changed."
    ),
    response_model=m.ProjectView,
    responses=problems(404),
)
def edit_project(
    project_id: ProjectId, body: m.ProjectChange, caller: Caller, uow: Uow
) -> m.ProjectView:
    return edits.edit_project(uow, caller, project_id, body)


@router.post(
    "/talent/projects/{project_id}/matches",
    summary="Match a project against the published experts",
    description=(
        "Every published expert's score for the project, best first: the sum of named "
        "components (skills weighted by the project, languages, certificates, rating, budget "
        "and availability), each shown with its weight, the share met and its contribution. "
        "Ties go to the higher skills contribution, then to the lower expert id. The ranking "
        "is logged in the evidence ledger (ids and scores). Withdrawn profiles are not "
        "scored; 409 `talent_project_closed` for a closed project."
    ),
    response_model=m.MatchList,
    responses=problems(404, 409),
)
def match_project(
    project_id: ProjectId,
    caller: Caller,
    uow: Uow,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> m.MatchList:
    return matching.match_project(uow, caller, project_id, limit)


@router.post(
    "/talent/engagements",
    summary="Engage an expert on a project of yours",
    description=(
        "The project's seller engages a published expert: the cost (amount and currency), "
        "the period, the planned deliverables and the salary benchmark to compare with (422 "
        "`talent_benchmark` for one not in the salary data). 404 for a project not yours or "
        "an expert that does not exist or is withdrawn; 409 `talent_project_closed` for a "
        "closed project."
    ),
    status_code=201,
    response_model=m.EngagementView,
    responses=problems(404, 409),
)
def engage(body: m.EngagementRequest, caller: Caller, uow: Uow) -> m.EngagementView:
    return eng.engage(uow, caller, body)


@router.get(
    "/talent/engagements",
    summary="Your engagements (either side)",
    description="The engagements your tenant is a side of: as the seller or as the publisher.",
    response_model=m.EngagementList,
)
def list_engagements(caller: Caller, uow: Uow) -> m.EngagementList:
    return eng.list_engagements(uow, caller)


@router.get(
    "/talent/engagements/{engagement_id}",
    summary="An engagement: deliverables, rating and cost against a full-time hire",
    description="Only its two sides read it; anyone else gets 404.",
    response_model=m.EngagementView,
    responses=problems(404),
)
def show_engagement(engagement_id: EngagementId, caller: Caller, uow: Uow) -> m.EngagementView:
    return eng.show(uow, caller, engagement_id)


@router.post(
    "/talent/engagements/{engagement_id}/deliverables",
    summary="Add a deliverable (the seller)",
    description=(
        "A new `planned` deliverable, added by the project's seller (403 "
        "`talent_deliverable_side` for the expert's side; 409 `talent_rated` once rated)."
    ),
    response_model=m.EngagementView,
    responses=problems(403, 404, 409),
)
def add_deliverable(
    engagement_id: EngagementId, body: m.DeliverableRequest, caller: Caller, uow: Uow
) -> m.EngagementView:
    return eng.add_deliverable(uow, caller, engagement_id, body)


@router.post(
    "/talent/engagements/{engagement_id}/steps",
    summary="Move a deliverable: submitted (the expert's side), accepted or rejected (the seller)",
    description=(
        "403 `talent_deliverable_side` for a step the other side makes; 409 "
        "`talent_deliverable_step` for one the deliverable does not have (an accepted one is "
        "final); 422 naming `number` for a deliverable the engagement does not have."
    ),
    response_model=m.EngagementView,
    responses=problems(403, 404, 409),
)
def step(
    engagement_id: EngagementId, body: m.StepRequest, caller: Caller, uow: Uow
) -> m.EngagementView:
    return eng.step(uow, caller, engagement_id, body)


@router.post(
    "/talent/engagements/{engagement_id}/rating",
    summary="Rate an engagement, 1 to 5 (the seller, once, after delivery)",
    description=(
        "409 `talent_not_delivered` before every deliverable is accepted, `talent_rated` for "
        "a second rating; 403 `talent_rating_side` for the expert's side."
    ),
    response_model=m.EngagementView,
    responses=problems(403, 404, 409),
)
def rate(
    engagement_id: EngagementId, body: m.RatingRequest, caller: Caller, uow: Uow
) -> m.EngagementView:
    return eng.rate(uow, caller, engagement_id, body)
