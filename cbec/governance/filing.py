"""A record's filing state, what changed between two versions, its public part and its
filing-ready export.

State: a record never filed is a **draft** (due within 10 working days of its launch date,
when it has one); once filed with the number the filing system gave, it is **filed** while
its current version is the one filed; a change after that makes it **refiling due**, within
10 working days of the first change not yet refiled (Art. 24 para. 2) — counted on the
Chinese working-day calendar (:mod:`.workdays`) — and **overdue** past that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from cbec.governance import rules, workdays
from cbec.governance.record import AlgorithmRecordIn

State = Literal["draft", "filed", "refiling_due"]
FORMAT = "cbec.algorithm-filing/v1"

#: The filing system's sections (as vendor guides describe them; unverified) and the
#: record's fields each one holds, then the DSA Art. 27 statement.
SECTIONS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "entity": ({"zh": "主体信息", "en": "Entity information"}, ("provider",)),
    "algorithm_basics": (
        {"zh": "算法基础属性信息", "en": "Algorithm basics"},
        (
            "name",
            "algorithm_type",
            "application_domain",
            "launch_date",
            "self_assessment",
            "public_text",
        ),
    ),
    "algorithm_details": (
        {"zh": "算法详细属性信息", "en": "Algorithm details"},
        ("purpose", "model", "data_sources", "risks"),
    ),
    "product": (
        {"zh": "产品及功能信息", "en": "Product and function"},
        ("product", "service_form"),
    ),
    "recommender_transparency": (
        {
            "zh": "推荐系统透明度（欧盟《数字服务法》第27条）",
            "en": "Recommender transparency (DSA Art. 27)",
        },
        ("main_parameters", "user_controls", "non_profiling_option", "tag_management"),
    ),
}

#: The fields the public page shows (everything else stays with the provider and the
#: regulators).
PUBLIC_FIELDS = (
    "name",
    "algorithm_type",
    "application_domain",
    "service_form",
    "public_text",
    "main_parameters",
    "user_controls",
    "non_profiling_option",
    "tag_management",
)


@dataclass(frozen=True)
class FilingState:
    state: State
    due_by: date | None  # the filing (draft with a launch date) or refiling deadline
    overdue: bool
    calendar_covered: bool  # False: the deadline falls in a year the calendar has no notice of


def state_of(
    *,
    version: int,
    filed_version: int | None,
    launch_date: date | None,
    pending_since: date | None,
    today: date,
) -> FilingState:
    """The record's state on ``today`` (a date in China)."""
    if filed_version is None:
        if launch_date is None:
            return FilingState("draft", None, False, True)
        return _due("draft", "launch", launch_date, today)
    if filed_version == version or pending_since is None:
        return FilingState("filed", None, False, True)
    return _due("refiling_due", "change", pending_since, today)


def _due(state: State, event: str, since: date, today: date) -> FilingState:
    """Due ``n`` working days after ``since`` — or, for an event before the provisions were
    in force, after their first day in force."""
    since = max(since, rules.first_in_force(event))
    days, _source = rules.deadline_days(event, since)
    due = workdays.add_working_days(since, days)
    return FilingState(state, due, today > due, workdays.covered(due))


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The record's top-level fields whose values differ, in the record's field order."""
    return [f for f in AlgorithmRecordIn.model_fields if before.get(f) != after.get(f)]


def public_part(body: dict[str, Any]) -> dict[str, Any]:
    """The fields of a stored record body the public page shows, and the provider's name."""
    out = {f: body.get(f) for f in PUBLIC_FIELDS}
    out["provider"] = (body.get("provider") or {}).get("legal_name")
    return out


def export(
    body: dict[str, Any], *, meta: dict[str, Any], change_log: list[dict[str, Any]]
) -> dict[str, Any]:
    """The filing-ready JSON of a stored record body: the filing system's sections, each
    with its Chinese and English title, then the change log; ``meta`` (id, version, state,
    filing number, deadlines) at the top."""
    on = date.fromisoformat(str(meta.get("as_of")))
    types = rules.algorithm_types(on)
    sections: dict[str, Any] = {}
    for key, (title, fields) in SECTIONS.items():
        sections[key] = {"title": title} | {f: body.get(f) for f in fields}
    kind = types.get(str(body.get("algorithm_type")))
    if kind is not None:
        sections["algorithm_basics"]["algorithm_type_label"] = {"zh": kind.zh, "en": kind.en}
    return {"format": FORMAT, **meta, "sections": sections, "change_log": change_log}
