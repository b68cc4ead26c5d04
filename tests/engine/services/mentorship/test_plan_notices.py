"""What a correction of a program's plan tells (003 §7.2 «по обоюдному согласию наставника и наставляемого»): the
mentee hears the mentor's proposal waits for her agreement; once she agrees, the curators of the program's
organization hear it waits for approval; the proposer hears it returned — by the curator or by the mentee, with
the reason — and, proposed again, approved. Exactly these people, once per attempt and event; nobody of their own
act, nobody else."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from engine.db.models import Notification, Person, Role
from engine.services.mentorship import plan_decisions, plan_drafts
from engine.services.mentorship.plan_changes import PlanChange
from engine.services.notifications import kinds
from engine.services.process.task_notifications import role_holders
from tests.engine.services.mentorship.test_participant_work import BOTH, pair

PLAN_KINDS = (kinds.PLAN_CORRECTION_PROPOSED, kinds.PLAN_CORRECTION_AGREED, kinds.PLAN_CORRECTION_APPROVED,
              kinds.PLAN_CORRECTION_RETURNED)


def told(session) -> list[tuple[str, str]]:
    rows = session.execute(select(Notification.kind, Person.login).join(Person, Person.id == Notification.person_id)
                           .where(Notification.kind.in_(PLAN_KINDS)).order_by(Notification.id))
    return [(kind, login) for kind, login in rows]


def last(session, kind: str) -> Notification:
    return session.scalars(select(Notification).where(Notification.kind == kind)
                           .order_by(Notification.id.desc())).first()


def _move(program) -> PlanChange:
    event = next(e for e in program.events if e.number == "2.2")
    return PlanChange("move", "совпадает с педсоветом", event_id=event.id, due_on=date(2025, 3, 20))


@BOTH
def test_the_mentee_agrees_the_curators_decide_the_proposer_hears(demo, db_session):
    s = db_session
    program = pair(demo)
    volkov, novikova, curator = demo.actor("volkov"), demo.actor("novikova"), demo.actor("curator")
    curators = sorted(s.scalars(select(Person.login).where(Person.id.in_(
        role_holders(s, program.group.organization_id, Role.CURATOR)))))
    assert "curator" in curators

    correction = plan_drafts.add_change(s, volkov, program.id, _move(program), clock=demo.clock)
    assert told(s) == []  # a draft tells nobody
    plan_drafts.propose(s, volkov, program.id, clock=demo.clock)
    assert told(s) == [(kinds.PLAN_CORRECTION_PROPOSED, "novikova")]
    asked = last(s, kinds.PLAN_CORRECTION_PROPOSED)
    assert asked.title.startswith(f"Корректировка плана ждёт вашего согласия: программа № {program.id} (")
    assert "Волков" in asked.body and "1. перенести 2.2" in asked.body and "20.03.2025" in asked.body
    assert "003 §7.2" in asked.body and asked.link == f"/programs/{program.id}/plan"

    plan_decisions.agree(s, novikova, program.id, correction.id, agreed=False, reason="в марте у меня аттестация")
    assert told(s)[1:] == [(kinds.PLAN_CORRECTION_RETURNED, "volkov")]  # returned by the mentee
    assert "Причина: в марте у меня аттестация" in last(s, kinds.PLAN_CORRECTION_RETURNED).body

    plan_drafts.propose(s, volkov, program.id, clock=demo.clock)  # the second attempt: asked again
    plan_decisions.agree(s, novikova, program.id, correction.id, agreed=True)
    assert told(s)[2:] == [(kinds.PLAN_CORRECTION_PROPOSED, "novikova"),
                           *((kinds.PLAN_CORRECTION_AGREED, login) for login in curators)]
    assert "Утвердите её" in last(s, kinds.PLAN_CORRECTION_AGREED).body

    plan_decisions.decide(s, curator, program.id, correction.id, approved=False, reason="Сначала согласуйте с завучем")
    plan_drafts.propose(s, volkov, program.id, clock=demo.clock)
    plan_decisions.agree(s, novikova, program.id, correction.id, agreed=True)
    plan_decisions.decide(s, curator, program.id, correction.id, approved=True, clock=demo.clock)
    s.commit()
    tail = told(s)[3 + len(curators):]
    assert tail == [(kinds.PLAN_CORRECTION_RETURNED, "volkov"), (kinds.PLAN_CORRECTION_PROPOSED, "novikova"),
                    *((kinds.PLAN_CORRECTION_AGREED, login) for login in curators),
                    (kinds.PLAN_CORRECTION_APPROVED, "volkov")]
    returned = s.scalars(select(Notification).where(Notification.kind == kinds.PLAN_CORRECTION_RETURNED)
                         .order_by(Notification.id)).all()[-1]
    assert "Причина: Сначала согласуйте с завучем" in returned.body
    approved = last(s, kinds.PLAN_CORRECTION_APPROVED)
    assert "мероприятия программы изменены" in approved.body and approved.link == f"/programs/{program.id}/plan"
