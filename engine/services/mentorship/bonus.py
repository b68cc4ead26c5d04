"""The mentor's bonus (003 §9.3): one record per mentor and appointment term (``MentorBonus``).

Reading of 003 §9.3 (also in the rule file's notes, rules/tomsk/rulesets/mentor_bonus_tomsk.yaml): the
increase of the head-mentor's annual premium fund — 3 оклада for one mentee, 4 for two, 5 for three and
more — belongs to the mentor for her term, counted over all her mentees in it, not to each program: two
separate pairs of one mentor are two mentees (4 оклада, not 3 + 3), a group of two is two mentees (4, not
4 + 4). The term is the mentor's appointment (003 §3.4, the head's order) in effect when the program
started; without an appointment, the program's own term. A mentee counts once she was in a program of
the mentor that started in the term, whatever its outcome (an early end does not undo the mentoring done).

The record is recomputed whenever a program of hers starts (the amount) and ends (the verdict: the rule's
revocation grounds judged over her programs that ended). A program completed with its plan done reaches
the program's bonus rule task (program_lifecycle.bpmn, ruleset ``pack:bonus``), whose decision is stored here
(``record_step_decision``); any other end (early completion, termination) runs the same rule file through
the rule registry here (``recompute``) — one builder of facts (``term_facts``) for both. «Может быть
отменено»: the rule never revokes; when it finds grounds the head decides (``decide_revocation``), and
who, when and why is recorded.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    FINISHED_PROGRAM_STATUSES,
    MentorAppointment,
    MentorBonus,
    MentoringGroup,
    Program,
    Role,
    record_audit,
)
from engine.db.models.mentorship import AppointmentStatus
from engine.db.models.program import EventStatus, ReportStatus
from engine.errors import ConflictError, NastavnikError, NotFound
from engine.regulations import pack_of
from engine.services.mentorship import programs
from engine.services.mentorship.records import record_decision
from engine.services.people.actor import Actor
from engine.services.process.domain import domain_of, organization_today
from engine.vocabulary import CompletionGround
from engine.workflow import Clock, SystemClock

ANSWERS = ("attended_mentor_events", "analytical_materials")  # what only the curator knows (complete_program)
REASON_MAX = 2000
FINISHED = {status.value for status in FINISHED_PROGRAM_STATUSES}
REVOCABLE = "revocation_possible"  # the rule's verdict: grounds found, the head decides


def ruleset_for(program: Program) -> str | None:
    """The bonus rule file the program's regulation names (None: the regulation has no bonus)."""
    return pack_of(program.group.organization).ruleset("bonus")


def term_of(session: Session, mentor_id: int, organization_id: int, program: Program) -> tuple[
        MentorAppointment | None, date, date | None]:
    """The mentor's appointment term in effect on the program's start, else the program's own term."""
    started = program.started_on or organization_today(session, program.group.organization)
    appointment = session.scalars(select(MentorAppointment).where(
        MentorAppointment.person_id == mentor_id, MentorAppointment.organization_id == organization_id,
        MentorAppointment.status.in_([AppointmentStatus.ACTIVE.value, AppointmentStatus.RELEASED.value]),
        MentorAppointment.starts_on <= started, MentorAppointment.ends_on >= started,
    ).order_by(MentorAppointment.starts_on.desc())).first()
    if appointment is not None:
        return appointment, appointment.starts_on, appointment.ends_on
    return None, started, program.planned_end_on


def programs_in_term(session: Session, mentor_id: int, organization_id: int, starts_on: date,
                     ends_on: date | None) -> list[Program]:
    query = select(Program).join(MentoringGroup).where(
        MentoringGroup.mentor_id == mentor_id, MentoringGroup.organization_id == organization_id,
        Program.started_on.is_not(None), Program.started_on >= starts_on)
    if ends_on is not None:
        query = query.where(Program.started_on <= ends_on)
    return list(session.scalars(query.order_by(Program.id)))


def _reports_done(program: Program, plan_done: bool) -> bool:
    """Every stage the program went through has its report approved (all stages if its plan was done)."""
    stages = [stage.id for stage in programs.roadmap(program.roadmap_id).stages]
    current = stages.index(program.current_stage_id) if program.current_stage_id in stages else len(stages) - 1
    due = stages if plan_done else stages[:current]
    approved = {r.stage_id for r in program.reports if r.status == ReportStatus.APPROVED}
    return set(due) <= approved


def term_facts(mentor_programs: list[Program], answers: Mapping[str, Any] | None = None, *,
               closing: Program | None = None) -> dict[str, Any]:
    """Facts for the bonus rule file over the mentor's programs in her term: the mentees counted once; the
    grounds of revocation judged over the programs that ended (and ``closing``, the one being completed
    with its plan done); the curator's answers as given (missing → no data)."""
    mentees = {member.person_id for program in mentor_programs for member in program.group.members}
    facts: dict[str, Any] = {"mentee_count": len(mentees)}
    judged = [p for p in mentor_programs if p.status in FINISHED and p is not closing]
    if closing is not None:
        judged.append(closing)
    if judged:
        plan_done = {p.id: p is closing or p.completion_ground == CompletionGround.PLAN_COMPLETED.value
                     for p in judged}
        facts["roadmap_fulfilled"] = all(e.status == EventStatus.DONE for p in judged for e in p.events)
        facts["reports_submitted"] = all(_reports_done(p, plan_done[p.id]) for p in judged)
    for key in ANSWERS:
        if answers is not None and isinstance(answers.get(key), bool):
            facts[key] = answers[key]
    return facts


def _record(session: Session, program: Program, ruleset: str) -> tuple[MentorBonus, list[Program]]:
    mentor_id, organization_id = program.group.mentor_id, program.group.organization_id
    appointment, starts_on, ends_on = term_of(session, mentor_id, organization_id, program)
    record = session.scalar(select(MentorBonus).where(
        MentorBonus.mentor_id == mentor_id, MentorBonus.organization_id == organization_id,
        MentorBonus.term_starts_on == starts_on))
    if record is None:
        record = MentorBonus(mentor_id=mentor_id, organization_id=organization_id, term_starts_on=starts_on,
                             ruleset_id=ruleset, mentee_count=0, salaries=0)
        session.add(record)
    record.appointment_id = appointment.id if appointment is not None else None
    record.term_ends_on = ends_on
    return record, programs_in_term(session, mentor_id, organization_id, starts_on, ends_on)


def bonus_for(session: Session, program: Program) -> MentorBonus | None:
    """The bonus record of the program's mentor for the term the program belongs to (None: none yet)."""
    if program.started_on is None:
        return None
    _appointment, starts_on, _ends = term_of(session, program.group.mentor_id, program.group.organization_id,
                                             program)
    return session.scalar(select(MentorBonus).where(
        MentorBonus.mentor_id == program.group.mentor_id,
        MentorBonus.organization_id == program.group.organization_id, MentorBonus.term_starts_on == starts_on))


def bonuses_of(session: Session, program_ids: list[int]) -> list[tuple[int, MentorBonus]]:
    """The mentors' bonus records of these programs (what the head sees beside a completion order)."""
    found = []
    for program_id in program_ids:
        program = session.get(Program, program_id)
        record = bonus_for(session, program) if program is not None else None
        if record is not None:
            found.append((program_id, record))
    return found


def _store(session: Session, actor: Actor, record: MentorBonus, program: Program, decision: dict,
           ruleset: str, *, final: bool) -> MentorBonus:
    outputs = decision.get("outputs") or {}
    record.ruleset_id = ruleset
    record.mentee_count = int((decision.get("facts") or {}).get("mentee_count") or 0)
    record.salaries = int(outputs.get("bonus_salaries") or 0)
    if final:
        if record.verdict != decision.get("verdict"):  # the head decided on other grounds: decide again
            record.revoked, record.decided_by_id, record.decided_at, record.reason = None, None, None, None
        record.verdict = decision.get("verdict")
        record.decision = record_decision(session, decision, actor=actor, program_id=program.id,
                                          person_id=record.mentor_id)
    session.flush()
    record_audit(session, "mentor_bonus.recomputed", actor=actor.person_id, obj=program,
                 organization=program.group.organization_id,
                 details={"mentee_count": record.mentee_count, "salaries": record.salaries,
                          "verdict": record.verdict if final else None})
    return record


def recompute(session: Session, actor: Actor, program: Program, *, final: bool,
              answers: Mapping[str, Any] | None = None) -> MentorBonus | None:
    """When a program of the mentor starts (``final`` False: the amount) or ends other than through
    the bonus rule task (``final`` True: the verdict too), through the rule registry."""
    ruleset = ruleset_for(program)
    if ruleset is None or program.started_on is None:
        return None
    record, mentor_programs = _record(session, program, ruleset)
    if answers is None and record.decision is not None:
        answers = (record.decision.body or {}).get("facts")
    facts = term_facts(mentor_programs, answers)
    decision = domain_of(session).rules.decide(ruleset, facts)
    return _store(session, actor, record, program, decision, ruleset, final=final)


def step_facts(session: Session, program: Program, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The facts the bonus rule task reads when the curator completes a program with its plan done."""
    _appointment, starts_on, ends_on = term_of(session, program.group.mentor_id, program.group.organization_id,
                                               program)
    mentor_programs = programs_in_term(session, program.group.mentor_id, program.group.organization_id,
                                       starts_on, ends_on)
    return term_facts(mentor_programs, answers, closing=program)


def record_step_decision(session: Session, actor: Actor, program: Program, decision: object) -> MentorBonus | None:
    """The decision of the bonus rule task, stored as the mentor's bonus for the term."""
    ruleset = ruleset_for(program)
    if ruleset is None or not isinstance(decision, dict) or "ruleset" not in decision:
        return None
    record, _programs = _record(session, program, str(decision["ruleset"]))
    return _store(session, actor, record, program, decision, str(decision["ruleset"]), final=True)


def decide_revocation(session: Session, actor: Actor, program_id: int, *, revoked: bool | None, reason: str,
                      clock: Clock | None = None) -> MentorBonus:
    """The head's decision, from a program of the mentor, where the rule found grounds (003 §9.3: the
    increase «может быть отменено»): revoked or kept, with the reason; who and when is recorded."""
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"нет программы №{program_id}")
    actor.require(program.group.organization_id, Role.HEAD,
                  action="решение об отмене увеличения премиального фонда")
    record = bonus_for(session, program)
    if record is None or record.verdict != REVOCABLE:
        raise ConflictError("оснований для отмены увеличения премиального фонда правила не нашли: "
                            "решать руководителю нечего (003 §9.3)")
    return record_head_decision(session, actor, record, revoked=revoked, reason=reason, clock=clock, obj=program)


def record_head_decision(session: Session, actor: Actor, record: MentorBonus, *, revoked: bool | None, reason: str,
                         clock: Clock | None = None, obj: object = None, reason_always: bool = True) -> MentorBonus:
    """The head's decision on the record, for the mentor's whole term: keep the increase or revoke it. Only a
    head of the record's organization decides; revoking only on the grounds the rule found, and always with the
    reason (``reason_always``: keeping too); recorded with who and when, and audited (on ``obj``: the program
    decided from, or the record itself from the ledger)."""
    actor.require(record.organization_id, Role.HEAD, action="решение об увеличении премиального фонда наставника")
    if revoked is None:
        raise NastavnikError("выберите: отменить или сохранить увеличение", where="revoked")
    if record.salaries <= 0:
        raise ConflictError("увеличение премиального фонда наставнику не положено: решать нечего (003 §9.3)")
    if revoked and record.verdict != REVOCABLE:
        raise ConflictError("оснований для отмены увеличения премиального фонда правила не нашли: отменить его "
                            "нельзя (003 §9.3)", where="revoked")
    reason = (reason or "").strip()
    if not reason and (revoked or reason_always):
        raise NastavnikError("укажите основание решения (003 §9.3)", where="reason")
    if len(reason) > REASON_MAX:
        raise NastavnikError(f"основание длиннее {REASON_MAX} символов", where="reason")
    record.revoked, record.reason = revoked, reason or None
    record.decided_by_id, record.decided_at = actor.person_id, (clock or SystemClock()).now().astimezone(UTC)
    session.flush()
    record_audit(session, "mentor_bonus.decided", actor=actor.person_id, obj=obj if obj is not None else record,
                 organization=record.organization_id,
                 details={"revoked": revoked, "reason": reason or None, "salaries": record.salaries,
                          "bonus_id": record.id, "mentor_id": record.mentor_id})
    return record
