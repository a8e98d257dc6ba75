"""Use case of the key-rotation record an auditor reads: every key the deployment has used,
by purpose and fingerprint (never the key), when it was added, whether it is the active one
and when it was retired (:mod:`cbec.services.key_rotation` writes them; the ledger key's
rotations are also statements in the evidence log).

Only the regulator's tenant reads it: it describes the deployment, not a tenant's data."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from cbec.errors import Forbidden
from cbec.privacy.cipher_policy import CIPHER_OF
from cbec.privacy.fieldcrypt import data_key_id
from cbec.services.users import SessionUser
from cbec.store.deployment_key_store import DeploymentKeyStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role


class KeyRecord(BaseModel):
    purpose: str = Field(description="data (field encryption), hmac (keyed hashes) or ledger")
    fingerprint: str = Field(
        description="SHA-256 fingerprint of the key (the ledger's: of "
        "its verifier key), never the key"
    )
    kid: str | None = Field(description="The key id a data key seals fields under")
    algorithm: str | None = Field(
        default=None,
        description="A data key's cipher (sm4-gcm or aes-256-gcm); null for another key, or "
        "for a data key this process does not hold (the database records fingerprints, and a "
        "fingerprint does not say the key's length)",
    )
    active: bool
    added_at: datetime
    retired_at: datetime | None


class KeyHistory(BaseModel):
    keys: list[KeyRecord]
    rotations: int = Field(description="Keys retired so far")


def key_history(uow: UnitOfWork, who: Viewer | SessionUser) -> KeyHistory:
    viewer = who.viewer if isinstance(who, SessionUser) else who
    if viewer.role is not Role.REGULATOR:
        raise Forbidden("role_forbidden", {"allowed": "regulator"})
    with uow:
        recorded = DeploymentKeyStore(uow.conn).recorded()
    # the cipher of each data key the process holds, as `cbec admin keys show` derives it
    cipher = {data_key_id(k.secret): CIPHER_OF[k.alg] for k in uow.vault.ring.keys}
    in_use = set()
    for purpose in {r.purpose for r in recorded}:
        live = [r for r in recorded if r.purpose == purpose and r.retired_at is None]
        marked = [r for r in live if r.active]
        # an HMAC or ledger key is recorded inactive until a rotation first marks one: the
        # one in use is then the oldest live one (a key being rotated in comes after it)
        chosen = marked or ([] if purpose == "data" else live[:1])
        in_use |= {(r.purpose, r.fingerprint) for r in chosen}
    keys = [
        KeyRecord(
            purpose=r.purpose,
            fingerprint=r.fingerprint,
            kid=r.kid,
            algorithm=cipher.get(r.fingerprint) if r.purpose == "data" else None,
            active=(r.purpose, r.fingerprint) in in_use,
            added_at=r.added_at,
            retired_at=r.retired_at,
        )
        for r in recorded
    ]
    return KeyHistory(keys=keys, rotations=sum(1 for k in keys if k.retired_at is not None))
