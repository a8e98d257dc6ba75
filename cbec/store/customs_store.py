"""Declarations and their event history (SQL side of cbec.customs.state)."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from cbec.customs.sign import Sm2PublicKey, Sm2SoftwareKey
from cbec.privacy.vault import Vault
from cbec.store.tables import (
    customs_profiles,
    customs_signing_keys,
    declaration_events,
    declarations,
    tenants,
)
from cbec.store.webhook_store import Outbox
from cbec.trade.ports import now
from cbec.webhooks.catalogue import DECLARATION_STATE_CHANGED, declaration_state_changed

# whose declaration changed state, and which (built once: the customs path runs it per record)
_DECLARED = select(
    declarations.c.id,
    declarations.c.tenant_id,
    declarations.c.message,
    declarations.c.record_guid,
    declarations.c.business_key,
).where(declarations.c.id == bindparam("id"))


class DeclarationStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find(self, message: str, record_guid: str, lock: bool = False) -> Any:
        q = select(declarations).where(
            declarations.c.message == message, declarations.c.record_guid == record_guid
        )
        if lock:
            q = q.with_for_update()
        return self.conn.execute(q).first()

    def find_by_key(self, tenant_id: int, message: str, key: str, lock: bool = False) -> Any:
        """The tenant's latest declaration of ``message`` for business key ``key``."""
        q = (
            select(declarations)
            .where(
                declarations.c.tenant_id == tenant_id,
                declarations.c.message == message,
                declarations.c.business_key == key,
            )
            .order_by(declarations.c.id.desc())
            .limit(1)
        )
        if lock:
            q = q.with_for_update()
        return self.conn.execute(q).first()

    def create(self, tenant_id: int, message: str, record_guid: str, key: str, state: str) -> int:
        at = now()
        result = self.conn.execute(
            insert(declarations).values(
                tenant_id=tenant_id,
                message=message,
                record_guid=record_guid,
                business_key=key,
                state=state,
                created_at=at,
                updated_at=at,
            )
        )
        return result.inserted_primary_key[0]

    def move(self, declaration_id: int, state: str) -> None:
        self.conn.execute(
            update(declarations)
            .where(declarations.c.id == declaration_id)
            .values(state=state, updated_at=now())
        )

    def event(
        self,
        declaration_id: int,
        event: str,
        state: str,
        status: int | None,
        info: str | None,
        ledger_index: int | None,
    ) -> None:
        """Record a state change of a declaration; ``declaration.state_changed`` goes into
        the webhooks' outbox for the declarer's subscriptions, in this transaction."""
        at = now()
        self.conn.execute(
            insert(declaration_events).values(
                declaration_id=declaration_id,
                at=at,
                event=event,
                return_status=status,
                info=info,
                state=state,
                ledger_index=ledger_index,
            )
        )
        row = self.conn.execute(_DECLARED, {"id": declaration_id}).mappings().first()
        if row is None:
            return
        outbox = Outbox(self.conn)
        wanted = outbox.wanted([row["tenant_id"]])
        if (row["tenant_id"], DECLARATION_STATE_CHANGED) in wanted:
            changed = declaration_state_changed(row["tenant_id"], row, event, state, status, at)
            outbox.emit([changed], at, wanted)

    def list(self, tenant_id: int | None, state: str | None, limit: int) -> list[dict[str, Any]]:
        q = (
            select(declarations, tenants.c.name.label("tenant"))
            .join(tenants, tenants.c.id == declarations.c.tenant_id)
            .order_by(declarations.c.id.desc())
            .limit(limit)
        )
        if tenant_id is not None:
            q = q.where(declarations.c.tenant_id == tenant_id)
        if state is not None:
            q = q.where(declarations.c.state == state)
        out = []
        for r in self.conn.execute(q):
            events = self.conn.execute(
                select(declaration_events)
                .where(declaration_events.c.declaration_id == r.id)
                .order_by(declaration_events.c.id)
            )
            out.append(
                {
                    "message": r.message,
                    "record_guid": r.record_guid,
                    "key": r.business_key,
                    "state": r.state,
                    "tenant": r.tenant,
                    "events": [
                        {
                            "at": e.at.isoformat(),
                            "event": e.event,
                            "return_status": e.return_status,
                            "info": e.info,
                            "state": e.state,
                            "ledger_index": e.ledger_index,
                        }
                        for e in events
                    ],
                }
            )
        return out

    def count_by_state(self, tenant_id: int | None) -> dict[str, dict[str, int]]:
        """Declarations made by ``tenant_id`` (None: by anyone), counted by message and
        state — the dashboard's figure, under the rule of :meth:`list`."""
        q = select(declarations.c.message, declarations.c.state, func.count()).group_by(
            declarations.c.message, declarations.c.state
        )
        if tenant_id is not None:
            q = q.where(declarations.c.tenant_id == tenant_id)
        out: dict[str, dict[str, int]] = {}
        for message, state, n in self.conn.execute(q):
            out.setdefault(message, {})[state] = n
        return out

    def events_of(self, tenant_id: int | None, keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
        """Every event of the declarations of ``keys`` ((message, business key) pairs) made
        by ``tenant_id`` (None: by anyone), oldest first."""
        if not keys:
            return []
        wanted = or_(
            *(and_(declarations.c.message == m, declarations.c.business_key == k) for m, k in keys)
        )
        q = (
            select(
                declarations.c.message,
                declarations.c.record_guid,
                declarations.c.business_key,
                tenants.c.name.label("tenant"),
                declaration_events,
            )
            .join(declaration_events, declaration_events.c.declaration_id == declarations.c.id)
            .join(tenants, tenants.c.id == declarations.c.tenant_id)
            .where(wanted)
            .order_by(declaration_events.c.at, declaration_events.c.id)
        )
        if tenant_id is not None:
            q = q.where(declarations.c.tenant_id == tenant_id)
        return [
            {
                "at": r.at.isoformat(),
                "message": r.message,
                "record_guid": r.record_guid,
                "key": r.business_key,
                "declarer": r.tenant,
                "event": r.event,
                "return_status": r.return_status,
                "info": r.info,
                "state": r.state,
                "ledger_index": r.ledger_index,
            }
            for r in self.conn.execute(q)
        ]


class ProfileStore:
    """Tenants' customs identities (registration code, registered name, E-Port id)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def set(self, tenant_id: int, code: str, name: str, dxp_id: str | None) -> None:
        self.conn.execute(
            customs_profiles.delete().where(customs_profiles.c.tenant_id == tenant_id)
        )
        self.conn.execute(
            insert(customs_profiles).values(
                tenant_id=tenant_id, code=code, registered_name=name, dxp_id=dxp_id
            )
        )

    def of(self, tenant_id: int) -> Any:
        """The tenant's customs identity, or None when it has none."""
        q = select(customs_profiles).where(customs_profiles.c.tenant_id == tenant_id)
        return self.conn.execute(q).first()

    def by_name(self) -> dict[str, Any]:
        q = select(tenants.c.name, customs_profiles).join(
            customs_profiles, customs_profiles.c.tenant_id == tenants.c.id
        )
        return {r.name: r for r in self.conn.execute(q)}


class SigningKeyStore:
    """Tenants' software customs signing keys: the private key sealed by the vault, the
    public key in clear so anyone cbec serves can verify what the tenant signed."""

    PURPOSE = ("customs_key", "private_key")

    def __init__(self, conn: Connection, vault: Vault) -> None:
        self.conn = conn
        self.vault = vault

    def put(self, tenant_id: int, key: Sm2SoftwareKey, certificate: bytes | None = None) -> None:
        doc_id = str(tenant_id)
        pem = key.pem().decode()
        sealed = self.vault.seal_value(self.PURPOSE[0], doc_id, self.PURPOSE[1], pem)
        self.conn.execute(
            customs_signing_keys.delete().where(customs_signing_keys.c.tenant_id == tenant_id)
        )
        self.conn.execute(
            insert(customs_signing_keys).values(
                tenant_id=tenant_id,
                key_name=key.key_name,
                algorithm=key.signature_method,
                private_key=sealed,
                public_key=key.public_key().pem().decode(),
                certificate=base64.b64encode(certificate).decode() if certificate else None,
                created_at=now(),
            )
        )

    def signer(self, tenant_id: int) -> Sm2SoftwareKey | None:
        row = self.conn.execute(
            select(customs_signing_keys).where(customs_signing_keys.c.tenant_id == tenant_id)
        ).first()
        if row is None:
            return None
        pem = self.vault.open_value(
            self.PURPOSE[0], str(tenant_id), self.PURPOSE[1], row.private_key
        )
        cert = base64.b64decode(row.certificate) if row.certificate else None
        return Sm2SoftwareKey.from_pem(pem.encode(), row.key_name, cert)

    def public_keys(self) -> dict[str, tuple[str, Sm2PublicKey]]:
        """KeyName → (tenant name, public key), for verifying signatures."""
        q = select(customs_signing_keys, tenants.c.name).join(
            tenants, tenants.c.id == customs_signing_keys.c.tenant_id
        )
        return {
            r.key_name: (r.name, Sm2PublicKey.from_pem(r.public_key.encode()))
            for r in self.conn.execute(q)
        }
