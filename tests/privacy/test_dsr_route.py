"""The data subject request routes: the controller's API key asks, the regulator may not,
bad input names its field, and the register lists requests without the person's identifier.
Oracles: the bodies the test posted and the requests it made."""

from __future__ import annotations

from tests.privacy.test_dsr import file_order

ACCESS, ERASURE, REGISTER = "/privacy/dsr/access", "/privacy/dsr/erasure", "/privacy/dsr"


def test_access_erasure_and_register_over_the_api(client, parties):
    seller, other, regulator = parties["seller-a"], parties["seller-b"], parties["regulator"]
    doc_id, body = file_order(client, seller, "API-1")
    person = {"id_type": "resident_id", "id_number": body["buyer"]["id_number"]}

    got = client.post(ACCESS, json=person, headers=seller.headers)
    assert got.status_code == 200, got.text
    assert [d["id"] for d in got.json()["documents"]] == [doc_id]
    assert got.json()["documents"][0]["body"]["buyer"] == body["buyer"]
    assert client.post(ACCESS, json=person, headers=other.headers).json()["documents"] == []
    for path in (ACCESS, ERASURE):
        denied = client.post(path, json=person, headers=regulator.headers)
        assert denied.status_code == 403, denied.text

    bad = client.post(ACCESS, json={"phone": "12"}, headers=seller.headers)
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in bad.json()["errors"]] == ["phone"]
    both = client.post(
        ACCESS, json=person | {"phone": body["buyer"]["phone"]}, headers=seller.headers
    )
    assert both.status_code == 400

    erased = client.post(ERASURE, json={"phone": body["buyer"]["phone"]}, headers=seller.headers)
    assert erased.status_code == 200, erased.text
    assert (erased.json()["status"], erased.json()["keys_shredded"]) == ("completed", 1)
    assert erased.json()["retention"][0]["retention"] == "3y"
    again = client.post(ERASURE, json=person, headers=seller.headers).json()
    assert again["status"] == "already_erased" and again["already_erased"] is True

    mine = client.get(REGISTER, headers=seller.headers).json()["items"]
    assert [(i["kind"], i["status"]) for i in mine] == [
        ("erasure", "already_erased"),
        ("erasure", "completed"),
        ("access", "completed"),
    ]
    text = str(mine)
    assert body["buyer"]["id_number"] not in text and body["buyer"]["phone"] not in text
    assert all("subject_ref" not in i for i in mine)
    assert len(client.get(REGISTER, headers=regulator.headers).json()["items"]) == 4
    theirs = client.get(REGISTER, headers=other.headers).json()["items"]
    assert [i["tenant"] for i in theirs] == ["seller-b"]


def test_the_command_line_answers_as_the_api(client, parties, cli):
    import json

    seller = parties["seller-a"]
    doc_id, body = file_order(client, seller, "CLI-1")
    person = json.dumps({"id_type": "resident_id", "id_number": body["buyer"]["id_number"]})
    got = cli("privacy", "dsr", "access", "--as", "seller-a", input=person)
    assert got.exit_code == 0, got.output
    assert [d["id"] for d in json.loads(got.stdout)["documents"]] == [doc_id]
    erased = cli("privacy", "dsr", "erase", "--as", "seller-a", input=person)
    assert json.loads(erased.stdout)["keys_shredded"] == 1
    refused = cli("privacy", "dsr", "erase", "--as", "regulator", input=person)
    assert refused.exit_code != 0
    bad = cli("privacy", "dsr", "access", "--as", "seller-a", input='{"phone": "x"}')
    assert bad.exit_code == 2 and "phone" in bad.output
    listed = json.loads(cli("privacy", "dsr", "list", "--as", "seller-a").stdout)["items"]
    assert [i["kind"] for i in listed] == ["erasure", "access"]
