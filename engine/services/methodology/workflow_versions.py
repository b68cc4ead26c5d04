"""What a methodologist sees of process definitions: every process with its stored versions, which
one new instances start on, and which workflow instances (programs among them) run on which version.

The list holds the versions the person's organization may run (``definitions.deployer_organization``:
the shipped ones and its own; another organization's versions are not shown); the usage counts cover
every organization running them; the programs named per version are those of organizations where the person is staff (the same rule as
the program pages, ``program_views``). Everything here requires ``definitions.may_deploy``.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, joinedload

from engine.db.models import MentoringGroup, ProcessDefinition, Program, WorkflowInstance, visible_to
from engine.db.models.rulefiles import VersionStatus
from engine.errors import NotFound
from engine.services.people.actor import STAFF_ROLES, Actor
from engine.services.process.definitions import deployer_organization, require_deployer


@dataclass(frozen=True)
class Usage:
    kind: str
    status: str
    count: int


@dataclass(frozen=True)
class ProgramRef:
    program_id: int
    status: str
    instance_id: int
    instance_status: str


@dataclass
class ProgramRefs:
    total: int
    shown: list[ProgramRef] = field(default_factory=list)


SHOWN_PROGRAMS = 30  # a version's row links this many of its programs and counts the rest
# what a list of versions reads: never the BPMN text or the parsed spec (the editor fetches the source itself)
WITHOUT_SOURCE = (defer(ProcessDefinition.bpmn), defer(ProcessDefinition.spec_json))


@dataclass
class VersionRow:
    definition: ProcessDefinition
    is_current: bool = False
    usage: list[Usage] = field(default_factory=list)
    programs: list[ProgramRef] = field(default_factory=list)  # the first SHOWN_PROGRAMS of them
    programs_total: int = 0

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
    usage = _usage(session, [d.id for d in definitions])
    programs = _programs(session, actor, [d.id for d in definitions])
    grouped: dict[str, list[VersionRow]] = defaultdict(list)
    for definition in definitions:
        grouped[definition.process_id].append(
            VersionRow(definition, usage=usage.get(definition.id, []),
                       programs=programs[definition.id].shown if definition.id in programs else [],
                       programs_total=programs[definition.id].total if definition.id in programs else 0))
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


def _usage(session: Session, definition_ids: list[int]) -> dict[int, list[Usage]]:
    if not definition_ids:
        return {}
    rows = session.execute(
        select(WorkflowInstance.definition_id, WorkflowInstance.kind, WorkflowInstance.status, func.count())
        .where(WorkflowInstance.definition_id.in_(definition_ids))
        .group_by(WorkflowInstance.definition_id, WorkflowInstance.kind, WorkflowInstance.status)
        .order_by(WorkflowInstance.definition_id, WorkflowInstance.kind, WorkflowInstance.status)).all()
    found: dict[int, list[Usage]] = defaultdict(list)
    for definition_id, kind, status, count in rows:
        found[definition_id].append(Usage(kind, status, count))
    return found


def _programs(session: Session, actor: Actor, definition_ids: list[int]) -> dict[int, ProgramRefs]:
    """The first ``SHOWN_PROGRAMS`` programs (by number) of the actor's organizations running each version, and
    how many there are: counted and cut by the database."""
    staff = {org for org, role in actor.roles if role in STAFF_ROLES}
    if not definition_ids or not staff:
        return {}
    version = WorkflowInstance.definition_id
    numbered = (
        select(WorkflowInstance.definition_id.label("definition_id"), Program.id.label("program_id"),
               Program.status.label("program_status"), WorkflowInstance.id.label("instance_id"),
               WorkflowInstance.status.label("instance_status"),
               func.row_number().over(partition_by=version, order_by=Program.id).label("n"),
               func.count().over(partition_by=version).label("total"))
        .join(Program, Program.workflow_instance_id == WorkflowInstance.id)
        .join(MentoringGroup, MentoringGroup.id == Program.group_id)
        .where(WorkflowInstance.definition_id.in_(definition_ids), MentoringGroup.organization_id.in_(staff))
        .subquery())
    rows = session.execute(select(numbered).where(numbered.c.n <= SHOWN_PROGRAMS)
                           .order_by(numbered.c.definition_id, numbered.c.n)).all()
    found: dict[int, ProgramRefs] = {}
    for row in rows:
        refs = found.setdefault(row.definition_id, ProgramRefs(total=row.total))
        refs.shown.append(ProgramRef(row.program_id, row.program_status, row.instance_id, row.instance_status))
    return found
