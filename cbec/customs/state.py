"""Receipts (回执) and the declaration state of each message.

Customs answers every message with a receipt (CEB312/412/512/514/622/624/626) whose
``returnStatus`` says where it stands (spec §3.2; schema documentation):

====== ==========================================
2      accepted by China E-Port, being declared
3      sent to customs
4      sending to customs failed
100    rejected by customs (退单)
120    accepted by customs (入库)
< 0    processing error (details in returnInfo)
====== ==========================================

A message's life is the state machine below; a receipt or an action that does not fit the
current state is refused with :class:`IllegalTransition` (a late or duplicated receipt must
not silently move an accepted declaration back). Cancellation (CEB623) and return (CEB625)
are flows that start from an accepted inventory list.

::

    draft ─declare→ declared ─2→ declaring ─3→ sent ─120→ accepted
                        └───── 4, <0, 100 ─────────┴─→ rejected ─declare→ declared
    accepted ─cancel→ cancelling ─120→ cancelled    (4, <0, 100 → back to accepted)
    accepted ─return→ returning  ─120→ returned     (4, <0, 100 → back to accepted)

A cancellation (CEB623) or return (CEB625) is itself a declared message with its own life
(its receipts are CEB624/626); declaring one moves the inventory list it withdraws — the
CEB621 of the same order — to cancelling or returning, and its receipts finish that flow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cbec.customs.xml import MessageError
from cbec.errors import Conflict


class IllegalTransition(Conflict):
    """An action or receipt that the current state does not allow (409); ``why`` names the
    rule (``customs_cannot``, ``customs_receipt_misfit``). A use case that logged the message
    before refusing the step says so with :meth:`logged` — the problem then also names the
    evidence entry, since what was exchanged with customs is evidence either way."""

    def __init__(self, why: str, params: dict[str, Any], logged_at: int | None = None) -> None:
        self.why = why
        self.logged_at = logged_at
        super().__init__("illegal_transition", params)

    def message(self, lang: str = "en") -> str:
        from cbec.i18n import render

        text = render(self.why, lang, self.params)
        if self.logged_at is None:
            return text
        return render("illegal_transition", lang, {"detail": text, "index": self.logged_at})

    def logged(self, index: int | None) -> IllegalTransition:
        """The same refusal, naming the log entry of the message that was refused."""
        return IllegalTransition(self.why, self.params, index)


ACTIONS = {
    ("draft", "declare"): "declared",
    ("rejected", "declare"): "declared",
    ("accepted", "cancel"): "cancelling",
    ("accepted", "return"): "returning",
}


def _after_receipt(state: str, status: int) -> str | None:
    if state in ("declared", "declaring", "sent"):
        if status == 2 and state == "declared":
            return "declaring"
        if status == 3 and state in ("declared", "declaring"):
            return "sent"
        if status == 120:
            return "accepted"
        if status in (4, 100) or status < 0:
            return "rejected"
    if state in ("cancelling", "returning"):
        if status in (2, 3):
            return state
        if status == 120:
            return {"cancelling": "cancelled", "returning": "returned"}[state]
        if status in (4, 100) or status < 0:  # the withdrawal failed: the list stands
            return "accepted"
    return None


def act(state: str, action: str) -> str:
    """The state after ``action`` (declare, cancel, return)."""
    try:
        return ACTIONS[(state, action)]
    except KeyError:
        raise IllegalTransition("customs_cannot", {"action": action, "state": state}) from None


def receive(state: str, status: int) -> str:
    """The state after a receipt with ``returnStatus`` = ``status``."""
    nxt = _after_receipt(state, status)
    if nxt is None:
        raise IllegalTransition("customs_receipt_misfit", {"status": status, "state": state})
    return nxt


@dataclass(frozen=True)
class Receipt:
    message: str  # CEB312 …
    guid: str  # the guid of the record it answers
    key: str  # orderNo, payTransactionId, logisticsNo or copNo
    status: int
    time: str
    info: str | None

    @property
    def meaning(self) -> str:
        if self.status < 0:
            return "processing error"
        return {
            2: "declaring at E-Port",
            3: "sent to customs",
            4: "sending failed",
            100: "rejected by customs",
            120: "accepted by customs",
        }.get(self.status, "unknown")


RECEIPTS = {
    "CEB312": ("order_return", "order_no"),
    "CEB412": ("payment_return", "pay_transaction_id"),
    "CEB512": ("logistics_return", "logistics_no"),
    "CEB514": ("logistics_status_return", "logistics_no"),
    "CEB622": ("inventory_return", "cop_no"),
    "CEB624": ("invt_cancel_return", "cop_no"),
    "CEB626": ("invt_refund_return", "cop_no"),
}


# returnStatus is an ``xs:string`` of at most 10 characters in the schema; its documentation
# says it is a number (negative for an error). Nine ASCII digits keep it in a 32-bit column.
STATUS = re.compile(r"-?[0-9]{1,9}", re.ASCII)


def return_status(name: str, value: str) -> int:
    """``returnStatus`` as a number; anything else is a :class:`MessageError` naming it."""
    if not STATUS.fullmatch(value or ""):
        raise MessageError(f"{name} returnStatus must be an integer of at most 9 digits")
    return int(value)


def receipts_of(name: str, message: Any) -> list[Receipt]:
    """The receipts in a parsed receipt message (``name`` like ``CEB312``)."""
    if name not in RECEIPTS:
        raise ValueError(f"{name} is not a receipt message")
    attr, key = RECEIPTS[name]
    return [
        Receipt(
            name,
            r.guid,
            getattr(r, key),
            return_status(name, r.return_status),
            r.return_time,
            r.return_info,
        )
        for r in getattr(message, attr)
    ]


# Which business message a receipt answers, and how to find its records.
ANSWERS = {
    "CEB312": "CEB311",
    "CEB412": "CEB411",
    "CEB512": "CEB511",
    "CEB622": "CEB621",
    "CEB624": "CEB623",
    "CEB626": "CEB625",
}
_RECORDS = {
    "CEB311": ("order", "order_head", "order_no"),
    "CEB411": ("payment", "payment_head", "pay_transaction_id"),
    "CEB511": ("logistics", "logistics_head", "logistics_no"),
    "CEB621": ("inventory", "inventory_head", "order_no"),
    "CEB623": ("invt_cancel", None, "order_no"),
    "CEB625": ("invt_refund", "invt_refund_head", "order_no"),
}
DECLARABLE = tuple(_RECORDS)
#: messages that withdraw an earlier declaration: (the message withdrawn, by the same
#: business key and declarer; the action it takes on it)
WITHDRAWS = {"CEB623": ("CEB621", "cancel"), "CEB625": ("CEB621", "return")}


def heads_of(name: str, message: Any) -> list[Any]:
    """The head of each record a business message declares (the record itself when it has
    no separate head, as CEB623)."""
    attr, head, _ = _RECORDS[name]
    return [getattr(item, head) if head else item for item in getattr(message, attr)]


def records_of(name: str, message: Any) -> list[tuple[str, str]]:
    """(record guid, business key) of each record a business message declares."""
    key = _RECORDS[name][2]
    return [(r.guid, getattr(r, key)) for r in heads_of(name, message)]
