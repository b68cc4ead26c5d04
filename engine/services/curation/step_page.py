"""A curator's step seen whole: the step found and checked as hers (the curator of the process's organization, the
assignee, a form the web offers), and its context — program, stage, the submitted stage report with every
earlier attempt, events done with notes, attachments, the rule decision, the petition, the mentors to choose
from, the head's refusal.

Reading the page shows participants' personal data, so it is logged (152-ФЗ).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.db.models import (
    Attachment,
    OpenTask,
    Order,
    Person,
    RoadmapEventRecord,
    Role,
    StageReport,
    WorkflowInstance,
    currently_appointed,
    log_access,
)
from engine.errors import ConflictError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.regulations import form_label
from engine.regulations.roadmaps import RoadmapStage
from engine.services.curation.inbox import TaskSubject, subject_of
from engine.services.mentorship import programs
from engine.services.orders.in_workflows import refused_orders
from engine.services.orders.in_workflows import step_day as process_orders_step_day
from engine.services.people.actor import Actor
from engine.services.process import instances
from engine.services.process.definitions import elements_with
from engine.workflow.effects import PETITION_EFFECT

ROLE = Role.CURATOR
CURATOR_FORMS = (FormId.REVIEW_STAGE_REPORT, FormId.HANDLE_ESCALATION, FormId.ACKNOWLEDGE_REMINDER,
                 FormId.DECIDE_PETITION, FormId.PETITION_EXTENSION, FormId.COMPLETE_PROGRAM, FormId.PROPOSE_MENTOR,
                 FormId.PROPOSE_PAIR, FormId.REPLACE_MENTOR,
                 FormId.MENTOR_REPORT_OVERDUE)  # a mentor's period report not filed by its date (003 п. 3)
# decide_petition serves three petitions; the element says which (the data variable is the fallback)
# the petition a decision step considers (its effect ``petition_<kind>``) -> the process variable holding the petition
PETITION_DATA_KEYS = {"early_completion": "early_completion", "mentor_replacement": "replacement",
                      "mentor_release": "release"}
PETITION_CLAUSES = {"early_completion": "003 §7.1", "replacement": "001 §6.2, 003 §5.1", "release": "003 §4.1",
                    "extension": "003 §7.2"}
DECISION_KEYS = ("decision", "bonus_decision")



@dataclass
class TaskPage:
    task: OpenTask
    instance: WorkflowInstance
    data: dict
    subject: TaskSubject
    stage: RoadmapStage | None = None
    stage_due_on: date | None = None
    events: list[RoadmapEventRecord] = field(default_factory=list)
    reports: list[StageReport] = field(default_factory=list)  # this stage's attempts, oldest first
    attachments: list[Attachment] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)
    petition_kind: str | None = None
    petition: dict | None = None
    mentor_choices: list[Person] = field(default_factory=list)
    refusal: Order | None = None  # the head refused this process's last order: the reason, with the order
    for_update: bool = False  # built to complete the step (a step gone meanwhile is a conflict)

    @property
    def latest_report(self) -> StageReport | None:
        return self.reports[-1] if self.reports else None

    @property
    def earlier_reports(self) -> list[StageReport]:
        return self.reports[:-1]

    @property
    def stage_progress(self) -> tuple[int, int]:
        """(events done, events) of the stage under review."""
        return sum(e.status == "done" for e in self.events), len(self.events)

    @property
    def roadmap_progress(self) -> tuple[int, int]:
        program = self.subject.program
        return programs.roadmap_progress(program) if program is not None else (0, 0)

    @property
    def default_ground(self) -> str:
        """«в полном объёме» only with the roadmap done (003 §7.1); else the curator's initiative."""
        done, total = self.roadmap_progress
        return "plan_completed" if done == total else "improper_execution"

    @property
    def petition_form_label(self) -> str | None:
        """The new form of mentorship an extension petition asks for, as the organization's pack words it."""
        new_form = (self.petition or {}).get("new_form") if self.petition_kind == "extension" else None
        if not isinstance(new_form, str):
            return None
        group = self.subject.group
        return form_label(group.organization if group is not None else None, new_form)

    @property
    def petition_clause(self) -> str | None:
        return PETITION_CLAUSES.get(self.petition_kind or "")

    def attachments_of_event(self, event_id: int) -> list[Attachment]:
        return [a for a in self.attachments if a.event_record_id == event_id]

    def attachments_of_report(self, report_id: int) -> list[Attachment]:
        return [a for a in self.attachments if a.stage_report_id == report_id]


def _open_task(session: Session, actor: Actor, instance_id: int, task_id: str, *, for_update: bool) -> OpenTask:
    row = session.scalar(select(OpenTask).where(OpenTask.instance_id == instance_id, OpenTask.task_id == str(task_id)))
    if row is None:
        if for_update and session.get(WorkflowInstance, instance_id) is not None:
            raise ConflictError("этот шаг уже выполнен (возможно, другим куратором); ничего не сохранено")
        raise NotFound("шаг не найден или уже выполнен", where=str(task_id))
    if not actor.has_role(row.organization_id, ROLE) or row.role != ROLE:
        raise PermissionDenied(f"{actor.full_name or actor.login}: шаг «{row.name}» выполняет куратор "
                               "организации, к которой относится процесс")
    if row.assignee_id is not None and row.assignee_id != actor.person_id:
        raise PermissionDenied(f"{actor.full_name or actor.login}: шаг «{row.name}» назначен другому участнику")
    if row.form_id not in CURATOR_FORMS:
        raise NotFound(f"для шага «{row.name}» нет формы в веб-интерфейсе", where=row.form_id or row.element_id)
    return row


def _decisions(data: dict) -> list[dict]:
    found = [data[key] for key in DECISION_KEYS if isinstance(data.get(key), dict) and data[key].get("criteria")]
    found += [d for d in data.get("mentee_decisions") or [] if isinstance(d, dict) and d.get("criteria")]
    return found


def _petition(row: OpenTask, data: dict) -> tuple[str | None, dict | None]:
    if row.form_id == FormId.PETITION_EXTENSION:
        return "extension", data.get("extension") if isinstance(data.get("extension"), dict) else {}
    if row.form_id == FormId.REPLACE_MENTOR:  # the mentor's release request the program is without a mentor after
        return "release", data.get("release") if isinstance(data.get("release"), dict) else {}
    if row.form_id != FormId.DECIDE_PETITION:
        return None, None
    kind = next((key for petition, key in PETITION_DATA_KEYS.items() if row.element_id in elements_with(
        row.instance.definition, PETITION_EFFECT.format(petition))), None)
    if kind is None:
        kind = next((k for k in ("replacement", "release", "early_completion") if isinstance(data.get(k), dict)), None)
    payload = data.get(kind) if kind else None
    return kind, payload if isinstance(payload, dict) else {}


def appointed_mentors(session: Session, organization_id: int, on: date) -> list[Person]:
    """Mentors appointed by order, in term and not released on ``on`` (003 §3.4)."""
    seen: dict[int, Person] = {}
    for appointment in currently_appointed(session, on, organization_id=organization_id):
        seen.setdefault(appointment.person_id, appointment.person)
    return sorted(seen.values(), key=lambda p: p.full_name)


def _log_people(session: Session, actor: Actor, page: TaskPage) -> None:
    for person in page.subject.people:
        if person.id != actor.person_id:
            log_access(session, person, f"шаг «{page.task.name}» процесса №{page.instance.id}",
                       viewer=actor.person_id, fields=["full_name", "position", "organization", "reports"])


def task_page(session: Session, actor: Actor, instance_id: int, task_id: str, *, for_update: bool = False) -> TaskPage:
    """Everything the curator needs to decide the step; ``for_update``: a step already gone is a conflict."""
    row = _open_task(session, actor, instance_id, task_id, for_update=for_update)
    snapshot = instances.snapshot(session, instance_id)
    view = next((t for t in snapshot.ready_tasks if t.task_id == row.task_id), None)
    data = dict(view.data) if view is not None else dict(snapshot.data)
    instance = row.instance
    page = TaskPage(row, instance, data, subject_of(session, instance), decisions=_decisions(data))
    page.petition_kind, page.petition = _petition(row, data)
    page.refusal = refused_orders(session, [instance.id]).get(instance.id)
    program = page.subject.program
    if program is not None and program.current_stage_id:
        page.stage = programs.roadmap(program.roadmap_id).stage(program.current_stage_id)
        page.events = [e for e in program.events if e.stage_id == program.current_stage_id]
        page.stage_due_on = max((e.due_on for e in page.events if e.due_on), default=None)
        page.reports = [r for r in program.reports if r.stage_id == program.current_stage_id]
        ids_events, ids_reports = [e.id for e in page.events], [r.id for r in page.reports]
        page.attachments = list(session.scalars(select(Attachment).where(
            Attachment.program_id == program.id,
            or_(Attachment.event_record_id.in_(ids_events), Attachment.stage_report_id.in_(ids_reports)))
            .order_by(Attachment.id)))
    if (page.petition_kind == "replacement" or row.form_id == FormId.REPLACE_MENTOR) and page.subject.group is not None:
        current = page.subject.group.mentor_id  # the current (or the released) mentor is not offered
        page.mentor_choices = [p for p in appointed_mentors(session, instance.organization_id,
                                                            process_orders_step_day(instance)) if p.id != current]
    page.for_update = for_update
    if not for_update:
        _log_people(session, actor, page)
    return page
