"""The statistical form of 003 §3.3 («фиксирует данные о количестве участников персонализированных программ
наставничества в формах статистического наблюдения»): for one of the curator's organizations on a date, the
participants of the programs running that day (mentors, 003 §3.4; mentees by category, 003 §3.6.1), the pairs and
groups working by a program (003 §6.2) by form (003 §2.4), the programs running (extended: 003 §7.2), the programs
completed in the period by ground (003 §7.1), and the banks of mentors and mentees the curator keeps (003 §3.3).
Each figure is a COUNT in the database. Only counts: no person's data is shown, so nothing goes to the access log.

«Running on a date» reads the dates the records keep: a program started on or before the day and not completed
before it; a member who joined by the day and had not left; a mentor not released by then.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import CompoundSelect, Select, and_, case, distinct, func, or_, select, union
from sqlalchemy.orm import Session

from engine.db.models import (
    FINISHED_PROGRAM_STATUSES,
    MENTORSHIP_FORM_LABELS,
    CompletionGround,
    GroupMember,
    Mentee,
    MentorAppointment,
    MentoringGroup,
    Organization,
    Program,
)
from engine.db.models.mentorship import AppointmentStatus, MenteeStatus
from engine.db.models.program import ProgramStatus
from engine.documents import xlsx
from engine.documents.exported import ExportFile
from engine.errors import NastavnikError, PermissionDenied
from engine.regulations import pack_of
from engine.services.audit.history import GROUND_NAMES
from engine.services.curation import registries
from engine.services.curation.registry_exports import about_section
from engine.services.people.actor import Actor
from engine.services.process.domain import organization_today


@dataclass(frozen=True)
class Line:
    code: str  # «1.2.3»
    label: str
    count: int
    clause: str


@dataclass(frozen=True)
class StatisticalForm:
    organization: Organization
    on: date
    since: date  # completions counted from this day to ``on``
    lines: list[Line]

    def count(self, code: str) -> int:
        return next(line.count for line in self.lines if line.code == code)


def _running_programs(organization_id: int, on: date):
    return (Program.group_id == MentoringGroup.id, MentoringGroup.organization_id == organization_id,
            Program.status != ProgramStatus.FORMING.value, Program.started_on <= on,
            or_(Program.completed_on.is_(None), Program.completed_on > on))


def _members_on(on: date):
    return (or_(GroupMember.joined_on.is_(None), GroupMember.joined_on <= on),
            or_(GroupMember.left_on.is_(None), GroupMember.left_on > on))


def _count(session: Session, stmt: Select | CompoundSelect) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def _by(session: Session, stmt: Select) -> dict:
    return {key: int(n) for key, n in session.execute(stmt).all()}


def _catalogue(organization: Organization):
    try:
        pack = pack_of(organization)
    except NastavnikError:
        return [], []
    return ([(c.id, c.label, c.clause) for c in pack.categories_for(organization.kind)],
            [(f.id, f.label, f.clause) for f in pack.forms_for(organization.kind)])


def _split(counts: dict, known: list[tuple[str, str, str]], code: str, *, start: int = 1, prefix: str,
           fallback: dict, clause: str) -> list[Line]:
    """One line per item of the pack (zero included: the form keeps its shape), then any other value found,
    numbered ``code.start``, ``code.start+1``, …"""
    items = [(label, counts.get(key, 0), item_clause or clause) for key, label, item_clause in known]
    listed = {key for key, _label, _clause in known}
    items += [(fallback.get(key, "не указано" if key is None else str(key)), counts[key], clause)
              for key in sorted((k for k in counts if k not in listed), key=str)]
    return [Line(f"{code}.{n}", f"{prefix}{label}", count, item_clause)
            for n, (label, count, item_clause) in enumerate(items, start=start)]


def statistical_form(session: Session, actor: Actor, *, organization_id: int | None = None, on: date | None = None,
                     since: date | None = None) -> StatisticalForm:  # noqa: C901 - the form's blocks, one by one
    """The form for ``organization_id`` (one of the curator's organizations; the first when not given) on ``on``
    (the organization's today by default), completions from ``since`` (1 January of that year by default)."""
    organizations = registries.curator_organizations(actor)
    organization_id = organization_id or organizations[0]
    if organization_id not in organizations:
        raise PermissionDenied(f"{actor.full_name or actor.login}: статистическую форму составляет куратор "
                               "своей организации (003 §3.3)")
    organization = session.get(Organization, organization_id)
    assert organization is not None  # a role's organization exists
    on = on or organization_today(session, organization)
    since = since or date(on.year, 1, 1)
    if since > on:
        raise NastavnikError("начало периода позже даты формы", where="since")
    running = select(MentoringGroup.id).join(Program, Program.group_id == MentoringGroup.id).where(
        *_running_programs(organization_id, on)).distinct()
    mentors = select(MentoringGroup.mentor_id.label("person_id")).where(
        MentoringGroup.id.in_(running),
        or_(MentoringGroup.mentor_released_on.is_(None), MentoringGroup.mentor_released_on > on))
    mentees = select(GroupMember.person_id.label("person_id")).where(GroupMember.group_id.in_(running), *_members_on(on))
    categories, forms = _catalogue(organization)
    by_category = _by(session, select(Mentee.category, func.count(distinct(GroupMember.person_id)))
                      .select_from(GroupMember).outerjoin(Mentee, Mentee.id == GroupMember.mentee_id)
                      .where(GroupMember.group_id.in_(running), *_members_on(on)).group_by(Mentee.category))
    labels = registries.category_labels()
    lines = [Line("1", "Участники персонализированных программ наставничества на дату — всего, человек",
                  _count(session, union(mentors, mentees)), "003 §3.3"),
             Line("1.1", "из них наставники", _count(session, mentors.distinct()), "003 §3.4"),
             Line("1.2", "из них наставляемые", _count(session, mentees.distinct()), "003 §3.6"),
             *_split(by_category, categories, "1.2", prefix="категория: ", fallback=labels, clause="003 §3.6.1")]

    size = (select(GroupMember.group_id, func.count().label("members"))
            .where(GroupMember.group_id.in_(running), *_members_on(on)).group_by(GroupMember.group_id).subquery())
    kind = case((size.c.members == 1, "pair"), (size.c.members > 1, "group"), else_="none")  # none: all have left
    shapes = _by(session, select(kind, func.count()).select_from(MentoringGroup)
                 .outerjoin(size, size.c.group_id == MentoringGroup.id)
                 .where(MentoringGroup.id.in_(running)).group_by(kind))
    by_form = _by(session, select(MentoringGroup.form, func.count()).where(MentoringGroup.id.in_(running))
                  .group_by(MentoringGroup.form))
    lines += [Line("2", "Наставнические пары и группы, работающие по программам на дату", sum(shapes.values()),
                   "003 §6.2"),
              Line("2.1", "из них пары (один наставляемый)", shapes.get("pair", 0), "003 §6.2"),
              Line("2.2", "из них группы (два и более наставляемых)", shapes.get("group", 0), "003 §6.2"),
              *_split(by_form, forms, "2", start=3, prefix="по форме наставничества: ",
                      fallback=dict(MENTORSHIP_FORM_LABELS), clause="003 §2.4")]

    statuses = _by(session, select(Program.status, func.count()).select_from(MentoringGroup).join(
        Program, Program.group_id == MentoringGroup.id).where(*_running_programs(organization_id, on))
        .group_by(Program.status))
    lines += [Line("3", "Персонализированные программы, выполняемые на дату", sum(statuses.values()), "003 §3.3"),
              Line("3.1", "из них выполняются в первоначальные сроки", statuses.get(ProgramStatus.ACTIVE.value, 0),
                   "003 §1.2.6, §6.2"),
              Line("3.2", "из них продлены или скорректированы", statuses.get(ProgramStatus.EXTENDED.value, 0),
                   "003 §7.2")]
    completed = _by(session, select(Program.completion_ground, func.count()).join(  # a finished program has its
        MentoringGroup, MentoringGroup.id == Program.group_id).where(  # ground (ck_programs_finished_has_ground)
        MentoringGroup.organization_id == organization_id,
        Program.status.in_([s.value for s in FINISHED_PROGRAM_STATUSES]),
        Program.completed_on >= since, Program.completed_on <= on).group_by(Program.completion_ground))
    finished = {ground: completed.get(ground.value, 0) for ground in CompletionGround}
    lines += [Line("4", f"Программы, завершённые с {since:%d.%m.%Y} по {on:%d.%m.%Y}", sum(finished.values()),
                   "003 §7.1"),
              *(Line(f"4.{n}", f"основание: {GROUND_NAMES[ground]}", finished[ground], ground.clause)
                for n, ground in enumerate(CompletionGround, start=1))]

    in_force = or_(MentorAppointment.status == AppointmentStatus.ACTIVE.value,
                   and_(MentorAppointment.status == AppointmentStatus.RELEASED.value, MentorAppointment.released_on > on))
    bank = _count(session, select(MentorAppointment.person_id).where(
        MentorAppointment.organization_id == organization_id, in_force, MentorAppointment.starts_on <= on,
        MentorAppointment.ends_on >= on).distinct())
    in_mentee_bank = (Mentee.organization_id == organization_id, Mentee.registered_on <= on,
                      Mentee.status != MenteeStatus.WITHDRAWN.value)
    entries = _by(session, select(Mentee.category, func.count(distinct(Mentee.person_id))).where(*in_mentee_bank)
                  .group_by(Mentee.category))
    in_bank = _count(session, select(Mentee.person_id).where(*in_mentee_bank).distinct())
    lines += [Line("5", "База наставников: назначены приказом, срок полномочий действует на дату", bank,
                   "003 §3.3, §3.4"),
              Line("6", "База наставляемых на дату", in_bank, "003 §3.3"),
              *_split(entries, categories, "6", prefix="категория: ", fallback=labels, clause="003 §3.6.1")]
    return StatisticalForm(organization, on, since, lines)


def organizations(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The organizations whose form the curator files (id, short name), for the form's picker."""
    return [(org_id, short or name) for org_id, short, name in session.execute(
        select(Organization.id, Organization.short_name, Organization.name)
        .where(Organization.id.in_(registries.curator_organizations(actor))).order_by(Organization.name))]


def statistical_form_file(session: Session, actor: Actor, *, organization_id: int | None = None,
                          on: date | None = None, since: date | None = None) -> ExportFile:
    """The form as XLSX: the sheet of figures (line, indicator, count, clause) and «Сведения»."""
    form = statistical_form(session, actor, organization_id=organization_id, on=on, since=since)
    organization = form.organization
    figures = xlsx.Section("Форма 003 п. 3.3", ("Строка", "Показатель", "Количество", "Пункт положения"),
                           [[line.code, line.label, line.count, line.clause] for line in form.lines])
    about = about_section(session, actor, "Сведения о количестве участников персонализированных программ "
                          "наставничества (003 §3.3)", [
                              ("Организация", organization.short_name or organization.name), ("На дату", form.on),
                              ("Завершения программ с", form.since), ("Завершения программ по", form.on)])
    data = xlsx.workbook([figures, about], title="Статистическая форма (003 §3.3)",
                         author=actor.full_name or actor.login)
    return ExportFile(data, f"статистическая-форма-{form.on.isoformat()}.xlsx", rows=len(form.lines))
