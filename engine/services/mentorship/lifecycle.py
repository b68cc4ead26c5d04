"""The program lifecycle (003 §7, appendices 1–4) on its workflow: the program's start, stage work and review,
petitions (early completion, extension, mentor replacement and release) and their steps, the bonus decision.
The orders these lead to (completion, extension, replacement, release): ``program_orders``."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from engine.db.models import (
    Consent,
    Mentee,
    MentoringGroup,
    Program,
    Role,
    WorkflowInstance,
    is_appointed,
    record_audit,
)
from engine.db.models.mentorship import MenteeStatus
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.regulations import pack_of
from engine.regulations.pack import PETITION_KINDS
from engine.regulations.pack_parts import Petition as PackPetition
from engine.services.mentorship import bonus, content_correction, program_notices, programs
from engine.services.mentorship.basics import program_with_people
from engine.services.orders import in_workflows as process_orders
from engine.services.orders.in_workflows import OrderKind
from engine.services.people.actor import SYSTEM, Actor
from engine.services.process import instances
from engine.services.process.hooks import Step, StepHook
from engine.workflow import Clock, FixedClock

REMINDER_DAYS_BEFORE_STAGE_DUE = 14
# the new mentor's consent steps of a replacement go to the mentor the decider named (003 §3.2, §6.2)
NEW_MENTOR_CONSENTS = {"new_mentor_consent": "data:new_mentor_id"}  # by effect (engine.workflow.effects)
# petition message -> who may file it (roles in the program) and the clause
PETITIONS = {
    "early_completion": ({Role.MENTOR, Role.MENTEE, Role.CURATOR}, "003 §7.1"),
    "extension": ({Role.MENTOR, Role.MENTEE, Role.CURATOR}, "003 §7.2"),  # the curator: «на основании ходатайства куратора»
    "mentor_replacement": ({Role.MENTEE}, "003 §5.1"),
    "mentor_release": ({Role.MENTOR}, "003 §4.1"),
}


def start_program(session: Session, group: MentoringGroup, mentee_id: int, roadmap_id: str, *,
                  started_on: date, clock_now: datetime) -> Program:
    """A program for one pair of an approved group, and its lifecycle process."""
    program = programs.create_program(session, group, roadmap_id, started_on)
    mentee = session.get(Mentee, next(m.mentee_id for m in group.members if m.person_id == mentee_id))
    if mentee is not None:
        mentee.status = MenteeStatus.IN_PROGRAM.value
    instance = instances.start_instance(
        session, SYSTEM, pack_of(group.organization).process("program", group.organization.kind), "program", group.organization_id,
        subject={"program_id": program.id, "assignees": {Role.MENTOR: group.mentor_id, Role.MENTEE: mentee_id,
                                                         **NEW_MENTOR_CONSENTS}},
        data={**pack_of(group.organization).process_data(),
              "stages": programs.schedule(roadmap_id, started_on), "program_started_on": started_on.isoformat(),
              "reminder_days_before": REMINDER_DAYS_BEFORE_STAGE_DUE, "program_id": program.id,
              "mentor_id": group.mentor_id, "mentee_ids": [mentee_id], "roadmap_id": roadmap_id},
        clock=FixedClock(clock_now))
    program.workflow_instance_id = instance.id
    session.flush()
    bonus.recompute(session, SYSTEM, program, final=False)  # one more mentee in the mentor's term (003 §9.3)
    return program


def program_of(session: Session, instance: WorkflowInstance) -> Program:
    """The instance's program, with the people its hooks name (``basics.program_with_people``)."""
    program_id = (instance.subject or {}).get("program_id")
    program = program_with_people(session, program_id) if isinstance(program_id, int) else None
    if program is None:
        raise NotFound(f"процесс №{instance.id} не связан с программой")
    return program


def current_stage(program: Program) -> str:
    """The stage the program is in (set when the program is created, moved on as reports are approved)."""
    if program.current_stage_id is None:
        raise ConflictError(f"у программы №{program.id} нет текущего этапа")
    return program.current_stage_id


def roles_in_program(actor: Actor, program: Program) -> set[str]:
    roles: set[str] = set()
    if actor.person_id == program.group.current_mentor_id:  # a released mentor no longer works the program
        roles.add(Role.MENTOR)
    if actor.person_id in [m.person_id for m in program.group.members if m.left_on is None]:
        roles.add(Role.MENTEE)
    if actor.has_role(program.group.organization_id, Role.CURATOR):
        roles.add(Role.CURATOR)
    return roles


def allowed_petition(program: Program, name: str) -> PackPetition:
    """The petition ``name`` as the organization's regulation pack allows it (who decides, the clause, the
    grounds); a kind the pack does not list is refused naming the regulation and what it does allow."""
    regulation = pack_of(program.group.organization)
    found = regulation.petition(name)
    if found is None:
        offered = "; ".join(f"«{PETITION_KINDS[p.kind]}» ({p.clause})" for p in regulation.petitions)
        raise PermissionDenied(
            f"{regulation.act.name} ({regulation.seed}) не предусматривает ходатайство «{PETITION_KINDS.get(name, name)}»; "
            + (f"предусмотрено: {offered}" if offered else "ходатайств участников положение не предусматривает"),
            where=f"{regulation.id}/pack.yaml: petitions")
    return found


def petition(session: Session, actor: Actor, program_id: int, name: str, payload: dict, *,
             clock: Clock | None = None) -> WorkflowInstance:
    """A participant files a petition; it goes to the program's process as a message. Only a petition the
    organization's regulation pack lists (``allowed_petition``)."""
    program = session.get(Program, program_id)
    if program is None or program.workflow_instance_id is None:
        raise NotFound(f"нет выполняемой программы №{program_id}")
    if name not in PETITIONS:
        raise NastavnikError(f"неизвестное ходатайство «{name}»; есть: {', '.join(PETITIONS)}", where="petition")
    allowed_petition(program, name)
    allowed, clause = PETITIONS[name]
    mine = roles_in_program(actor, program)
    if not mine & allowed:
        raise PermissionDenied(f"{actor.full_name}: это ходатайство подаёт {', '.join(sorted(allowed))} ({clause})")
    if name == "early_completion":
        ground = payload.get("ground")
        expected = "improper_execution" if mine == {Role.CURATOR} else None
        if expected and ground != expected:
            raise NastavnikError("куратор завершает программу досрочно по основанию «improper_execution» "
                                 "(003 §7.1 (3))", where="ground")
    if name == "extension":  # months, or a content-only correction where the pack allows it (003 §7.2)
        asked = content_correction.check_request(session, program, payload.get("extension_months"),
                                                 payload.get("new_form"))
        payload = {**{k: v for k, v in payload.items() if k != "new_form"}, **asked.as_payload()}
    message = {**payload, "initiator": sorted(mine & allowed)[0], "petitioner_id": actor.person_id}
    return instances.send_message(session, actor, program.workflow_instance_id, name, message, clock=clock)


# -- hooks ---------------------------------------------------------------------------------------

def _stage_work(step: Step) -> None:
    program = program_of(step.session, step.instance)
    data = step.task.data
    events = data.get("events_done") or []
    if not isinstance(events, list):
        raise NastavnikError("events_done — список номеров мероприятий", where="events_done")
    programs.record_stage_work(step.session, step.actor, program, current_stage(program), [str(e) for e in events],
                               str(data.get("report") or ""), on=process_orders.step_day(step.instance))


def _review(step: Step) -> None:
    program = program_of(step.session, step.instance)
    data = step.task.data
    programs.review_stage_report(step.session, step.actor, program, current_stage(program),
                                 approved=data.get("approved") is True, comment=data.get("comment"),
                                 at=step.instance.updated_at)


def _review_withdrawn(step: Step) -> None:
    """The report's status follows the process: a step that withdrew the curator's review unfinished (an
    interrupting petition stopped the stage — early completion 003 §7.1, extension §7.2, the mentor's release
    §4.1) makes the waiting report a draft again, so that whatever the petition's outcome the mentor can submit
    it when the stage resumes (the stage restarts with his work) and the curator then reviews it."""
    if not any(view.hook == REVIEW_HOOK for view in step.withdrawn):
        return
    program = program_of(step.session, step.instance)
    programs.withdraw_review(step.session, program, current_stage(program), why=(
        "этап остановлен ходатайством; когда этап продолжится, наставник отправит отчёт снова"))


def _new_mentor(step: Step) -> None:
    """The mentor a replacement names — by the decider of the mentee's petition or by the curator after a release —
    is appointed by order and in term on the step's day, and is not the one being replaced (003 §3.4, §4.1, §5.1):
    checked here, for every channel, before his consent is asked."""
    data = step.task.data
    if data.get("complete_early") is True or data.get("approved") is False:
        return
    program = program_of(step.session, step.instance)
    new_mentor = data.get("new_mentor_id")
    if not isinstance(new_mentor, int) or isinstance(new_mentor, bool):
        raise NastavnikError("выберите нового наставника", where="new_mentor_id")
    if new_mentor == program.group.mentor_id:
        raise NastavnikError("новый наставник должен отличаться от прежнего", where="new_mentor_id")
    if not is_appointed(step.session, new_mentor, process_orders.step_day(step.instance),
                        organization_id=step.instance.organization_id):
        raise NastavnikError("новым наставником может быть только назначенный приказом наставник, срок назначения "
                             "которого не истёк (003 §3.4)", where="new_mentor_id")


def _mentor_consent(step: Step) -> None:
    """The new mentor's written consent to take the program over (003 §3.2, §6.2); a refusal records nothing and
    goes back to whoever named him."""
    program = program_of(step.session, step.instance)
    if step.task.data.get("new_mentor_id") != step.actor.person_id:
        raise PermissionDenied(f"{step.actor.full_name}: согласие даёт наставник, которого предложили")
    if step.task.data.get("consent") is True:
        step.session.add(Consent(person_id=step.actor.person_id, group_id=program.group_id, text=(
            "Согласен(на) стать наставником в персонализированной программе наставничества "
            f"№{program.id} и на возложение дополнительных обязанностей, связанных с наставнической "
            "деятельностью (003 §3.2, §6.2). " + str(step.task.data.get("comment") or "")).strip()))
    elif not str(step.task.data.get("comment") or "").strip():
        raise NastavnikError("укажите причину отказа", where="comment")
    step.session.flush()


def _bonus_decision(step: Step) -> None:
    """The bonus rule task decided for the mentor's term (003 §9.3): kept as her bonus record."""
    program = program_of(step.session, step.instance)
    if step.task.data.get("reopen_stage") is True:  # no order now: the last stage goes back to the mentor
        programs.reopen_stage(step.session, step.actor, program, current_stage(program),
                              str(step.task.data.get("reopen_reason") or ""))
        return
    bonus.record_step_decision(step.session, step.actor, program, step.data.get("bonus_decision"))


def _extension_petition(step: Step) -> None:
    """The curator petitions the head for the extension (003 §7.2) or refuses with a reason the petitioner
    sees (the program's history, her page)."""
    data = step.task.data
    if data.get("petitioned") is not False:  # the months the curator petitions for: checked as the petition's
        found = data.get("extension")
        content_correction.check_request(step.session, program_of(step.session, step.instance),
                                         data.get("extension_months"),
                                         found.get("new_form") if isinstance(found, dict) else None)
        return
    reason = str(data.get("petition_refusal_reason") or "").strip()
    if not reason:
        raise NastavnikError("укажите причину отказа: её увидит заявитель", where="petition_refusal_reason")
    found = data.get("extension")
    request: dict = found if isinstance(found, dict) else {}
    program = program_of(step.session, step.instance)
    record_audit(step.session, "petition.refused", actor=step.actor.person_id, obj=program,
                 details={"petition": "extension", "reason": reason, "petitioner_id": request.get("petitioner_id"),
                          "initiator": request.get("initiator"), "months": request.get("extension_months")})
    program_notices.petition_decided(step.session, program, step.instance, "extension", request, approved=False,
                                     reason=reason, key=f"petition:task:{step.instance.id}:{step.task.task_id}")


def bonus_facts(session: Session, program: Program, *, attended_mentor_events: bool,
                analytical_materials: bool) -> dict:
    """Facts for the bonus rule file (003 §9.3) over the mentor's programs in her term and the curator's
    answers (``bonus.step_facts``)."""
    return bonus.step_facts(session, program, {"attended_mentor_events": attended_mentor_events,
                                               "analytical_materials": analytical_materials})


# -- what the workflow names (collected by engine.bootstrap) ---------------------------------------

REVIEW_HOOK = "review_stage_report"
EVERY_STEP: tuple[StepHook, ...] = (_review_withdrawn,)  # a withdrawn review returns the report to the mentor
HOOKS: dict[str, StepHook] = {  # the ``hook`` a user task names -> what its completion also does
    "decide_extension_petition": _extension_petition,  # the curator's refusal of an extension petition (003 §7.2)
    "record_stage_work": _stage_work,  # the events done and the stage report
    REVIEW_HOOK: _review,  # the curator approves or returns the report
    "record_bonus_decision": _bonus_decision,  # the mentor bonus decision (003 §9.3)
    "check_new_mentor": _new_mentor,  # the replacement names an appointed mentor other than the replaced one
    "record_mentor_consent": _mentor_consent,  # the new mentor's written consent to a replacement (003 §3.2, §6.2)
}
ORDER_KINDS: dict[str, OrderKind] = {}  # the program's orders: ``program_orders``
