"""How a screening result is shown: exactly as masked as the document it derives from.

A result names the listed entity a party matched and the list's spelling of the name that
matched (``matched_name``). Shown as stored, a candidate-name list would unmask a buyer: load
a one-name list (``张三``), and a hit with score 1.0 and ``matched_name: "张三"`` tells a
reader who sees the buyer as ``张*`` the whole name, without the audited reveal
(:mod:`cbec.tenancy.access`). So a result is shown to a caller the way the caller sees the
document it derives from:

* ``matched_name`` (and its normalised form) are shown through the operator the masking
  policy gives the caller for the party's name field (:mod:`cbec.privacy.masking_policy`,
  with the field's own partial mask, :mod:`cbec.privacy.masking`) unless the caller sees the
  document in clear — the filer; a ``hash`` is keyed as the document's, so the pseudonym
  equals the one the document shows;
* what names the listed entity — its ``caption``, its id (list ids often spell the name) and
  the matched name — is shown only to the tenant that loaded its list; anyone else sees that
  a party matched, the score and the list edition, and asks the list's owner or a regulator.

Results stored before hits named their list cannot say who loaded it, and show no entity.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cbec.privacy import masking_policy
from cbec.privacy.masking import apply, reader_purpose
from cbec.tenancy.access import Viewer, relation, sees_clear
from cbec.trade.kinds import KINDS

_ENTITY = ("entity_id", "caption", "matched_name", "matched_name_normalized")


def _masker(kind: str, role: str, caller: Viewer, reader: str, key: bytes) -> Callable:
    """How ``caller`` sees the party's name in a document of ``kind`` (``buyer`` →
    ``buyer.name``): its policy operator with the field's partial mask."""
    path = f"{role}.name"
    mask = (KINDS[kind].pii.get(path) if kind in KINDS else None) or "name"
    by_level = masking_policy.for_reader(reader, caller.user_role)
    operator = by_level[masking_policy.level_of(kind, path)]
    purpose = reader_purpose(caller.tenant_id)
    return lambda value: apply(operator, mask, value, key, purpose)


def shown(
    result: Mapping[str, Any],
    caller: Viewer,
    *,
    kind: str,
    filer_tenant_id: int,
    loaders: Mapping[tuple[str, str], int],
    key: bytes,
) -> dict[str, Any]:
    """``result`` (a stored screening result, :func:`cbec.store.screening_store._result`) as
    ``caller`` may see it: see the module doc. ``loaders`` maps (list name, version prefix)
    to the tenant that loaded that edition; ``key`` keys the ``hash`` operator (the vault's
    keyed-hash key, as for the document)."""
    clear = sees_clear(caller, filer_tenant_id)
    reader = relation(caller, filer_tenant_id)
    masker = None if clear else _masker(kind, result["role"], caller, reader, key)
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
        if masker is not None:
            for name in ("matched_name", "matched_name_normalized"):
                if out.get(name):
                    out[name] = masker(out[name])
        return out

    body = dict(result["result"])
    body["hits"] = [hit_view(h) for h in body.get("hits") or []]
    body["best"] = hit_view(body.get("best"))
    top = body["hits"][0] if body["hits"] else None
    out = {k: v for k, v in result.items() if k not in ("kind", "filer_tenant_id")}
    if result.get("entity_id") is not None and (top is None or top["entity_id"] is None):
        out["entity_id"] = None
    return out | {"result": body}
