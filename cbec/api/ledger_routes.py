"""HTTP routes of the evidence ledger: checkpoints, proofs, entries, evidence bundles."""

import base64
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query
from fastapi.responses import PlainTextResponse

from cbec.errors import BadRequest, NotFound
from cbec.ledger.log import LedgerError, StoredCheckpoint
from cbec.runtime import Runtime
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.kinds import KINDS, Kind


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _proof(make: Callable[[int, int], list[bytes]], a: int, b: int) -> list[str]:
    """A proof as base64 strings; a size or index outside the signed tree is a 400."""
    try:
        return [_b64(h) for h in make(a, b)]
    except LedgerError as exc:
        raise BadRequest("ledger_range", {"detail": str(exc)}) from None


def _checkpoint_view(cp: StoredCheckpoint) -> dict[str, Any]:
    return {
        "size": cp.size,
        "root": _b64(cp.root),
        "note": cp.note,
        "signed_at": cp.signed_at.isoformat(),
    }


def evidence_of(rt: Runtime, ledger_index: int | None) -> dict[str, Any]:
    """The ``ledger`` block of a document response: its index and, once a checkpoint covers
    it, the inclusion proof against that checkpoint."""
    out: dict[str, Any] = {"index": ledger_index}
    if ledger_index is None:
        return out
    cp = rt.ledger.latest_checkpoint()
    if cp is None or cp.size <= ledger_index:
        out["integrated"] = False
        return out
    out.update(
        integrated=True,
        checkpoint_size=cp.size,
        inclusion_proof=[_b64(h) for h in rt.ledger.inclusion_proof(ledger_index, cp.size)],
        checkpoint=cp.note,
    )
    return out


def install(app: FastAPI, rt: Runtime, auth: Any) -> None:
    router = APIRouter(prefix="/ledger", tags=["ledger"])
    Auth = Annotated[Viewer, Depends(auth)]

    def _latest():
        cp = rt.ledger.latest_checkpoint()
        if cp is None:
            cp = rt.ledger.integrate(force_checkpoint=True)
        return cp

    @router.get("/key", summary="The log's verifier key and origin (give these to auditors)")
    def key(v: Auth) -> dict[str, Any]:
        return {
            "origin": rt.ledger.origin,
            "hash": rt.ledger.hasher.name,
            "verifier_keys": rt.ledger.vkeys,
        }

    @router.get("/checkpoint", summary="The latest signed checkpoint (c2sp.org/tlog-checkpoint)")
    def checkpoint(v: Auth) -> dict[str, Any]:
        return _checkpoint_view(_latest())

    @router.get(
        "/proof/inclusion", summary="Inclusion proof of entry `index` in the tree of `size`"
    )
    def inclusion(
        v: Auth,
        index: Annotated[int, Query(ge=0)],
        size: Annotated[int | None, Query(ge=1)] = None,
    ) -> dict[str, Any]:
        size = size or _latest().size
        proof = _proof(rt.ledger.inclusion_proof, index, size)
        return {"index": index, "size": size, "proof": proof}

    @router.get("/proof/consistency", summary="Consistency proof between tree sizes")
    def consistency(
        v: Auth,
        first: Annotated[int, Query(ge=0)],
        second: Annotated[int | None, Query(ge=0)] = None,
    ) -> dict[str, Any]:
        second = _latest().size if second is None else second
        proof = _proof(rt.ledger.consistency_proof, first, second)
        return {"first": first, "second": second, "proof": proof}

    @router.get("/checkpoints/{size}", summary="The checkpoint signed at a given tree size")
    def checkpoint_at(v: Auth, size: int) -> dict[str, Any]:
        cp = rt.ledger.checkpoint_at(size)
        if cp is None:
            raise NotFound("not_found", {"kind": "checkpoint"})
        return _checkpoint_view(cp)

    @router.get("/entries/{index}", summary="One log entry (regulators, or tenants it names)")
    def entry(v: Auth, index: int) -> dict[str, Any]:
        e = rt.ledger.entry(index)
        parsed = None
        if e is not None:
            try:
                parsed = json.loads(e.data)
            except ValueError:
                parsed = None
        named = isinstance(parsed, dict) and v.name in parsed.get("tenants", [])
        if e is None or not (v.role is Role.REGULATOR or named):
            raise NotFound("not_found", {"kind": "entry"})
        return {
            "index": e.index,
            "content_type": e.content_type,
            "leaf_hash": _b64(e.leaf_hash),
            "data": _b64(e.data),
            "entry": parsed,
        }

    app.include_router(router)

    for kind in KINDS.values():
        app.add_api_route(
            f"/{kind.plural}/{{doc_id}}/evidence",
            _bundle_route(rt, kind, Auth),
            methods=["GET"],
            tags=[kind.plural],
            summary=f"Evidence bundle (c2sp.org/tlog-proof) proving this {kind.name} is logged",
            response_class=PlainTextResponse,
        )


def _bundle_route(rt: Runtime, kind: Kind, Auth: Any) -> Any:
    def bundle(doc_id: str, v: Auth) -> PlainTextResponse:
        with rt.uow() as uow:
            doc = uow.repo.get_document(v, kind.name, doc_id)
        if doc is None or doc.ledger_index is None:
            raise NotFound("not_found", {"kind": kind.name})
        return PlainTextResponse(
            rt.ledger.bundle(doc.ledger_index), media_type="text/plain; charset=utf-8"
        )

    return bundle
