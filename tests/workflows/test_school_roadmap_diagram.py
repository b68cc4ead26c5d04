"""workflows/school_roadmap.bpmn on its own (no database): generic over a calendar roadmap's events as data; a
roadmap without an interim analysis skips that step (004 прил. 3, the ДОУ's roadmap, has none), the head marks
the events whose role is head, and the completion ends every open task of the year."""
from __future__ import annotations

from tests.workflows.test_diagrams import Run, specs  # noqa: F401 - the module's fixture

START = "2025-09-01T00:00:00+00:00"


def _event(key: str, role: str, overdue_at: str) -> dict:
    return {"key": key, "number": key, "name": f"Мероприятие {key}", "role": role, "due_on": overdue_at[:10],
            "overdue_at": overdue_at, "opens_on": "2025-09-01", "opens_at": START}


def _year(interim: dict | None) -> dict:
    return {"regulation": "yakutsk", "rulesets": {}, "roadmap_id": "any", "academic_year": 2025,
            "year_label": "2025/2026",
            "events": [_event("1.1", "curator", "2025-10-01T00:00:00+00:00"),
                       _event("1.2", "head", "2025-11-01T00:00:00+00:00"),
                       _event("9.1", "head", "2026-09-01T00:00:00+00:00")],  # no due date: the year's end
            "interim": interim,
            "completion": {"key": "8.1", "due_on": "2026-05-31", "opens_at": "2026-05-01T00:00:00+00:00",
                           "overdue_at": "2026-06-01T00:00:00+00:00"}}


def test_without_an_interim_analysis_the_completion_follows_and_ends_every_open_task(specs):  # noqa: F811
    run = Run(specs["school_roadmap"], _year(None), None, start=START)
    assert run.ready_ids() == ["Task_event_done_curator", "Task_event_done_head", "Task_event_done_head"]
    run.complete("Task_event_done_curator", "Куратор", "roadmap_event_done", evidence="Протокол № 1")
    assert run.at("2025-11-01T00:00:00+00:00") == 1  # 1.2 late: the head's escalation beside its task
    assert sorted(t.element_id for t in run.ready()) == ["Task_event_done_head", "Task_event_done_head",
                                                         "Task_event_overdue"]
    overdue = run.task("Task_event_overdue", "Руководитель", "roadmap_overdue")
    assert overdue.data["overdue"]["key"] == "1.2" and overdue.data["due_on"] == "2025-11-01"
    assert run.at("2026-04-30T00:00:00+00:00") == 0
    assert run.at("2026-05-01T00:00:00+00:00") == 1  # no January step: May's opens
    run.complete("Task_completion", "Куратор", "roadmap_completion", pairs_completed=2, effectiveness="Выросли")
    assert run.done and run.ready() == []
    assert "Task_interim_analysis" not in run.completed and "EndEvent_year_closed" in run.completed


def test_the_interim_analysis_waits_for_its_month_and_is_escalated_when_late(specs):  # noqa: F811
    interim = {"key": "7.2", "due_on": "2026-01-31", "opens_at": "2026-01-01T00:00:00+00:00",
               "overdue_at": "2026-02-01T00:00:00+00:00"}
    run = Run(specs["school_roadmap"], _year(interim), None, start=START)
    run.at("2025-12-31T23:59:00+00:00")
    assert "Task_interim_analysis" not in run.ready_ids()
    run.at("2026-01-01T00:00:00+00:00")
    assert run.task("Task_interim_analysis", "Куратор").data["due_on"] == "2026-01-31"
    run.at("2026-02-01T00:00:00+00:00")
    assert run.task("Task_interim_overdue", "Руководитель").data["overdue"]["key"] == "7.2"
    run.complete("Task_interim_analysis", pairs_working=3, state="Работают три пары")
    assert run.at("2026-05-01T00:00:00+00:00") >= 1
    assert "Task_completion" in run.ready_ids()
