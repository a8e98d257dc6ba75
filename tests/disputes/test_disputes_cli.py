"""``cbec disputes``: the same use cases from the command line — open, message, resolve,
show, list and the pack, which verifies offline; a refused input exits 2 naming the field."""

from __future__ import annotations

import json

from cbec.disputes.pack import verify
from tests.disputes.world import sale


def test_a_case_from_the_command_line(client, parties, cli, rt, tmp_path):
    s = sale(client, parties, cli, declare=False)
    r = cli(
        "disputes",
        "open",
        s.order_id,
        "--as",
        "platform-a",
        "--reason",
        "damaged",
        "--amount",
        "80.00",
        "--currency",
        "CNY",
        "--message",
        "Box crushed on arrival",
    )
    assert r.exit_code == 0, r.output
    case = json.loads(r.stdout)
    assert case["state"] == "open" and case["reason"] == "damaged"
    r = cli("disputes", "message", case["id"], "--as", "seller-a", "--text", "Photos please")
    assert r.exit_code == 0 and json.loads(r.stdout)["state"] == "responded"
    r = cli("disputes", "resolve", case["id"], "--as", "seller-a", "--outcome", "refund_full")
    assert r.exit_code == 0, r.output
    done = json.loads(r.stdout)
    assert (done["state"], done["refund_amount"]) == ("resolved", "80.00")
    shown = json.loads(cli("disputes", "show", case["id"], "--as", "seller-a").stdout)
    assert [m["text"] for m in shown["messages"]] == ["Box crushed on arrival", "Photos please"]
    listed = json.loads(cli("disputes", "list", "--as", "platform-a", "--state", "resolved").stdout)
    assert [c["id"] for c in listed["cases"]] == [case["id"]]
    out = tmp_path / "pack.zip"
    r = cli("disputes", "pack", case["id"], "--as", "platform-a", "-o", out)
    assert r.exit_code == 0, r.output
    assert verify(out.read_bytes(), rt.ledger.vkeys) == []
    # an outsider: no such case; bad input: the field named
    r = cli("disputes", "show", case["id"], "--as", "seller-b")
    assert r.exit_code == 2 and "no such dispute case" in r.stderr
    r = cli(
        "disputes",
        "open",
        s.order_id,
        "--as",
        "seller-a",
        "--reason",
        "damaged",
        "--amount",
        "abc",
        "--currency",
        "CNY",
    )
    assert r.exit_code == 2 and "claim.amount" in r.stderr
