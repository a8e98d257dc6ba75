"""``cbec admin backup`` / ``restore`` (cbec.services.backup), on SQLite and PostgreSQL.

An installation with orders, a watch list (a file in its data directory) and a signed
ledger is backed up and restored into a new, empty database and data directory under the
same keys: the orders read back in clear, ``cbec ledger fsck`` passes, and the ledger's root
— recomputed here from the restored entries with RFC 6962's hashing, the oracle — is the
manifest's. A backup taken while a writer files orders is one consistent state: every
restored document's ledger entry is there, and the restored ledger is a prefix of a
checkpoint the live log signs afterwards (an RFC 6962 consistency proof, verified here). A
backup killed with SIGKILL leaves no backup that passes for whole, and harms nothing. A
tampered file, other keys, a non-empty target and a newer schema are each refused.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbec.cli.main import app
from cbec.config import Settings
from cbec.demo import synthetic
from cbec.ledger.merkle import HASHERS, root_from_leaf_hashes
from cbec.runtime import Runtime, open_runtime
from cbec.services import documents as docs
from cbec.services.screening import ListLoadRequest, load_list
from cbec.store.ledger_store import SqlLogStore
from tests.conftest import DATA, cbec_env
from tests.databases import empty_database

FILED: list[str] = []  # the live fixture's order ids
WATCH_LIST = DATA / "sanctions" / "synthetic_sanctions.ftm.json"


def _file(rt: Runtime, n: int, rng: random.Random) -> str:
    filer = docs.caller_named(rt.uow(), "seller-a")
    order = synthetic.order(rng, "platform-a", "seller-a", f"BAK{n:06d}")
    done = docs.file_document(
        rt.uow(), filer, docs.FileRequest(kind="order", body=json.dumps(order).encode())
    )
    assert done.status == 201, done.view
    return done.view["id"]


@pytest.fixture
def live(rt: Runtime, parties) -> Runtime:
    """The suite's runtime with a watch list (a data directory file) and three orders."""
    regulator = parties["regulator"].viewer
    load_list(
        rt.uow(),
        regulator,
        ListLoadRequest(name="watch", source="test", content=WATCH_LIST.read_bytes()),
    )
    rng = random.Random(3)
    FILED[:] = [_file(rt, n, rng) for n in range(3)]
    rt.ledger.integrate(force_checkpoint=True)
    return rt


@pytest.fixture
def target(tmp_path: Path, live: Runtime) -> Iterator[Settings]:
    """A new, empty database and data directory, with the live installation's keys."""
    with empty_database(tmp_path, "restored") as url:
        yield live.settings.model_copy(
            update={"database_url": url, "data_dir": tmp_path / "restored-data"}
        )


def _cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: object):
    for name, value in cbec_env(settings).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("CBEC_LANG", raising=False)
    return CliRunner().invoke(app, [str(a) for a in args])


def _entries_root(rt: Runtime) -> tuple[int, bytes]:
    """The oracle: the tree head over every entry's data, RFC 6962 §2.1, from the rows."""
    hasher = HASHERS[rt.settings.ledger_hash]
    with rt.engine.connect() as conn:
        store = SqlLogStore(conn)
        state = store.state()
        assert state is not None
        entries = store.entries(0, state.size)
    assert [e.index for e in entries] == list(range(state.size))
    return state.size, root_from_leaf_hashes([hasher.leaf(e.data) for e in entries], hasher)


def test_round_trip(live, target, tmp_path, monkeypatch):
    dest = tmp_path / "bak"
    done = _cli(live.settings, monkeypatch, "admin", "backup", dest)
    assert done.exit_code == 0, done.output
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["tables"]["documents"] == 3
    text = (dest / "manifest.json").read_text()
    keys = live.settings
    for secret in (keys.data_keys.partition("=")[2], keys.hmac_key, keys.ledger_signer_key):
        assert secret.rsplit("+", 1)[-1] not in text  # fingerprints only, never a key

    restored = _cli(target, monkeypatch, "admin", "restore", dest)
    assert restored.exit_code == 0, restored.output
    fsck = _cli(target, monkeypatch, "ledger", "fsck")
    assert fsck.exit_code == 0 and f"ok: {manifest['ledger']['size']} entries" in fsck.stdout

    rt2 = open_runtime(target)
    try:
        size, head = _entries_root(rt2)
        assert (size, head.hex()) == (manifest["ledger"]["size"], manifest["ledger"]["root"])
        filer = docs.caller_named(rt2.uow(), "seller-a")
        for doc_id in FILED:
            view = docs.get_document(live.uow(), filer, "order", doc_id)
            back = docs.get_document(rt2.uow(), filer, "order", doc_id)
            assert back["pii"] == "clear"
            assert back["document"] == view["document"]
        listed = target.data_dir / manifest["data_files"][0]
        assert listed.read_bytes() == WATCH_LIST.read_bytes()
        # the restored installation takes new orders on the same log
        _file(rt2, 99, random.Random(9))
    finally:
        rt2.engine.dispose()
