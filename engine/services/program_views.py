"""What a person may see of programs: the list and one program's whole picture (roadmap, reports,
decisions, orders, history, the process's state). Seeing a participant's data is logged (152-ФЗ)."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.db.models import (
    AuditEntry, Decision, GroupMember, MentoringGroup, Order, Program, log_access,
)
from engine.errors import NotFound, PermissionDenied
from engine.services import instances
from engine.services.actor import Actor

STAFF_ROLES = ("curator", "head", "methodologist")


def _visible(actor: Actor):
    """A SQL condition: programs of organizations where the actor is staff, or where they take part."""
    staff_orgs = {org for org, role in actor.roles if role in STAFF_ROLES}
    member = select(GroupMember.group_id).where(GroupMember.person_id == actor.person_id)
    return or_(MentoringGroup.organization_id.in_(staff_orgs), MentoringGroup.mentor_id == actor.person_id,
               MentoringGroup.id.in_(member))


def list_programs(session: Session, actor: Actor) -> list[dict]:
    stmt = select(Program).join(MentoringGroup).where(_visible(actor)).order_by(Program.id)
    return [summary(program) for program in session.scalars(stmt)]


def summary(program: Program) -> dict:
    group = program.group
    return {
        "id": program.id, "roadmap_id": program.roadmap_id, "status": program.status,
        "current_stage_id": program.current_stage_id, "started_on": _iso(program.started_on),
        "planned_end_on": _iso(program.planned_end_on), "completed_on": _iso(program.completed_on),
        "completion_ground": program.completion_ground, "organization_id": group.organization_id,
        "mentor": group.mentor.full_name, "mentees": [m.person.full_name for m in group.members],
        "workflow_instance_id": program.workflow_instance_id,
    }


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def get_program(session: Session, actor: Actor, program_id: int) -> Program:
    program = session.scalar(select(Program).join(MentoringGroup).where(Program.id == program_id))
    if program is None:
        raise NotFound(f"нет программы №{program_id}")
    allowed = session.scalar(select(Program.id).join(MentoringGroup).where(Program.id == program_id, _visible(actor)))
    if allowed is None:
        raise PermissionDenied(f"{actor.full_name or actor.login}: программа №{program_id} вам не доступна")
    return program


def program_details(session: Session, actor: Actor, program_id: int) -> dict:
    program = get_program(session, actor, program_id)
    group = program.group
    for person_id in group.participant_ids():
        if person_id != actor.person_id:
            log_access(session, person_id, f"просмотр программы №{program.id}", viewer=actor.person_id,
                       fields=["full_name", "position", "program"])
    details = summary(program)
    details["events"] = [{"stage_id": e.stage_id, "number": e.number, "name": e.name, "status": e.status,
                          "due_on": _iso(e.due_on), "done_on": _iso(e.done_on), "report_form": e.report_form}
                         for e in program.events]
    details["reports"] = [{"stage_id": r.stage_id, "attempt": r.attempt, "status": r.status, "form_name": r.form_name,
                           "body": r.body, "review_comment": r.review_comment,
                           "submitted_at": _iso(r.submitted_at), "reviewed_at": _iso(r.reviewed_at)}
                          for r in program.reports]
    decisions = session.scalars(select(Decision).where(or_(Decision.program_id == program.id,
                                                           Decision.group_id == group.id)).order_by(Decision.id))
    details["decisions"] = [d.body | {"made_at": _iso(d.made_at)} for d in decisions]
    instance_ids = [i for i in (program.workflow_instance_id,) if i is not None]
    orders = session.scalars(select(Order).where(or_(Order.workflow_instance_id.in_(instance_ids),
                                                     Order.id == group.order_id)).order_by(Order.id))
    details["orders"] = [{"id": o.id, "type": o.type, "subject": o.subject, "status": o.status, "number": o.number,
                          "issued_on": _iso(o.issued_on), "sha256": o.document_sha256} for o in orders]
    history = session.scalars(select(AuditEntry).where(
        or_((AuditEntry.object_type == "programs") & (AuditEntry.object_id == str(program.id)),
            (AuditEntry.object_type == "workflow_instance") & (AuditEntry.object_id.in_([str(i) for i in instance_ids]))))
        .order_by(AuditEntry.id))
    details["history"] = [{"at": _iso(a.at), "action": a.action, "actor_id": a.actor_id, "details": a.details}
                          for a in history]
    if program.workflow_instance_id is not None:
        snap = instances.snapshot(session, program.workflow_instance_id)
        details["process"] = {"instance_id": snap.instance_id, "status": snap.status, "version": snap.version,
                              "definition": f"{snap.process_id} v{snap.definition_version}",
                              "ready_tasks": [{"task_id": t.task_id, "name": t.element_name, "role": t.role,
                                               "form": t.form} for t in snap.ready_tasks],
                              "completed_elements": sorted(snap.completed_element_ids),
                              "active_elements": sorted(snap.active_element_ids),
                              "next_timer_at": _iso(snap.next_timer_at)}
    return details
