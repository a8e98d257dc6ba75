"""The use cases of changing what was published: a publisher changes its profile (its
personal parts sealed again), withdraws it and publishes it again; a seller changes, closes
and opens again its project. Anyone else finds nothing; a bad field is named; the ledger
names the fields changed and never a personal value. The match scores every published
profile, however many, a batch at a time."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from cbec.errors import Conflict, DocumentInvalid, NotFound
from cbec.privacy.fieldcrypt import KeyRing
from cbec.services import talent as svc
from cbec.services import talent_edits as edits
from cbec.services import talent_matching as matching
from cbec.services import talent_models as m
from cbec.store.tables import talent_events, talent_experts
from cbec.store.talent_store import TalentStore
from tests.talent.world import EXPERT, OTHER, PROJECT

SECRETS = ("Li Hua", "lihua@example.cn", "1X-2023-000417", "Li Hua Zhang", "li.hua@example.org")


def _entries(rt, subject: str) -> list[tuple[str, dict]]:
    """(event, ledger entry) of a subject, in order."""
    with rt.uow() as uow:
        q = select(talent_events).where(talent_events.c.subject == subject)
        rows = list(uow.conn.execute(q.order_by(talent_events.c.id)))
    return [(r.event, json.loads(r.entry)) for r in rows]


def _body_of(entry: dict) -> dict:
    """The entry's body: the object holding its ``event``, wherever the envelope puts it."""
    if "event" in entry:
        return entry
    for value in entry.values():
        if isinstance(value, dict) and (found := _body_of(value)):
            return found
    return {}


def _published(rt, parties, who: str = "ship-a", body: dict = EXPERT) -> m.ExpertView:
    return svc.publish_expert(rt.uow(), parties[who].viewer, m.ExpertRequest.model_validate(body))


def test_the_publisher_changes_its_profile_and_the_ledger_names_fields_only(rt, parties):
    x = _published(rt, parties)
    ship = parties["ship-a"].viewer
    change = m.ExpertChange(
        name="Li Hua Zhang",
        contact="li.hua@example.org",
        certificates=[
            m.Certificate(kind="1x_cbec_b2b_data_ops", issuer="Alibaba.com", number="1X-2025-9")
        ],
        days_per_week=3,
    )
    changed = edits.edit_expert(rt.uow(), ship, x.id, change)
    assert (changed.name, changed.contact, changed.days_per_week) == (
        "Li Hua Zhang",
        "li.hua@example.org",
        3,
    )
    assert [c.number for c in changed.certificates] == ["1X-2025-9"]
    # the fields not given stay
    assert (changed.headline, changed.skills) == (x.headline, x.skills)
    assert changed.day_rate == x.day_rate and changed.updated_at is not None
    with rt.uow() as uow:
        row = uow.conn.execute(select(talent_experts)).one()
    assert KeyRing.is_token(row.name) and KeyRing.is_token(row.contact)
    assert "1X-2025-9" not in row.certificates and "Zhang" not in row.name
    events = _entries(rt, f"expert:{x.id}")
    assert [e for e, _ in events] == ["published", "edited"]
    body = _body_of(events[-1][1])
    assert body["fields"] == ["certificates", "contact", "days_per_week", "name"]
    for _, entry in events:
        text = json.dumps(entry, ensure_ascii=False)
        for secret in (*SECRETS, "1X-2025-9"):
            assert secret not in text
    # nothing given: nothing changes, nothing is logged
    edits.edit_expert(rt.uow(), ship, x.id, m.ExpertChange())
    assert len(_entries(rt, f"expert:{x.id}")) == 2


def test_anyone_else_finds_nothing_to_change(rt, parties):
    x = _published(rt, parties)
    project = svc.post_project(
        rt.uow(), parties["seller-a"].viewer, m.ProjectRequest.model_validate(PROJECT)
    )
    ghost = "f" * 32
    for who in ("seller-b", "platform-a", "regulator"):
        viewer = parties[who].viewer
        for ident in (x.id, ghost):
            with pytest.raises(NotFound):
                edits.edit_expert(rt.uow(), viewer, ident, m.ExpertChange(headline="mine now"))
            with pytest.raises(NotFound):
                edits.show_own_expert(rt.uow(), viewer, ident)
        for ident in (project.id, ghost):
            with pytest.raises(NotFound):
                edits.edit_project(rt.uow(), viewer, ident, m.ProjectChange(closed=True))
    assert svc.show_expert(rt.uow(), parties["ship-a"].viewer, x.id).headline == x.headline
    assert len(_entries(rt, f"project:{project.id}")) == 1


def test_a_bad_change_names_each_field(rt, parties):
    x = _published(rt, parties)
    bad = m.ExpertChange(
        skills=["customs_compliance", "juggling"],
        languages=["xx"],
        certificates=[m.Certificate(kind="nope", issuer="x", number="1")],
    )
    with pytest.raises(DocumentInvalid) as refused:
        edits.edit_expert(rt.uow(), parties["ship-a"].viewer, x.id, bad)
    assert {(d["field"], d["rule"]) for d in refused.value.details()} == {
        ("skills[1]", "talent_unknown_code"),
        ("languages[0]", "talent_unknown_code"),
        ("certificates[0].kind", "talent_unknown_code"),
    }
    seller = parties["seller-a"].viewer
    project = svc.post_project(rt.uow(), seller, m.ProjectRequest.model_validate(PROJECT))
    # the project runs 2026-01-01 to 2026-03-01: starting after it ends is refused by the end
    late = m.ProjectChange.model_validate({"starts_on": "2026-04-01"})
    with pytest.raises(DocumentInvalid) as refused:
        edits.edit_project(rt.uow(), seller, project.id, late)
    assert [(d["field"], d["rule"]) for d in refused.value.details()] == [
        ("ends_on", "talent_period")
    ]
    unknown = m.ProjectChange.model_validate({"skills": [{"code": "juggling"}]})
    with pytest.raises(DocumentInvalid) as refused:
        edits.edit_project(rt.uow(), seller, project.id, unknown)
    assert [d["field"] for d in refused.value.details()] == ["skills[0]"]
    assert svc.show_project(rt.uow(), seller, project.id).starts_on.isoformat() == "2026-01-01"


def test_withdrawing_and_closing_are_logged_and_take_effect(rt, parties):
    x = _published(rt, parties)
    ship, seller = parties["ship-a"].viewer, parties["seller-a"].viewer
    project = svc.post_project(rt.uow(), seller, m.ProjectRequest.model_validate(PROJECT))
    edits.edit_expert(rt.uow(), ship, x.id, m.ExpertChange(withdrawn=True))
    assert svc.list_experts(rt.uow(), seller).experts == []
    with pytest.raises(NotFound):
        svc.show_expert(rt.uow(), seller, x.id)
    assert matching.match_project(rt.uow(), seller, project.id).matches == []
    mine = svc.list_experts(rt.uow(), ship, mine=True).experts
    assert [(e.id, e.withdrawn_at is not None) for e in mine] == [(x.id, True)]
    edits.edit_expert(rt.uow(), ship, x.id, m.ExpertChange(withdrawn=False))
    assert [e.id for e in svc.list_experts(rt.uow(), seller).experts] == [x.id]
    edits.edit_project(rt.uow(), seller, project.id, m.ProjectChange(closed=True))
    with pytest.raises(Conflict) as refused:
        matching.match_project(rt.uow(), seller, project.id)
    assert refused.value.rule == "talent_project_closed"
    edits.edit_project(rt.uow(), seller, project.id, m.ProjectChange(closed=False, title="T2"))
    assert matching.match_project(rt.uow(), seller, project.id).matches[0].expert_id == x.id
    assert [e for e, _ in _entries(rt, f"expert:{x.id}")] == [
        "published",
        "withdrawn",
        "republished",
    ]
    events = _entries(rt, f"project:{project.id}")
    # the refused match is not logged: its transaction is rolled back
    assert [e for e, _ in events] == ["posted", "matched", "closed", "reopened", "matched"]
    assert _body_of(events[2][1])["fields"] == ["closed"]
    assert _body_of(events[3][1])["fields"] == ["closed", "title"]


def test_the_match_scores_every_profile_beyond_the_first_batches(rt, parties):
    """602 profiles: the best is the oldest (a match over the newest 500 missed it), the
    second best the newest; the 600 between score 35.00 each (hand-computed below)."""
    best = _published(rt, parties)
    ship = parties["ship-a"].viewer
    between = best.published_at + timedelta(microseconds=1)  # one instant: ties broken by id
    ids = sorted(uuid.uuid4().hex for _ in range(600))
    with rt.uow(write=True) as uow:
        seal = uow.vault.seal_value
        rows = [
            {
                "id": i,
                "owner_tenant_id": ship.tenant_id,
                "name": seal(svc.EXPERT, i, "name", f"Expert {n}"),
                "contact": seal(svc.EXPERT, i, "contact", f"e{n}@example.cn"),
                "headline": f"Marketing generalist {n}",
                "skills": json.dumps(["digital_marketing"]),
                "languages": json.dumps(["es"]),
                "certificates": "[]",
                "day_rate": "800.00",
                "currency": "CNY",
                "days_per_week": 4,
                "published_at": between,
            }
            for n, i in enumerate(ids)
        ]
        TalentStore(uow.conn).add_experts(rows)
        uow.commit()
    newest = _published(rt, parties, "seller-b", OTHER)
    with rt.uow() as uow:
        batches = [[r.id for r in b] for b in TalentStore(uow.conn).published_batches()]
    assert [len(b) for b in batches] == [200, 200, 200, 2]
    assert [i for b in batches for i in b] == [best.id, *ids, newest.id]
    seller = parties["seller-a"].viewer
    project = svc.post_project(rt.uow(), seller, m.ProjectRequest.model_validate(PROJECT))
    found = matching.match_project(rt.uow(), seller, project.id, limit=100).matches
    # the newest: skills 45 × 6/6, languages 15 × 2/2, certificates 0, rating 10 × 1/2,
    # budget 0 (a rate in USD), availability 5 × 1 = 70.00; each of the 600: skills
    # 45 × 1/6 = 7.50, languages 15 × 1/2 = 7.50, certificates 0, rating 5.00, budget 10 × 1
    # (800 within 1000), availability 5 × 4/4 = 35.00, ranked by id
    assert [(s.expert_id, str(s.total)) for s in found[:2]] == [
        (best.id, "75.83"),
        (newest.id, "70.00"),
    ]
    assert [(s.expert_id, str(s.total)) for s in found[2:]] == [(i, "35.00") for i in ids[:98]]
