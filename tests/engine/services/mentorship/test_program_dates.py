"""A program's dates have one owner (engine/domain_time.py): the database, the lifecycle workflow's timers and
the signed orders state the same stage due dates, program term and start — a program started on 31 January,
an extension, a pair order drafted on one day and signed on another (003 §1.2.6, §6.2, §7.2)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.db.models import Order, Program
from engine.demo.story import Demo
from engine.forms import FormId
from engine.services.mentorship.program_views import program_page
from engine.services.orders.in_workflows import pending_order
from engine.services.process import instances

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def _dues(program: Program) -> dict[str, str]:
    dues: dict[str, date] = {}
    for event in program.events:
        dues[event.stage_id] = max(dues.get(event.stage_id, event.due_on), event.due_on)
    return {stage: day.isoformat() for stage, day in dues.items()}


def _workflow_dues(demo: Demo, program: Program) -> dict[str, str]:
    data = instances.snapshot(demo.session, program.workflow_instance_id).data
    return {stage["id"]: stage["due_at"] for stage in data["stages"]}


def _text(order: Order) -> str:
    return " ".join(order.body.split())


@BOTH
def test_a_program_started_on_31_january_is_due_on_the_same_days_in_the_database_and_the_workflow(demo, db_session):
    demo.clock.set("2026-01-31T09:00:00+00:00")
    demo.appoint("volkov")
    demo.register("novikova")
    program = demo.form_pair("volkov", "novikova")
    assert program.started_on == date(2026, 1, 31) and program.roadmap_id == "tomsk_new_head"
    # 1 + 4 + 9 + 1 months counted from 31 January: 28.02, 30.06 (not 28.06), 31.03, 30.04
    assert _dues(program) == _workflow_dues(demo, program) == {
        "diagnosis": "2026-02-28", "consultation": "2026-06-30", "activity": "2027-03-31", "reflection": "2027-04-30"}
    data = instances.snapshot(db_session, program.workflow_instance_id).data
    assert data["stage_due_at"] == "2026-02-28"  # the escalation timer's date
    assert program.planned_end_on == date(2028, 1, 30)  # 003 §1.2.6: 24 months, through the day before

    demo.extend(program, "volkov", "novikova", 1)  # 003 §7.2, in the first stage
    db_session.refresh(program)
    assert _dues(program) == _workflow_dues(demo, program) == {  # moved from the start: 31.03, not 28.03
        "diagnosis": "2026-03-31", "consultation": "2026-07-31", "activity": "2027-04-30", "reflection": "2027-05-31"}
    assert instances.snapshot(db_session, program.workflow_instance_id).data["stage_due_at"] == "2026-03-31"
    assert program.planned_end_on == date(2028, 2, 28)  # 31.01.2026 + 25 months = 29.02.2028, less a day
    extension = db_session.scalars(select(Order).where(Order.workflow_instance_id == program.workflow_instance_id,
                                                       Order.type == "extension")).one()
    assert "28.02.2028" in _text(extension)  # the order states the program's new end

    # the program page: the stage's planned due date and the moved one, with what moved it
    page = program_page(db_session, demo.actor("curator"), program.id)
    first = page.stages[0]
    assert (first.planned_due_on, first.due_on, first.moved) == (date(2026, 2, 28), date(2026, 3, 31), True)
    assert page.stages[1].moved and page.stages[1].planned_due_on == date(2026, 6, 30)


@BOTH
def test_the_signed_pair_order_states_the_programs_dates(demo, db_session):
    demo.clock.set("2026-12-02T09:00:00+00:00")
    demo.appoint("volkov")
    demo.register("novikova")
    instance = demo.consented_pair("volkov", "novikova")
    draft = pending_order(db_session, instance)
    assert draft is not None and "с 02.12.2026 по 01.12.2028" in _text(draft)  # the draft of 02.12

    demo.clock.set("2026-12-06T09:00:00+00:00")  # the head signs four days later
    demo.complete("head", FormId.SIGN_ORDER, {"signed": True}, instance.id)
    db_session.refresh(draft)
    program = db_session.scalars(select(Program).where(Program.group_id == instance.subject["group_id"])).one()
    # the program starts on the day the order is signed, and the signed order states that day and the term
    assert (draft.status, draft.issued_on) == ("signed", date(2026, 12, 6))
    assert (program.started_on, program.planned_end_on) == (date(2026, 12, 6), date(2028, 12, 5))
    text = _text(draft)
    assert (f"с {program.started_on:%d.%m.%Y} по {program.planned_end_on:%d.%m.%Y} "
            "(24 месяца, п. 1.2.6 Положения)") in text
    assert "02.12.2026" not in text
    assert instances.snapshot(db_session, program.workflow_instance_id).data["program_started_on"] == "2026-12-06"
