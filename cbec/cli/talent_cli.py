"""``cbec talent publish|expert-update|experts|post|project-update|projects|match|engage|
engagements|show|deliver|step|rate``: talent sharing, acting as a tenant (``--as``).
Profiles, projects, their changes and engagements are read from a JSON file (the same body
as the HTTP API's); each command calls the same use case as
the API (:mod:`cbec.services.talent`, :mod:`cbec.services.talent_engagements`); a refused
input exits 2 naming the field and the rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cbec.cli.common import invalid, write_json

if TYPE_CHECKING:
    from pydantic import BaseModel

talent = typer.Typer(
    help="Talent sharing: expert profiles, projects, the explainable match, engagements.",
    no_args_is_help=True,
)

AsTenant = Annotated[str, typer.Option("--as", help="The tenant acting.")]
EngagementId = Annotated[str, typer.Argument(help="The engagement's id.")]
Body = Annotated[Path, typer.Argument(help="A JSON file: the body the HTTP API takes.")]
Change = Annotated[
    Path | None,
    typer.Argument(help="A JSON file: the fields to change (the PATCH body); others stay."),
]


def _change(body: Path | None, switch: str, on: bool | None) -> dict[str, Any]:
    """The PATCH body: the file's fields, with the switch (``withdrawn``, ``closed``) set by
    its flag when given."""
    data = _read(body) if body is not None else {}
    if on is not None and isinstance(data, dict):
        data = data | {switch: on}
    return data


def _model(model: type[BaseModel], data: Any) -> Any:
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        invalid(exc)


def _read(path: Path) -> Any:
    from cbec.cli.common import die

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        die(f"{path}: {exc}")


def _run(as_tenant: str, work: Any) -> None:
    from cbec.cli.common import run_as

    write_json(run_as(as_tenant, work).model_dump(mode="json"), 2)


@talent.command("publish")
def publish(body: Body, as_tenant: AsTenant) -> None:
    """Publish an expert profile owned by the tenant; prints it."""
    from cbec.services import talent as svc
    from cbec.services.talent_models import ExpertRequest

    req = _model(ExpertRequest, _read(body))
    _run(as_tenant, lambda uow, caller: svc.publish_expert(uow, caller, req))


@talent.command("expert-update")
def expert_update(
    expert_id: Annotated[str, typer.Argument(help="The profile's id.")],
    as_tenant: AsTenant,
    body: Change = None,
    withdrawn: Annotated[
        bool | None,
        typer.Option(
            "--withdraw/--republish",
            help="Take the profile out of the listings and matches, or publish it again.",
        ),
    ] = None,
) -> None:
    """Change a profile the tenant published (only the fields given); prints it."""
    from cbec.services import talent_edits as edits
    from cbec.services.talent_models import ExpertChange

    req = _model(ExpertChange, _change(body, "withdrawn", withdrawn))
    _run(as_tenant, lambda uow, caller: edits.edit_expert(uow, caller, expert_id, req))


@talent.command("experts")
def experts(
    as_tenant: AsTenant,
    skill: Annotated[str | None, typer.Option(help="Only experts with this skill code.")] = None,
    mine: Annotated[
        bool, typer.Option(help="Only the tenant's own profiles, withdrawn ones too.")
    ] = False,
) -> None:
    """The published expert profiles (personal parts only where the tenant may read them)."""
    from cbec.services import talent as svc

    _run(as_tenant, lambda uow, caller: svc.list_experts(uow, caller, skill, mine))


@talent.command("post")
def post(body: Body, as_tenant: AsTenant) -> None:
    """Post a project (a seller); prints it."""
    from cbec.services import talent as svc
    from cbec.services.talent_models import ProjectRequest

    req = _model(ProjectRequest, _read(body))
    _run(as_tenant, lambda uow, caller: svc.post_project(uow, caller, req))


@talent.command("project-update")
def project_update(
    project_id: Annotated[str, typer.Argument(help="The project's id.")],
    as_tenant: AsTenant,
    body: Change = None,
    closed: Annotated[
        bool | None,
        typer.Option("--close/--reopen", help="Close the project, or open it again."),
    ] = None,
) -> None:
    """Change a project of the tenant's (only the fields given); prints it."""
    from cbec.services import talent_edits as edits
    from cbec.services.talent_models import ProjectChange

    req = _model(ProjectChange, _change(body, "closed", closed))
    _run(as_tenant, lambda uow, caller: edits.edit_project(uow, caller, project_id, req))


@talent.command("projects")
def projects(as_tenant: AsTenant) -> None:
    """The tenant's projects."""
    from cbec.services import talent as svc

    _run(as_tenant, lambda uow, caller: svc.list_projects(uow, caller))


@talent.command("match")
def match(
    project_id: Annotated[str, typer.Argument(help="The project's id.")],
    as_tenant: AsTenant,
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many experts.")] = 20,
) -> None:
    """Score the published experts for a project, best first, every part shown (logged)."""
    from cbec.services import talent_matching as matching

    _run(as_tenant, lambda uow, caller: matching.match_project(uow, caller, project_id, limit))


@talent.command("engage")
def engage(body: Body, as_tenant: AsTenant) -> None:
    """Engage an expert on a project of the tenant's; prints the engagement."""
    from cbec.services import talent_engagements as eng
    from cbec.services.talent_models import EngagementRequest

    req = _model(EngagementRequest, _read(body))
    _run(as_tenant, lambda uow, caller: eng.engage(uow, caller, req))


@talent.command("engagements")
def engagements(as_tenant: AsTenant) -> None:
    """The engagements the tenant is a side of."""
    from cbec.services import talent_engagements as eng

    _run(as_tenant, lambda uow, caller: eng.list_engagements(uow, caller))


@talent.command("show")
def show(engagement_id: EngagementId, as_tenant: AsTenant) -> None:
    """An engagement: deliverables, rating, cost against a full-time hire, logged steps."""
    from cbec.services import talent_engagements as eng

    _run(as_tenant, lambda uow, caller: eng.show(uow, caller, engagement_id))


@talent.command("deliver")
def deliver(
    engagement_id: EngagementId,
    as_tenant: AsTenant,
    title: Annotated[str, typer.Option(help="The deliverable's title.")],
) -> None:
    """Add a deliverable to an engagement (the seller)."""
    from cbec.services import talent_engagements as eng
    from cbec.services.talent_models import DeliverableRequest

    req = _model(DeliverableRequest, {"title": title})
    _run(as_tenant, lambda uow, caller: eng.add_deliverable(uow, caller, engagement_id, req))


@talent.command("step")
def step(
    engagement_id: EngagementId,
    as_tenant: AsTenant,
    number: Annotated[int, typer.Option(help="The deliverable's number.")],
    to: Annotated[str, typer.Option(help="submitted, accepted or rejected.")],
) -> None:
    """Move a deliverable: submitted (the expert's side), accepted or rejected (the seller)."""
    from cbec.services import talent_engagements as eng
    from cbec.services.talent_models import StepRequest

    req = _model(StepRequest, {"number": number, "to": to})
    _run(as_tenant, lambda uow, caller: eng.step(uow, caller, engagement_id, req))


@talent.command("rate")
def rate(
    engagement_id: EngagementId,
    as_tenant: AsTenant,
    rating: Annotated[int, typer.Option(help="1 to 5.")],
) -> None:
    """Rate a delivered engagement, once (the seller)."""
    from cbec.services import talent_engagements as eng
    from cbec.services.talent_models import RatingRequest

    req = _model(RatingRequest, {"rating": rating})
    _run(as_tenant, lambda uow, caller: eng.rate(uow, caller, engagement_id, req))
