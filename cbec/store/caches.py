"""What filing an order reads again and again but which changes rarely, kept per engine.

Five caches, each bound to one :class:`~sqlalchemy.Engine` (a weak key, as the write gate
in :mod:`cbec.store.gate` is: a disposed engine takes its caches with it) and each guarded by
its own lock, since the server's threads share them:

* **the tenant directory** — name → tenant row. Tenants are created, never renamed, re-roled
  or deleted, so a row once read stays true; a name not found is never remembered, so a
  tenant created a moment ago (by this process or another) is found by the next look-up;
* **API keys** — what authentication read for a token, kept for at most
  :data:`KEY_TTL_S` and keyed by the token's SHA-256 (never the token), so a key revoked by
  another process stops working within a second; a revocation or rotation in this process
  forgets the key at once (:meth:`KeyCache.forget_key`);
* **rule sets** — the compiled rule set of each scope, with the stamp of the stored rules it
  was built from (:class:`cbec.store.compliance_store.RuleStore`): every order still reads
  the stamp, one cheap query, so a rule changed by anyone decides the very next order;
* **open sandbox enrolments** and **active screening lists** — with their stamps, read in
  the same statement as the rules' (:mod:`cbec.store.stamps`): an enrolment opened or ended,
  a list loaded or retired, by anyone, applies from the very next order.

Nothing here crosses tenants: the directory holds public names and roles, a key's entry is
found only with the key's own token, a platform's rule set is kept under its name, and a
firm's enrolments are looked up only for that firm's orders.
:func:`forget` drops an engine's caches, for whoever empties or replaces a database under
a running engine (a restore, the test suite between tests).
"""

from __future__ import annotations

import hashlib
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from cbec.tenancy.records import TenantRow

KEY_TTL_S = 1.0  # how long a revoked key may still be honoured by another process's cache
_KEYS_KEPT = 10_000  # keys remembered per engine; past it the expired ones are dropped, then all
_TENANTS_KEPT = 100_000  # past it the directory starts again (a miss reads the row again)


class TenantDirectory:
    """Tenant rows by name, as read from the database (see the module doc)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, TenantRow] = {}

    def get(self, name: str) -> TenantRow | None:
        with self._lock:
            return self._rows.get(name)

    def put(self, row: TenantRow) -> None:
        with self._lock:
            if len(self._rows) >= _TENANTS_KEPT:
                self._rows.clear()
            self._rows[row.name] = row


class KeyCache:
    """What authenticating a token found, for :data:`KEY_TTL_S` seconds of ``clock`` (a
    monotonic clock; tests inject their own)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.ttl_s = KEY_TTL_S
        self._lock = threading.Lock()
        self._found: dict[bytes, tuple[float, str, Any]] = {}

    @staticmethod
    def _digest(token: str) -> bytes:
        return hashlib.sha256(token.encode()).digest()

    def get(self, token: str) -> Any | None:
        digest = self._digest(token)
        with self._lock:
            hit = self._found.get(digest)
            if hit is None:
                return None
            if hit[0] <= self.clock():
                del self._found[digest]
                return None
            return hit[2]

    def put(self, token: str, key_id: str, found: Any) -> None:
        digest = self._digest(token)
        with self._lock:
            now = self.clock()
            if len(self._found) >= _KEYS_KEPT:
                for d in [d for d, hit in self._found.items() if hit[0] <= now]:
                    del self._found[d]
                if len(self._found) >= _KEYS_KEPT:
                    self._found.clear()
            self._found[digest] = (now + self.ttl_s, key_id, found)

    def update(self, token: str, found: Any) -> None:
        """Replace what is kept for ``token`` (its recorded last use), keeping its expiry."""
        digest = self._digest(token)
        with self._lock:
            hit = self._found.get(digest)
            if hit is not None:
                self._found[digest] = (hit[0], hit[1], found)

    def forget_key(self, key_id: str) -> None:
        """Drop every token of ``key_id`` (revoked or rotated in this process)."""
        with self._lock:
            for d in [d for d, hit in self._found.items() if hit[1] == key_id]:
                del self._found[d]


class Stamped:
    """Values by scope, each with the stamp of the tables it was built from: compiled rule
    sets, the open sandbox enrolments, the active screening lists."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sets: dict[str, tuple[tuple, Any]] = {}
        self._building: dict[str, threading.Lock] = {}

    def get_or_build(self, scope: str, stamp: tuple, build: Callable[[], Any]) -> Any:
        """The set of ``scope`` at ``stamp``, built by ``build`` once however many threads
        ask at the same moment (a server's first burst of orders, or the burst after a rule
        changed): the others wait for that one build instead of each compiling the same
        rules while holding the interpreter from the requests already under way."""
        found = self.get(scope, stamp)
        if found is not None:
            return found
        with self._lock:
            building = self._building.setdefault(scope, threading.Lock())
        with building:
            found = self.get(scope, stamp)  # built by the thread this one waited for
            if found is None:
                found = build()
                self.put(scope, stamp, found)
            return found

    def get(self, scope: str, stamp: tuple) -> Any | None:
        with self._lock:
            hit = self._sets.get(scope)
        return hit[1] if hit is not None and hit[0] == stamp else None

    def put(self, scope: str, stamp: tuple, value: Any) -> None:
        with self._lock:
            self._sets[scope] = (stamp, value)


class EngineCaches:
    def __init__(self) -> None:
        self.tenants = TenantDirectory()
        self.keys = KeyCache()
        self.rulesets = Stamped()
        self.enrolments = Stamped()  # one scope, "open"
        self.lists = Stamped()  # one scope, "active"


_CACHES: weakref.WeakKeyDictionary[Engine, EngineCaches] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def caches_of(engine: Engine) -> EngineCaches:
    with _LOCK:
        found = _CACHES.get(engine)
        if found is None:
            found = _CACHES[engine] = EngineCaches()
        return found


def forget(engine: Engine) -> None:
    """Drop ``engine``'s caches (its database was emptied or replaced underneath it)."""
    with _LOCK:
        _CACHES.pop(engine, None)
