"""An erasure committed between a filing's read step and its write (PIPL Art. 47): the
filing found the person's key before the write lock; the write must not seal the new
document under the key the erasure has just shredded.

Oracles: the person key table (which keys are live), the filer's own read of the new document
(its buyer in clear, as posted) and of the earlier one (erased)."""

from __future__ import annotations

import copy
import json
import random
import threading

from sqlalchemy import select

from cbec.demo import synthetic
from cbec.privacy.fieldcrypt import token_kid
from cbec.privacy.vault import ERASED
from cbec.services.documents import check_evidence
from cbec.services.dsr_erasure import subject_erasure
from cbec.store.repository import UnitOfWork
from cbec.store.tables import documents, person_keys
from cbec.trade import filing
from tests.privacy.test_dsr import by_id, file_order


def test_a_filing_whose_person_is_erased_before_its_write_is_sealed_under_a_fresh_key(
    rt, client, parties, monkeypatch
):
    seller = parties["seller-a"]
    earlier, body = file_order(client, seller, "RACE-1")
    with rt.uow() as uow:
        (old_key,) = uow.conn.execute(select(person_keys.c.id)).scalars().all()

    grouped = UnitOfWork.grouped
    erased = threading.Event()
    outcome: list = []

    def erase_first(self, work):  # the erasure commits after the read step, before the write
        if not erased.is_set():

            def erase() -> None:
                outcome.append(subject_erasure(rt.uow(), seller.viewer, by_id(body)))
                erased.set()

            threading.Thread(target=erase).start()
            assert erased.wait(30)
        return grouped(self, work)

    monkeypatch.setattr(UnitOfWork, "grouped", erase_first)
    later, _ = file_order(client, seller, "RACE-2", like=body)
    monkeypatch.undo()

    assert outcome and outcome[0].keys_shredded == 1
    with rt.uow() as uow:
        keys = {r.id: r.wrapped for r in uow.conn.execute(select(person_keys)).all()}
        row = uow.conn.execute(select(documents).where(documents.c.id == later)).one()
    assert keys[old_key] is None  # still shredded
    live = [k for k, w in keys.items() if w is not None]
    assert len(live) == 1
    sealed = json.loads(row.body)
    assert token_kid(sealed["buyer"]["name"]) == "~" + live[0]
    assert token_kid(row.commit_salt) == "~" + live[0]

    shown = client.get(f"/orders/{later}", headers=seller.headers).json()["document"]
    assert shown["buyer"] == body["buyer"]  # readable in clear by its filer
    before = client.get(f"/orders/{earlier}", headers=seller.headers).json()["document"]
    assert before["buyer"]["name"] == ERASED  # the earlier document stays erased
    rt.ledger.integrate(force_checkpoint=True)
    checked = check_evidence(rt.uow(), seller.viewer, "order", later)
    assert checked.verified, checked.error  # its salt opens under the fresh key


def test_an_import_whose_person_is_erased_before_a_chunk_is_written_files_every_row(
    rt, client, parties, monkeypatch, cli, tmp_path
):
    """The bulk path (cbec.services.imports): the whole import is filed — not refused for one
    person — and only that person's document is re-sealed, under a fresh key."""
    seller = parties["seller-a"]
    earlier, body = file_order(client, seller, "RACE-B1")
    other = synthetic.order(random.Random(11), "platform-a", "seller-a", "RACE-B3")
    again = copy.deepcopy(body) | {"order_no": "RACE-B2"}
    path = tmp_path / "orders.jsonl"
    path.write_text("\n".join(json.dumps(b, ensure_ascii=False) for b in (again, other)) + "\n")

    prepare = filing.prepare_chunk
    erased = threading.Event()

    def erase_after(*args, **kwargs):  # after the read step, before the chunk's write
        prepared = prepare(*args, **kwargs)
        if not erased.is_set() and args[3]:
            threading.Thread(
                target=lambda: (
                    subject_erasure(rt.uow(), seller.viewer, by_id(body)),
                    erased.set(),
                )
            ).start()
            assert erased.wait(30)
        return prepared

    monkeypatch.setattr(filing, "prepare_chunk", erase_after)
    done = cli("import", "orders", str(path), "--as", "seller-a")
    monkeypatch.undo()
    assert done.exit_code == 0, done.output
    assert erased.is_set()

    with rt.uow() as uow:
        ids = dict(
            uow.conn.execute(
                select(documents.c.natural_key, documents.c.id).where(documents.c.id != earlier)
            ).all()
        )
    assert len(ids) == 2
    for key, doc_id in ids.items():
        posted = again if "RACE-B2" in key else other
        shown = client.get(f"/orders/{doc_id}", headers=seller.headers).json()["document"]
        assert shown["buyer"] == posted["buyer"]  # readable in clear, the erased person's too
    gone = client.get(f"/orders/{earlier}", headers=seller.headers).json()["document"]
    assert gone["buyer"]["name"] == ERASED
