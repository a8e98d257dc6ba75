"""Where a deployment's keys come from: the environment, a keys file, or a secrets manager.

The keys are the data keys that encrypt personal fields (:mod:`cbec.privacy.fieldcrypt`), the
HMAC key of fingerprints and blind indexes (:mod:`cbec.privacy.vault`), the ledger's note
signer key (:mod:`cbec.ledger.note`) and the demo seed. They belong to the deployment, not to
a host: every process that opens the same database must hold the same ones, and
:mod:`cbec.services.deployment_keys` checks that against the fingerprints the database
records. So reading keys never makes any — a process without keys stops and says so, and
keys are made only on purpose (``cbec admin keys init``, :func:`generate`).

A source is a :class:`KeyProvider`: ``describe()`` says where it reads (for messages) and
``load()`` returns a :class:`KeyMaterial` whose missing keys are ``None``. The sources are

- the environment: ``CBEC_DATA_KEYS``, ``CBEC_ACTIVE_KEY_ID``, ``CBEC_HMAC_KEY``,
  ``CBEC_LEDGER_SIGNER_KEY``, and while one is rotated in ``CBEC_HMAC_KEY_NEXT`` or
  ``CBEC_LEDGER_SIGNER_KEY_NEXT`` (:class:`EnvProvider`; each one set wins over the other
  source);
- a keys file, ``CBEC_KEYS_FILE`` (default ``<data dir>/secrets.json``): JSON with the same
  keys, mode 0600 — a file that group or others may read or write is refused
  (:class:`KeysFileExposed`), as OpenSSH refuses a private key file others can read — read
  here (:class:`FileProvider`) and written only whole, atomically (:func:`replace_keys_file`);
- a secrets manager, through a factory named by ``CBEC_KEY_PROVIDER=package.module:factory``
  that takes the settings and returns a provider (:func:`plugin`); it replaces the file.

This module reads files and the environment only; it knows no database.
"""

from __future__ import annotations

import base64
import binascii
import importlib
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from cbec.config import Settings
from cbec.ledger.note import generate_signer_key
from cbec.privacy.cipher_policy import choose
from cbec.privacy.fieldcrypt import KeyRing

ENV_NAMES = {
    "data_keys": "CBEC_DATA_KEYS",
    "active_key_id": "CBEC_ACTIVE_KEY_ID",
    "hmac_key": "CBEC_HMAC_KEY",
    "ledger_skey": "CBEC_LEDGER_SIGNER_KEY",
}
"""The environment variable of each key (``demo_seed`` has none: it falls back to HMAC)."""

NEXT_ENV_NAMES = {
    "hmac_key_next": "CBEC_HMAC_KEY_NEXT",
    "ledger_skey_next": "CBEC_LEDGER_SIGNER_KEY_NEXT",
}
"""The environment variables of the keys being rotated in (:mod:`cbec.services.key_rotation`)."""

REQUIRED = ("data_keys", "hmac_key", "ledger_skey")
"""The keys a process cannot run without."""


class KeySourceError(Exception):
    """A key source cannot be read: a malformed keys file, a provider that fails to load."""


class KeysFileExposed(KeySourceError):
    """The keys file may be read or written by its group or others (POSIX mode bits): keys
    that others can read are no longer secret, and keys that others can write are no longer
    the deployment's, so the file is not used until it is ``chmod 600``."""

    def __init__(self, path: Path, mode: int) -> None:
        self.path = path
        self.mode = mode
        super().__init__(f"{path}: mode {mode:04o} lets others read or change it; chmod 600 it")


@dataclass(frozen=True)
class KeyMaterial:
    """Keys as text, the way sources hold them; a key a source does not have is ``None``.

    ``data_keys`` is ``kid=base64,kid2=base64``; ``hmac_key`` and ``demo_seed`` are base64;
    ``ledger_skey`` is a note signer key ``PRIVATE+KEY+<name>+<id>+<base64>``. The JSON of
    a keys file uses these names (:meth:`from_json`, :meth:`to_json`)."""

    data_keys: str | None = None
    active_key_id: str | None = None
    hmac_key: str | None = None
    ledger_skey: str | None = None
    demo_seed: str | None = None
    # keys being rotated in (cbec.services.key_rotation): held beside the current ones until
    # the rotation's switch makes them current
    hmac_key_next: str | None = None
    ledger_skey_next: str | None = None

    @classmethod
    def from_json(cls, text: str) -> KeyMaterial:
        """Keys from a keys file's JSON object (unknown members are ignored)."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise KeySourceError(f"not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise KeySourceError("not a JSON object")
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        bad = sorted(k for k, v in values.items() if v is not None and not isinstance(v, str))
        if bad:
            raise KeySourceError(f"{', '.join(bad)}: must be strings")
        return cls(**{k: v or None for k, v in values.items()})

    def to_json(self) -> str:
        return json.dumps({f.name: v for f in fields(self) if (v := getattr(self, f.name))})

    def over(self, base: KeyMaterial) -> KeyMaterial:
        """These keys where set, ``base``'s elsewhere."""
        return replace(base, **{f.name: v for f in fields(self) if (v := getattr(self, f.name))})

    def missing(self) -> list[str]:
        """The required keys that are not here."""
        return [name for name in REQUIRED if not getattr(self, name)]

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


@runtime_checkable
class KeyProvider(Protocol):
    """A source of keys. ``load`` must not create keys: a source that has none returns an
    empty :class:`KeyMaterial` (or raises :class:`KeySourceError` if it cannot be read)."""

    def describe(self) -> str:
        """Where the keys come from, for messages (never the keys)."""
        ...

    def load(self) -> KeyMaterial: ...


class EnvProvider:
    """``CBEC_DATA_KEYS`` … as read into :class:`~cbec.config.Settings`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def describe(self) -> str:
        return "the environment (" + ", ".join(sorted(set(ENV_NAMES.values()))) + ")"

    def load(self) -> KeyMaterial:
        s = self.settings
        return KeyMaterial(
            data_keys=s.data_keys,
            active_key_id=s.active_key_id,
            hmac_key=s.hmac_key,
            ledger_skey=s.ledger_signer_key,
            hmac_key_next=s.hmac_key_next,
            ledger_skey_next=s.ledger_signer_key_next,
        )


class FileProvider:
    """A JSON keys file; absent means no keys (it is never created by reading)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def describe(self) -> str:
        return f"the keys file {self.path} (CBEC_KEYS_FILE)"

    def load(self) -> KeyMaterial:
        try:
            with self.path.open(encoding="utf-8") as fh:
                check_private(self.path, os.fstat(fh.fileno()).st_mode)
                text = fh.read()
        except FileNotFoundError:
            return KeyMaterial()
        except OSError as exc:
            raise KeySourceError(f"{self.path}: {exc.strerror}") from exc
        try:
            return KeyMaterial.from_json(text)
        except KeySourceError as exc:
            raise KeySourceError(f"{self.path}: {exc}") from exc


def check_private(path: Path, st_mode: int) -> None:
    """:class:`KeysFileExposed` unless only the owner may read or write ``path`` (on POSIX;
    elsewhere the mode bits say nothing about access and are not checked)."""
    if os.name == "posix" and st_mode & 0o077:
        raise KeysFileExposed(path, st_mode & 0o777)


def keys_file(settings: Settings) -> Path:
    """The keys file: ``CBEC_KEYS_FILE``, else ``<data dir>/secrets.json``."""
    return settings.keys_file or settings.data_dir / "secrets.json"


def plugin(spec: str, settings: Settings) -> KeyProvider:
    """The provider made by the factory ``package.module:factory`` (called with the
    settings), as Python entry points name objects (``module:attr``)."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise KeySourceError(f"CBEC_KEY_PROVIDER={spec!r}: expected package.module:factory")
    try:
        factory: Callable[[Settings], Any] = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise KeySourceError(f"CBEC_KEY_PROVIDER={spec!r}: {exc}") from exc
    try:
        provider = factory(settings)
    except Exception as exc:  # the plug-in's own failure: name it, no traceback
        raise KeySourceError(f"CBEC_KEY_PROVIDER={spec!r}: {type(exc).__name__}: {exc}") from exc
    if not isinstance(provider, KeyProvider):
        raise KeySourceError(f"CBEC_KEY_PROVIDER={spec!r}: the factory returned no KeyProvider")
    return provider


def source_of(settings: Settings) -> KeyProvider:
    """The configured source besides the environment: the plug-in, else the keys file."""
    if settings.key_provider:
        return plugin(settings.key_provider, settings)
    return FileProvider(keys_file(settings))


@dataclass(frozen=True)
class ResolvedKeys:
    """The process's keys and where each could have come from (for messages)."""

    material: KeyMaterial
    source: str

    def how_to_supply(self) -> str:
        env = ", ".join(ENV_NAMES[k] for k in REQUIRED)
        return f"set {env}, or give them in {self.source}"


def resolve(settings: Settings) -> ResolvedKeys:
    """The process's keys: each environment variable set, then the configured source."""
    source = source_of(settings)
    try:
        loaded = source.load()
    except KeySourceError:
        raise
    except Exception as exc:  # a plug-in's own failure: say which source, not a traceback
        raise KeySourceError(f"{source.describe()}: {type(exc).__name__}: {exc}") from exc
    return ResolvedKeys(EnvProvider(settings).load().over(loaded), source.describe())


# --- making keys (only on purpose) ---------------------------------------------------------


def _b64(size: int) -> str:
    return base64.b64encode(secrets.token_bytes(size)).decode()


def field_cipher(settings: Settings) -> str:
    """The cipher of a data key made now: ``CBEC_FIELD_CIPHER`` if set, else the one the
    table gives the deployment's ``CBEC_DATA_REGION`` today (:mod:`cbec.privacy.cipher_policy`)."""
    return choose(settings.field_cipher, settings.data_region, datetime.now(UTC).date())


def generate(settings: Settings) -> KeyMaterial:
    """A new, complete set of keys; the data key is named by its fingerprint and uses the
    deployment's cipher (:func:`field_cipher`)."""
    return KeyMaterial(
        data_keys=KeyRing.generate_spec(alg=field_cipher(settings)),
        hmac_key=_b64(32),
        ledger_skey=generate_signer_key(settings.ledger_origin)[0],
        demo_seed=_b64(32),
    )


def write_keys_file(path: Path, material: KeyMaterial) -> None:
    """Create ``path`` (mode 0600, its folder 0700) holding ``material``; never replaces a
    file that exists (``O_EXCL``), so a second ``init`` cannot overwrite the keys in use."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(material.to_json() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def replace_keys_file(path: Path, material: KeyMaterial) -> None:
    """Write ``material`` as ``path``, replacing it atomically: a temporary file in the same
    folder, created 0600 whatever the umask, flushed to disk, then renamed over ``path``
    (POSIX ``rename`` is atomic), so a reader sees the old keys or the new ones, never a
    part of either, and a crash leaves the old file in place."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(material.to_json() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def env_lines(material: KeyMaterial) -> list[str]:
    """``export NAME='value'`` lines for a shell or a secret store's import."""
    lines = [
        f"export {ENV_NAMES[name]}='{value}'"
        for name in ENV_NAMES
        if (value := getattr(material, name))
    ]
    return lines


def decode_b64(value: str, what: str) -> bytes:
    """``value`` decoded as base64, or :class:`KeySourceError` naming ``what``."""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeySourceError(f"{what}: not base64") from exc
