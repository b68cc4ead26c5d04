"""The figures of an analytic report (003 §3.3), each a COUNT / SUM / AVG in the database over the organizations
``orgs`` (an organization and every one under it) and a period [``since``, ``until``], the figures «at the end» on
``at`` (engine.services.monitoring.analytic_period). Each function returns a plain dict (the API's JSON).

- participants: the mentors and mentees of the pairs and groups whose program ran in the period (mentees by
  kind: Person.participant_kind, 001 §2.3); pairs and groups formed in the period (their program started in it)
  and working at its end (their program runs that day), by form / model (003 §2.4). A pair has one mentee, a group
  two or more (003 §6.2).
- programs: started, completed by ground (003 §7.1; ground «в» is the termination), extended by a signed order
  (003 §7.2) in the period; running at its end, on time or overdue (the current stage's latest event date has
  passed and its report is not approved — as the monitoring page and the dashboard count it).
- stage reports submitted, approved and returned in the period (the days in the organization's time zone).
- mentors' period reports (003, order item 3) due in the period: filed, filed late, overdue (not filed and the
  date has passed), still expected; the mentors whose report is overdue, by name.
- the indicators of 002 §5 the mentors gave in their filed reports (``body.programs[].indicators``, whatever the
  regulation names): per indicator the programs with a value, and for numbers the average and the sum. Read
  generically from the JSON in the database (SQLite ``json_each``, PostgreSQL ``json_each`` /
  ``json_array_elements``).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Date, Select, bindparam, case, distinct, func, literal, or_, select, text
from sqlalchemy.orm import Session

from engine.db.models import (
    GroupMember,
    MentoringGroup,
    MentorPeriodReport,
    Order,
    OrderStatus,
    Organization,
    Person,
    Program,
    ProgramStatus,
    ReportStatus,
    RoadmapEventRecord,
    StageReport,
)
from engine.db.models.mentorship import GroupStatus
from engine.vocabulary import CompletionGround

FORMED = (GroupStatus.APPROVED.value, GroupStatus.CLOSED.value)  # pairs and groups approved by the head's order


def _started(at: date):
    return (Program.status != ProgramStatus.FORMING.value, Program.started_on <= at)


def _ran(since: date, at: date):
    """The program ran some day of [since, at]."""
    return (*_started(at), or_(Program.completed_on.is_(None), Program.completed_on >= since))


def _running_on(at: date):
    return (*_started(at), or_(Program.completed_on.is_(None), Program.completed_on > at))


def _in(orgs: list[int]):
    return (MentoringGroup.id == Program.group_id, MentoringGroup.organization_id.in_(orgs),
            MentoringGroup.status.in_(FORMED))


def _rows(session: Session, stmt: Select) -> list[tuple]:
    return [tuple(row) for row in session.execute(stmt).all()]


# -- participants ---------------------------------------------------------------------------------

def participants(session: Session, orgs: list[int], since: date, at: date) -> dict:
    ran = select(MentoringGroup.id).join(Program, Program.group_id == MentoringGroup.id).where(
        *_in(orgs), *_ran(since, at)).distinct().scalar_subquery()
    mentors = session.scalar(select(func.count(distinct(MentoringGroup.mentor_id))).where(
        MentoringGroup.id.in_(ran),
        or_(MentoringGroup.mentor_released_on.is_(None), MentoringGroup.mentor_released_on >= since))) or 0
    member_in_period = (GroupMember.group_id.in_(ran), or_(GroupMember.joined_on.is_(None), GroupMember.joined_on <= at),
                        or_(GroupMember.left_on.is_(None), GroupMember.left_on >= since))
    kinds = {kind or "none": int(n) for kind, n in _rows(session, select(
        Person.participant_kind, func.count(distinct(GroupMember.person_id))).join(
        Person, Person.id == GroupMember.person_id).where(*member_in_period).group_by(Person.participant_kind))}
    mentees = sum(kinds.values())  # a person has one kind: the kinds' distinct counts add up to the distinct mentees
    return {"mentors": int(mentors), "mentees": mentees, "mentees_by_kind": kinds,
            "formed": _shapes(session, orgs, (Program.started_on >= since, *_started(at)), None),
            "working": _shapes(session, orgs, _running_on(at), at)}


def _shapes(session: Session, orgs: list[int], program_condition, on: date | None) -> dict:
    """Pairs and groups whose program meets ``program_condition``, by form: {form: {"pairs": n, "groups": n}};
    the members counted on ``on`` (all who ever joined when None)."""
    chosen = select(Program.group_id).join(MentoringGroup, MentoringGroup.id == Program.group_id).where(
        *_in(orgs), *program_condition).distinct().scalar_subquery()
    members: list[ColumnElement[bool]] = [GroupMember.group_id.in_(chosen)]
    if on is not None:
        members += [or_(GroupMember.joined_on.is_(None), GroupMember.joined_on <= on),
                    or_(GroupMember.left_on.is_(None), GroupMember.left_on > on)]
    size = select(GroupMember.group_id, func.count().label("members")).where(*members).group_by(
        GroupMember.group_id).subquery()
    shape = case((size.c.members > 1, literal("groups")), else_=literal("pairs"))
    found: dict[str, dict[str, int]] = {}
    for form, kind, n in _rows(session, select(MentoringGroup.form, shape, func.count()).join(
            size, size.c.group_id == MentoringGroup.id).where(MentoringGroup.id.in_(chosen))
            .group_by(MentoringGroup.form, shape)):
        found.setdefault(form, {"pairs": 0, "groups": 0})[kind] = int(n)
    return dict(sorted(found.items()))


# -- programs -------------------------------------------------------------------------------------

def overdue_on(at: date):
    """The program's current stage is overdue on ``at``: its latest event date has passed and its report is not
    approved."""
    due = (select(func.max(RoadmapEventRecord.due_on)).where(
        RoadmapEventRecord.program_id == Program.id, RoadmapEventRecord.stage_id == Program.current_stage_id)
        .correlate(Program).scalar_subquery())
    approved = select(StageReport.id).where(
        StageReport.program_id == Program.id, StageReport.stage_id == Program.current_stage_id,
        StageReport.status == ReportStatus.APPROVED.value).correlate(Program).exists()
    return (due < at) & ~approved


def programs(session: Session, orgs: list[int], since: date, at: date) -> dict:
    base = select(func.count(Program.id)).select_from(Program).join(
        MentoringGroup, MentoringGroup.id == Program.group_id).where(*_in(orgs))
    started = session.scalar(base.where(Program.started_on >= since, *_started(at))) or 0
    grounds = {g: int(n) for g, n in _rows(session, select(Program.completion_ground, func.count()).join(
        MentoringGroup, MentoringGroup.id == Program.group_id).where(
        *_in(orgs), Program.completion_ground.is_not(None), Program.completed_on >= since, Program.completed_on <= at)
        .group_by(Program.completion_ground))}
    extended = session.scalar(select(func.count(distinct(Program.id))).join(
        MentoringGroup, MentoringGroup.id == Program.group_id).join(
        Order, Order.workflow_instance_id == Program.workflow_instance_id).where(
        *_in(orgs), Order.type == "extension", Order.extends_term.is_not(False),
        Order.status == OrderStatus.SIGNED.value,
        Order.issued_on >= since, Order.issued_on <= at)) or 0
    running, overdue = session.execute(select(
        func.count(Program.id), func.coalesce(func.sum(case((overdue_on(at), 1), else_=0)), 0)).join(
        MentoringGroup, MentoringGroup.id == Program.group_id).where(*_in(orgs), *_running_on(at))).one()
    return {"started": int(started),
            "completed": {g.value: grounds.get(g.value, 0) for g in CompletionGround},
            "completed_total": sum(grounds.values()),
            "terminated": grounds.get(CompletionGround.IMPROPER_EXECUTION.value, 0),
            "extended": int(extended),
            "running_at_end": int(running), "overdue_at_end": int(overdue),
            "on_time_at_end": int(running) - int(overdue)}


# -- reports --------------------------------------------------------------------------------------

def moments(since: date, at: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start of ``since``, start of the day after ``at``) in ``zone``, as UTC."""
    return (datetime.combine(since, time(), zone).astimezone(UTC),
            datetime.combine(at + timedelta(days=1), time(), zone).astimezone(UTC))


def stage_reports(session: Session, orgs: list[int], since: date, at: date, zone: ZoneInfo) -> dict:
    start, end = moments(since, at, zone)
    reviewed = StageReport.reviewed_at.is_not(None) & (StageReport.reviewed_at >= start) & (
        StageReport.reviewed_at < end)
    submitted, approved, returned = session.execute(select(
        func.coalesce(func.sum(case(((StageReport.submitted_at >= start) & (StageReport.submitted_at < end), 1),
                                    else_=0)), 0),
        func.coalesce(func.sum(case((reviewed & (StageReport.status == ReportStatus.APPROVED.value), 1), else_=0)), 0),
        func.coalesce(func.sum(case((reviewed & (StageReport.status == ReportStatus.RETURNED.value), 1), else_=0)), 0),
    ).join(Program, Program.id == StageReport.program_id).join(
        MentoringGroup, MentoringGroup.id == Program.group_id).where(*_in(orgs))).one()
    return {"submitted": int(submitted), "approved": int(approved), "returned": int(returned)}


def mentor_reports(session: Session, orgs: list[int], since: date, until: date, today: date) -> dict:
    """The mentors' period reports due in [since, until], their state on ``today``; the overdue ones by name."""
    due = (MentorPeriodReport.organization_id.in_(orgs), MentorPeriodReport.due_on >= since,
           MentorPeriodReport.due_on <= until)
    unfiled = MentorPeriodReport.filed_on.is_(None)
    total, filed, late, overdue = session.execute(select(
        func.count(MentorPeriodReport.id),
        func.coalesce(func.sum(case((MentorPeriodReport.filed_on.is_not(None), 1), else_=0)), 0),
        func.coalesce(func.sum(case((MentorPeriodReport.filed_on > MentorPeriodReport.due_on, 1), else_=0)), 0),
        func.coalesce(func.sum(case((unfiled & (MentorPeriodReport.due_on < today), 1), else_=0)), 0),
    ).where(*due)).one()
    names = [{"mentor_id": mentor_id, "mentor": name, "organization": short or full, "due_on": due_on,
              "escalated_on": escalated}
             for mentor_id, name, short, full, due_on, escalated in _rows(session, select(
                 Person.id, Person.full_name, Organization.short_name, Organization.name, MentorPeriodReport.due_on,
                 MentorPeriodReport.escalated_on).join(Person, Person.id == MentorPeriodReport.mentor_id).join(
                 Organization, Organization.id == MentorPeriodReport.organization_id).where(
                 *due, unfiled, MentorPeriodReport.due_on < today).order_by(
                 Person.full_name, MentorPeriodReport.due_on, MentorPeriodReport.id))]
    return {"due": int(total), "filed": int(filed), "filed_late": int(late), "overdue": int(overdue),
            "expected": int(total) - int(filed) - int(overdue), "overdue_mentors": names}


# -- the 002 §5 indicators ------------------------------------------------------------------------

_INDICATORS_SQLITE = """
SELECT i.key AS key, count(*) AS filled,
       sum(CASE WHEN i.type IN ('integer', 'real') THEN 1 ELSE 0 END) AS numbers,
       avg(CASE WHEN i.type IN ('integer', 'real') THEN i.value END) AS average,
       sum(CASE WHEN i.type IN ('integer', 'real') THEN i.value END) AS total
FROM mentor_period_reports r, json_each(r.body, '$.programs') p, json_each(p.value, '$.indicators') i
WHERE r.organization_id IN :orgs AND r.due_on >= :since AND r.due_on <= :until AND r.filed_on IS NOT NULL
  AND json_type(r.body, '$.programs') = 'array' AND p.type = 'object'
  AND json_type(p.value, '$.indicators') = 'object' AND i.type IN ('integer', 'real', 'text')
GROUP BY i.key ORDER BY i.key
"""
_INDICATORS_POSTGRESQL = """
SELECT i.key AS key, count(*) AS filled,
       sum(CASE WHEN json_typeof(i.value) = 'number' THEN 1 ELSE 0 END) AS numbers,
       avg(CASE WHEN json_typeof(i.value) = 'number' THEN (i.value #>> '{}')::numeric END) AS average,
       sum(CASE WHEN json_typeof(i.value) = 'number' THEN (i.value #>> '{}')::numeric END) AS total
FROM mentor_period_reports r
CROSS JOIN LATERAL json_array_elements(CASE WHEN json_typeof(r.body -> 'programs') = 'array'
                                            THEN r.body -> 'programs' ELSE '[]'::json END) AS p(value)
CROSS JOIN LATERAL json_each(CASE WHEN json_typeof(p.value) = 'object' AND json_typeof(p.value -> 'indicators') = 'object'
                                  THEN p.value -> 'indicators' ELSE '{}'::json END) AS i
WHERE r.organization_id IN :orgs AND r.due_on >= :since AND r.due_on <= :until AND r.filed_on IS NOT NULL
  AND json_typeof(i.value) IN ('number', 'string')
GROUP BY i.key ORDER BY i.key
"""


def indicators(session: Session, orgs: list[int], since: date, until: date) -> dict:
    """{indicator id: {"filled", "numbers", "average", "total"}} over the filed mentors' reports due in the
    period; empty when no report gives any."""
    if not orgs:
        return {}
    sql = _INDICATORS_POSTGRESQL if session.get_bind().dialect.name == "postgresql" else _INDICATORS_SQLITE
    stmt = text(sql).bindparams(bindparam("orgs", expanding=True), bindparam("since", type_=Date),
                                bindparam("until", type_=Date))
    found = {}
    for key, filled, numbers, average, total in session.execute(
            stmt, {"orgs": orgs, "since": since, "until": until}).all():
        found[str(key)] = {"filled": int(filled), "numbers": int(numbers or 0),
                           "average": _number(average) if average is not None else None,
                           "total": _number(total) if total is not None else None}
    return found


def _number(value) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else round(number, 1)
