"""Where the data keys come from: the environment, or a secrets file made on first use.

Production sets ``CBEC_DATA_KEYS`` (``kid=base64,…``), ``CBEC_ACTIVE_KEY_ID`` and
``CBEC_HMAC_KEY`` from its secret manager. A single-machine install gets
``<data_dir>/secrets.json`` (mode 0600) created atomically on first use, so the demo works
out of the box and the keys survive restarts. Losing that file makes the encrypted personal
information unreadable — which is also how it is deliberately erased.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cbec.config import Settings
from cbec.privacy.fieldcrypt import KeyRing
from cbec.privacy.vault import Vault


@dataclass(frozen=True)
class Secrets:
    data_keys: str
    active_key_id: str | None
    hmac_key: bytes
    demo_seed: bytes


def _load_or_create_file(path: Path, cipher: str) -> dict[str, str]:
    if path.exists():
        return json.loads(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "data_keys": KeyRing.generate_spec("k1", cipher),
        "hmac_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        "demo_seed": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)  # atomic, and fails if another process won the race
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return json.loads(path.read_text())


def load_secrets(settings: Settings) -> Secrets:
    needs_file = not (settings.data_keys and settings.hmac_key)
    stored = (
        _load_or_create_file(settings.data_dir / "secrets.json", settings.field_cipher)
        if needs_file
        else {}
    )
    data_keys = settings.data_keys or stored["data_keys"]
    hmac_b64 = settings.hmac_key or stored["hmac_key"]
    seed_b64 = stored.get("demo_seed") or hmac_b64
    return Secrets(
        data_keys=data_keys,
        active_key_id=settings.active_key_id,
        hmac_key=base64.b64decode(hmac_b64),
        demo_seed=base64.b64decode(seed_b64),
    )


def make_vault(s: Secrets) -> Vault:
    return Vault(KeyRing.from_spec(s.data_keys, s.active_key_id), s.hmac_key)
