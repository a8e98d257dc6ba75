"""Re-encryption does not stop filings (cbec.services.key_rotation.re_encrypt): it commits a
transaction per batch and holds nothing between batches, so an order filed by another
thread while it runs — between two of its batches, signalled by its ``progress`` callback —
is stored, sealed with the active key, and reads back in clear after the re-encryption has
finished; the re-encryption goes on past it and leaves nothing under the old key. SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path

import pytest

from cbec.config import Settings
from cbec.demo import loader, synthetic
from cbec.privacy.vault import is_person_token
from cbec.runtime import Runtime, open_runtime
from cbec.services import key_rotation as rot
from cbec.services.documents import FileRequest, caller_named, file_document
from cbec.trade.kinds import KINDS
from tests.conftest import DEMO_ANCHOR, ON_POSTGRES, PG_URL, init_keys, reset_postgres
from tests.system.test_key_rotation import clear_bodies, kids_of, stored


@pytest.fixture
def rotating(tmp_path: Path) -> tuple[Runtime, str, str]:
    """The demo under one data key, a second key added and activated: the runtime that
    seals with the new key, the old key's id and the new one's."""
    if ON_POSTGRES:
        reset_postgres(PG_URL)
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path / 'online.db'}"
    settings = init_keys(Settings(data_dir=tmp_path / "data", database_url=url))
    rt = open_runtime(settings)
    loader.load(rt, 30, DEMO_ANCHOR)
    old = rt.vault.ring.active.kid
    rt.engine.dispose()
    new = rot.add_data_key(settings).kid
    holder = open_runtime(settings)  # records the new key
    rot.activate(holder.engine, settings, new)
    holder.engine.dispose()
    rt = open_runtime(settings)
    assert rt.vault.ring.active.kid == new
    yield rt, old, new
    rt.engine.dispose()


def test_an_order_filed_between_two_batches_is_stored_and_reads_after(rotating):
    rt, old, new = rotating
    before = clear_bodies(rt)
    seller, platform = "sz-gadgets", "silk-mall"
    caller = caller_named(rt.uow(), seller)
    order = synthetic.order(random.Random(5), platform, seller, "ONLINE-ROTATION-1")
    filed: dict[str, object] = {}
    batches: list[tuple[str, int]] = []

    def file_one() -> None:
        req = FileRequest(kind="order", body=json.dumps(order).encode())
        filed["result"] = file_document(rt.uow(), caller, req)

    def progress(what: str, done: int) -> None:
        batches.append((what, done))
        if len(batches) == 1:  # between the first batch and the second
            filed["left"] = rot.sealed_with(rt.engine, old)
            writer = threading.Thread(target=file_one)
            writer.start()
            writer.join(timeout=120)  # a bound, not a measurement: a blocked writer fails
            filed["blocked"] = writer.is_alive()

    done = rot.re_encrypt(rt, batch=4, progress=progress)
    assert filed["blocked"] is False
    assert sum(filed["left"].values()) > 0  # the rotation was under way
    assert len(batches) > 2  # and went on after the filing
    result = filed["result"]
    assert result.status == 201
    doc_id = result.view["id"]

    assert rot.sealed_with(rt.engine, old) == {} and kids_of(rt) == {new}
    # the new order was not re-sealed; nor were the documents sealed under a person's key
    # (their keys were rewrapped instead: kids_of names what those are wrapped under)
    on_person = sum(1 for r in stored(rt) if r.id in before and is_person_token(r.commit_salt))
    assert done["documents.commit_salt"] == len(before) - on_person
    row = next(r for r in stored(rt) if r.id == doc_id)
    tokens = [p for p in row.body.split('"') if p.startswith("enc1.")]
    assert tokens and all(t.split(".")[2] == new or is_person_token(t) for t in tokens)
    pii = KINDS["order"].pii
    body = rt.vault.open("order", doc_id, pii, json.loads(row.body), clear=True)
    assert body["buyer"] == order["buyer"] and body["consignee"] == order["consignee"]
    after = clear_bodies(rt)
    assert {k: v for k, v in after.items() if k != doc_id} == before
