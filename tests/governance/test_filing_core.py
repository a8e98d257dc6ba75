"""The registry's core: the record's rules, its filing state and deadlines, the change log's
field list, the public part and the filing-ready export."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from cbec.governance import filing, rules
from cbec.governance.record import AlgorithmRecordIn, problems
from tests.governance.records import record


def test_the_five_cac_types_with_their_labels():
    types = rules.algorithm_types(date(2026, 1, 1))
    assert {c: t.zh for c, t in types.items()} == {
        "generative_synthesis": "生成合成类",
        "personalised_push": "个性化推送类",
        "ranking_selection": "排序精选类",
        "search_filtering": "检索过滤类",
        "scheduling_decision": "调度决策类",
    }
    assert types["ranking_selection"].label("en") == "Ranking and selection"
    assert rules.deadline_days("change", date(2026, 1, 1))[0] == 10
    assert rules.deadline_days("end", date(2026, 1, 1))[0] == 20


def test_a_valid_record_has_no_problems():
    assert problems(AlgorithmRecordIn.model_validate(record())) == []


def test_each_rule_names_its_field():
    body = record(algorithm_type="magic")
    body["main_parameters"][1] = body["main_parameters"][1] | {"rank": 1}
    body["data_sources"][0] = body["data_sources"][0] | {"sensitive": True, "lawful_basis": None}
    body["non_profiling_option"] = {"available": True, "description": ""}
    found = {(v.field, v.rule) for v in problems(AlgorithmRecordIn.model_validate(body))}
    assert found == {
        ("algorithm_type", "algorithm_type_unknown"),
        ("main_parameters[1].rank", "parameter_rank_repeated"),
        ("data_sources[0].lawful_basis", "sensitive_basis_missing"),
        ("non_profiling_option.description", "non_profiling_undescribed"),
    }


def test_the_model_refuses_unknown_fields_and_empty_lists():
    with pytest.raises(ValidationError) as err:
        AlgorithmRecordIn.model_validate(record(main_parameters=[], colour="red"))
    assert {e["loc"][0] for e in err.value.errors()} == {"main_parameters", "colour"}


def test_a_draft_without_a_launch_date_has_no_deadline():
    state = filing.state_of(
        version=1, filed_version=None, launch_date=None, pending_since=None, today=date(2026, 1, 5)
    )
    assert (state.state, state.due_by, state.overdue) == ("draft", None, False)


def test_a_launched_draft_is_due_ten_working_days_after_launch():
    # launched Fri 2025-09-26: due Thu 2025-10-16 (the National Day week and its make-up
    # days counted as tests/governance/test_workdays.py lays them out)
    kw = {"version": 1, "filed_version": None, "launch_date": date(2025, 9, 26)}
    on_time = filing.state_of(**kw, pending_since=None, today=date(2025, 10, 16))
    late = filing.state_of(**kw, pending_since=None, today=date(2025, 10, 17))
    assert (on_time.state, on_time.due_by, on_time.overdue) == ("draft", date(2025, 10, 16), False)
    assert late.overdue


def test_a_change_after_filing_is_due_for_refiling():
    filed = filing.state_of(
        version=2, filed_version=2, launch_date=None, pending_since=None, today=date(2026, 3, 1)
    )
    assert (filed.state, filed.due_by) == ("filed", None)
    kw = {"version": 3, "filed_version": 2, "launch_date": None}
    due = filing.state_of(**kw, pending_since=date(2026, 2, 13), today=date(2026, 3, 5))
    assert (due.state, due.due_by, due.overdue) == ("refiling_due", date(2026, 3, 5), False)
    assert filing.state_of(**kw, pending_since=date(2026, 2, 13), today=date(2026, 3, 6)).overdue


def test_changed_fields_in_record_order():
    before = AlgorithmRecordIn.model_validate(record()).model_dump(mode="json")
    after = before | {"public_text": {"zh": "新", "en": "new"}, "name": "Feed v2"}
    assert filing.changed_fields(before, after) == ["name", "public_text"]
    assert filing.changed_fields(before, dict(before)) == []


def test_the_public_part_leaves_the_private_fields_out():
    body = AlgorithmRecordIn.model_validate(record()).model_dump(mode="json")
    part = filing.public_part(body)
    assert part["provider"] == "Example Mall Ltd"
    assert part["main_parameters"][0]["reason_for_importance"]
    for private in ("self_assessment", "model", "data_sources", "risks", "product"):
        assert private not in part
    assert "Chief technology officer" not in str(part)


def test_the_export_is_in_the_filing_systems_sections():
    body = AlgorithmRecordIn.model_validate(record()).model_dump(mode="json")
    out = filing.export(body, meta={"id": "x", "as_of": "2026-01-05"}, change_log=[])
    sections = out["sections"]
    assert list(sections) == [
        "entity",
        "algorithm_basics",
        "algorithm_details",
        "product",
        "recommender_transparency",
    ]
    assert sections["entity"]["title"]["zh"] == "主体信息"
    assert sections["entity"]["provider"]["security_owner"] == "Chief technology officer"
    assert sections["algorithm_basics"]["algorithm_type_label"]["zh"] == "个性化推送类"
    assert sections["algorithm_details"]["risks"][0]["mitigation"]
    assert sections["recommender_transparency"]["non_profiling_option"]["available"] is True
    # every field of the record is in exactly one section
    placed = [f for _t, fields in filing.SECTIONS.values() for f in fields]
    assert sorted(placed) == sorted(AlgorithmRecordIn.model_fields)


def test_a_service_launched_before_the_provisions_is_due_after_they_came_into_force():
    # in force Tue 2022-03-01: 10 working days later is Tue 2022-03-15
    state = filing.state_of(
        version=1,
        filed_version=None,
        launch_date=date(2021, 6, 1),
        pending_since=None,
        today=date(2022, 3, 15),
    )
    assert (state.due_by, state.overdue) == (date(2022, 3, 15), False)


def test_a_launch_date_outside_the_range_is_refused():
    with pytest.raises(ValidationError) as err:
        AlgorithmRecordIn.model_validate(record(launch_date="9999-12-31"))
    assert err.value.errors()[0]["loc"] == ("launch_date",)
