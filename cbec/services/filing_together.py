"""Many single filings at once: the requests that arrived together, filed as chunks.

A server filing one ``POST /orders`` at a time pays, for each, what a bulk import pays once
per chunk: a read transaction, the rule set and list look-ups, a write with its own ledger
append and a dozen statements — and, the larger part, a processor whose caches hold the
HTTP layer's and SQLite's code rather than validation's and the compliance engine's
(measured in process on one core, 2026-12-07: the same ``evaluate`` call costs 550 µs in a
single filing, 240 µs an order in a bulk import and 290 µs when called twice in a row).
:func:`file_together` takes the requests that queued while the last batch was being filed
(:meth:`cbec.api.turns.Turns.batched`) and files them as a bulk import files a chunk: one
read transaction in which every request is validated, sealed and checked, one chunk per
caller and kind; then each chunk's writes as one work of the group commit
(:meth:`cbec.store.group_commit.GroupCommit.run_all`) — one ledger append, one insert of
each table, one fsync for them all. In process, eight orders filed together cost 1.2–1.6 ms
an order against 2.4–2.8 ms one at a time; how many arrive together depends on the load and
on the HTTP layer (``bench/http_orders.py``: 3.3 a batch on average with 16 clients).

Each request is answered exactly as :func:`cbec.services.documents.file_document` would
answer it alone — same status, same body, same error — because the steps are the same
(:class:`~cbec.services.documents.Filing`; :func:`cbec.trade.filing.write_each` answers
each candidate of a chunk as ``write_one`` would): only the order of the work changes. Where
sharing a chunk could change an answer, the request is filed alone, after the others:

* two requests of the batch with the same natural key (the second must see the first);
* two requests naming the same new person (one key is made for a person, by one writer);
* every request of a chunk whose preparation or write failed — a unique-key race with
  another process, an order the checks cannot read — each then meets its own error, or
  none, in its own filing (the failed write was rolled back whole: nothing of it stays).

A sandbox budget is carried from order to order through a chunk, as in a bulk import; if
the chunk written is not the chunk decided (a request answered meanwhile, one set apart),
the orders are decided again under the lock (:meth:`cbec.services.checks.Checked.holds`),
as a filing whose budget moved meanwhile is.
"""

from __future__ import annotations

import contextvars
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cbec.errors import Conflict
from cbec.services.checks import OrderChecks
from cbec.services.documents import Filed, FileRequest, Filing, file_document
from cbec.store.group_commit import group_of
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.trade import filing
from cbec.trade.checking import Candidate
from cbec.trade.ports import FreshVersion

Item = tuple[UnitOfWork, Viewer, FileRequest]
Outcome = Filed | Exception


def file_together(
    items: Sequence[Item],
    contexts: Sequence[contextvars.Context | None] | None = None,
    ready: Callable[[], None] | None = None,
) -> list[Outcome]:
    """Each item filed (see the module doc): its :class:`Filed`, or the exception
    :func:`~cbec.services.documents.file_document` would have raised for it, in order.
    ``contexts`` (one per item) are what each request's write runs in — its request id in
    the logs — as its own thread would have. ``ready`` is called when the read step is
    done and the writes begin (the server starts preparing the next batch then)."""
    contexts = list(contexts) if contexts is not None else [None] * len(items)
    out: list[Outcome | None] = [None] * len(items)
    filings: dict[int, Filing] = {}
    for i, (uow, caller, req) in enumerate(items):
        try:
            filings[i] = Filing.of(uow, caller, req)
        except Exception as exc:  # unreadable body, unknown kind: answered as alone
            out[i] = exc
    alone: list[int] = []
    chunks: list[_Chunk] = []
    if filings:
        chunks = _prepare(items[next(iter(filings))][0], filings, out, alone)
    if ready is not None:
        ready()
    alone += _write(chunks, contexts, out)
    for i in sorted(alone):
        uow, caller, req = items[i]
        context = contexts[i] or contextvars.copy_context()
        try:
            out[i] = context.run(file_document, uow, caller, req)
        except Exception as exc:
            out[i] = exc
    assert all(o is not None for o in out)
    return out  # type: ignore[return-value]


@dataclass
class _Chunk:
    """One caller's filings of one kind, prepared together: their places in the batch, their
    candidates, and the chunk's preparation."""

    filings: list[tuple[int, Filing]]
    candidates: list[Candidate]
    prepared: filing.Prepared


def _prepare(
    lead: UnitOfWork, filings: dict[int, Filing], out: list[Outcome | None], alone: list[int]
) -> list[_Chunk]:
    """The read step of every filing, in one read transaction: replays answered, the rest
    checked, then prepared in one chunk per caller and kind."""
    groups: dict[tuple[int, str], list[tuple[int, Candidate]]] = {}
    chunks: list[_Chunk] = []
    with lead as uow:
        for i, f in filings.items():
            try:
                if (seen := f.replayed(uow)) is not None:
                    out[i] = seen
                    continue
                candidate = f.check(uow)
            except Exception as exc:
                out[i] = exc
                continue
            groups.setdefault((f.caller.tenant_id, f.kind.name), []).append((i, candidate))
        for members in groups.values():
            first = filings[members[0][0]]
            try:
                prepared = filing.prepare_chunk(
                    uow.vault, first.caller, first.kind, [c for _, c in members], OrderChecks(uow)
                )
            except Exception:  # one request's trouble: each finds its own, alone
                alone.extend(i for i, _ in members)
                continue
            people: set[str] = set()
            keep: list[int] = []
            for pos, (i, _) in enumerate(members):
                subject = prepared.subjects.get(pos)
                new_person = subject in prepared.person_keys
                if pos not in prepared.versions or (new_person and subject in people):
                    alone.append(i)  # a key or a new person an earlier request has
                    continue
                if new_person:
                    people.add(subject)  # type: ignore[arg-type]
                keep.append(pos)
            chunks.append(
                _Chunk(
                    [(members[p][0], filings[members[p][0]]) for p in keep],
                    [members[p][1] for p in keep],
                    _subset(prepared, keep),
                )
            )
    return chunks


def _subset(prepared: filing.Prepared, places: list[int]) -> filing.Prepared:
    """The chunk's preparation of the candidates at ``places``, renumbered from 0."""
    subjects = {n: prepared.subjects.get(p) for n, p in enumerate(places)}
    keys = {s: prepared.person_keys[s] for s in subjects.values() if s in prepared.person_keys}
    versions = {n: prepared.versions[p] for n, p in enumerate(places)}
    return filing.Prepared(prepared.at, versions, prepared.checked, subjects, keys)


def _write(
    chunks: list[_Chunk], contexts: list[contextvars.Context | None], out: list[Outcome | None]
) -> list[int]:
    """Each chunk's writes as one work, handed to the group commit together (SQLite), or one
    transaction each (PostgreSQL, which groups concurrent commits itself). A chunk whose
    write fails — a unique-key race with another process, say — is rolled back whole, and
    its filings are returned, to be filed again alone (as :func:`file_document` retries)."""
    chunks = [c for c in chunks if c.filings]
    works = [
        (c.filings[0][1].uow, _writer(c), contexts[c.filings[0][0]], len(c.filings)) for c in chunks
    ]
    group = group_of(works[0][0].engine) if works else None
    answered: list[Any] = []
    if group is not None:
        answered = [w.error if w.error is not None else w.result for w in group.run_all(works)]
    else:
        for uow, fn, context, _ in works:
            try:
                answered.append((context or contextvars.copy_context()).run(uow.grouped, fn))
            except Exception as exc:
                answered.append(exc)
    again: list[int] = []
    for chunk, answers in zip(chunks, answered, strict=True):
        if isinstance(answers, Exception):
            again += [i for i, _ in chunk.filings]
        else:
            for (i, _), answer in zip(chunk.filings, answers, strict=True):
                out[i] = answer
    return again


def _writer(chunk: _Chunk) -> Any:
    def write(uow: UnitOfWork) -> list[Outcome]:
        answers: list[Outcome | None] = []
        todo: list[int] = []
        for n, (_, f) in enumerate(chunk.filings):
            try:
                answers.append(f.replayed(uow))  # the same key, filed meanwhile
            except Conflict as exc:
                answers.append(exc)
            if answers[-1] is None:
                todo.append(n)
        prepared = _subset(chunk.prepared, todo)
        if prepared.checked is not None:  # made through the read step's unit of work
            prepared.checked = dataclasses.replace(prepared.checked, uow=uow)
        first = chunk.filings[0][1]
        fresh: dict[str, FreshVersion] = {}
        written = filing.write_each(
            uow.repo,
            uow.vault,
            first.caller,
            first.kind,
            [chunk.candidates[n] for n in todo],
            OrderChecks(uow),
            prepared,
            fresh,
        )
        for n, result in zip(todo, written, strict=True):
            f = chunk.filings[n][1]
            answers[n] = result if isinstance(result, Conflict) else f.answer(uow, *result, fresh)
        return answers  # type: ignore[return-value]

    return write
