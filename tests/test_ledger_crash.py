"""SIGKILL the log writer at random moments, many times; after each restart every
acknowledged entry is there, nothing half-written is visible, the tree re-derives."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from cbec.config import Settings
from cbec.ledger import merkle
from cbec.ledger.compact import CompactRange
from cbec.runtime import open_runtime
from cbec.store.tables import ledger_entries
from tests.conftest import ON_POSTGRES, PG_URL, TEST_HMAC, TEST_KEYS, reset_postgres

WORKER = Path(__file__).with_name("ledger_crash_worker.py")


def test_sigkill_at_random_points_never_loses_or_half_writes(tmp_path):
    url = PG_URL if ON_POSTGRES else f"sqlite:///{tmp_path / 'crash.db'}"
    if ON_POSTGRES:
        reset_postgres(url)
    settings = Settings(
        data_dir=tmp_path, database_url=url, data_keys=TEST_KEYS, hmac_key=TEST_HMAC
    )
    env = {
        "CBEC_DATA_DIR": str(tmp_path),
        "CBEC_DATABASE_URL": url,
        "CBEC_DATA_KEYS": TEST_KEYS,
        "CBEC_HMAC_KEY": TEST_HMAC,
        "PATH": "/usr/bin:/bin",
    }
    open_runtime(settings).engine.dispose()  # create the schema and the secrets file once
    rng = random.Random(2026)
    acked = -1
    rounds = 10
    for round_no in range(rounds):
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(round_no)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        last = [acked]

        def read(proc=proc, last=last):
            for line in proc.stdout:
                if line.startswith("ack "):
                    last[0] = max(last[0], int(line.split()[2]))

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        time.sleep(rng.uniform(0.2, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        reader.join(timeout=10)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
        acked = last[0]

        rt = open_runtime(settings)
        state = rt.ledger.state()
        with rt.engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(ledger_entries)).scalar()
            top = conn.execute(select(func.max(ledger_entries.c.idx))).scalar()
            # every entry holds exactly what was appended at its index
            for idx, data in conn.execute(select(ledger_entries.c.idx, ledger_entries.c.data)):
                assert bytes(data) == f"e{idx}".encode()
        assert state.size >= acked + 1, f"round {round_no}: acknowledged {acked}, size {state.size}"
        assert count == state.size, "gap or partial batch"
        assert top is None or top == state.size - 1, "gap or partial batch"
        assert state.integrated <= state.size
        cp = rt.ledger.integrate(force_checkpoint=True) or rt.ledger.latest_checkpoint()
        assert rt.ledger.fsck() == [], f"round {round_no}"
        expected = CompactRange()  # in-memory reference, itself checked against RFC vectors
        expected.extend(merkle.leaf_hash(f"e{i}".encode()) for i in range(state.size))
        assert cp.size == state.size and cp.root == expected.root()
        rt.engine.dispose()
    assert acked > 1000  # the worker did real work between kills
