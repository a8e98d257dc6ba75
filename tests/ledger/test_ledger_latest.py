"""The latest checkpoint, asked for while the integrator may sign one: a reader that finds
none signs one itself — and when the integrator signed it between the reader's look and its
own integration (which then has nothing to sign), the reader answers with that one instead
of failing (the console's ledger page once answered 500 there)."""

from __future__ import annotations

from cbec.services import ledger as ledger_svc


def test_a_checkpoint_signed_meanwhile_by_the_integrator_is_the_answer(rt, parties, monkeypatch):
    rt.ledger.append([("text/plain", b"filed")])
    ledger = rt.ledger
    looked: list[int] = []
    real_latest, real_integrate = ledger.latest_checkpoint, ledger.integrate

    def latest():  # the reader's first look comes before the integrator signs
        looked.append(1)
        return None if len(looked) == 1 else real_latest()

    def integrate(force_checkpoint: bool = False):
        real_integrate(force_checkpoint=True)  # the integrator signs meanwhile, so the
        return real_integrate(force_checkpoint=True)  # reader's own call has nothing to sign

    monkeypatch.setattr(ledger, "latest_checkpoint", latest)
    monkeypatch.setattr(ledger, "integrate", integrate)
    assert real_integrate.__self__ is ledger
    answer = ledger_svc.latest_checkpoint(rt.uow(), parties["regulator"].viewer)
    assert answer.size == real_latest().size == rt.ledger.state().size
