"""The inbox's page of steps read as plain rows, not mapped objects: what a row shows of a step, its program or the
pair being formed or the mentor candidate, and their people and workplaces, each statement's rows made into small
frozen records. A page of 50 steps read through the ORM made ~330 mapped objects per request, 5–8 ms of the
page's CPU (issue 14); these make the same page from the same few statements in a fraction of it.

The records carry the attribute names of the models they stand for (``ListedPerson.full_name``,
``ListedGroup.current_mentor_id``, ...), so the inbox's templates read either; a step's own page loads the
models whole (``inbox.subject_of``).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from engine.db.models import GroupMember, MentoringGroup, OpenTask, Organization, Person, Program, WorkflowInstance
from engine.services.curation.inbox_query import SCHOOL_KINDS

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Workplace:
    id: int
    kind: str
    name: str
    short_name: str | None


@dataclass(frozen=True, slots=True)
class ListedPerson:
    id: int
    full_name: str
    organization: Workplace | None

    @property
    def workplace(self) -> str:
        """The workplace as a list names it (its short name, else its name; "" without one)."""
        return (self.organization.short_name or self.organization.name) if self.organization is not None else ""


@dataclass(frozen=True, slots=True)
class ListedMember:
    person: ListedPerson
    left_on: date | None


@dataclass(frozen=True, slots=True)
class ListedGroup:
    id: int
    roadmap_id: str
    mentor_id: int
    mentor_released_on: date | None
    mentor: ListedPerson
    members: tuple[ListedMember, ...]

    @property
    def current_mentor_id(self) -> int | None:
        """As ``MentoringGroup.current_mentor_id``: None while the released mentor awaits a replacement."""
        return None if self.mentor_released_on is not None else self.mentor_id


@dataclass(frozen=True, slots=True)
class ListedProgram:
    id: int
    roadmap_id: str
    current_stage_id: str | None
    group: ListedGroup | None


@dataclass(frozen=True, slots=True)
class ListedInstance:
    id: int
    kind: str
    subject: Any


@dataclass(frozen=True, slots=True)
class ListedTask:
    id: int
    instance_id: int
    task_id: str
    name: str
    form_id: str | None
    due_at: datetime | None
    created_at: datetime
    instance: ListedInstance
    organization: Workplace | None


@dataclass(frozen=True, slots=True)
class ListedSubject:
    """What a listed step is about, worked out once (``inbox.TaskSubject``'s properties, here fields: a template
    reads them several times per row)."""

    program: ListedProgram | None
    group: ListedGroup | None
    candidate: ListedPerson | None
    mentor: ListedPerson | None  # the group's mentor now (None while the released one awaits a replacement)
    released_mentor: ListedPerson | None  # released by order, nobody has replaced them yet (003 §4.1)
    mentees: tuple[ListedPerson, ...]  # the current members (all of them when none is current)
    people: tuple[ListedPerson, ...]
    schools: tuple[Workplace, ...]  # where the mentees (or the candidate) work
    roadmap_id: str | None
    stage_id: str | None


def subject(program: ListedProgram | None, group: ListedGroup | None,
            candidate: ListedPerson | None) -> ListedSubject:
    """The subject of a step about ``program`` (its group), a ``group`` being formed or a mentor ``candidate``."""
    mentor = group.mentor if group is not None and group.current_mentor_id is not None else None
    released = group.mentor if group is not None and group.mentor_released_on else None
    members = group.members if group is not None else ()
    mentees = tuple(m.person for m in members if m.left_on is None) or tuple(m.person for m in members)
    schools: dict[int, Workplace] = {}
    for person in [p for p in (candidate, *mentees) if p is not None]:
        if person.organization is not None and person.organization.kind in SCHOOL_KINDS:
            schools.setdefault(person.organization.id, person.organization)
    roadmap_id = program.roadmap_id if program is not None else group.roadmap_id if group is not None else None
    return ListedSubject(program, group, candidate, mentor, released, mentees,
                         tuple(p for p in (candidate, mentor, released, *mentees) if p is not None),
                         tuple(schools.values()), roadmap_id, program.current_stage_id if program is not None else None)


WORKPLACE = (Organization.id, Organization.kind, Organization.name, Organization.short_name)


class _Workplaces:
    """One record per organization of a request's rows (the first four columns of ``WORKPLACE`` at ``at``)."""

    def __init__(self) -> None:
        self.found: dict[int, Workplace] = {}

    def of(self, row: Any, at: int) -> Workplace | None:
        key = row[at]
        if key is None:
            return None
        found = self.found.get(key)
        if found is None:
            found = self.found[key] = Workplace(key, row[at + 1], row[at + 2], row[at + 3])
        return found


def listed_tasks(session: Session, steps: Select) -> list[ListedTask]:
    """The rows of ``steps`` (``inbox_query.curator_steps``, filtered, ordered and cut), with their instance's kind
    and subject and their organization."""
    place = aliased(Organization)
    workplaces = _Workplaces()
    rows = session.execute(steps.outerjoin(place, place.id == OpenTask.organization_id).with_only_columns(
        OpenTask.id, OpenTask.instance_id, OpenTask.task_id, OpenTask.name, OpenTask.form_id, OpenTask.due_at,
        OpenTask.created_at, WorkflowInstance.kind, WorkflowInstance.subject, place.id, place.kind, place.name,
        place.short_name))
    return [ListedTask(row[0], row[1], row[2], row[3], row[4], row[5], row[6], ListedInstance(row[1], row[7], row[8]),
                       workplaces.of(row, 9)) for row in rows]


def subject_ref(subject: object, key: str) -> int | None:
    """The id under ``key`` in an instance's subject, if it holds one."""
    value = subject.get(key) if isinstance(subject, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def listed_subjects(session: Session, instances: Iterable[ListedInstance]) -> dict[int, ListedSubject]:
    """What each instance's step is about: at most four statements for a page (programs with their pair and
    mentor, pairs being formed with their mentor, the pairs' members, mentor candidates), people with their
    workplaces."""
    instances = list(instances)

    def ids(key: str) -> set[int]:
        return {value for instance in instances if (value := subject_ref(instance.subject, key)) is not None}

    workplaces = _Workplaces()
    mentor, place = aliased(Person), aliased(Organization)
    group_columns = (MentoringGroup.id, MentoringGroup.roadmap_id, MentoringGroup.mentor_id,
                     MentoringGroup.mentor_released_on, mentor.id, mentor.full_name, place.id, place.kind, place.name,
                     place.short_name)

    def with_mentor(stmt: Select) -> Select:
        return (stmt.join(mentor, mentor.id == MentoringGroup.mentor_id)
                .outerjoin(place, place.id == mentor.organization_id))

    program_ids, group_ids, candidate_ids = ids("program_id"), ids("group_id"), ids("candidate_id")
    program_rows = list(session.execute(with_mentor(
        select(Program.id, Program.roadmap_id, Program.current_stage_id, *group_columns)
        .join(MentoringGroup, MentoringGroup.id == Program.group_id)).where(Program.id.in_(program_ids)))
        ) if program_ids else []
    group_rows = list(session.execute(with_mentor(select(*group_columns)).where(MentoringGroup.id.in_(group_ids)))
                      ) if group_ids else []
    groups = _groups(session, [row[3:] for row in program_rows] + group_rows, workplaces)
    programs = {row[0]: ListedProgram(row[0], row[1], row[2], groups.get(row[3])) for row in program_rows}
    candidates = {row[0]: ListedPerson(row[0], row[1], workplaces.of(row, 2)) for row in session.execute(
        select(Person.id, Person.full_name, *WORKPLACE).outerjoin(Organization, Organization.id == Person.organization_id)
        .where(Person.id.in_(candidate_ids)))} if candidate_ids else {}
    subjects: dict[int, ListedSubject] = {}
    for instance in instances:
        program = by_id(programs, subject_ref(instance.subject, "program_id"))
        group = program.group if program is not None else by_id(groups, subject_ref(instance.subject, "group_id"))
        subjects[instance.id] = subject(program, group, by_id(candidates, subject_ref(instance.subject, "candidate_id")))
    return subjects


def by_id(found: Mapping[int, T], key: int | None) -> T | None:
    return None if key is None else found.get(key)


def _groups(session: Session, rows: list[Any], workplaces: _Workplaces) -> dict[int, ListedGroup]:
    """The pairs (groups) of ``rows`` (``group_columns``) with their members, in the order they joined."""
    if not rows:
        return {}
    members: dict[int, list[ListedMember]] = {}
    for row in session.execute(
            select(GroupMember.group_id, GroupMember.left_on, Person.id, Person.full_name, *WORKPLACE)
            .join(Person, Person.id == GroupMember.person_id)
            .outerjoin(Organization, Organization.id == Person.organization_id)
            .where(GroupMember.group_id.in_({row[0] for row in rows})).order_by(GroupMember.id)):
        members.setdefault(row[0], []).append(ListedMember(ListedPerson(row[2], row[3], workplaces.of(row, 4)), row[1]))
    return {row[0]: ListedGroup(row[0], row[1], row[2], row[3], ListedPerson(row[4], row[5], workplaces.of(row, 6)),
                                tuple(members.get(row[0], ()))) for row in rows}
