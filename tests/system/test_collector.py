"""The collector pause: off inside, back as it was after the last of nested or concurrent
batches, and never turned on by a batch when it was off before."""

from __future__ import annotations

import gc
import threading

from cbec import collector


def test_paused_nests_and_restores():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer batch still runs
    assert gc.isenabled()


def test_a_batch_does_not_turn_on_a_collector_that_was_off():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_concurrent_batches_keep_it_off_until_the_last_ends():
    inside, release = threading.Event(), threading.Event()

    def batch() -> None:
        with collector.paused():
            inside.set()
            release.wait()

    worker = threading.Thread(target=batch)
    worker.start()
    inside.wait()
    with collector.paused():
        pass
    assert not gc.isenabled()  # the other thread's batch is still running
    release.set()
    worker.join()
    assert gc.isenabled()


def test_a_process_settles_once():
    collector.settle()
    frozen = gc.get_freeze_count()
    junk = [object() for _ in range(1000)]  # made after the first settling
    collector.settle()
    assert gc.get_freeze_count() == frozen  # not frozen again
    del junk
