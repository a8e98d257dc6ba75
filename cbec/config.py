"""Settings read from ``CBEC_*`` environment variables (pydantic-settings).

Defaults give a single-machine install: a SQLite file in the data directory and the keys in
``<data_dir>/secrets.json`` once ``cbec admin keys init`` (or ``cbec demo`` on a new, empty
database) has made them. Production deployments set ``CBEC_DATABASE_URL`` and give the keys
through ``CBEC_DATA_KEYS`` / ``CBEC_HMAC_KEY`` / ``CBEC_LEDGER_SIGNER_KEY``, a keys file or
a secrets-manager plug-in (:mod:`cbec.privacy.keyprovider`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "cbec"


class Settings(BaseSettings):
    """Runtime configuration; every field maps to ``CBEC_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="CBEC_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    # "kid=base64key,kid2=base64key"; a key is 32 bytes (AES-256-GCM) or 16 bytes (SM4-GCM).
    data_keys: str | None = None
    active_key_id: str | None = None
    # Keyed-hash (HMAC) secret for fingerprints and blind indexes, base64.
    hmac_key: str | None = None
    # Keys being rotated in when the keys come from the environment (`cbec admin keys
    # add-hmac-key` / `rotate-ledger-key --format env` print them): the next HMAC key and
    # the next ledger signer key, held beside the current ones until the rotation switches.
    hmac_key_next: str | None = None
    ledger_signer_key_next: str | None = None
    # The keys file (default <data_dir>/secrets.json), read, never created, by a process.
    keys_file: Path | None = None
    # A secrets manager instead of the file: "package.module:factory" (settings -> provider).
    key_provider: str | None = None
    # Where the deployment keeps its data (ISO 3166-1 alpha-2, lower case, or "global"): it
    # picks the cipher of the data keys `cbec admin keys init` / `add-data-key` make, by the
    # table cbec/privacy/data/field_ciphers.csv — cn: SM4-GCM, elsewhere AES-256-GCM.
    data_region: str = Field(default="cn", pattern=r"^([a-z]{2}|global)$")
    # The cipher of new data keys, chosen instead of the region's: "aes-256-gcm" or "sm4-gcm".
    field_cipher: Literal["aes-256-gcm", "sm4-gcm"] | None = None
    # SQLite: how long a writer waits for another's transaction before answering 503.
    sqlite_busy_timeout_ms: int = 30_000
    max_body_bytes: int = 1_048_576
    max_import_bytes: int = 200 * 1_048_576
    # A client that stops sending its body mid-way is answered 408 after this many seconds
    # without a byte (0: never).
    body_read_timeout_s: float = 30.0
    # Per tenant: requests in a window ("600/minute", "10/second"; limits library notation;
    # empty: no limit), the window strategy, and requests at once (0: no limit).
    rate_limit: str = "600/minute"
    rate_limit_strategy: str = "fixed-window"  # or "moving-window", "sliding-window-counter"
    max_concurrent_requests: int = 16
    # Documents filed at once by one server process (POST /orders and the other kinds); the
    # others wait their turn, first come, first served (cbec/api/turns.py). Unset: 4 on
    # SQLite, the thread pool's limit on PostgreSQL; 0: the thread pool's limit.
    filings_at_once: int | None = Field(default=None, ge=0)
    # Evidence ledger. The hash is fixed when the log is created; the signer key is a
    # note private key (PRIVATE+KEY+<name>+<id>+<base64>); from the keys file if unset.
    ledger_origin: str = "cbec.local/ledger"
    ledger_hash: str = "sha256"  # or "sm3"
    ledger_signer_key: str | None = None
    ledger_checkpoint_interval_ms: int = 1000
    ledger_checkpoint_max_entries: int = 10_000
    # Whether `cbec serve` runs the background integrator (ledger integration, checkpoints,
    # housekeeping sweeps) in its process: on for one host; "off" on every server of a
    # several-host deployment, which runs one `cbec ledger integrate --follow` instead. With
    # `cbec serve --workers N` one elected worker runs it (cbec.store.leader).
    integrator: bool = True
    # Whether `cbec serve` runs the webhook deliverer (cbec.services.webhook_delivery) in a
    # thread of each process; "off" where `cbec webhooks deliver --follow` runs instead.
    webhooks: bool = True
    # Whether webhooks may go to loopback, private, link-local or reserved addresses (a
    # receiver on this host or network); off, a subscriber's URL reaches only the public
    # internet, checked again when the deliverer connects (cbec.webhooks.endpoints).
    webhooks_private_targets: bool = False
    # The tracking alert sweep (cbec.services.tracking_sweep): the webhook deliverer judges
    # the alerts that arise with time (no scan past the leg's limit) this often and tells
    # the tenants subscribed to tracking.alert_raised (0: never), looking at the waybills
    # with a tracking event in the last `alert_sweep_days` days.
    alert_sweep_seconds: float = Field(default=300.0, ge=0)
    alert_sweep_days: int = Field(default=60, ge=1, le=366)
    # The full CBEC positive list as CSV (cbec/tax/data/POSITIVE_LIST.md); the sample if unset.
    positive_list: Path | None = None
    # Logistics: a folder with a deployment's own locations.csv and legs.csv, planned on
    # beside the shipped starter network (cbec/logistics/data); none if unset.
    logistics_dir: Path | None = None
    # Screening: a party whose best score reaches this is reported as a match (0..1).
    screening_threshold: float = 0.85
    # Operations: /readyz fails its integrator check when ledger entries have waited this
    # long for integration; GET /metrics asks for this bearer token when set (else open).
    ready_max_lag_s: float = 60.0
    metrics_token: str | None = None
    # `cbec demo`'s size when --size is not given: small, default, large (cbec.demo.activity
    # SIZES) or a number of orders; checked by `cbec demo`, as --size is.
    demo_size: str = "default"
    # A TrueType/OpenType font (or .ttc collection) with Chinese glyphs for PDF exports; unset:
    # the first of the usual Debian/Ubuntu CJK fonts found (cbec.governance.pdf.FONT_CANDIDATES)
    pdf_font: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000

    def resolved_database_url(self) -> str:
        """The configured URL, or the default SQLite file under ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'cbec.db'}"


def get_settings() -> Settings:
    """Settings read from the environment now (not cached: tests and tools change it)."""
    return Settings()
