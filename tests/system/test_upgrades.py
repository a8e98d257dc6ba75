"""A database of every release upgrades to this program's schema with its data intact.

Each directory under ``tests/fixtures/releases`` is one release's database (made by
``make release-fixture`` before the release was tagged; see ``tools/release_fixture.py``):
its rows, its Alembic revision and a manifest of what it holds. For each, on the suite's
backend: an empty database is migrated to the release's revision, the rows are loaded, and
cbec opens it as it does on start — upgrading it to this program's head with the release's
keys. Then the rows are all there, the release's order reads back in clear through the use
case and through the API (with the API key the release issued), ``cbec ledger fsck``
re-derives the whole evidence ledger, whose size and root are the release's, and a new order
is filed (screened against the release's watch list, a file in its data directory) and
appended to that same ledger. A fixture at this program's head is a load and a
check; every migration added after it makes it an upgrade.
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cbec.api.app import create_app
from cbec.cli.main import app
from cbec.demo import synthetic
from cbec.ledger.merkle import HASHERS, verify_consistency
from cbec.runtime import Runtime, open_runtime
from cbec.services import documents as docs
from cbec.store import snapshot
from cbec.store.db import make_engine
from tests.conftest import cbec_env
from tests.databases import empty_database, migrate
from tests.system.test_migrations import revisions
from tools.release_fixture import RELEASES, current_version, settings_for

FIXTURES = sorted(p.parent for p in RELEASES.glob("*/manifest.json"))

# Tables a later migration dropped (name -> why, so their rows are not looked for) or
# renamed (old name -> new name). A migration that drops or renames a table adds it here.
DROPPED: dict[str, str] = {}
RENAMED: dict[str, str] = {}


def _read(fixture: Path) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    manifest = json.loads((fixture / "manifest.json").read_text())
    keys = json.loads((fixture / manifest["keys"]).read_text())
    rows = json.loads(gzip.decompress((fixture / "rows.json.gz").read_bytes()))
    return manifest, keys, rows


def test_this_version_has_a_release_fixture():
    """The reminder CONTRIBUTING.md gives: ``make release-fixture`` before tagging, at the
    release commit — so this version's fixture is at this program's newest migration: one
    taken before a migration was added is not the database this version's installations
    hold, and would leave that migration's schema untested as anyone's starting point."""
    version = current_version()
    manifest = RELEASES / version / "manifest.json"
    assert manifest.exists(), f"make release-fixture VERSION={version}"
    at, head = json.loads(manifest.read_text())["revision"], revisions()[-1].revision
    assert at == head, (
        f"the release fixture of {version} is at revision {at}, this program's head is {head}:"
        f" run `make release-fixture` again while {version} is unreleased; once it is released"
        " its fixture is never changed, and a new migration belongs to the next version"
        " (pyproject.toml)"
    )


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_a_release_database_upgrades_with_its_data(
    fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    manifest, keys, rows = _read(fixture)
    assert rows["revision"] == manifest["revision"]
    with empty_database(tmp_path, "release") as url:
        engine = make_engine(url)
        migrate(engine, manifest["revision"])
        snapshot.restore(engine, rows)
        engine.dispose()

        data_dir = tmp_path / "data"  # an installation is its database and this folder
        if manifest["files"]:
            shutil.copytree(fixture / "files", data_dir)
        settings = settings_for(keys, url, data_dir)  # as an installation gives keys
        rt = open_runtime(settings)  # as ``cbec serve`` opens it: upgraded to head
        try:
            _check(rt, manifest, monkeypatch)
        finally:
            rt.engine.dispose()


def _check(rt: Runtime, manifest: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    with rt.engine.connect() as conn:
        assert snapshot.revision_of(conn) == revisions()[-1].revision

    # every row is still there
    counts = snapshot.counts(rt.engine)
    expected = {
        RENAMED.get(table, table): n
        for table, n in manifest["tables"].items()
        if table not in DROPPED
    }
    assert {t: counts.get(t) for t in expected} == expected

    # the evidence ledger is the release's: same size, same root, same verifier key
    ledger = manifest["ledger"]
    state, checkpoint = rt.ledger.state(), rt.ledger.latest_checkpoint()
    assert state is not None and checkpoint is not None
    assert (state.size, checkpoint.size) == (ledger["size"], ledger["size"])
    assert checkpoint.root.hex() == ledger["root"]
    assert rt.ledger.vkeys == ledger["verifier_keys"]

    # the release's order, decrypted with the release's keys: through the use case …
    order = manifest["order"]
    filer = docs.caller_named(rt.uow(), order["filer"])
    view = docs.get_document(rt.uow(), filer, "order", order["id"])
    assert view["pii"] == "clear"
    assert view["document"]["order_no"] == order["order_no"]
    assert view["document"]["buyer"]["name"] == order["buyer_name"]
    assert view["document"]["buyer"]["id_number"] == order["buyer_id_number"]
    # … and through the API, with the API key the release issued
    with TestClient(create_app(rt)) as client:
        headers = {"Authorization": f"Bearer {order['filer_api_key']}"}
        got = client.get(f"/orders/{order['id']}", headers=headers)
    assert got.status_code == 200, got.text
    assert got.json()["document"]["buyer"]["id_number"] == order["buyer_id_number"]

    # the command line re-derives every node and checkpoint of the upgraded ledger
    for name, value in cbec_env(rt.settings).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CBEC_ACTIVE_KEY_ID", rt.settings.active_key_id or "")
    monkeypatch.setenv("CBEC_LEDGER_SIGNER_KEY", rt.settings.ledger_signer_key or "")
    fsck = CliRunner().invoke(app, ["ledger", "fsck"])
    assert fsck.exit_code == 0, fsck.output
    assert f"ok: {ledger['size']} entries" in fsck.stdout

    # a new order is filed and appended to the same log: the new checkpoint extends the
    # release's tree (RFC 6962 consistency proof against the manifest's root)
    new = synthetic.order(random.Random(11), order["filer"], order["seller"], "UPGRADE-0001")
    req = docs.FileRequest(kind="order", body=json.dumps(new).encode())
    filed = docs.file_document(rt.uow(), filer, req)
    assert filed.status == 201
    assert filed.view["id"] != order["id"]
    rt.ledger.integrate(force_checkpoint=True)
    grown = rt.ledger.latest_checkpoint()
    assert grown is not None and grown.size > ledger["size"]
    stored = docs.get_document(rt.uow(), filer, "order", filed.view["id"])
    assert ledger["size"] <= stored["ledger"]["index"] < grown.size
    proof = rt.ledger.consistency_proof(ledger["size"], grown.size)
    hasher = HASHERS[rt.settings.ledger_hash]
    verify_consistency(
        ledger["size"], grown.size, proof, bytes.fromhex(ledger["root"]), grown.root, hasher
    )
