"""How a screening result is shown: exactly as masked as the document it derives from.

A result names the listed entity a party matched and the list's spelling of the name that
matched (``matched_name``). Shown as stored, a candidate-name list would unmask a buyer: load
a one-name list (``张三``), and a hit with score 1.0 and ``matched_name: "张三"`` tells a
reader who sees the buyer as ``张*`` the whole name, without the audited reveal
(:mod:`cbec.tenancy.access`). So a result is shown to a caller the way the caller sees the
document it derives from:

* ``matched_name`` (and its normalised form) are masked with the party's own PII mask (the
  kind's ``PII`` annotation, :mod:`cbec.privacy.masking`) unless the caller sees the document
  in clear — the filer;
* what names the listed entity — its ``caption``, its id (list ids often spell the name) and
  the matched name — is shown only to the tenant that loaded its list; anyone else sees that
  a party matched, the score and the list edition, and asks the list's owner or a regulator.

Results stored before hits named their list cannot say who loaded it, and show no entity.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cbec.privacy.masking import MASKERS, mask_name
from cbec.tenancy.access import Viewer, sees_clear
from cbec.trade.kinds import KINDS

_ENTITY = ("entity_id", "caption", "matched_name", "matched_name_normalized")


def _masker(kind: str, role: str) -> Callable[[str], str]:
    """The mask of the party's name in a document of ``kind`` (``buyer`` → ``buyer.name``)."""
    mask = KINDS[kind].pii.get(f"{role}.name") if kind in KINDS else None
    return MASKERS[mask] if mask else mask_name


def shown(
    result: Mapping[str, Any],
    caller: Viewer,
    *,
    kind: str,
    filer_tenant_id: int,
    loaders: Mapping[tuple[str, str], int],
) -> dict[str, Any]:
    """``result`` (a stored screening result, :func:`cbec.store.screening_store._result`) as
    ``caller`` may see it: see the module doc. ``loaders`` maps (list name, version prefix)
    to the tenant that loaded that edition."""
    clear = sees_clear(caller, filer_tenant_id)
    masker = _masker(kind, result["role"])
    editions = result.get("lists") or []

    def loaded_by_caller(hit: Mapping[str, Any]) -> bool:
        source = hit.get("source")
        return any(loaders.get((source, v)) == caller.tenant_id for v in editions)

    def hit_view(hit: dict[str, Any] | None) -> dict[str, Any] | None:
        if hit is None:
            return None
        out = dict(hit)
        if not loaded_by_caller(hit):
            return out | dict.fromkeys(_ENTITY)
        if not clear:
            for key in ("matched_name", "matched_name_normalized"):
                if out.get(key):
                    out[key] = masker(out[key])
        return out

    body = dict(result["result"])
    body["hits"] = [hit_view(h) for h in body.get("hits") or []]
    body["best"] = hit_view(body.get("best"))
    top = body["hits"][0] if body["hits"] else None
    out = {k: v for k, v in result.items() if k not in ("kind", "filer_tenant_id")}
    if result.get("entity_id") is not None and (top is None or top["entity_id"] is None):
        out["entity_id"] = None
    return out | {"result": body}
