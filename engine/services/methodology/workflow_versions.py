"""What a methodologist sees of process definitions: every process with its stored versions, which
one new instances start on, and which workflow instances (programs among them) run on which version.

The list holds the versions the person's organization may run (``definitions.deployer_organization``:
the shipped ones and its own; another organization's versions are not shown); the usage counts cover
every organization running them; the programs named per version are those of organizations where the person is staff (the same rule as
the program pages, ``program_views``). Everything here requires ``definitions.may_deploy``. The counts are read up
to ``paging.LIST_BOUND`` («более 1 000»), so the page costs the same in a region of any size.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import ScalarSelect, Select, case, func, literal, select, union_all
from sqlalchemy.orm import Session, defer, joinedload

from engine.db import paging
from engine.db.models import (
    InstanceStatus,
    MentoringGroup,
    ProcessDefinition,
    Program,
    WorkflowInstance,
    WorkflowKind,
    visible_to,
)
from engine.db.models.rulefiles import VersionStatus
from engine.db.paging import Counted
from engine.errors import NotFound
from engine.services.people.actor import STAFF_ROLES, Actor
from engine.services.process.definitions import deployer_organization, require_deployer


@dataclass(frozen=True)
class Usage:
    kind: str
    status: str
    count: int
    more: bool = False  # more than ``count`` (counted up to ``LIST_BOUND``)


@dataclass(frozen=True)
class ProgramRef:
    program_id: int
    status: str
    instance_id: int
    instance_status: str


SHOWN_PROGRAMS = 30  # a version's row links this many of its programs and counts the rest
# what a list of versions reads: never the BPMN text or the parsed spec (the editor fetches the source itself)
WITHOUT_SOURCE = (defer(ProcessDefinition.bpmn), defer(ProcessDefinition.spec_json))


@dataclass
class VersionRow:
    definition: ProcessDefinition
    is_current: bool = False
    usage: list[Usage] = field(default_factory=list)
    programs: list[ProgramRef] = field(default_factory=list)  # the first SHOWN_PROGRAMS of them
    programs_total: Counted = Counted(0)

    @property
    def instances(self) -> int:
        return sum(u.count for u in self.usage)

    @property
    def running(self) -> int:
        return sum(u.count for u in self.usage if u.status == "running")

    @property
    def is_draft(self) -> bool:
        return self.definition.status == VersionStatus.DRAFT.value


@dataclass
class ProcessRow:
    process_id: str
    name: str
    versions: list[VersionRow]  # newest first

    @property
    def current(self) -> VersionRow | None:
        return next((v for v in self.versions if v.is_current), None)

    def deployable(self, row: VersionRow) -> bool:
        """A draft newer than the current version (an older draft would never be started on)."""
        current = self.current
        return row.is_draft and (current is None or row.definition.version > current.definition.version)


def list_processes(session: Session, actor: Actor) -> list[ProcessRow]:
    require_deployer(actor)
    definitions = session.scalars(select(ProcessDefinition).options(joinedload(ProcessDefinition.deployed_by),
                                                                    *WITHOUT_SOURCE)
                                  .where(visible_to(deployer_organization(actor)))
                                  .order_by(ProcessDefinition.process_id, ProcessDefinition.version.desc())).all()
    usage, totals = _usage(session, actor, [d.id for d in definitions])
    programs = _programs(session, actor, list(totals))  # the versions that run programs
    grouped: dict[str, list[VersionRow]] = defaultdict(list)
    for definition in definitions:
        grouped[definition.process_id].append(
            VersionRow(definition, usage=usage.get(definition.id, []), programs=programs.get(definition.id, []),
                       programs_total=totals.get(definition.id, Counted(0))))
    processes = []
    for process_id, rows in grouped.items():
        current = next((r for r in rows if r.definition.status == VersionStatus.DEPLOYED.value), None)
        if current is not None:
            current.is_current = True
        name = (current or rows[0]).definition.name
        processes.append(ProcessRow(process_id, name, rows))
    return sorted(processes, key=lambda p: p.name.casefold())


def process(session: Session, actor: Actor, process_id: str) -> ProcessRow:
    found = next((p for p in list_processes(session, actor) if p.process_id == process_id), None)
    if found is None:
        raise NotFound(f"процесса «{process_id}» нет среди сохранённых")
    return found


def get_version(session: Session, actor: Actor, process_id: str, version: int) -> ProcessDefinition:
    require_deployer(actor)
    definition = session.scalar(select(ProcessDefinition).where(ProcessDefinition.process_id == process_id,
                                                                ProcessDefinition.version == version,
                                                                visible_to(deployer_organization(actor))))
    if definition is None:
        raise NotFound(f"у процесса «{process_id}» нет версии {version}")
    return definition


def _capped(rows: Select) -> ScalarSelect:
    """How many ``rows`` there are, read up to ``LIST_BOUND`` + 1 (correlated with the version's row)."""
    limited = rows.correlate(ProcessDefinition).limit(paging.LIST_BOUND + 1).subquery()
    return select(func.count()).select_from(limited).scalar_subquery()


def _usage(session: Session, actor: Actor, definition_ids: list[int]) -> tuple[dict[int, list[Usage]],
                                                                            dict[int, Counted]]:
    """Each version's instances by status, and the actor's organizations' programs on it: counted up to
    ``LIST_BOUND`` each in one statement (the index ``ix_workflow_instances_definition_status``), so the page
    costs the same whatever a version ran."""
    if not definition_ids:
        return {}, {}
    this_version = WorkflowInstance.definition_id == ProcessDefinition.id
    statuses = sorted(status.value for status in InstanceStatus)  # as listed: alphabetically
    staff = sorted({org for org, role in actor.roles if role in STAFF_ROLES})
    kind = (select(WorkflowInstance.kind).where(this_version).correlate(ProcessDefinition)  # in the index's order
            .order_by(WorkflowInstance.status, WorkflowInstance.kind).limit(1).scalar_subquery())
    program_count = _capped(select(literal(1)).select_from(WorkflowInstance)
                            .join(Program, Program.workflow_instance_id == WorkflowInstance.id)
                            .join(MentoringGroup, MentoringGroup.id == Program.group_id)
                            .where(this_version, MentoringGroup.organization_id.in_(staff or [-1])))
    columns = [
        kind,
        *(_capped(select(literal(1)).select_from(WorkflowInstance).where(this_version, WorkflowInstance.status == s))
          for s in statuses),
        case((kind == WorkflowKind.PROGRAM.value, program_count), else_=0),  # counted for programs' versions only
    ]
    usage: dict[int, list[Usage]] = {}
    programs: dict[int, Counted] = {}
    for definition_id, kind, *counts in session.execute(
            select(ProcessDefinition.id, *columns).where(ProcessDefinition.id.in_(definition_ids))):
        *by_status, program_count = counts
        bound = paging.LIST_BOUND
        usage[definition_id] = [Usage(kind, status, min(n, bound), n > bound)
                                for status, n in zip(statuses, by_status, strict=True) if n]
        if kind == WorkflowKind.PROGRAM:
            programs[definition_id] = Counted(min(program_count, bound), program_count > bound)
    return usage, programs


PARTS_PER_STATEMENT = 100  # versions whose first programs one statement reads (SQLite: at most 500 in a UNION)


def _programs(session: Session, actor: Actor, definition_ids: list[int]) -> dict[int, list[ProgramRef]]:
    """The first ``SHOWN_PROGRAMS`` programs of the actor's organizations running each version, in the order they
    started (the index ``ix_workflow_instances_definition_order``): each version's read stops at them."""
    staff = sorted({org for org, role in actor.roles if role in STAFF_ROLES})
    if not definition_ids or not staff:
        return {}
    found: dict[int, list[ProgramRef]] = defaultdict(list)
    for start in range(0, len(definition_ids), PARTS_PER_STATEMENT):
        parts = [select(select(WorkflowInstance.definition_id, Program.id.label("program_id"),
                               Program.status.label("program_status"), WorkflowInstance.id.label("instance_id"),
                               WorkflowInstance.status.label("instance_status"))
                        .join(Program, Program.workflow_instance_id == WorkflowInstance.id)
                        .join(MentoringGroup, MentoringGroup.id == Program.group_id)
                        .where(WorkflowInstance.definition_id == definition_id,
                               MentoringGroup.organization_id.in_(staff))
                        .order_by(WorkflowInstance.id).limit(SHOWN_PROGRAMS).subquery())
                 for definition_id in definition_ids[start:start + PARTS_PER_STATEMENT]]
        for row in session.execute(union_all(*parts) if len(parts) > 1 else parts[0]):
            found[row.definition_id].append(ProgramRef(row.program_id, row.program_status, row.instance_id,
                                                       row.instance_status))
    return found
