"""The programs a person sees as the API and the command line give them: the list (a page of summaries, counted and
cut by the database) and one program's details. Who sees what: ``program_views.visible_programs``."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, contains_eager, load_only

from engine.db.models import AuditEntry, Decision, GroupMember, MentoringGroup, Order, Person, Program
from engine.services.mentorship.program_views import get_program, log_view, visible_programs
from engine.services.pages import Slice, counted_slice, iso
from engine.services.people.actor import Actor
from engine.services.process import instances


def _listed(actor: Actor):
    """The programs ``actor`` sees, with what a summary shows (the group, the mentor's and mentees' names)."""
    person = load_only(Person.id, Person.full_name)
    return (select(Program).join(Program.group).where(visible_programs(actor))
            .options(contains_eager(Program.group).joinedload(MentoringGroup.mentor).options(person),
                     contains_eager(Program.group).selectinload(MentoringGroup.members)
                     .joinedload(GroupMember.person).options(person)))


def list_programs(session: Session, actor: Actor, *, offset: int = 0, limit: int | None = None) -> list[dict]:
    """The summaries of the programs ``actor`` sees, by number (``offset``/``limit``: one page of them)."""
    stmt = _listed(actor).order_by(Program.id).offset(offset).limit(limit)
    return [summary(program) for program in session.scalars(stmt)]


def programs_page(session: Session, actor: Actor, offset: int, limit: int) -> Slice:
    """One page of ``list_programs`` and how many there are (counted up to ``offset + LIST_BOUND``)."""
    listed = select(Program.id).join(Program.group).where(visible_programs(actor))
    return counted_slice(session, listed, offset, list_programs(session, actor, offset=offset, limit=limit))


def summary(program: Program) -> dict:
    group = program.group
    return {
        "id": program.id, "roadmap_id": program.roadmap_id, "status": program.status,
        "current_stage_id": program.current_stage_id, "started_on": iso(program.started_on),
        "planned_end_on": iso(program.planned_end_on), "completed_on": iso(program.completed_on),
        "completion_ground": program.completion_ground, "organization_id": group.organization_id,
        "mentor": group.mentor.full_name if group.current_mentor_id is not None else None,
        "mentees": [m.person.full_name for m in group.members],
        "workflow_instance_id": program.workflow_instance_id,
    }



def program_details(session: Session, actor: Actor, program_id: int) -> dict:
    program = get_program(session, actor, program_id)
    group = program.group
    log_view(session, actor, program)
    details = summary(program)
    details["events"] = [{"id": e.id, "stage_id": e.stage_id, "number": e.number, "name": e.name, "status": e.status,
                          "due_on": iso(e.due_on), "done_on": iso(e.done_on), "report_form": e.report_form,
                          "marked_by": e.marked_by.full_name if e.marked_by else None,
                          "comments": [{"author": c.author.full_name, "at": iso(c.created_at), "body": c.body}
                                       for c in e.comments]}
                         for e in program.events]
    details["reports"] = [{"stage_id": r.stage_id, "attempt": r.attempt, "status": r.status, "form_name": r.form_name,
                           "body": r.body, "review_comment": r.review_comment,
                           "submitted_at": iso(r.submitted_at), "reviewed_at": iso(r.reviewed_at)}
                          for r in program.reports]
    decisions = session.scalars(select(Decision).where(or_(Decision.program_id == program.id,
                                                           Decision.group_id == group.id)).order_by(Decision.id))
    details["decisions"] = [d.body | {"made_at": iso(d.made_at)} for d in decisions]
    instance_ids = [i for i in (program.workflow_instance_id,) if i is not None]
    orders = session.scalars(select(Order).where(or_(Order.workflow_instance_id.in_(instance_ids),
                                                     Order.id == group.order_id)).order_by(Order.id))
    details["orders"] = [{"id": o.id, "type": o.type, "subject": o.subject, "status": o.status, "number": o.number,
                          "issued_on": iso(o.issued_on), "sha256": o.document_sha256} for o in orders]
    history = session.scalars(select(AuditEntry).where(
        or_((AuditEntry.object_type == "programs") & (AuditEntry.object_id == str(program.id)),
            (AuditEntry.object_type == "workflow_instance") & (AuditEntry.object_id.in_([str(i) for i in instance_ids]))))
        .order_by(AuditEntry.id))
    details["history"] = [{"at": iso(a.at), "action": a.action, "actor_id": a.actor_id, "details": a.details}
                          for a in history]
    if program.workflow_instance_id is not None:
        snap = instances.snapshot(session, program.workflow_instance_id)
        details["process"] = {"instance_id": snap.instance_id, "status": snap.status, "version": snap.version,
                              "definition": f"{snap.process_id} v{snap.definition_version}",
                              "ready_tasks": [{"task_id": t.task_id, "name": t.element_name, "role": t.role,
                                               "form": t.form} for t in snap.ready_tasks],
                              "completed_elements": sorted(snap.completed_element_ids),
                              "active_elements": sorted(snap.active_element_ids),
                              "next_timer_at": iso(snap.next_timer_at)}
    return details
