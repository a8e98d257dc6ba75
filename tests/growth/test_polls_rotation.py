"""Polls across key rotations, with the real rotation use cases (cbec.services.key_rotation)
on the demo data and keys in a keys file as ``cbec admin keys init`` makes them.

HMAC key: a buyer who voted before the rotation is refused after it (the vote's hash is
under the poll's own secret, not the HMAC key); a poll opened before polls had secrets
takes no more votes (409 ``poll_rekeyed``). Data key: the polls' sealed secrets are
re-sealed with the other sealed values; once the old data key is gone, polls still tell a
second vote from a first. (On a database of its own, SQLite: the rotation's SQL is tested on
both databases by tests/system/test_key_rotation.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from cbec.config import Settings
from cbec.demo import loader
from cbec.errors import Conflict
from cbec.privacy.keyprovider import KeyMaterial, keys_file, replace_keys_file
from cbec.runtime import Runtime, open_runtime
from cbec.services import key_rotation as rot
from cbec.services import polls as svc
from cbec.services.documents import caller_named
from cbec.store.tables import documents, polls
from cbec.trade.kinds import KINDS
from tests.conftest import DEMO_ANCHOR, init_keys

QUESTION = svc.OpenRequest(topic="colour", question="Which colour?", options=["Red", "Sage"])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    url = f"sqlite:///{tmp_path / 'polls.db'}"
    return init_keys(Settings(data_dir=tmp_path / "data", database_url=url))


@pytest.fixture
def loaded(settings: Settings) -> Runtime:
    rt = open_runtime(settings)
    loader.load(rt, 20, DEMO_ANCHOR)
    yield rt
    rt.engine.dispose()


def buyers(rt: Runtime) -> list[tuple[str, str, str, str]]:
    """Three orders of one seller with three different buyers: (seller, platform, order id,
    buyer's account id), read in clear with ``rt``'s keys."""
    with rt.uow() as uow:
        rows = uow.conn.execute(
            select(documents).where(documents.c.kind == "order").order_by(documents.c.seq)
        ).all()
    out: dict[str, list[tuple[str, str, str, str]]] = {}
    for r in rows:
        kind = KINDS["order"]
        body = rt.vault.open(kind.name, r.id, kind.pii, json.loads(r.body), clear=True)
        account = body["buyer"]["account_id"]
        mine = out.setdefault(body["seller"], [])
        if all(a != account for *_, a in mine):
            mine.append((body["seller"], body["platform"], r.id, account))
    return next(v[:3] for v in out.values() if len(v) >= 3)


def cast(rt: Runtime, poll_id: str, who: tuple[str, str, str, str]) -> svc.VoteReceipt:
    _, platform, order_id, account = who
    req = svc.VoteRequest(order_id=order_id, buyer_account_id=account, option="Red")
    return svc.cast_vote(rt.uow(), caller_named(rt.uow(), platform), poll_id, req)


def refused(rt: Runtime, poll_id: str, who: tuple[str, str, str, str]) -> str:
    with pytest.raises(Conflict) as e:
        cast(rt, poll_id, who)
    return e.value.rule


def rotate_hmac(settings: Settings, rt: Runtime) -> Runtime:
    rot.add_hmac_key(rt.engine, settings)
    mid = open_runtime(settings)
    rot.recompute(mid, settings)
    rot.switch_hmac_key(mid, settings)
    mid.engine.dispose()
    return open_runtime(settings)


def test_a_buyer_votes_once_across_an_hmac_key_rotation(settings, loaded):
    rt = loaded
    a, b, c = buyers(rt)
    seller = caller_named(rt.uow(), a[0])
    poll = svc.open_poll(rt.uow(), seller, QUESTION).id
    legacy = svc.open_poll(rt.uow(), seller, QUESTION).id
    with rt.uow(write=True) as uow:  # as a poll opened before migration 0037: no secret
        uow.conn.execute(update(polls).where(polls.c.id == legacy).values(secret=None))
        uow.commit()
    assert cast(rt, poll, a).option == "Red" and cast(rt, legacy, a).option == "Red"
    assert refused(rt, poll, a) == "poll_voted"

    rt2 = rotate_hmac(settings, rt)
    assert rt2.vault.hmac_key != rt.vault.hmac_key
    # under the deployment's key the same buyer would hash differently now (the gap)
    voter = f"{caller_named(rt.uow(), a[1]).tenant_id}:{a[3]}"
    assert rt2.vault.blind_index(f"poll:{poll}", voter) != rt.vault.blind_index(
        f"poll:{poll}", voter
    )
    assert refused(rt2, poll, a) == "poll_voted"  # the poll's own secret: the same hash
    assert cast(rt2, poll, b).option == "Red"  # a buyer who has not voted still can
    # the poll opened before secrets: no more votes, of anyone; it is read and closed
    assert refused(rt2, legacy, c) == "poll_rekeyed"
    assert refused(rt2, legacy, a) == "poll_rekeyed"
    assert svc.show_poll(rt2.uow(), seller, legacy).results.votes == 1
    assert svc.close_poll(rt2.uow(), seller, legacy).state == "closed"
    assert svc.show_poll(rt2.uow(), seller, poll).results.votes == 2
    # a poll opened after the rotation takes votes as any other
    later = svc.open_poll(rt2.uow(), seller, QUESTION).id
    assert cast(rt2, later, a).option == "Red" and refused(rt2, later, a) == "poll_voted"
    rt2.engine.dispose()


def file_keys(settings: Settings) -> dict[str, Any]:
    return json.loads(keys_file(settings).read_text())


def test_polls_keep_working_across_a_data_key_rotation(settings, loaded):
    rt = loaded
    a, b, c = buyers(rt)
    seller = caller_named(rt.uow(), a[0])
    poll = svc.open_poll(rt.uow(), seller, QUESTION).id
    cast(rt, poll, a)
    old = rt.vault.ring.active.kid
    with rt.uow() as uow:
        sealed = uow.conn.execute(select(polls.c.secret).where(polls.c.id == poll)).scalar_one()
    assert sealed.split(".")[2] == old  # sealed under the active data key

    new = rot.add_data_key(settings).kid
    rot.activate(rt.engine, settings, new)
    rt2 = open_runtime(settings)
    assert rot.sealed_with(rt2.engine, old)["polls.secret"] == 1
    assert rot.re_encrypt(rt2)["polls.secret"] == 1
    assert rot.sealed_with(rt2.engine, old) == {}
    rot.retire(rt2.engine, old)
    rt2.engine.dispose()
    keys = file_keys(settings)  # the old key leaves the keys file
    keys["data_keys"] = ",".join(k for k in keys["data_keys"].split(",") if k.startswith(new))
    replace_keys_file(keys_file(settings), KeyMaterial(**keys))

    rt3 = open_runtime(settings)
    assert [k.kid for k in rt3.vault.ring.keys] == [new]
    assert refused(rt3, poll, a) == "poll_voted"  # the secret opens: the same hash
    assert cast(rt3, poll, b).option == "Red"
    later = svc.open_poll(rt3.uow(), seller, QUESTION).id
    assert cast(rt3, later, c).option == "Red" and refused(rt3, later, c) == "poll_voted"
    assert svc.show_poll(rt3.uow(), seller, poll).results.votes == 2
    rt3.engine.dispose()
