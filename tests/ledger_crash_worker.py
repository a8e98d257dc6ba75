"""Subprocess for test_ledger_crash: appends and integrates forever, printing ``ready`` once
its runtime is open and it is about to write, then each acknowledged (committed) append as
``ack FIRST LAST``; the test kills it with SIGKILL.

The test times its kill from these lines, not from the start of the process: how long the
interpreter takes to start and import depends on the machine and its load, and a kill that
lands before anything was written proves nothing."""

import random
import sys

from cbec.runtime import open_runtime


def main() -> None:
    rt = open_runtime()
    rng = random.Random(int(sys.argv[1]))
    print("ready", flush=True)
    while True:
        size = rt.ledger.state().size
        n = rng.choice([1, 7, 100, 1000, 3000])
        items = [("text/plain", f"e{size + k}".encode()) for k in range(n)]
        indexes = rt.ledger.append(items)
        print(f"ack {indexes[0]} {indexes[-1]}", flush=True)
        if rng.random() < 0.4:
            rt.ledger.integrate(force_checkpoint=rng.random() < 0.5)


if __name__ == "__main__":
    main()
