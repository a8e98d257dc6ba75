"""The demo customs office's side of the year: its watchlist, its rule changes and sandbox,
and the receipts (回执) it sent back for a seller's declared orders — each through the same
use cases as the API (:mod:`cbec.services.screening`, :mod:`~cbec.services.compliance`,
:mod:`~cbec.services.sandboxes`, :mod:`~cbec.services.customs_declare`,
:mod:`~cbec.services.customs_track`), and each done once: a second run finds it done.

Every list entry, rule and approval is invented for the demo and says so; the data files are
``data/demo_watchlist.ftm.json`` and ``data/demo_rules.json``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cbec.runtime import Runtime
from cbec.services import (
    compliance,
    compliance_models,
    customs,
    customs_declare,
    customs_track,
    sandboxes,
    screening,
)
from cbec.services import documents as docs
from cbec.tenancy.access import Viewer

from . import activity

WATCHLIST = "demo-watchlist"


def watchlist(rt: Runtime, regulator: Viewer) -> None:
    """The customs office's demo watchlist (invented people and a firm), loaded through the
    screening use case unless this very file is already the active list of that name; a few
    demo buyers carry a listed name, so orders have screening hits to show."""
    content = activity.WATCHLIST_FILE.read_bytes()
    version = hashlib.sha256(content).hexdigest()
    active = screening.list_lists(rt.uow(), regulator)
    if any(x.name == WATCHLIST and x.version == version and not x.retired_at for x in active):
        return
    source = "cbec demo: invented entities (cbec/demo/data/demo_watchlist.ftm.json)"
    req = screening.ListLoadRequest(name=WATCHLIST, source=source, content=content)
    screening.load_list(rt.uow(), regulator, req)


RULES_FILE = activity.WATCHLIST_FILE.with_name("demo_rules.json")


def rules(rt: Runtime, regulator: Viewer) -> None:
    """The customs office's demo rule changes and sandbox (:data:`RULES_FILE`), through the
    compliance use cases: a rule with a history and a firm with an enrolment from the same
    source are left as they are, so a second run changes nothing."""
    plan = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    fresh = {
        c["id"]
        for c in plan["rule_changes"]
        if not compliance.rule_history(rt.uow(), regulator, c["id"])
    }
    for change in plan["rule_changes"]:
        if change["id"] in fresh:
            rule = compliance_models.RuleDocument.model_validate(change)
            compliance.put_rule(rt.uow(), regulator, change["id"], rule)
    enrolled = {
        (e.firm, e.enrolment.get("source")) for e in sandboxes.list_enrolments(rt.uow(), regulator)
    }
    for enrolment in plan["sandboxes"]:
        if (enrolment["firm"], enrolment["source"]) not in enrolled:
            req = compliance_models.EnrolmentRequest.model_validate(enrolment)
            sandboxes.enrol(rt.uow(), regulator, req)


# Receipts customs sends back for the declared orders, by returnStatus (spec §3.2): none yet
# (declared), accepted by E-Port (declaring), sent to customs, accepted (入库), rejected (退单)
# or a processing error — so the declarations list shows every state an order message takes.
RECEIPTS: list[list[int]] = [[], [2], [2, 3], [2, 3, 120], [2, 3, 120], [2, 100], [-1]]
DECLARED = 14  # orders the demo seller declares (CEB311), two of each receipt plan


def declarations(
    rt: Runtime, seller: Viewer, office: Viewer, batches: dict[tuple[str, str], list[dict]]
) -> None:
    """The seller declares its first imports into China (CEB311, signed with its demo key)
    and the customs office logs customs' receipts for them; skipped if the seller has
    declared anything already."""
    if customs.list_declarations(rt.uow(), seller, customs.DeclarationsQuery(limit=1)):
        return
    mine = [o for o in batches.get((seller.name, "order"), []) if o["destination_country"] == "CN"][
        :DECLARED
    ]
    for i, order in enumerate(mine):
        query = docs.ListQuery(kind="order", order_no=order["order_no"], platform=order["platform"])
        (found,) = docs.list_documents(rt.uow(), seller, query).items
        sent = customs_declare.declare_document(rt.uow(), seller, "order", found["id"])
        record = sent.declarations[0].record_guid
        for status in RECEIPTS[i % len(RECEIPTS)]:
            customs_track.record(rt.uow(), office, _receipt(record, order, status))


def _receipt(record: str, order: dict[str, Any], status: int) -> bytes:
    """A CEB312 order receipt (回执) as customs sends it (202205 schema)."""
    when = order["ordered_at"][:19].replace("-", "").replace("T", "").replace(":", "")
    info = {2: "电子口岸已暂存", 3: "已发送海关", 120: "海关入库成功", 100: "海关退单"}
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB312Message guid="{record}" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
  <ceb:OrderReturn>
    <ceb:guid>{record}</ceb:guid>
    <ceb:ebpCode>3301960001</ceb:ebpCode>
    <ceb:ebcCode>4403960002</ceb:ebcCode>
    <ceb:orderNo>{order["order_no"]}</ceb:orderNo>
    <ceb:returnStatus>{status}</ceb:returnStatus>
    <ceb:returnTime>{when}000</ceb:returnTime>
    <ceb:returnInfo>{info.get(status, "报文处理错误")}</ceb:returnInfo>
  </ceb:OrderReturn>
</ceb:CEB312Message>""".encode()
