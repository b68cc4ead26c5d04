"""The events of a program people are told of, each in the transaction of its step (issue 13): the pair is asked
for consent, the head for her signature, everyone concerned learns the order is signed; the mentor is given the
stage, reminded before its due date, told when it is overdue (the curator too), when the report comes back with
the curator's comment or is accepted; the petitioner learns the decision. Once each; nobody for a rolled-back step."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import Notification, Order, Program
from engine.errors import NastavnikError
from engine.forms import FormId
from engine.services.mentorship import lifecycle
from engine.services.notifications import kinds
from engine.services.process import instance_steps
from engine.services.process import task_notifications as telling

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def told(session, kind: str | None = None, person_id: int | None = None) -> list[Notification]:
    session.expire_all()
    stmt = select(Notification).order_by(Notification.id)
    if kind is not None:
        stmt = stmt.where(Notification.kind == kind)
    if person_id is not None:
        stmt = stmt.where(Notification.person_id == person_id)
    return list(session.scalars(stmt))


def curators(demo) -> list[int]:
    return telling.role_holders(demo.session, demo.department_id, "curator")


@BOTH
def test_the_pair_is_asked_to_consent_the_head_to_sign_and_all_learn_the_order_is_signed(demo, db_session):
    s = db_session
    mentor, mentee, head = demo.person_id("volkov"), demo.person_id("novikova"), demo.person_id("head")
    demo.appoint("volkov")
    demo.register("novikova")
    before = len(told(s))
    instance = demo.consented_pair("volkov", "novikova")
    consents = told(s, kinds.CONSENT_REQUESTED)
    assert sorted(n.person_id for n in consents) == sorted([mentor, mentee])
    assert all(n.link.startswith(f"/my/consents/{instance.id}/") and n.instance_id == instance.id for n in consents)
    assert not [n for n in told(s, kinds.TASK_ASSIGNED) if n.person_id in (mentor, mentee)]  # not told twice
    order = s.scalar(select(Order).where(Order.workflow_instance_id == instance.id))
    [awaiting] = [n for n in told(s, kinds.ORDER_AWAITING_SIGNATURE) if n.instance_id == instance.id]
    assert (awaiting.person_id, awaiting.link) == (head, f"/orders/{order.id}")
    assert "О формировании" in awaiting.title or order.subject in awaiting.title
    assert not [n for n in told(s, kinds.TASK_ASSIGNED) if n.instance_id == instance.id and n.person_id == head]

    demo.complete("head", FormId.SIGN_ORDER, {"signed": True}, instance.id)
    decided = [n for n in told(s, kinds.ORDER_DECIDED) if n.instance_id == instance.id]
    assert sorted(n.person_id for n in decided) == sorted({*curators(demo), mentor, mentee})
    s.refresh(order)
    assert all(f"№ {order.number}" in n.title and n.link == f"/orders/{order.id}" for n in decided)
    program = s.scalar(select(Program).where(Program.group.has(mentor_id=mentor)))
    [stage] = [n for n in told(s, kinds.TASK_ASSIGNED, mentor) if n.instance_id == program.workflow_instance_id]
    assert stage.link == f"/my/programs/{program.id}" and "Провести мероприятия этапа" in stage.title
    assert stage.due_on == demo.stage_due(program)  # the organization's day, not the UTC one
    assert len(told(s)) > before


@BOTH
def test_the_mentor_is_reminded_before_the_due_date_and_both_are_told_when_it_passes(demo, db_session):
    s = db_session
    demo.appoint("volkov")
    demo.register("novikova")
    program = demo.form_pair("volkov", "novikova")
    mentor, due = demo.person_id("volkov"), demo.stage_due(program)
    demo.advance(16)
    assert told(s, kinds.STAGE_DUE_SOON) == []
    demo.advance(1)  # 14 days before the due date: the reminder task appears
    [soon] = told(s, kinds.STAGE_DUE_SOON)
    assert (soon.person_id, soon.due_on, soon.link) == (mentor, due, f"/my/programs/{program.id}")
    assert f"{due:%d.%m.%Y}" in soon.body and "Новикова" in soon.title
    assert not [n for n in told(s, kinds.TASK_ASSIGNED) if "Напоминание" in n.title]  # its own kind only
    demo.complete("volkov", FormId.ACKNOWLEDGE_REMINDER, {"comment": "готовлю"}, program.workflow_instance_id)
    demo.advance(14)  # the due date: the escalation
    overdue = told(s, kinds.STAGE_OVERDUE)
    assert sorted(n.person_id for n in overdue) == sorted([mentor, *curators(demo)])
    assert {n.due_on for n in overdue} == {due}
    links = {n.person_id: n.link for n in overdue}
    assert links[mentor] == f"/my/programs/{program.id}"
    assert all(links[c].startswith(f"/tasks/{program.workflow_instance_id}/") for c in curators(demo))
    assert demo.advance(30) == 0
    assert len(told(s, kinds.STAGE_OVERDUE)) == len(overdue) and len(told(s, kinds.STAGE_DUE_SOON)) == 1


@BOTH
def test_a_returned_report_tells_the_mentor_the_comment_and_an_accepted_one_that_it_is_accepted(demo, db_session):
    s = db_session
    demo.appoint("volkov")
    demo.register("novikova")
    program = demo.form_pair("volkov", "novikova")
    iid, mentor = program.workflow_instance_id, demo.person_id("volkov")
    events = [e.number for e in program.events if e.stage_id == program.current_stage_id]
    demo.complete("volkov", FormId.STAGE_WORK, {"events_done": events[:-1], "report": "справка"}, iid)
    assert told(s, kinds.REPORT_RETURNED) == []
    demo.complete("curator", FormId.REVIEW_STAGE_REPORT, {"approved": False, "comment": "Нет протокола встречи"}, iid)
    [returned] = told(s, kinds.REPORT_RETURNED)
    assert returned.person_id == mentor and "Нет протокола встречи" in returned.body
    assert returned.link == f"/my/programs/{program.id}" and returned.instance_id == iid
    assert "Диагностика" in returned.title or "этап 1" in returned.title
    again = [n for n in told(s, kinds.TASK_ASSIGNED, mentor) if n.instance_id == iid]
    assert len(again) == 1  # the stage given back is told by «returned», not again as a new task
    demo.complete("volkov", FormId.STAGE_WORK, {"events_done": events, "report": "исправлено"}, iid)
    demo.complete("curator", FormId.REVIEW_STAGE_REPORT, {"approved": True, "comment": ""}, iid)
    [accepted] = told(s, kinds.REPORT_ACCEPTED)
    assert accepted.person_id == mentor and len(told(s, kinds.REPORT_RETURNED)) == 1


@BOTH
def test_a_step_that_is_rolled_back_tells_nobody(demo, db_session, monkeypatch):
    s = db_session
    demo.appoint("volkov")
    demo.register("novikova")
    program = demo.form_pair("volkov", "novikova")
    iid = program.workflow_instance_id
    events = [e.number for e in program.events if e.stage_id == program.current_stage_id]
    demo.complete("volkov", FormId.STAGE_WORK, {"events_done": events, "report": "справка"}, iid)
    count = len(told(s))

    def refused(*args, **kwargs):
        raise NastavnikError("сбой записи в журнал")
    monkeypatch.setattr(instance_steps, "record_audit", refused)  # the step fails after its hooks told the mentor
    with pytest.raises(NastavnikError, match="журнал"):
        demo.complete("curator", FormId.REVIEW_STAGE_REPORT, {"approved": False, "comment": "исправьте"}, iid)
    s.rollback()
    assert len(told(s)) == count and told(s, kinds.REPORT_RETURNED) == []


@BOTH
def test_the_petitioner_learns_the_decision_and_its_reason(demo, db_session):
    s = db_session
    demo.appoint("volkov")
    demo.register("novikova")
    program = demo.form_pair("volkov", "novikova")
    lifecycle.petition(s, demo.actor("novikova"), program.id, "early_completion",
                       {"ground": "participants_initiative", "reason": "переезд"}, clock=demo.clock)
    s.commit()
    decide = [n for n in told(s, kinds.TASK_ASSIGNED) if n.instance_id == program.workflow_instance_id
              and "досрочное" in n.title]  # a task for a role: every holder of it in the organization
    assert sorted(n.person_id for n in decide) == sorted(curators(demo)) and decide
    assert all(n.link.startswith(f"/tasks/{program.workflow_instance_id}/") for n in decide)
    demo.complete("curator", FormId.DECIDE_PETITION, {"approved": False, "comment": "программа почти завершена"},
                  program.workflow_instance_id)
    [decided] = told(s, kinds.PETITION_DECIDED)
    assert decided.person_id == demo.person_id("novikova")
    assert "отказано" in decided.title and "программа почти завершена" in decided.body
    assert decided.link == f"/my/programs/{program.id}"
