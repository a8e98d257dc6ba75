"""Disputes: a case a platform, a seller or a regulator opens on an order — its parties,
claim, deadlines, state and outcome (:mod:`cbec.disputes.model`, pure core) — and the
evidence pack the case assembles from what is stored for the order
(:mod:`cbec.services.dispute_pack`)."""
