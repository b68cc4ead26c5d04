"""Groups of trainees by direction (004 III.4): the coordination council or the education department's
specialists form a group of trainees of one direction and hand its list to the network mentor appointed for
that direction (004 II.2, III.2) — no consent and no order: the regulation asks for neither. The mentor draws
up the individual work plan with the trainees (004 III.5) and records the work done in the regulation's forms
(004 III.6). Each trainee's academic year runs on its own process (``engine.services.network.year``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    Mentee,
    MentorAppointment,
    NetworkGroup,
    NetworkMember,
    NetworkWorkRecord,
    OpenTask,
    Person,
    Role,
    WorkflowInstance,
    appointed_on_stmt,
    record_audit,
)
from engine.db.models.mentorship import MenteeStatus
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.regulations import RegulationPack
from engine.services.mentorship.basics import require_active, start_data
from engine.services.network import basics, trainees, year
from engine.services.people.actor import Actor
from engine.services.process import instances
from engine.services.process.hooks import Step, StepHook
from engine.workflow import Clock, FixedClock
from engine.workflow.clock import to_utc

REVIEW_DATE = "trainee_review"  # the pack's report_calendar entry: the review's due day (004 IV.1)
REVIEW_OPENS_DAYS_BEFORE = 30  # the review task opens a month before it is due
MAX_TRAINEES = 50


@dataclass(frozen=True)
class GroupPlan:
    """What a new group would be: checked before anything starts, and again when the step records it."""

    appointment: MentorAppointment
    trainees: list[Mentee]
    academic_year: int
    starts_on: date
    ends_on: date
    review_opens_on: date
    review_due_on: date


def _person(session: Session, person_id: int, where: str = "mentor_id") -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}")
    return require_active(person, where=where)  # a deactivated person joins no new group (issue 12)


def _review_window(regulation: RegulationPack, academic_year: int) -> tuple[date, date]:
    due = regulation.report_date(REVIEW_DATE)
    if due is None or due.month is None or due.day is None:
        raise NastavnikError(f"положение «{regulation.title}» не называет срок отзыва о стажёре (004 IV.1)",
                             where=f"{regulation.id}/pack.yaml: report_calendar.{REVIEW_DATE}")
    due_on = date(academic_year + 1, due.month, due.day)
    return due_on - timedelta(days=REVIEW_OPENS_DAYS_BEFORE), due_on


def _appointment(session: Session, organization_id: int, mentor: Person, today: date) -> MentorAppointment:
    found = session.scalars(appointed_on_stmt(today, organization_id=organization_id, person_id=mentor.id)).first()
    if found is None:
        raise NastavnikError(f"{mentor.full_name} не назначен(а) сетевым наставником приказом управления образования "
                             "на этот учебный год (004 III.2)", where="mentor_id")
    if not (found.direction or "").strip():
        raise NastavnikError(f"за сетевым наставником {mentor.full_name} не закреплено направление профессиональной "
                             "деятельности (004 II.2)", where="mentor_id")
    return found


def _covered(session: Session, organization_id: int, today: date, direction: str) -> list[MentorAppointment]:
    return [a for a in session.scalars(appointed_on_stmt(today, organization_id=organization_id))
            if basics.direction_key(a.direction) == basics.direction_key(direction)]


def _trainee(session: Session, organization_id: int, person_id: int, appointment: MentorAppointment,
             today: date) -> Mentee:
    person = _person(session, person_id, "trainee_ids")
    entry = session.scalar(select(Mentee).where(Mentee.person_id == person_id, Mentee.organization_id == organization_id,
                                                Mentee.direction.is_not(None),
                                                Mentee.status == MenteeStatus.WAITING.value))
    if entry is None:
        raise NastavnikError(f"{person.full_name} нет среди стажёров, ожидающих группы (004 I.3): внесите в базу или "
                             "проверьте, не в группе ли уже", where="trainee_ids")
    if basics.direction_key(entry.direction) != basics.direction_key(appointment.direction):
        others = _covered(session, organization_id, today, entry.direction or "")
        who = ", ".join(a.person.full_name for a in others)
        tail = (f"по нему работает {who}" if others else
                "за этим направлением не закреплён ни один сетевой наставник (004 II.2)")
        raise NastavnikError(f"{person.full_name} нуждается в помощи по направлению «{entry.direction}», а сетевой "
                             f"наставник {appointment.person.full_name} закреплён за направлением "
                             f"«{appointment.direction}»: {tail}; группы формируются по направлениям (004 III.4)",
                             where="trainee_ids")
    if trainees.latest_diagnosis(session, entry.id) is None:
        raise NastavnikError(f"{person.full_name}: нет ни самодиагностики профессиональных компетенций, ни "
                             "мониторинга администрацией образовательной организации — по ним определяется "
                             "списочный состав стажёров направления (004 III.3)", where="trainee_ids")
    return entry


def check_group(session: Session, organization_id: int, mentor_id: int, trainee_ids: list[int],
                today: date) -> GroupPlan:
    """A group of ``trainee_ids`` (person ids) for the network mentor ``mentor_id`` on ``today``, or the
    regulation's reason why not (``NastavnikError`` naming the field)."""
    regulation = basics.network_pack(basics.organization(session, organization_id))
    appointment = _appointment(session, organization_id, _person(session, mentor_id), today)
    if not trainee_ids:
        raise NastavnikError("в группе нужен хотя бы один стажёр (004 III.4)", where="trainee_ids")
    if len(set(trainee_ids)) != len(trainee_ids) or len(trainee_ids) > MAX_TRAINEES:
        raise NastavnikError(f"стажёры группы — без повторов, не больше {MAX_TRAINEES}", where="trainee_ids")
    if mentor_id in trainee_ids:
        raise NastavnikError("сетевой наставник не может быть стажёром своей группы", where="trainee_ids")
    members = [_trainee(session, organization_id, pid, appointment, today) for pid in trainee_ids]
    year = basics.academic_year_of(today)
    opens_on, due_on = _review_window(regulation, year)
    if today >= opens_on:
        raise NastavnikError(f"{basics.academic_year_label(year)} заканчивается: с {opens_on:%d.%m.%Y} сетевые "
                             "наставники пишут отзывы о стажёрах (004 IV.1) — новую группу сформируйте в новом "
                             "учебном году", where="trainee_ids")
    program_end = regulation.program_ends_on(today) or appointment.ends_on
    return GroupPlan(appointment, members, year, today, min(program_end, appointment.ends_on), opens_on, due_on)


def form_group(session: Session, actor: Actor, organization_id: int, mentor_id: int, trainee_ids: list[int], *,
               comment: str = "", clock: Clock | None = None) -> WorkflowInstance:
    """The specialist forms a group of one direction and hands its list to the network mentor (004 III.4):
    the pack's pair-formation process starts; its first step records the group and starts each trainee's
    year. Refused before anything starts when the regulation does not allow the group."""
    found = basics.organization(session, organization_id)
    regulation = basics.network_pack(found)
    actor.require(organization_id, Role.CURATOR, action="формирование группы стажёров по направлению")
    moment = basics.now(session, clock)
    plan = check_group(session, organization_id, mentor_id, trainee_ids, basics.local_day(regulation, moment))
    instance = instances.start_instance(
        session, actor, regulation.process("pair_formation", found.kind), "pair_formation", organization_id,
        subject={"mentor_id": mentor_id, "assignees": {Role.MENTOR: mentor_id}},
        data={**start_data(found), "direction": plan.appointment.direction,
              "academic_year": f"{plan.academic_year}/{plan.academic_year + 1}"}, clock=clock)
    task = next(t for t in instance.open_tasks if t.form_id == FormId.FORM_NETWORK_GROUP)
    return instances.complete_task(session, actor, instance.id, task.task_id, {
        "mentor_id": mentor_id, "direction": plan.appointment.direction or "", "trainee_ids": list(trainee_ids),
        "comment": comment}, clock=clock)


def group_of(session: Session, instance: WorkflowInstance) -> NetworkGroup:
    group = session.get(NetworkGroup, (instance.subject or {}).get("group_id"))
    if group is None:
        raise NotFound(f"процесс №{instance.id} не связан с группой стажёров")
    return group


# -- hooks -----------------------------------------------------------------------------------------

def _record_group(step: Step) -> None:
    """form_network_group: the group and its trainees, and each trainee's academic year on its process."""
    session, instance, data = step.session, step.instance, step.task.data
    regulation = basics.network_pack(basics.organization(session, instance.organization_id))
    moment = to_utc(instance.updated_at)
    plan = check_group(session, instance.organization_id, int(data["mentor_id"]),
                       [int(i) for i in data.get("trainee_ids") or []], basics.local_day(regulation, moment))
    group = NetworkGroup(
        organization_id=instance.organization_id, appointment_id=plan.appointment.id,
        mentor_id=plan.appointment.person_id, direction=plan.appointment.direction or "",
        academic_year=plan.academic_year, starts_on=plan.starts_on, ends_on=plan.ends_on,
        review_opens_on=plan.review_opens_on, review_due_on=plan.review_due_on, formed_by_id=step.actor.person_id,
        workflow_instance_id=instance.id)
    session.add(group)
    session.flush()
    instance.subject = {**(instance.subject or {}), "group_id": group.id}
    for entry in plan.trainees:
        entry.status = MenteeStatus.IN_PROGRAM.value
        member = NetworkMember(group=group, mentee_id=entry.id, person_id=entry.person_id)
        session.add(member)
        session.flush()
        year.start_year(session, regulation, group, member, clock=FixedClock(moment))
    record_audit(session, "network.group_formed", actor=step.actor.person_id, obj=group,
                 organization=instance.organization_id,
                 details={"direction": group.direction, "trainees": [m.person_id for m in plan.trainees],
                          "comment": str(data.get("comment") or "")})


def _record_work_plan(step: Step) -> None:
    """mentor_work_plan: the mentor's individual work plan with the trainees (004 III.5)."""
    group = group_of(step.session, step.instance)
    text = str(step.task.data.get("work_plan") or "").strip()
    if not text:
        raise NastavnikError("напишите индивидуальный план работы со стажёрами (004 III.5)", where="work_plan")
    group.work_plan, group.work_plan_at = text, step.instance.updated_at
    record_audit(step.session, "network.work_plan", actor=step.actor.person_id, obj=group,
                 organization=group.organization_id)


def write_work_plan(session: Session, actor: Actor, group_id: int, work_plan: str, *,
                    clock: Clock | None = None) -> WorkflowInstance:
    """The network mentor writes the individual work plan with the group's trainees (004 III.5)."""
    group = session.get(NetworkGroup, group_id)
    if group is None:
        raise NotFound(f"нет группы стажёров №{group_id}")
    task = session.scalar(select(OpenTask).where(OpenTask.instance_id == group.workflow_instance_id,
                                                 OpenTask.form_id == FormId.MENTOR_WORK_PLAN))
    if task is None:
        raise NastavnikError("индивидуальный план работы со стажёрами группы уже составлен (004 III.5)",
                             where="work_plan")
    return instances.complete_task(session, actor, task.instance_id, task.task_id, {"work_plan": work_plan},
                                   clock=clock)


# -- work in the regulation's forms (004 III.6) ---------------------------------------------------------

def record_work(session: Session, actor: Actor, group_id: int, *, form: str, held_on: date, topic: str | None,
                trainee_ids: list[int], note: str | None = None, clock: Clock | None = None) -> NetworkWorkRecord:
    """The network mentor records work with trainees of the group in one of the regulation's forms (004 III.6)."""
    group = session.get(NetworkGroup, group_id)
    if group is None:
        raise NotFound(f"нет группы стажёров №{group_id}")
    if actor.person_id != group.mentor_id:
        raise PermissionDenied(f"{actor.full_name}: работу группы записывает её сетевой наставник (004 III.6)")
    regulation = basics.network_pack(group.organization)
    kind = regulation.work_form(form)
    moment = basics.now(session, clock)
    today = basics.local_day(regulation, moment)
    if not group.starts_on <= held_on <= group.ends_on:
        raise NastavnikError(f"дата — в пределах учебного года группы: с {group.starts_on:%d.%m.%Y} по "
                             f"{group.ends_on:%d.%m.%Y}", where="held_on")
    if held_on > today:
        raise NastavnikError("записывается проведённая работа: дата не может быть позже сегодняшней", where="held_on")
    text = " ".join((topic or "").split())
    if not text or len(text) > 300:
        raise NastavnikError("тема — от 1 до 300 знаков", where="topic")
    members = {m.person_id for m in group.members}
    if not trainee_ids or not set(trainee_ids) <= members:
        raise NastavnikError("отметьте стажёров группы, с которыми проведена работа", where="trainee_ids")
    row = NetworkWorkRecord(group=group, form=kind.id, held_on=held_on, topic=text, note=(note or "").strip() or None,
                            trainee_ids=sorted(set(trainee_ids)), recorded_by_id=actor.person_id,
                            recorded_at=moment)
    session.add(row)
    session.flush()
    record_audit(session, "network.work_recorded", actor=actor.person_id, obj=group,
                 organization=group.organization_id, details={"record_id": row.id, "form": kind.id})
    return row


HOOKS: dict[str, StepHook] = {  # the ``hook`` a user task of network_grouping names
    "record_network_group": _record_group,
    "record_mentor_work_plan": _record_work_plan,
}
ORDER_KINDS: dict = {}  # no order: 004 III.4 forms groups and IV.1 reviews trainees without one
