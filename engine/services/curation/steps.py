"""A curator's step seen whole and completed: the task's context (program, stage, the submitted stage
report with every earlier attempt, events done with notes, attachments, the rule decision, the petition)
and the data each curator form hands to the workflow (its contract: engine/forms/contracts.py).

Reading the page shows participants' personal data, so it is logged (152-ФЗ).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

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
    is_appointed,
    log_access,
)
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.forms import EXTENSION_MONTHS, FormDataError, FormId
from engine.forms.contracts import COMPLETION_GROUNDS
from engine.regulations import pack_of
from engine.regulations.roadmaps import RoadmapStage
from engine.services.curation.inbox import TaskSubject, subject_of
from engine.services.mentorship import formation as mentorship
from engine.services.mentorship import lifecycle, programs
from engine.services.orders.in_workflows import refused_orders
from engine.services.orders.in_workflows import step_day as process_orders_step_day
from engine.services.people.actor import Actor
from engine.services.process import instances

ROLE = Role.CURATOR
CURATOR_FORMS = (FormId.REVIEW_STAGE_REPORT, FormId.HANDLE_ESCALATION, FormId.ACKNOWLEDGE_REMINDER,
                 FormId.DECIDE_PETITION, FormId.PETITION_EXTENSION, FormId.COMPLETE_PROGRAM, FormId.PROPOSE_MENTOR,
                 FormId.PROPOSE_PAIR, FormId.REPLACE_MENTOR)
# decide_petition serves three petitions; the element says which (the data variable is the fallback)
PETITION_BY_ELEMENT = {"Task_decide_early_completion": "early_completion", "Task_decide_replacement": "replacement",
                       "Task_decide_release": "release"}
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
    kind = PETITION_BY_ELEMENT.get(row.element_id)
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
    if not for_update:
        _log_people(session, actor, page)
    return page


# -- completing --------------------------------------------------------------------------------

def _text(values: dict, key: str) -> str:
    return str(values.get(key) or "").strip()


def _require_program(page: TaskPage):
    if page.subject.program is None:
        raise NotFound(f"процесс №{page.instance.id} не связан с программой")
    return page.subject.program


def task_data(session: Session, page: TaskPage, values: dict[str, Any]) -> dict:  # noqa: C901 - one branch per curator form: what the domain demands of each
    """The workflow data of the step from the form's ``values`` (checked again here: the domain's rules)."""
    form = page.task.form_id
    if form == FormId.REVIEW_STAGE_REPORT:
        approved = values.get("approved") is True
        if not approved and not _text(values, "comment"):
            raise NastavnikError("при возврате отчёта нужен комментарий: что исправить", where="comment")
        return {"approved": approved, "comment": _text(values, "comment")}
    if form in (FormId.HANDLE_ESCALATION, FormId.ACKNOWLEDGE_REMINDER):
        if form == FormId.HANDLE_ESCALATION and not _text(values, "comment"):
            raise NastavnikError("опишите принятые меры", where="comment")
        return {"comment": _text(values, "comment")}
    if form == FormId.DECIDE_PETITION:
        return _petition_decision(session, page, values)
    if form == FormId.PETITION_EXTENSION:
        return _extension_petition(page, values)
    if form == FormId.COMPLETE_PROGRAM:
        return _completion(session, page, values)
    if form == FormId.REPLACE_MENTOR:
        return _replacement_choice(session, page, values)
    if form == FormId.PROPOSE_MENTOR:
        return _candidate_data(session, page, values)
    if form == FormId.PROPOSE_PAIR:
        return _pair_data(page, values)
    raise NotFound(f"для шага «{page.task.name}» нет формы", where=form)


def _extension_petition(page: TaskPage, values: dict) -> dict:
    """The curator petitions the head (months prefilled from the request) or refuses with a reason."""
    months, (fewest, most) = values.get("extension_months"), EXTENSION_MONTHS
    if values.get("petitioned") is False:
        if not _text(values, "petition_refusal_reason"):
            raise NastavnikError("укажите причину отказа: её увидит заявитель", where="petition_refusal_reason")
        asked = (page.petition or {}).get("extension_months")
        kept = months if isinstance(months, int) and not isinstance(months, bool) and fewest <= months <= most else asked
        return {"extension_months": kept if isinstance(kept, int) and fewest <= kept <= most else fewest,
                "justification": "", "petitioned": False,
                "petition_refusal_reason": _text(values, "petition_refusal_reason")}
    if isinstance(months, bool) or not isinstance(months, int) or not fewest <= months <= most:
        raise NastavnikError(f"срок продления — целое число месяцев от {fewest} до {most}", where="extension_months")
    if not _text(values, "justification"):
        raise NastavnikError("обоснуйте ходатайство о продлении (003 §7.2)", where="justification")
    return {"extension_months": months, "justification": _text(values, "justification"), "petitioned": True,
            "petition_refusal_reason": ""}


def _completion(session: Session, page: TaskPage, values: dict) -> dict:
    """The final report and the completion ground (003 §7.1), or the last stage reopened instead."""
    program = _require_program(page)
    facts = lifecycle.bonus_facts(session, program,
                                  attended_mentor_events=values.get("attended_mentor_events") is True,
                                  analytical_materials=values.get("analytical_materials") is True)
    if values.get("reopen_stage") is True:
        if not _text(values, "reopen_reason"):
            raise NastavnikError("напишите, что доработать на последнем этапе", where="reopen_reason")
        return {"final_report": _text(values, "final_report"), "bonus_facts": facts, "reopen_stage": True,
                "reopen_reason": _text(values, "reopen_reason"), "completion_ground": page.default_ground}
    if not _text(values, "final_report"):
        raise NastavnikError("итоговый аналитический отчёт не может быть пустым (003 §3.3)", where="final_report")
    ground = _text(values, "completion_ground") or page.default_ground
    if ground not in COMPLETION_GROUNDS:
        raise NastavnikError("выберите основание завершения (003 §7.1)", where="completion_ground")
    return {"final_report": _text(values, "final_report"), "bonus_facts": facts, "completion_ground": ground,
            "reopen_stage": False}


def _petition_decision(session: Session, page: TaskPage, values: dict, *, replacement: bool = False) -> dict:
    approved = values.get("approved") is True
    data: dict[str, Any] = {"approved": approved, "comment": _text(values, "comment")}
    if not approved and not data["comment"]:
        raise NastavnikError("при отказе укажите причину", where="comment")
    if (replacement or page.petition_kind == "replacement") and approved:
        new_mentor = values.get("new_mentor_id")
        if not isinstance(new_mentor, int) or isinstance(new_mentor, bool):
            raise NastavnikError("выберите нового наставника", where="new_mentor_id")
        if page.subject.group is not None and new_mentor == page.subject.group.mentor_id:
            raise NastavnikError("новый наставник должен отличаться от нынешнего", where="new_mentor_id")
        if not is_appointed(session, new_mentor, process_orders_step_day(page.instance),
                            organization_id=page.instance.organization_id):
            raise NastavnikError("новым наставником может быть только назначенный приказом наставник (003 §3.4)",
                                 where="new_mentor_id")
        data["new_mentor_id"] = new_mentor
    return data


def _replacement_choice(session: Session, page: TaskPage, values: dict) -> dict:
    """After the release order: a new mentor appointed and in term (who then consents), or the program ended
    early with its ground (003 §4.1, §7.1)."""
    if values.get("complete_early") is True:
        if not _text(values, "comment"):
            raise NastavnikError("укажите основание досрочного завершения программы", where="comment")
        return {"complete_early": True, "comment": _text(values, "comment")}
    group = page.subject.group
    if group is not None and values.get("new_mentor_id") == group.mentor_id:
        raise NastavnikError("наставника, освобождённого от обязанностей приказом (003 §4.1), нельзя предложить "
                             "вновь: выберите другого", where="new_mentor_id")
    data = _petition_decision(session, page, {**values, "approved": True}, replacement=True)
    return {"complete_early": False, "new_mentor_id": data["new_mentor_id"], "comment": data["comment"]}


def _candidate_data(session: Session, page: TaskPage, values: dict) -> dict:
    person = page.subject.candidate
    if person is None:
        raise NotFound(f"в процессе №{page.instance.id} нет кандидата")
    asked = values.get("candidate_id")
    if asked is not None and asked != person.id:
        _refuse_id("candidate_id", f"в процессе №{page.instance.id} кандидат в наставники — человек №{person.id}; "
                                   f"человека №{asked} этот шаг не предлагает")
    ruleset = mentorship.mentor_ruleset(page.instance.organization)
    return {"candidate_id": person.id, "candidate_name": person.full_name,
            "facts": mentorship.facts_for(ruleset, person), "direction": _text(values, "direction"),
            "comment": _text(values, "comment")}


def _pair_data(page: TaskPage, values: dict) -> dict:
    group = page.subject.group
    if group is None:
        raise NotFound(f"в процессе №{page.instance.id} нет пары (группы)")
    ruleset = mentorship.mentor_ruleset(page.instance.organization)
    category_ruleset = pack_of(page.instance.organization).ruleset("mentee_category")
    mentees = [m.person for m in group.members if m.left_on is None]
    _require_same_pair(page, group.mentor_id, [p.id for p in mentees], values)
    return {"mentor_id": group.mentor_id, "facts": mentorship.facts_for(ruleset, group.mentor),
            "mentee_ids": [p.id for p in mentees],
            "mentee_facts": [mentorship.facts_for(category_ruleset, p) if category_ruleset else {} for p in mentees],
            "form_of_mentorship": group.form, "comment": _text(values, "comment")}


def _refuse_id(field: str, message: str) -> None:
    """An id the step does not allow: refused as the form's field (422 naming it on every channel)."""
    raise FormDataError(message, where=field, messages={field: [message]})


def _require_same_pair(page: TaskPage, mentor_id: int, mentee_ids: list[int], values: dict) -> None:
    """The ids a client sends for the pair must be the pair's own (the registry's group): the step proposes
    that pair again, never other people (their facts would decide nothing of theirs)."""
    asked_mentor = values.get("mentor_id")
    if asked_mentor is not None and asked_mentor != mentor_id:
        _refuse_id("mentor_id", f"наставник пары (группы) процесса №{page.instance.id} — человек №{mentor_id}; "
                                f"человек №{asked_mentor} в ней не наставник")
    asked = values.get("mentee_ids")
    if asked is None:
        return
    foreign = [i for i in asked if i not in mentee_ids] if isinstance(asked, list) else [asked]
    missing = [i for i in mentee_ids if isinstance(asked, list) and i not in asked]
    if foreign or missing:
        said = (f"не наставляемые этой пары (группы): {', '.join(f'№{i}' for i in foreign)}" if foreign else
                f"не названы наставляемые пары (группы): {', '.join(f'№{i}' for i in missing)}")
        _refuse_id("mentee_ids", f"{said}; состав пары (группы) процесса №{page.instance.id} меняется только "
                                 "новой парой")


def complete(session: Session, actor: Actor, instance_id: int, task_id: str, values: dict[str, Any], *,
             expected_version: int | None) -> WorkflowInstance:
    """Complete the step with the form's values; the caller commits. A step someone else completed, or
    an instance that moved on since the page was shown, is a ``ConflictError``."""
    page = task_page(session, actor, instance_id, task_id, for_update=True)
    if expected_version is not None and page.instance.version != expected_version:
        raise ConflictError(f"процесс №{instance_id} уже изменён другим пользователем; обновите страницу")
    data = task_data(session, page, values)
    return instances.complete_task(session, actor, instance_id, task_id, data, expected_version=expected_version)
