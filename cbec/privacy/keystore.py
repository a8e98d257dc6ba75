"""Where the keys come from: the environment, or a secrets file made on first use.

Production sets ``CBEC_DATA_KEYS`` (``kid=base64,…``), ``CBEC_ACTIVE_KEY_ID``,
``CBEC_HMAC_KEY`` and ``CBEC_LEDGER_SIGNER_KEY`` from its secret manager. A single-machine
install gets ``<data_dir>/secrets.json`` (mode 0600), written atomically under a file lock
on first use, so the demo works out of the box and the keys survive restarts. Losing that
file makes the encrypted personal information unreadable — which is also how it is
deliberately erased — and means the log must be signed by a new key from then on.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cbec.config import Settings
from cbec.ledger.note import generate_signer_key
from cbec.privacy.fieldcrypt import KeyRing
from cbec.privacy.vault import Vault


@dataclass(frozen=True)
class Secrets:
    data_keys: str
    active_key_id: str | None
    hmac_key: bytes
    demo_seed: bytes
    ledger_skey: str


def _write_atomically(path: Path, data: dict[str, str]) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _load_or_create_file(path: Path, settings: Settings) -> dict[str, str]:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock_fd = os.open(path.with_suffix(".lock"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(lock_fd, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process creates; the others read its keys
        data = json.loads(path.read_text()) if path.exists() else {}
        missing = {
            "data_keys": lambda: KeyRing.generate_spec("k1", settings.field_cipher),
            "hmac_key": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
            "demo_seed": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
            "ledger_skey": lambda: generate_signer_key(settings.ledger_origin)[0],
        }
        added = {k: make() for k, make in missing.items() if k not in data}
        if added:
            data.update(added)
            _write_atomically(path, data)
        return data


def load_secrets(settings: Settings) -> Secrets:
    needs_file = not (settings.data_keys and settings.hmac_key and settings.ledger_signer_key)
    stored = (
        _load_or_create_file(settings.data_dir / "secrets.json", settings) if needs_file else {}
    )
    hmac_b64 = settings.hmac_key or stored["hmac_key"]
    return Secrets(
        data_keys=settings.data_keys or stored["data_keys"],
        active_key_id=settings.active_key_id,
        hmac_key=base64.b64decode(hmac_b64),
        demo_seed=base64.b64decode(stored.get("demo_seed") or hmac_b64),
        ledger_skey=settings.ledger_signer_key or stored["ledger_skey"],
    )


def make_vault(s: Secrets) -> Vault:
    return Vault(KeyRing.from_spec(s.data_keys, s.active_key_id), s.hmac_key)
