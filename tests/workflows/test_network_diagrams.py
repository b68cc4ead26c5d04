"""The network mentoring diagrams (workflows/network_grouping.bpmn, network_program.bpmn) run on the project's
runtime with a fixed clock, the state serialized and restored after every step: a group's list handed to the
mentor and the mentor's work plan (004 III.4, III.5); a trainee's year — the development plan returned and
agreed, the review only at the end of the academic year (004 IV.1), and the plan's development cut short when
the year ends first."""
from __future__ import annotations

import pytest

from engine.workflow import load_process
from tests.workflows.test_diagrams import RULESETS, Run, _bytes, registry  # noqa: F401 - the fixture

YEAR = {"regulation": "yakutsk", "rulesets": {"mentor_eligibility": "network_mentor_yakutsk"}, "member_id": 1,
        "group_id": 1, "trainee_id": 11, "mentor_id": 7, "direction": "Функциональная грамотность",
        "review_opens_at": "2026-05-01T00:00:00+09:00", "review_due_at": "2026-05-31T00:00:00+09:00",
        "year_ends_on": "2026-08-31"}
START = "2025-10-01T02:00:00+00:00"


@pytest.fixture(scope="module")
def network_specs():
    return {name: load_process(_bytes(name), f"{name}.bpmn", known_rulesets=RULESETS)
            for name in ("network_grouping", "network_program")}


def test_the_list_reaches_the_mentor_who_plans_the_year(network_specs, registry):
    run = Run(network_specs["network_grouping"], {"regulation": "yakutsk", "rulesets": {},
                                                  "direction": "Функциональная грамотность",
                                                  "academic_year": "2025/2026"}, registry, start=START)
    run.complete("Task_form_group", lane="Куратор", form="form_network_group", mentor_id=7,
                 direction="Функциональная грамотность", trainee_ids=[11, 12], comment="")
    assert run.data["list_handed_on"] == "2025-10-01"  # 004 III.4: the list handed to the network mentor
    run.complete("Task_work_plan", lane="Наставник", form="mentor_work_plan", work_plan="Октябрь: консультации …")
    assert run.done and "EndEvent_grouping" in run.completed  # no consent, no order: 004 III.4 asks for neither


def test_a_trainees_year_plan_returned_agreed_then_the_review_at_the_years_end(network_specs, registry):
    run = Run(network_specs["network_program"], dict(YEAR), registry, start=START)
    run.complete("Task_development_plan", lane="Наставляемый", form="development_plan", goals="Цели", actions="Шаги")
    run.complete("Task_accept_plan", lane="Наставник", form="accept_development_plan", approved=False,
                 comment="Добавьте сроки")
    assert run.ready_ids() == ["Task_development_plan"]  # 004 IV.1: the mentor accompanies the plan's development
    run.complete("Task_development_plan", goals="Цели", actions="Шаги и сроки")
    run.complete("Task_accept_plan", approved=True, comment="")
    assert run.ready_ids() == [] and not run.done
    assert run.at("2026-04-30T14:59:00+00:00") == 0  # the academic year is not over: no review yet (004 IV.1)
    assert run.ready_ids() == []
    assert run.at("2026-04-30T15:00:00+00:00") == 1  # 1 May, 00:00 in Yakutsk
    run.complete("Task_trainee_review", lane="Наставник", form="trainee_review", plan_fulfilled=True, fulfilment="…",
                 business_qualities="…", readiness="ready", activity_results="")
    assert run.done and "EndEvent_program" in run.completed and "Event_year_end_plan" not in run.completed
    assert run.data["year_closed_on"] == "2026-04-30"


def test_the_years_end_cuts_short_a_plan_never_agreed(network_specs, registry):
    run = Run(network_specs["network_program"], dict(YEAR), registry, start=START)
    run.complete("Task_development_plan", goals="Цели", actions="Шаги")
    assert run.ready_ids() == ["Task_accept_plan"]
    assert run.at("2026-05-02T00:00:00+00:00") == 1
    assert run.ready_ids() == ["Task_trainee_review"]  # the review still comes: the plan was not carried out
    assert "Event_year_end_plan" in run.completed and "EndEvent_plan" not in run.completed
