"""``cbec polls`` and ``cbec analytics ad-report``: the same use cases from the command line;
a refused input exits 2 naming the field and the rule."""

from __future__ import annotations

import json

from tests.growth.world import order


def test_a_poll_from_the_command_line(client, parties, cli):
    r = cli(
        "polls", "open", "--as", "seller-a", "--topic", "size", "--question", "Which size?",
        "--option", "S", "--option", "M",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    poll = json.loads(r.stdout)
    oid, _ = order(client, parties, "CLI-1", "acct-cli", "CN")
    args = ["--order-id", oid, "--buyer", "acct-cli", "--option", "M"]
    r = cli("polls", "vote", poll["id"], "--as", "platform-a", *args)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["segment"] == "new"
    r = cli("polls", "vote", poll["id"], "--as", "platform-a", *args)
    assert r.exit_code == 2 and "already voted" in r.output
    r = cli("polls", "show", poll["id"], "--as", "seller-a", "--csv")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "by,group,option,votes,share,suppressed",
        "all,,S,0,0.0000,false",
        "all,,M,1,1.0000,false",
        "market,CN,S,,,true",  # one voter: suppressed as in the API and the console
        "market,CN,M,,,true",
        "segment,new,S,,,true",
        "segment,new,M,,,true",
    ]
    r = cli("polls", "close", poll["id"], "--as", "seller-a")
    assert r.exit_code == 0 and json.loads(r.stdout)["state"] == "closed"
    r = cli("polls", "open", "--as", "seller-a", "--question", "?", "--option", "only one")
    assert r.exit_code == 2 and "options" in r.output


def test_the_ad_report_from_the_command_line(parties, cli, tmp_path):
    spend = tmp_path / "meta.csv"
    spend.write_text(
        "Reporting starts,Reporting ends,Campaign name,Amount spent (CNY)\n"
        "2026-03-01,2026-03-01,Launch,12.00\n"
    )
    r = cli("analytics", "ad-report", "--as", "seller-a", "--report", f"meta_ads:{spend}:CN")
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout)
    assert [(c["channel"], c["spend"], c["orders"]) for c in rep["channels"]] == [
        ("meta_ads", "12.00", 0)
    ]
    r = cli("analytics", "ad-report", "--as", "seller-a", "--report", f"meta_ads:{spend}")
    assert r.exit_code == 2 and "reports[0].market" in r.output
