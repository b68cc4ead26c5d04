"""What a correction of a program's plan tells, in the transaction of the step (003 §7.2: a correction of the
content is made «по обоюдному согласию наставника и наставляемого» and approved by the curator):

    proposed(session, correction, program)   # the participants whose agreement it waits for — or, when nobody
                                             # else must agree, the curators (``agreed``)
    agreed(session, correction, program)     # the curators of the program's organization: approve or return
    decided(session, correction, program)    # the proposer: approved (the plan changed) or returned with the
                                             # reason, by the curator or by another participant

Once per attempt and event (the key holds the correction's attempt: a correction returned and proposed again is
a new attempt). Nobody is told of their own act.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.db.models import CorrectionStatus, Person, PlanCorrection, Program, Role
from engine.services.mentorship.plan_changes import describe
from engine.services.mentorship.program_notices import program_title
from engine.services.notifications import kinds
from engine.services.notifications.outbox import notify, notify_many
from engine.services.process.task_notifications import role_holders


def plan_link(program: Program) -> str:
    return f"/programs/{program.id}/plan"


def _key(correction: PlanCorrection, event: str) -> str:
    return f"plan_correction:{correction.id}:{correction.attempt}:{event}"


def _name(session: Session, person_id: int | None, default: str) -> str:
    person = session.get(Person, person_id) if person_id is not None else None
    return person.full_name if person is not None else default


def _changes(session: Session, correction: PlanCorrection, program: Program) -> str:
    return "\n".join(f"{n}. {describe(session, program, change)}" for n, change in enumerate(correction.changes, 1))


def proposed(session: Session, correction: PlanCorrection, program: Program, waiting: list[int]) -> None:
    if correction.status == CorrectionStatus.AGREED:
        agreed(session, correction, program)
        return
    who = _name(session, correction.proposed_by_id, "Участник программы")
    notify_many(session, [p for p in waiting if p != correction.proposed_by_id], kinds.PLAN_CORRECTION_PROPOSED,
                f"Корректировка плана ждёт вашего согласия: {program_title(program)}",
                body=f"{who} предлагает изменить план мероприятий ({program_title(program)}):\n"
                     f"{_changes(session, correction, program)}\n"
                     "План корректируется по обоюдному согласию наставника и наставляемого (003 §7.2): согласитесь "
                     "или верните корректировку с указанием причины.",
                link=plan_link(program), organization_id=program.group.organization_id,
                key=_key(correction, "proposed"))


def agreed(session: Session, correction: PlanCorrection, program: Program) -> None:
    organization_id = program.group.organization_id
    curators = [p for p in role_holders(session, organization_id, Role.CURATOR)
                if p not in program.group.participant_ids()]
    notify_many(session, curators, kinds.PLAN_CORRECTION_AGREED,
                f"Корректировка плана ждёт утверждения: {program_title(program)}",
                body=f"Участники программы согласовали корректировку плана мероприятий, которую предложил(а) "
                     f"{_name(session, correction.proposed_by_id, 'участник программы')}:\n{_changes(session, correction, program)}\n"
                     "Утвердите её (мероприятия программы изменятся) или верните с указанием причины (003 §7.2).",
                link=plan_link(program), organization_id=organization_id, key=_key(correction, "agreed"))


def decided(session: Session, correction: PlanCorrection, program: Program) -> None:
    if correction.decided_by_id == correction.proposed_by_id:
        return
    decider = _name(session, correction.decided_by_id, "Куратор")
    if correction.status == CorrectionStatus.APPROVED:
        kind, title = kinds.PLAN_CORRECTION_APPROVED, f"Корректировка плана утверждена: {program_title(program)}"
        body = (f"{decider} утвердил(а) вашу корректировку плана мероприятий: мероприятия программы изменены.\n"
                f"{_changes(session, correction, program)}")
        event = "approved"
    else:
        kind, title = kinds.PLAN_CORRECTION_RETURNED, f"Корректировка плана возвращена: {program_title(program)}"
        body = (f"{decider} вернул(а) вашу корректировку плана мероприятий.\nПричина: {correction.return_reason}\n"
                "Исправьте её и предложите снова или отзовите.")
        event = "returned"
    notify(session, correction.proposed_by_id, kind, title, body=body, link=plan_link(program),
           organization_id=program.group.organization_id, key=_key(correction, event))
