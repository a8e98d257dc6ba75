"""What the rotations share: the keys file, progress reports, a key change's result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cbec.config import Settings
from cbec.errors import KeysMismatch
from cbec.privacy.keyprovider import (
    FileProvider,
    KeyMaterial,
    KeySourceError,
    keys_file,
)
from cbec.services.deployment_keys import _unreadable

KEY_ROTATION_ENTRY_TYPE = "cbec.key-rotation/v1"
"""The ledger entry stating that a new verifier key replaces the old one."""
BATCH = 500

Progress = Callable[[str, int], None]
"""Called after each batch with what is being done and how many rows so far."""


def _quiet(_what: str, _done: int) -> None:
    pass


# --- the keys file ------------------------------------------------------------------------

_ENV_ATTR = {
    "data_keys": "data_keys",
    "hmac_key": "hmac_key",
    "ledger_skey": "ledger_signer_key",
}
_WHAT = {"data_keys": "data keys", "hmac_key": "HMAC key", "ledger_skey": "ledger signer key"}


def _in_file(settings: Settings, name: str) -> bool:
    """Whether the keys file is where key ``name`` comes from."""
    env_set = getattr(settings, _ENV_ATTR[name])
    if name == "data_keys":
        env_set = env_set or settings.active_key_id
    return not settings.key_provider and not env_set


def _require_file(settings: Settings, name: str, fix: str) -> None:
    if settings.key_provider:
        source = f"the key provider {settings.key_provider}"
    elif not _in_file(settings, name):
        source = "the environment"
    else:
        return
    raise KeysMismatch("keys_not_in_file", {"what": _WHAT[name], "source": source, "fix": fix})


def _file(settings: Settings) -> tuple[Path, KeyMaterial]:
    path = keys_file(settings)
    try:
        return path, FileProvider(path).load()
    except KeySourceError as exc:
        raise _unreadable(exc) from exc


def _export(name: str, value: str) -> str:
    return f"export {name}='{value}'"


@dataclass(frozen=True)
class KeyChange:
    """A key made, activated or switched: its id, and where it went — the keys file
    written (``path``) or the environment lines to set instead (``env``)."""

    kid: str
    path: Path | None = None
    env: tuple[str, ...] = ()
