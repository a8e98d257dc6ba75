"""Subprocess for test_ledger_crash: appends and integrates forever, printing each
acknowledged (committed) append as ``ack FIRST LAST``; the test kills it with SIGKILL."""

import random
import sys

from cbec.runtime import open_runtime


def main() -> None:
    rt = open_runtime()
    rng = random.Random(int(sys.argv[1]))
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
