"""Which CEB messages the evidence log admits from a caller (``POST /customs/messages``).

The log is permanent and shared, so it takes only what a tenant can have exchanged with
customs itself:

- a message valid against the official schema (CEB 202205 XSD, :mod:`cbec.customs.xml`) —
  anything else is no message customs would have accepted or sent;
- a business message whose ``BaseTransfer`` is the caller's: ``copCode`` its registration code
  and ``dxpId`` its China E-Port id (the schema's own note on copCode: "需要与接入客户端的企业身份
  一致"), as set by ``cbec admin customs-profile`` (:class:`ProfileStore`) — and whose every
  declared record names the caller among its parties (:data:`PARTY_FIELDS`);
- a receipt for records the caller declared through cbec (a regulator: records declared here
  at all) — the receipt of someone else's record is not the caller's to log.

A refused message is not logged; the 422 names the rule. A message that passes, but breaks a
business rule or a step the state machine does not allow, is still logged
(:mod:`cbec.services.customs_track`).
"""

from __future__ import annotations

from typing import Any

from cbec.customs.state import ANSWERS, DECLARABLE, RECEIPTS, heads_of
from cbec.customs.validate import Problem
from cbec.errors import Violation
from cbec.store.customs_store import DeclarationStore, ProfileStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role

SCHEMA_RULES = ("XML", "XSD")
#: the enterprises a record names: platform, e-commerce firm, payment firm, logistics firm,
#: declaring agent, guarantor (CEB 202205 field notes)
PARTY_FIELDS = ("ebp_code", "ebc_code", "pay_code", "logistics_code", "agent_code", "assure_code")


def schema_refusals(problems: list[Problem]) -> list[Violation]:
    """The schema problems of a message, as the violations that refuse it."""
    return [
        Violation(p.path, "customs_schema", {"detail": p.message})
        for p in problems
        if p.rule in SCHEMA_RULES
    ]


def party_refusals(uow: UnitOfWork, caller: Viewer, code: str, parsed: Any) -> list[Violation]:
    """Why ``parsed`` (a schema-valid ``code`` message) is not the caller's to log; empty
    when it is. Runs inside the caller's unit of work (it reads profiles and declarations)."""
    if code in RECEIPTS:
        return _receipt_refusals(uow, caller, code, parsed)
    transfer = getattr(parsed, "base_transfer", None)
    if transfer is None:
        return [Violation("BaseTransfer", "customs_not_sender", {"code": code})]
    me = ProfileStore(uow.conn).of(caller.tenant_id)
    if me is None:
        return [Violation("BaseTransfer", "customs_no_identity")]
    out = []
    if transfer.cop_code != me.code:
        out.append(Violation("BaseTransfer/copCode", "customs_not_sender", {"code": code}))
    if me.dxp_id and transfer.dxp_id != me.dxp_id:
        out.append(Violation("BaseTransfer/dxpId", "customs_not_sender", {"code": code}))
    if code in DECLARABLE:
        for i, head in enumerate(heads_of(code, parsed)):
            named = {getattr(head, f, None) for f in PARTY_FIELDS}
            if me.code not in named:
                field = f"{code}/record[{i + 1}]"
                out.append(Violation(field, "customs_not_a_party", {"code": me.code}))
    return out


def _receipt_refusals(uow: UnitOfWork, caller: Viewer, code: str, parsed: Any) -> list[Violation]:
    attr, _ = RECEIPTS[code]
    answered = ANSWERS.get(code)
    store = DeclarationStore(uow.conn)
    out = []
    for i, item in enumerate(getattr(parsed, attr)):
        found = store.find(answered, item.guid) if answered else None
        mine = found is not None and (
            found.tenant_id == caller.tenant_id or caller.role is Role.REGULATOR
        )
        if not mine:
            element = "".join(part.title() for part in attr.split("_"))  # as in the XML
            field = f"{element}[{i + 1}]/guid"
            out.append(Violation(field, "customs_not_declarer", {"message": answered or code}))
    return out
