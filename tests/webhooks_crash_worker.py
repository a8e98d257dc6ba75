"""Subprocess for tests/webhooks/test_webhooks_crash.py: runs deliverer rounds forever on a
clock shifted by ``argv[1]`` seconds (so a restarted deliverer finds a dead one's lease run
out without the test waiting for it), printing ``ready`` once its runtime is open and
``round CLAIMED DELIVERED`` after each round that claimed something; the test kills it with
SIGKILL while the receiver holds a request unanswered."""

import sys
import threading
from datetime import timedelta

from cbec.runtime import open_runtime
from cbec.services import webhook_delivery
from cbec.trade.ports import now


def main() -> None:
    rt = open_runtime()
    shift = timedelta(seconds=float(sys.argv[1]))
    print("ready", flush=True)

    def said(r) -> None:
        if r.claimed:
            print(f"round {r.claimed} {r.delivered}", flush=True)

    webhook_delivery.follow(rt.uow, threading.Event(), lambda: now() + shift, said)


if __name__ == "__main__":
    main()
