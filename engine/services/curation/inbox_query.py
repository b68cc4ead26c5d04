"""The curator's inbox as SQL: which open steps are hers, the filters (school, model, stage, overdue, words) as
conditions on the step's subject and the order (soonest due first, undated last) — so the database filters, counts
and cuts the page (the columns a row shows: ``inbox_rows``), and no list reads a workflow's state.

A step's subject is named by its instance's ``subject`` (``program_id``, ``group_id`` or ``candidate_id``): the
program's group, else the group being formed, carries the mentor and the mentees; a school is where the mentees
(or the candidate) work, as ``inbox.TaskSubject`` says.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, exists, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from engine.db import paging
from engine.db.models import (
    GroupMember,
    InstanceStatus,
    MentoringGroup,
    OpenTask,
    Organization,
    Person,
    Program,
    Role,
    WorkflowInstance,
)
from engine.db.paging import Counted
from engine.services.curation.registries import name_patterns


@dataclass(frozen=True)
class InboxFilters:
    school_id: int | None = None
    roadmap_id: str | None = None
    stage_id: str | None = None
    overdue: bool = False
    query: str = ""

    @property
    def active(self) -> bool:
        return bool(self.school_id or self.roadmap_id or self.stage_id or self.overdue or self.query.strip())


ROLE = Role.CURATOR
SCHOOL_KINDS = ("school", "kindergarten", "college", "additional", "centre")


def subject_id(key: str) -> ColumnElement[Any]:
    """SQL: the id under ``key`` in the step's instance's ``subject`` (NULL when absent)."""
    return WorkflowInstance.subject[key].as_integer()


def _group_id() -> ColumnElement[Any]:
    return func.coalesce(Program.group_id, subject_id("group_id"))


def curator_steps(organizations: Sequence[int]) -> Select:
    """The open steps of the curator role in ``organizations`` whose process runs, joined to their instance."""
    return (select(OpenTask).join(WorkflowInstance, WorkflowInstance.id == OpenTask.instance_id)
            .where(OpenTask.role == ROLE, OpenTask.organization_id.in_(organizations),
                   WorkflowInstance.status == InstanceStatus.RUNNING.value))


def with_subjects(stmt: Select) -> Select:
    """``stmt`` (over ``curator_steps``) joined to the step's program and group (either may be missing)."""
    return (stmt.outerjoin(Program, Program.id == subject_id("program_id"))
            .outerjoin(MentoringGroup, MentoringGroup.id == _group_id()))


def _mentee_exists(*conditions: ColumnElement[bool], school: bool = False) -> ColumnElement[bool]:
    """A mentee of the step's group (the current members; all of them when none is current) meets ``conditions``
    on ``Person`` (and the workplace ``Organization`` when ``school``)."""
    member, current = aliased(GroupMember), aliased(GroupMember)
    no_current = ~exists().where(current.group_id == MentoringGroup.id, current.left_on.is_(None))
    found = (select(member.id).join(Person, Person.id == member.person_id)
             .where(member.group_id == MentoringGroup.id, or_(member.left_on.is_(None), no_current), *conditions))
    if school:
        found = found.join(Organization, Organization.id == Person.organization_id)
    return found.exists()


def _candidate_exists(*conditions: ColumnElement[bool], school: bool = False) -> ColumnElement[bool]:
    found = select(Person.id).where(Person.id == subject_id("candidate_id"), *conditions)
    if school:
        found = found.join(Organization, Organization.id == Person.organization_id)
    return found.exists()


def _at_school(school_id: int) -> ColumnElement[bool]:
    is_school = and_(Organization.id == school_id, Organization.kind.in_(SCHOOL_KINDS))
    return or_(_candidate_exists(is_school, school=True), _mentee_exists(is_school, school=True))


def _likes(column: ColumnElement[Any] | InstrumentedAttribute[Any], patterns: list[str]) -> ColumnElement[bool]:
    return or_(*(column.ilike(p, escape="\\") for p in patterns))


def _word(word: str) -> ColumnElement[bool]:
    """One word of the search in the step's name, its people's names, their schools' names or «№<program>»."""
    patterns = name_patterns(word)
    named = _likes(Person.full_name, patterns)
    school_name = and_(Organization.kind.in_(SCHOOL_KINDS),
                       _likes(func.coalesce(func.nullif(Organization.short_name, ""), Organization.name), patterns))
    mentor = select(Person.id).where(Person.id == MentoringGroup.mentor_id, named).exists()
    program_number = literal("№") + cast(Program.id, String)
    return or_(_likes(OpenTask.name, patterns), _likes(program_number, patterns), mentor,
               _candidate_exists(named), _mentee_exists(named),
               _candidate_exists(school_name, school=True), _mentee_exists(school_name, school=True))


def conditions(filters: InboxFilters, moment: datetime) -> list[ColumnElement[bool]]:
    """The filters as SQL over ``with_subjects(curator_steps(...))``."""
    found: list[ColumnElement[bool]] = []
    if filters.school_id:
        found.append(_at_school(filters.school_id))
    if filters.roadmap_id:
        found.append(func.coalesce(Program.roadmap_id, MentoringGroup.roadmap_id) == filters.roadmap_id)
    if filters.stage_id:
        found.append(Program.current_stage_id == filters.stage_id)
    if filters.overdue:
        found.append(OpenTask.due_at < moment)
    found.extend(_word(word) for word in filters.query.split())
    return found


def count_up_to(session: Any, stmt: Select, bound: int) -> Counted:
    return paging.count_up_to(session, stmt.with_only_columns(OpenTask.id), bound)


SOONEST_FIRST = (OpenTask.due_at.asc().nulls_last(), OpenTask.created_at, OpenTask.id)
