"""A new document's answer is built from what the filing wrote instead of read back under the
write lock (:func:`cbec.trade.views.present_fresh`); the oracle is the stored document read
back afterwards through ``GET`` (which also says whether the log has integrated the entry
yet): the answer must equal it exactly, for every kind with personal data, and a replay of
the same Idempotency-Key (which reads the stored one) too."""

from __future__ import annotations

import json
import random

from cbec.demo import synthetic


def test_the_answer_to_a_new_filing_is_what_a_read_gives_back(client, parties):
    rng = random.Random(11)
    order = synthetic.order(rng, "platform-a", "seller-a", "ANS-0001")
    filings = [
        ("products", "seller-a", synthetic.product(synthetic.CATALOG[0])),
        ("orders", "seller-a", order),
        ("payments", "pay-a", synthetic.payment(rng, order, "PAY-ANS-0001")),
        ("waybills", "ship-a", synthetic.waybill(rng, order, "WB-ANS-0001")),
    ]
    for plural, filer, body in filings:
        headers = parties[filer].headers | {"Idempotency-Key": f"answer-{plural}"}
        posted = client.post(f"/{plural}", content=json.dumps(body), headers=headers)
        assert posted.status_code == 201, posted.text
        answer = posted.json()
        assert answer["pii"] == "clear" and answer["version"] == 1
        read = client.get(posted.headers["Location"], headers=parties[filer].headers)
        assert read.status_code == 200
        stored = read.json()
        stored["ledger"].pop("integrated")  # a read says whether the log has integrated it yet
        assert answer == stored, plural
        replay = client.post(f"/{plural}", content=json.dumps(body), headers=headers)
        assert (replay.status_code, replay.json()) == (201, answer), plural
        again = client.post(f"/{plural}", content=json.dumps(body), headers=parties[filer].headers)
        assert (again.status_code, again.json()) == (200, answer), plural
