"""The data inventory tags every stored document field, and the handling follows the tags.

Oracles: the document models themselves (their fields, walked here independently of the
inventory's own walker: by JSON Schema), the stored rows in the database (a field tagged
"encrypted" is never stored in clear, one tagged "clear" is), and the masked view another
tenant gets through the API.
"""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
import sqlalchemy
from sqlalchemy import select

from cbec.demo import synthetic
from cbec.privacy import inventory
from cbec.privacy.fieldcrypt import KeyRing
from cbec.ruledata import RuleDataError
from cbec.services.inventory import RECORDS, data_inventory
from cbec.store.tables import documents
from cbec.trade.kinds import KINDS


def _schema_paths(schema: dict, defs: dict, prefix: str = "") -> list[str]:
    """Leaf paths of a JSON Schema object (a second walker: the model's JSON Schema)."""
    out = []
    for name, prop in schema.get("properties", {}).items():
        node = _resolve(prop, defs)
        if node.get("type") == "array" and "$ref" in str(node.get("items", {})):
            item = _resolve(node["items"], defs)
            out += _schema_paths(item, defs, f"{prefix}{name}[].")
        elif "properties" in node:
            out += _schema_paths(node, defs, f"{prefix}{name}.")
        else:
            out.append(prefix + name)
    return out


def _resolve(node: dict, defs: dict) -> dict:
    if "$ref" in node:
        return defs[node["$ref"].rsplit("/", 1)[1]]
    for option in node.get("anyOf", []):
        if "$ref" in option:
            return defs[option["$ref"].rsplit("/", 1)[1]]
        if option.get("type") == "array":  # an optional list
            return option
    return node


def test_every_stored_field_is_tagged_once_and_the_tags_match_the_handling():
    tags = inventory.load()
    assert inventory.problems(tags, records=RECORDS) == []
    for name, kind in KINDS.items():
        schema = kind.model.model_json_schema()
        want = sorted(_schema_paths(schema, schema.get("$defs", {})))
        assert sorted(t.field for t in tags if t.kind == name) == want, name
    # the categories the source paper names are all in use, and ID numbers are sensitive
    assert {t.category for t in tags} == {"user", "transaction", "supply_chain"}
    sensitive = {(t.kind, t.field) for t in tags if t.pi == "sensitive"}
    assert sensitive == {("order", "buyer.id_number"), ("payment", "payer.id_number")}


def test_a_field_added_without_a_tag_fails_the_check():
    order = KINDS["order"]
    extended = type("Extended", (order.model,), {"__annotations__": {"gift_message": str}})
    kinds = {"order": dataclasses.replace(order, model=extended)}
    tags = [t for t in inventory.load() if t.kind == "order"]
    assert inventory.problems(tags, kinds) == [
        "order.gift_message: stored but not in the inventory"
    ]
    renamed = [
        dataclasses.replace(t, field="buyer.nick") if t.field == "buyer.name" else t for t in tags
    ]
    found = inventory.problems(renamed, {"order": order})
    assert "order.buyer.name: stored but not in the inventory" in found
    assert "order.buyer.nick: tagged but not a field of order" in found
    in_clear = [
        dataclasses.replace(t, protection="clear", mask="") if t.field == "buyer.id_number" else t
        for t in tags
    ]
    found = inventory.problems(in_clear, {"order": order})
    assert "order.buyer.id_number: encrypted with mask id_number, tagged otherwise" in found
    assert "order.buyer.id_number: sensitive personal information in clear" in found


TABLES = {
    "dispute": "dispute_cases",
    "dispute_message": "dispute_messages",
    "talent_expert": "talent_experts",
    "talent_engagement": "talent_engagements",
    "poll_vote": "poll_votes",
}


def test_records_are_tagged_against_the_migrated_database(rt):
    """A second walker for the records: the columns of the migrated database (reflected),
    not the table objects the registry reads."""
    assert set(RECORDS) == set(TABLES)
    tags = inventory.load()
    columns = sqlalchemy.inspect(rt.engine)
    for record, table in TABLES.items():
        stored = {c["name"] for c in columns.get_columns(table)}
        tagged = {t.field.split("[]")[0] for t in tags if t.kind == record}
        assert tagged == stored, record
    personal = {(t.kind, t.field) for t in tags if t.kind in TABLES and t.pi == "personal"}
    assert personal == {
        ("talent_expert", "name"),
        ("talent_expert", "contact"),
        ("talent_expert", "certificates[].number"),
    }
    assert {f.kind for f in data_inventory().fields} >= set(TABLES)


def test_a_record_column_without_a_tag_or_sealed_but_tagged_clear_fails_the_check():
    tags = [t for t in inventory.load() if t.kind == "dispute_message"]
    message = RECORDS["dispute_message"]
    grown = inventory.Record((*message.fields, "attachment"), message.sealed)
    assert inventory.problems(tags, {}, {"dispute_message": grown}) == [
        "dispute_message.attachment: stored but not in the inventory"
    ]
    clear = inventory.Record(message.fields, {**message.sealed, "author_tenant_id": "withheld"})
    assert inventory.problems(tags, {}, {"dispute_message": clear}) == [
        "dispute_message.author_tenant_id: encrypted with mask withheld, tagged otherwise"
    ]
    assert "dispute_message.text: no such document kind or record" in inventory.problems(tags)


def test_a_value_outside_its_list_is_refused_with_its_line(tmp_path):
    text = inventory.INVENTORY.read_text(encoding="utf-8").replace(
        "order,buyer.name,user,general,personal", "order,buyer.name,user,secret,personal", 1
    )
    bad = tmp_path / "inventory.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(RuleDataError) as refused:
        inventory.load(bad)
    assert refused.value.column == "grade" and refused.value.line > 2


def test_stored_rows_follow_the_tags(rt, client, parties):
    order = synthetic.order(random.Random(5), "platform-a", "seller-a", "INV-0001")
    posted = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert posted.status_code == 201, posted.text
    with rt.uow() as uow:
        row = uow.conn.execute(
            select(documents.c.body).where(documents.c.id == posted.json()["id"])
        )
        stored = json.loads(row.scalar_one())
    masked = client.get(posted.headers["Location"], headers=parties["platform-a"].headers).json()
    for tag in (t for t in inventory.load() if t.kind == "order" and "[]" not in t.field):
        part, _, leaf = tag.field.rpartition(".")
        sent = (order.get(part, {}) if part else order).get(leaf)
        kept = (stored.get(part, {}) if part else stored).get(leaf)
        shown = (masked["document"].get(part, {}) if part else masked["document"]).get(leaf)
        if sent is None:
            continue
        if tag.protection == "encrypted":
            raw = json.dumps(stored, ensure_ascii=False)
            assert KeyRing.is_token(kept) and str(sent) not in raw, tag.field
            assert shown != sent, tag.field  # masked for the platform
        else:
            assert not KeyRing.is_token(kept), tag.field


def test_the_api_and_the_command_line_give_the_same_inventory(client, parties, cli):
    api = client.get("/privacy/inventory", headers=parties["regulator"].headers)
    assert api.status_code == 200
    printed = cli("privacy", "inventory", "--format", "json")
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout) == api.json()["fields"]
    assert sum(api.json()["by_category"].values()) == len(api.json()["fields"])


def test_a_changeable_kind_holds_no_personal_field():
    """A change of a document (cbec.trade.filing.change_document) re-seals it without the
    person-key checks a filing makes against a concurrent erasure: only kinds whose
    inventory rows name no personal information may be changeable."""
    tags = inventory.load()
    changeable = {name for name, kind in KINDS.items() if kind.changeable}
    assert changeable  # the products
    for name in changeable:
        assert not KINDS[name].pii, name
        personal = [t.field for t in tags if t.kind == name and t.pi != "none"]
        assert personal == [], (name, personal)
