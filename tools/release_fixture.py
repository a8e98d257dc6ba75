"""Make the release fixture of this version: a database with data in it, kept in the
repository, that every later version's upgrade test starts from.

    make release-fixture VERSION=0.2.0     # before tagging a release (CONTRIBUTING.md)

It loads the demo (a small number of orders, with their payments, waybills, declarations,
rules and watch lists) into a fresh SQLite database under fixed **test-only** keys
(``tests/fixtures/releases/test-only-keys.json``, made once and reused by every release),
and writes ``tests/fixtures/releases/<version>/``:

- ``rows.json.gz`` — every table's rows at this version's schema revision
  (:mod:`cbec.store.snapshot`: dialect-neutral, so the test loads it into PostgreSQL too);
- ``manifest.json`` — the version, the revision, rows per table, the evidence ledger's size,
  root hash and verifier key, and one order (id, number, filer) with personal values taken
  from the demo's input documents, which the test reads back in clear after upgrading;
- ``files/`` — what the data directory holds besides the database (the screening lists);
- ``test-only-keys.json`` — a copy of the keys, so the fixture stands on its own.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import secrets
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cbec.config import Settings  # noqa: E402
from cbec.demo import loader  # noqa: E402
from cbec.ledger.note import generate_signer_key  # noqa: E402
from cbec.privacy.fieldcrypt import KeyRing  # noqa: E402
from cbec.runtime import Runtime, open_runtime  # noqa: E402
from cbec.services import documents as docs  # noqa: E402
from cbec.services import keys  # noqa: E402
from cbec.store import snapshot  # noqa: E402

RELEASES = ROOT / "tests" / "fixtures" / "releases"
KEYS = RELEASES / "test-only-keys.json"
ORDERS = 60  # demo orders: enough for every kind of row, a small file
NOTE = (
    "TEST ONLY. These keys encrypt the invented demo data of the release fixtures and nothing "
    "else; they are public. Never use them for a real installation."
)


def current_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def fixture_keys() -> dict[str, str]:
    """The fixtures' fixed keys, made on first use (as ``CBEC_*`` variables)."""
    if KEYS.exists():
        return json.loads(KEYS.read_text())
    ledger_origin = Settings.model_fields["ledger_origin"].default
    keys = {
        "_note": NOTE,
        "CBEC_DATA_KEYS": KeyRing.generate_spec("fx1", "aes-256-gcm"),
        "CBEC_ACTIVE_KEY_ID": "fx1",
        "CBEC_HMAC_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "CBEC_LEDGER_SIGNER_KEY": generate_signer_key(ledger_origin)[0],
    }
    KEYS.parent.mkdir(parents=True, exist_ok=True)
    KEYS.write_text(json.dumps(keys, indent=2) + "\n")
    return keys


def settings_for(keys: dict[str, str], database_url: str, data_dir: Path) -> Settings:
    """Settings over ``database_url`` with the fixture's keys (what the upgrade test uses)."""
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        data_keys=keys["CBEC_DATA_KEYS"],
        active_key_id=keys["CBEC_ACTIVE_KEY_ID"],
        hmac_key=keys["CBEC_HMAC_KEY"],
        ledger_signer_key=keys["CBEC_LEDGER_SIGNER_KEY"],
        rate_limit="",
        max_concurrent_requests=0,
    )


def _demo_input(rt: Runtime, orders: int) -> dict[tuple[str, str], list[dict]]:
    """What the demo filed on ``rt``: its documents over the year it recorded."""
    year = loader.year(rt)
    if year is None:
        raise SystemExit("the demo has not been loaded")
    return loader.documents(orders, year)


def known_order(rt: Runtime, orders: int) -> dict[str, Any]:
    """An order bound for China (encrypted resident ID and name) that its platform filed,
    from the demo's input: the upgrade test files another as that platform, for that seller
    (which of the demo's orders come first depends on the day it is loaded)."""
    for (filer, kind), batch in _demo_input(rt, orders).items():
        if kind != "order":
            continue
        for order in batch:
            if order["destination_country"] == "CN" and order["platform"] == filer:
                return {
                    "filer": filer,
                    "order_no": order["order_no"],
                    "seller": order["seller"],
                    "buyer_name": order["buyer"]["name"],
                    "buyer_id_number": order["buyer"]["id_number"],
                }
    raise SystemExit("the demo has no order bound for China filed by its platform")


def more_rows(rt: Runtime, order_id: str) -> None:
    """A little of what the demo load does not do, so the tables it leaves empty get rows
    too: a regulator's audited reveal, an API key made by the operator, a product filed with
    an idempotency key and then changed (a second version)."""
    regulator = docs.caller_named(rt.uow(), "hz-customs")
    reveal = docs.RevealRequest(reason="release fixture: an audited reveal to upgrade")
    docs.reveal_document(rt.uow(), regulator, "order", order_id, reveal)
    keys.operator_create_key(rt.uow(), "silk-mall", keys.NewKey(label="release-fixture"))
    seller = docs.caller_named(rt.uow(), "sz-gadgets")
    product = {**_demo_input(rt, 30)[("sz-gadgets", "product")][0], "sku": "SZ-FIXTURE-1"}
    filed = docs.file_document(
        rt.uow(),
        seller,
        docs.FileRequest(
            kind="product", body=json.dumps(product).encode(), idempotency_key="fixture-1"
        ),
    )
    changed = {**product, "name_en": product["name_en"] + " (second version)"}
    docs.change_document(
        rt.uow(),
        seller,
        docs.ChangeRequest(
            kind="product", doc_id=filed.view["id"], body=json.dumps(changed).encode()
        ),
    )


def describe(rt: Runtime, orders: int) -> dict[str, Any]:
    order = known_order(rt, orders)
    caller = docs.caller_named(rt.uow(), order["filer"])
    page = docs.list_documents(
        rt.uow(), caller, docs.ListQuery(kind="order", order_no=order["order_no"])
    )
    (found,) = page.items
    return {"order": {"id": found["id"], **order}}


def ledger_of(rt: Runtime) -> dict[str, Any]:
    """The evidence ledger's size, root hash (hex) and verifier keys, fully checkpointed."""
    state = rt.ledger.state()
    checkpoint = rt.ledger.latest_checkpoint()
    assert state is not None and checkpoint is not None and checkpoint.size == state.size
    return {
        "size": state.size,
        "root": checkpoint.root.hex(),
        "verifier_keys": list(rt.ledger.vkeys),
    }


def build(version: str, orders: int) -> Path:
    keys = fixture_keys()
    out = RELEASES / version
    with tempfile.TemporaryDirectory() as tmp:
        settings = settings_for(keys, f"sqlite:///{tmp}/cbec.db", Path(tmp))
        rt = open_runtime(settings)
        tenants, _ = loader.load(rt, orders)
        described = describe(rt, orders)
        described["order"]["filer_api_key"] = next(
            t.api_key for t in tenants if t.name == described["order"]["filer"]
        )
        more_rows(rt, described["order"]["id"])
        rt.ledger.integrate(force_checkpoint=True)
        data = snapshot.dump(rt.engine)
        manifest = {
            "version": version,
            "revision": data["revision"],
            "demo_orders": orders,
            "keys": KEYS.name,
            "tables": {name: len(t["rows"]) for name, t in data["tables"].items()},
            **described,
            "ledger": ledger_of(rt),
        }
        rt.engine.dispose()
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        manifest["files"] = keep_files(Path(tmp), out / "files")
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    with (
        open(out / "rows.json.gz", "wb") as fh,
        gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz,
    ):
        gz.write(raw)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    shutil.copyfile(KEYS, out / KEYS.name)
    return out


def keep_files(data_dir: Path, to: Path) -> list[str]:
    """Copy what the data directory holds besides the database and the secrets (the
    screening lists' files, which rows of ``screening_lists`` name): an installation is both."""
    kept = []
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(data_dir)
        if rel.name.startswith(("cbec.db", "secrets.")):
            continue
        (to / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, to / rel)
        kept.append(rel.as_posix())
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", default=current_version(), help="default: pyproject's")
    parser.add_argument("--orders", type=int, default=ORDERS, help="demo orders to load")
    args = parser.parse_args()
    out = build(args.version, args.orders)
    size = (out / "rows.json.gz").stat().st_size
    print(f"{out.relative_to(ROOT)}: rows.json.gz {size:,} bytes, manifest.json")


if __name__ == "__main__":
    main()
