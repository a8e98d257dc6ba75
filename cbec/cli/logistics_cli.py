"""``cbec logistics …``: the network's places and a shipment's routes, from JSON on stdin.

Each command calls the same use case as the HTTP API (:mod:`cbec.services.logistics`), so
both answer alike; a refused input exits 2 naming the field and the rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cbec.cli.common import die, write_json
from cbec.cli.tax_cli import _stdin_json, refuse

logistics = typer.Typer(
    help="Logistics: route planning with cost, transit time and CO2e (ISO 14083).",
    no_args_is_help=True,
)


@logistics.command("locations")
def locations() -> None:
    """The places of the logistics network, as JSON."""
    from cbec.config import get_settings
    from cbec.services import logistics as svc

    write_json(svc.list_locations(get_settings().logistics_dir).model_dump(mode="json"), 2)


@logistics.command("route")
def route(
    front: Annotated[
        bool, typer.Option("--front", help="Print only the Pareto front, a line each.")
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", dir_okay=False, help="Also draw the front to this .png/.svg."),
    ] = None,
) -> None:
    """Plan the shipment on stdin (JSON: origin, destination, weight_kg, volume_m3,
    deadline_days, lithium, on): the routes with cost, transit time and CO2e, the Pareto front
    first. With --front, one line per route of the front: cost, p50/p90 days, kg CO2e, legs."""
    from pydantic import ValidationError

    from cbec.config import get_settings
    from cbec.errors import CbecError
    from cbec.services import logistics as svc
    from cbec.services.logistics_models import RouteRequest

    try:
        req = RouteRequest.model_validate(_stdin_json())
        plan = svc.plan_route(req, get_settings().logistics_dir)
    except (CbecError, ValidationError) as exc:
        refuse(exc)
    if plot is not None:
        from cbec.logistics.plot import Point, save_pareto

        if plot.suffix.lower() not in (".png", ".svg"):
            die(f"{plot.name}: give a .png or .svg file name")
        title = f"{req.origin} → {req.destination}, {req.weight_kg} kg, {req.volume_m3} m³"
        points = [
            Point(
                float(o.transit_p90_days),
                float(o.cost),
                float(o.co2e_wtw_kg),
                o.pareto,
                tuple(g.mode for g in o.legs),
                max(o.legs, key=lambda g: g.distance_km).mode,
            )
            for o in plan.options + plan.late
        ]
        save_pareto(points, title, plan.options[0].currency, plot)
    if not front:
        write_json(plan.model_dump(mode="json"), 2)
        return
    for o in plan.options:
        if o.pareto:
            legs = " + ".join(g.id for g in o.legs)
            typer.echo(
                f"{o.currency} {o.cost}\t{o.transit_p50_days}/{o.transit_p90_days} days\t"
                f"{o.co2e_wtw_kg} kg CO2e\t{legs}"
            )


@logistics.command("emissions")
def co2e() -> None:
    """The CO2e of the shipment on stdin (JSON: weight_kg, legs, on; a leg is {"leg": id} or
    {"mode", "vehicle", "distance_km" | "origin" and "destination", "carrier"}), per leg and in
    all, well-to-wheel and tank-to-wheel, with each factor's tier and source."""
    from pydantic import ValidationError

    from cbec.config import get_settings
    from cbec.errors import CbecError
    from cbec.services import logistics as svc
    from cbec.services.logistics_models import EmissionsRequest

    try:
        req = EmissionsRequest.model_validate(_stdin_json())
        result = svc.shipment_emissions(req, get_settings().logistics_dir)
    except (CbecError, ValidationError) as exc:
        refuse(exc)
    write_json(result.model_dump(mode="json"), 2)


@logistics.command("consolidate")
def consolidate() -> None:
    """Pack the parcels on stdin (JSON: leg, departure, container, parcels with id, seller,
    weight_kg, volume_m3, ready_on, deadline) into shared containers on the leg, with each
    seller's cost and CO2e saved against shipping alone."""
    from pydantic import ValidationError

    from cbec.config import get_settings
    from cbec.errors import CbecError
    from cbec.services.logistics_consolidation import consolidate as run
    from cbec.services.logistics_models import ConsolidationRequest

    try:
        req = ConsolidationRequest.model_validate(_stdin_json())
        result = run(req, get_settings().logistics_dir)
    except (CbecError, ValidationError) as exc:
        refuse(exc)
    write_json(result.model_dump(mode="json"), 2)


@logistics.command("picking")
def pick() -> None:
    """Pick waves and routes for the day's orders on stdin (JSON: layout {aisles,
    aisle_length_m, aisle_spacing_m}, cart_lines, orders [{id, lines [{aisle, depth_m}]}] in
    the order they came), with the walking saved against first-come picking."""
    from pydantic import ValidationError

    from cbec.errors import CbecError
    from cbec.services.logistics_models import PickingRequest
    from cbec.services.logistics_picking import plan_picking

    try:
        result = plan_picking(PickingRequest.model_validate(_stdin_json()))
    except (CbecError, ValidationError) as exc:
        refuse(exc)
    write_json(result.model_dump(mode="json"), 2)


@logistics.command("waybill-co2e")
def waybill_co2e(
    doc_id: Annotated[str, typer.Argument(help="The waybill's id.")],
    as_tenant: Annotated[str, typer.Option("--as", help="The tenant asking.")],
) -> None:
    """A waybill's CO2e over the route it names, as JSON (null with the reason when none)."""
    from cbec.cli.common import fail, tenant_caller
    from cbec.errors import CbecError
    from cbec.services.logistics_waybills import waybill_co2e as run

    rt, caller = tenant_caller(as_tenant)
    try:
        result = run(rt.uow(), caller, doc_id, rt.settings.logistics_dir)
    except CbecError as exc:
        fail(exc)
    write_json(result.model_dump(mode="json"), 2)


@logistics.command("co2e-monthly")
def co2e_monthly(
    year: Annotated[int, typer.Option("--year", min=2000, max=2100)],
    as_tenant: Annotated[str, typer.Option("--as", help="The tenant asking.")],
) -> None:
    """The CO2e of the tenant's readable waybills of a year, by month and lane."""
    from cbec.cli.common import tenant_caller
    from cbec.services.logistics_waybills import monthly_co2e

    rt, caller = tenant_caller(as_tenant)
    write_json(
        monthly_co2e(rt.uow(), caller, year, rt.settings.logistics_dir).model_dump(mode="json"), 2
    )
