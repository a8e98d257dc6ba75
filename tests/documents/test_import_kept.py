"""What a bulk import's check keeps for its write pass (:class:`cbec.trade.checking.Kept`):
the first rows as validated documents, the next as their JSON within a byte budget — and
when it kept every good row, the write pass does not read the file again. Whatever was
kept and however, the same documents, fingerprints and evidence are stored as when every
row is read and validated afresh."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from cbec.demo import synthetic
from cbec.services import bulk
from cbec.trade import checking, tabular
from cbec.trade.canonical import canonical_bytes
from cbec.trade.kinds import KINDS
from tests.conftest import make_order
from tests.documents.test_import import jsonl


def _documents(rng: random.Random) -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    for i in range(40):
        order = synthetic.order(rng, "platform-a", "seller-a", f"KEPT-{i}")
        out.append(("order", order))
        out.append(("payment", synthetic.payment(rng, order, f"TX-{i}")))
        out.append(("waybill", synthetic.waybill(rng, order, f"WB-{i}")))
    out += [("product", synthetic.product(item)) for item in synthetic.CATALOG]
    return out


def test_a_documents_json_validates_to_an_equal_document_of_every_kind():
    """The packed rows' premise: JSON written from a validated document validates to an
    equal one with the same canonical form (hence the same fingerprint), for every kind —
    also for amounts with trailing zeros, text outside ASCII and a time in another zone."""
    seen = set()
    for kind_name, raw in _documents(random.Random(3)):
        kind = KINDS[kind_name]
        if kind_name == "order":
            raw = raw | {
                "ordered_at": datetime(
                    2026, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=8))
                ).isoformat(),
                "note": "易碎 — handle with care ✓",
            }
        found = checking.read(kind, raw)
        doc, errors = found.doc, found.errors
        assert doc is not None and not errors, (kind_name, errors)
        again = kind.model.model_validate_json(doc.model_dump_json().encode())
        assert again == doc, kind_name
        assert canonical_bytes(again.model_dump()) == canonical_bytes(doc.model_dump())
        seen.add(kind_name)
    assert seen == set(KINDS)


def test_an_order_kept_as_json_keeps_its_amounts_and_instant():
    raw = make_order(random.Random(4), 1)
    assert raw["goods_value"].endswith("0")  # written with its cents, trailing zero and all
    doc = checking.read(KINDS["order"], raw).doc
    again = KINDS["order"].model.model_validate_json(doc.model_dump_json())
    assert str(again.goods_value) == raw["goods_value"] == str(doc.goods_value)
    assert again.goods_value == Decimal(raw["goods_value"])
    assert again.ordered_at == doc.ordered_at and again.ordered_at.tzinfo is not None
    assert again.ordered_at.astimezone(UTC) == doc.ordered_at.astimezone(UTC)


def _counting(monkeypatch) -> dict[str, int]:
    """How many rows are validated from the source (``checking.read``) and how many rows
    the source yields, over both passes."""
    calls = {"read": 0, "rows": 0}
    real_read, real_jsonl = checking.read, tabular.read_jsonl

    def counting_read(*args, **kwargs):
        calls["read"] += 1
        return real_read(*args, **kwargs)

    def counting_jsonl(*args, **kwargs):
        for row in real_jsonl(*args, **kwargs):
            calls["rows"] += 1
            yield row

    monkeypatch.setattr(checking, "read", counting_read)
    monkeypatch.setattr(tabular, "read_jsonl", counting_jsonl)
    return calls


def _request(body: str, **kw) -> bulk.ImportRequest:
    return bulk.ImportRequest(kind="order", body=body.encode(), **kw)


def _docs_and_bad() -> tuple[list[dict], dict]:
    rng = random.Random(11)
    docs = [make_order(rng, i) for i in range(7)]
    return docs, dict(docs[6], order_no="BAD-1", currency="XX")  # rejected: never kept


def _import_twice(rt, parties, docs, bad) -> tuple[dict, dict]:
    """The file with a bad row, then the good rows again: the second finds every document
    unchanged — the kept rows were fingerprinted as a fresh validation does."""
    first = bulk.import_documents(
        rt.uow(),
        parties["seller-a"].viewer,
        _request(jsonl([*docs, bad]), continue_on_error=True),
    )
    again = bulk.import_documents(
        rt.uow(), parties["seller-a"].viewer, _request(jsonl(docs), continue_on_error=True)
    )
    return first, again


@pytest.mark.parametrize(
    ("budget", "read_again", "rows"),
    [
        # nothing packed: the 3 good rows past the 4 kept are validated again, and the file
        # is read again (its good rows: a rejected line is skipped before it is parsed)
        (0, 3, (8 + 7) + (7 + 7)),
        (None, 0, 8 + 7),  # all packed: the file is read once
    ],
)
def test_rows_past_the_kept_documents_are_packed_within_the_budget(
    rt, parties, monkeypatch, budget, read_again, rows
):
    monkeypatch.setattr(checking, "KEEP", 4)
    if budget is not None:
        monkeypatch.setattr(checking, "KEEP_BYTES", budget)
    calls = _counting(monkeypatch)
    docs, bad = _docs_and_bad()
    first, again = _import_twice(rt, parties, docs, bad)
    assert first["created"] == 7 and first["rejected"] == 1
    assert again["created"] == 0 and again["unchanged"] == 7 and again["rejected"] == 0
    # precheck: 8 rows then 7; the write passes: what was neither kept nor packed
    assert calls["read"] == 8 + read_again + 7 + read_again
    assert calls["rows"] == rows


def test_a_budget_that_fits_some_rows_packs_them_and_reads_the_rest_again(rt, parties, monkeypatch):
    docs, bad = _docs_and_bad()
    order = KINDS["order"]
    sizes = [len(order.model.model_validate(d).model_dump_json().encode()) for d in docs]
    monkeypatch.setattr(checking, "KEEP", 4)
    monkeypatch.setattr(checking, "KEEP_BYTES", sizes[4] + sizes[5])  # rows 5 and 6, not 7
    calls = _counting(monkeypatch)
    first, again = _import_twice(rt, parties, docs, bad)
    assert first["created"] == 7 and again["unchanged"] == 7
    assert calls["read"] == (8 + 1) + (7 + 1)  # row 7 alone read and validated again


def test_the_write_pass_reports_its_progress_chunk_by_chunk(rt, parties, monkeypatch):
    from cbec.services import imports

    monkeypatch.setattr(imports, "CHUNK", 3)
    monkeypatch.setattr(imports, "CHUNK_MOST", 3)
    rng = random.Random(12)
    text = jsonl(make_order(rng, i) for i in range(8))
    seen: list[int] = []
    report = bulk.file_rows(
        rt.uow(),
        parties["seller-a"].viewer,
        "order",
        lambda: tabular.read_jsonl(text.splitlines(keepends=True)),
        on_filed=lambda r: seen.append(len(r.created)),
    )
    assert len(report.created) == 8
    assert seen == [3, 6, 8]


def _stored_orders(rt) -> dict[str, dict]:
    """Every stored order by number: its columns and its body opened in clear."""
    import json

    from sqlalchemy import select

    from cbec.store.tables import documents as d

    kind = KINDS["order"]
    out = {}
    with rt.uow() as uow:
        for r in uow.conn.execute(select(d).where(d.c.kind == "order")):
            body = uow.vault.open("order", r.id, kind.pii, json.loads(r.body), clear=True)
            out[r.order_no] = {
                "body": body,
                "fingerprint": r.fingerprint,
                "subject_ref": r.subject_ref,
                "placed_at": r.placed_at,
                "natural_key": r.natural_key,
            }
    return out


def test_a_packed_row_is_stored_as_a_row_validated_afresh(rt, parties, monkeypatch):
    """The same orders filed once kept as validated documents and once packed (under other
    order numbers): the same bodies in clear, buyers' keyed references and placed times;
    each packed row's fingerprint is that of its content validated afresh; and no packed
    row's document is validated again (nothing conflicted)."""
    from cbec.trade.subjects import subject_ref

    rng = random.Random(21)
    docs = [make_order(rng, i) for i in range(6)]
    viewer = parties["seller-a"].viewer
    monkeypatch.setattr(checking, "KEEP", 100)
    bulk.import_documents(rt.uow(), viewer, _request(jsonl(docs)))
    monkeypatch.setattr(checking, "KEEP", 0)
    validated = {"n": 0}
    real = checking.PackedCandidate.doc.fget

    def counting(self):
        validated["n"] += self._doc is None
        return real(self)

    monkeypatch.setattr(checking.PackedCandidate, "doc", property(counting, real_setter))
    packed = [dict(o, order_no=f"{o['order_no']}-P") for o in docs]
    out = bulk.import_documents(rt.uow(), viewer, _request(jsonl(packed)))
    assert out["created"] == 6 and validated["n"] == 0
    stored = _stored_orders(rt)
    order = KINDS["order"]
    for raw in docs:
        a, b = stored[raw["order_no"]], stored[raw["order_no"] + "-P"]
        assert {**a["body"], "order_no": "-"} == {**b["body"], "order_no": "-"}
        assert a["subject_ref"] == b["subject_ref"] is not None
        assert a["placed_at"] == b["placed_at"] is not None
        fresh = checking.read(order, dict(raw, order_no=raw["order_no"] + "-P")).doc
        with rt.uow() as uow:
            assert b["fingerprint"] == uow.vault.fingerprint(canonical_bytes(fresh.model_dump()))
            assert b["subject_ref"] == subject_ref(uow.vault, order, fresh)


real_setter = checking.PackedCandidate.doc.fset


def test_a_packed_row_that_conflicts_names_the_fields_that_differ(rt, parties, monkeypatch):
    """A packed row whose key is stored with other content: its document is validated from
    its JSON to compare, and the differing fields are named as for any row."""
    rng = random.Random(22)
    docs = [make_order(rng, i) for i in range(3)]
    viewer = parties["seller-a"].viewer
    bulk.import_documents(rt.uow(), viewer, _request(jsonl(docs)))
    monkeypatch.setattr(checking, "KEEP", 0)
    changed = dict(docs[1], note="a different note")
    out = bulk.import_documents(
        rt.uow(), viewer, _request(jsonl([docs[0], changed, docs[2]]), continue_on_error=True)
    )
    assert out["unchanged"] == 2 and out["rejected"] == 1
    (problem,) = out["rejects"]
    assert problem["row"] == 2 and "note" in str(problem), problem
