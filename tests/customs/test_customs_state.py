"""Receipts from the official samples, and the declaration state machine."""

from __future__ import annotations

import pytest

from cbec.customs import xml as cx
from cbec.customs.state import IllegalTransition, act, receipts_of, receive
from tests.conftest import DATA

SAMPLES = DATA / "ceb" / "samples" / "import"


@pytest.mark.parametrize(
    "name", ["CEB312", "CEB412", "CEB512", "CEB514", "CEB622", "CEB624", "CEB626"]
)
def test_every_receipt_sample_reads(name):
    raw = (SAMPLES / f"{name}Message.xml").read_bytes()
    receipts = receipts_of(name, cx.read(raw))
    assert receipts
    for r in receipts:
        assert len(r.guid) == 36 and r.key and r.time
        assert r.meaning != "unknown" or r.status not in (2, 3, 4, 100, 120)
    text = raw.decode("utf-8-sig")
    assert f"<ceb:returnStatus>{receipts[0].status}</ceb:returnStatus>" in text or (
        f"<returnStatus>{receipts[0].status}</returnStatus>" in text
    )


def test_happy_path_and_rejection():
    s = act("draft", "declare")
    for status, expected in ((2, "declaring"), (3, "sent"), (120, "accepted")):
        s = receive(s, status)
        assert s == expected
    assert receive(receive(act("draft", "declare"), 2), 100) == "rejected"
    assert receive("sent", -3) == "rejected"
    assert act("rejected", "declare") == "declared"  # corrected and declared again


def test_cancellation_and_return_flows():
    assert receive(act("accepted", "cancel"), 120) == "cancelled"
    assert receive(act("accepted", "cancel"), 100) == "accepted"
    assert receive(act("accepted", "return"), 120) == "returned"


@pytest.mark.parametrize(
    "state,step",
    [
        ("draft", 120),  # a receipt for a message never declared
        ("accepted", 100),  # a late rejection must not undo an acceptance
        ("accepted", 2),
        ("cancelled", 120),
        ("returned", 3),
    ],
)
def test_illegal_receipts_are_refused(state, step):
    with pytest.raises(IllegalTransition, match=f"returnStatus {step} does not apply to a {state}"):
        receive(state, step)


@pytest.mark.parametrize(
    "state,action",
    [("declared", "declare"), ("accepted", "declare"), ("draft", "cancel"), ("sent", "return")],
)
def test_illegal_actions_are_refused(state, action):
    with pytest.raises(IllegalTransition, match=f"cannot {action} a message that is {state}"):
        act(state, action)
