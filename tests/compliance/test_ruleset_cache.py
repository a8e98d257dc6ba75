"""The rule-set cache (cbec.store.caches.Stamped) builds a scope's set once however many
threads ask at the same moment — a server's first burst of orders used to compile the same
rules once per request, each holding the interpreter from the requests under way — and
builds again for a new stamp (a rule changed)."""

from __future__ import annotations

import threading

from cbec.store.caches import Stamped
from tests.waiting import wait_for


class CountingSets(Stamped):
    """Counts the look-ups that found nothing: a thread that missed is about to build or to
    wait for the build under way."""

    def __init__(self) -> None:
        super().__init__()
        self.misses = 0
        self._count = threading.Lock()

    def get(self, scope, stamp):
        found = super().get(scope, stamp)
        if found is None:
            with self._count:
                self.misses += 1
        return found


def test_eight_threads_that_miss_at_once_share_one_build():
    sets = CountingSets()
    release = threading.Event()
    builds: list[str] = []

    def build() -> object:
        builds.append(threading.current_thread().name)
        assert release.wait(60)  # held until every other thread has missed too
        return object()

    got: list[object] = []
    threads = [
        threading.Thread(target=lambda: got.append(sets.get_or_build("active", (1,), build)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    # the builder misses twice (before and after taking the scope's lock), the others once
    wait_for("all eight to miss", lambda: sets.misses >= 9)
    release.set()
    for t in threads:
        t.join(60)
    assert len(builds) == 1
    assert len(got) == 8 and all(g is got[0] for g in got)


def test_a_new_stamp_is_built_again_and_an_old_one_is_not_kept():
    sets = Stamped()
    first = sets.get_or_build("active", (1,), object)
    assert sets.get_or_build("active", (1,), object) is first
    second = sets.get_or_build("active", (2,), object)
    assert second is not first
    assert sets.get("active", (1,)) is None
