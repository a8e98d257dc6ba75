"""The use case of warehouse picking by order density (:mod:`cbec.logistics.picking`): a
day's orders batched into waves and routed, against first-come picking. A pure computation:
nothing is read from or written to the database."""

from __future__ import annotations

from decimal import Decimal

from cbec.errors import DocumentInvalid, Violation
from cbec.logistics import picking as core
from cbec.services.logistics_models import PickingPlan, PickingRequest, PickWave

M = Decimal("0.1")
SECONDS = 10.0  # the solvers' time, batching and routing together


def plan_picking(req: PickingRequest) -> PickingPlan:
    """Waves and routes for ``req``'s orders, with the walking saved against first-come
    picking. 422 names the line outside the layout or the order a cart cannot hold."""
    layout = core.Layout(
        req.layout.aisles, float(req.layout.aisle_length_m), float(req.layout.aisle_spacing_m)
    )
    problems, lines = [], []
    seen: set[str] = set()
    for i, order in enumerate(req.orders):
        if order.id in seen:
            problems.append(Violation(f"orders[{i}].id", "duplicate_order", {"id": order.id}))
        seen.add(order.id)
        if len(order.lines) > req.cart_lines:
            problems.append(
                Violation(f"orders[{i}].lines", "order_over_cart", {"cart": req.cart_lines})
            )
        for j, line in enumerate(order.lines):
            if line.aisle >= layout.aisles:
                problems.append(Violation(f"orders[{i}].lines[{j}].aisle", "outside_layout", {}))
            if line.depth_m > req.layout.aisle_length_m:
                problems.append(Violation(f"orders[{i}].lines[{j}].depth_m", "outside_layout", {}))
            lines.append(core.Line(order.id, line.aisle, float(line.depth_m)))
    if problems:
        raise DocumentInvalid(problems)
    base = core.first_come(lines, req.cart_lines, layout)
    waves = core.planned(lines, req.cart_lines, layout, SECONDS)
    base_m = Decimal(repr(sum(w.distance_m for w in base))).quantize(M)
    done_m = Decimal(repr(sum(w.distance_m for w in waves))).quantize(M)
    return PickingPlan(
        waves=[
            PickWave(
                index=n,
                orders=w.orders,
                lines=len(w.stops),
                distance_m=Decimal(repr(w.distance_m)).quantize(M),
                route=[(a, Decimal(repr(d)).quantize(Decimal("0.01"))) for a, d in w.stops],
            )
            for n, w in enumerate(waves, start=1)
        ],
        distance_m=done_m,
        first_come_waves=len(base),
        first_come_distance_m=base_m,
        saved_m=base_m - done_m,
        saved_pct=(100 * (base_m - done_m) / base_m).quantize(M) if base_m else Decimal(0),
    )
