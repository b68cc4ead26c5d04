"""The curator approving a stage report is one cheap step: the same small number of statements whatever else the
department holds (other programs and their reports) and however long the program's own history (reports returned
again and again) — the step reads the instance, the program with its people and the waiting report with its
stage's counts, writes its rows, and the audit chain appends its entries together (issue 14)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import Notification, OpenTask, StageReport, WorkflowInstance
from engine.demo.story import Demo
from engine.services.process import instances
from tests.statements import Statements, counted_statements

# the instance; its state and derived rows (open task in and out, the timer); the program with its people; the
# waiting report with the stage's events counted; the program and the report; the mentor's two notices (accepted,
# the next stage's task); the audit entries (PostgreSQL: one INSERT; SQLite: one each); the audit chain (PostgreSQL:
# its new rows and head in one statement, then the links with the head; SQLite: rows, head, links, head)
APPROVAL = {"postgres": 14, "sqlite": 17}


def _pair(demo: Demo, mentor: str, mentee: str):
    demo.appoint(mentor)
    demo.register(mentee)
    return demo.form_pair(mentor, mentee)


def _events(program) -> list[str]:
    return [e.number for e in program.events if e.stage_id == program.current_stage_id]


def _approve(demo: Demo, factory, engine, program) -> Statements:
    """The curator approves the program's waiting report in a request of her own: a fresh session, committed."""
    task = demo.task("curator", "review_stage_report", program.workflow_instance_id)
    curator = demo.actor("curator")
    with factory() as session, counted_statements(engine) as statements:
        instances.complete_task(session, curator, program.workflow_instance_id, task.task_id,
                                {"approved": True, "comment": ""}, clock=demo.clock)
        session.commit()
    return statements


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_an_approval_costs_the_same_few_statements_in_a_busy_department(demo, db_session, db_session_factory,
                                                                          db_engine, db_backend):
    first = _pair(demo, "volkov", "novikova")
    demo.complete("volkov", "stage_work", {"events_done": _events(first), "report": "справка"},
                  first.workflow_instance_id)
    alone = _approve(demo, db_session_factory, db_engine, first)

    # the department fills up: two more pairs, one of them with a long history of returned reports
    busy = _pair(demo, "morozova", "fedorov")
    _pair(demo, "lebedev", "egorova")
    iid = busy.workflow_instance_id
    for attempt in range(4):
        demo.complete("morozova", "stage_work", {"events_done": _events(busy)[:-1], "report": f"справка {attempt}"}, iid)
        demo.complete("curator", "review_stage_report", {"approved": False, "comment": "не все мероприятия"}, iid)
    demo.complete("morozova", "stage_work", {"events_done": _events(busy), "report": "справка, исправлено"}, iid)
    crowded = _approve(demo, db_session_factory, db_engine, busy)

    assert len(alone) == len(crowded) == APPROVAL[db_backend], crowded.show()
    # what the step did, read back: the report approved, the next stage open for the mentor, the mentor told
    db_session.expire_all()
    reports = db_session.scalars(select(StageReport).where(StageReport.program_id == busy.id)
                                 .order_by(StageReport.attempt)).all()
    assert [r.status for r in reports] == ["returned"] * 4 + ["approved"]
    assert db_session.get(WorkflowInstance, iid).open_tasks[0].form_id == "stage_work"
    assert db_session.scalar(select(OpenTask.assignee_id).where(OpenTask.instance_id == iid)) == demo.person_id("morozova")
    told = db_session.scalars(select(Notification.kind).where(Notification.instance_id == iid)
                              .order_by(Notification.id.desc()).limit(2)).all()
    assert sorted(told) == ["report_accepted", "task_assigned"]
