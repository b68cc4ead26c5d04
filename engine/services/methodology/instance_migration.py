"""Moving running instances of a process to the version their organization now starts new work on (issue 16,
item 6): which can move, why the others cannot, and the move itself.

    candidates(session, actor, process_id) -> MoveList     # the running instances on older versions, each checked
    move_instances(session, actor, process_id, instance_ids) -> MoveResult   # commits each move on its own

Who: a methodologist, for the organizations where she holds the role (a department's methodologist does not move
a school's programs: the school's own methodologist does, as with every decision of that school). The version an
instance moves to is the newest deployed one its organization may run (``latest_definition``: the shipped ones
and the organization's own), the one new instances of it start on; only older versions move (never back).

Whether one can move is SpiffWorkflow's spec diff of the instance against that version (``WorkflowRuntime.plan_move``,
``engine.workflow.spiff.migration``): a task open now, or already done, whose element the new version lacks, an
open element turned into another kind, a part-run element (a subprocess, a multi-instance task) changed — each
named, in Russian. A refused move changes nothing: the instance stays on its version and keeps working.

A move is a step of the instance (``run_step``: rolled back whole on any error, the optimistic lock on its row):
the workflow takes the new version's specs and its open tasks are predicted again on it, the engine runs until it
waits, the state, the open tasks and the timer row are stored as after any step, the every-step hooks run (a task
the move opened is told to its people), and the audit trail records who moved it from which version to which.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from engine.db import paging
from engine.db.models import (
    InstanceStatus,
    ProcessDefinition,
    Program,
    Role,
    WorkflowInstance,
    latest_definition,
    record_audit,
)
from engine.db.paging import Counted, count_up_to
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.people.actor import Actor
from engine.services.process.definitions import lease_spec, require_hooks, spec_for
from engine.services.process.derived_rows import sync_open_tasks, sync_timer
from engine.services.process.domain import domain_of
from engine.services.process.hooks import run_hooks
from engine.services.process.instance_loading import load_for_step
from engine.services.process.instance_state import Running, restored, unpack_state
from engine.services.process.instance_steps import make_runtime
from engine.services.process.step_guard import run_step
from engine.services.process.workflow_cache import keep_when_committed, release, workflows
from engine.workflow import Clock

SHOWN = 100  # instances checked and listed on one page (each is restored to be checked); the rest are counted
MOVER_ROLE = Role.METHODOLOGIST


@dataclass(frozen=True)
class Candidate:
    instance_id: int
    kind: str
    organization_name: str
    from_version: int
    to_version: int
    program_id: int | None
    open_tasks: tuple[str, ...]  # the names of its open tasks now
    obstacles: tuple[str, ...]  # why it cannot move (Russian, each naming an element); empty: it can
    reopened: tuple[str, ...] = ()  # open elements the new version changed: reopened on it

    @property
    def movable(self) -> bool:
        return not self.obstacles


@dataclass
class MoveList:
    process_id: str
    name: str
    targets: dict[int, ProcessDefinition]  # organization id -> the version its instances move to
    candidates: list[Candidate]
    total: Counted  # all running instances on older versions (``candidates`` holds the first ``SHOWN``)

    @property
    def movable(self) -> list[Candidate]:
        return [c for c in self.candidates if c.movable]

    @property
    def refused(self) -> list[Candidate]:
        return [c for c in self.candidates if not c.movable]


@dataclass(frozen=True)
class Moved:
    instance_id: int
    from_version: int
    to_version: int


@dataclass
class MoveResult:
    moved: list[Moved] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (instance id, the reason)


def _organizations(actor: Actor) -> list[int]:
    organizations = sorted(actor.organizations(MOVER_ROLE))
    if not organizations:
        raise PermissionDenied(f"{actor.full_name or actor.login}: переводить программы на новую версию процесса "
                               "может только методист организации")
    return organizations


def _targets(session: Session, process_id: str, organizations: list[int]) -> dict[int, ProcessDefinition]:
    found = {}
    for organization_id in organizations:
        definition = latest_definition(session, process_id, organization_id)
        if definition is not None:
            found[organization_id] = definition
    if not found:
        raise NotFound(f"процесс «{process_id}» не развёрнут")
    return found


def _older(process_id: str, targets: dict[int, ProcessDefinition]):
    """SQL: the running instances of the organizations in ``targets`` on a version older than their target."""
    per_organization = [(WorkflowInstance.organization_id == org) & (ProcessDefinition.version < target.version)
                        for org, target in targets.items()]
    condition = per_organization[0]
    for more in per_organization[1:]:
        condition = condition | more
    return (select(WorkflowInstance).join(ProcessDefinition, ProcessDefinition.id == WorkflowInstance.definition_id)
            .where(ProcessDefinition.process_id == process_id,
                   WorkflowInstance.status == InstanceStatus.RUNNING.value, condition))


def candidates(session: Session, actor: Actor, process_id: str) -> MoveList:
    """The running instances (of the actor's organizations) on versions older than their organization's current
    one, the first ``SHOWN`` of them checked, oldest first."""
    targets = _targets(session, process_id, _organizations(actor))
    stmt = _older(process_id, targets)
    total = count_up_to(session, stmt, paging.LIST_BOUND)
    rows = session.scalars(stmt.options(joinedload(WorkflowInstance.organization),
                                        joinedload(WorkflowInstance.definition),
                                        selectinload(WorkflowInstance.open_tasks))
                           .order_by(WorkflowInstance.id).limit(SHOWN)).unique().all()
    programs = {instance_id: program_id for instance_id, program_id in session.execute(
        select(Program.workflow_instance_id, Program.id).where(Program.workflow_instance_id.in_([r.id for r in rows])))}
    runtime = make_runtime()
    found = []
    for instance in rows:
        target = targets[instance.organization_id]
        try:
            with restored(runtime, instance, read_only=True) as running:
                plan = runtime.plan_move(running.workflow, spec_for(target))
            obstacles = tuple(o.text for o in plan.obstacles)
            reopened = tuple(plan.reopened)
        except NastavnikError as error:
            obstacles, reopened = (f"состояние процесса не читается: {error.message}",), ()
        organization = instance.organization
        found.append(Candidate(instance.id, instance.kind, organization.short_name or organization.name,
                               instance.definition.version, target.version, programs.get(instance.id),
                               tuple(t.name for t in instance.open_tasks), obstacles, reopened))
    newest = max(targets.values(), key=lambda d: d.version)
    return MoveList(process_id, newest.name, targets, found, total)


def waiting(session: Session, actor: Actor, process_id: str) -> Counted:
    """How many running instances of the actor's organizations are on an older version than their current one
    (counted up to ``LIST_BOUND``; 0 for a person who is no methodologist or a process not deployed)."""
    organizations = sorted(actor.organizations(MOVER_ROLE))
    if not organizations:
        return Counted(0)
    try:
        targets = _targets(session, process_id, organizations)
    except NotFound:
        return Counted(0)
    return count_up_to(session, _older(process_id, targets), paging.LIST_BOUND)


def move_instance(session: Session, actor: Actor, instance_id: int, process_id: str, *,
                  clock: Clock | None = None) -> Moved:
    """Move one running instance of ``process_id`` to its organization's current version (a step: flushed, the
    caller commits; on any error the session is rolled back and nothing changed)."""
    instance = load_for_step(session, instance_id, organization=True)

    def work() -> Moved:
        if instance.definition.process_id != process_id:
            raise NotFound(f"процесс №{instance_id} идёт не по процессу «{process_id}»")
        if not actor.has_role(instance.organization_id, MOVER_ROLE):
            raise PermissionDenied(f"{actor.full_name or actor.login}: процесс №{instance_id} принадлежит "
                                   "организации, где вы не методист")
        if instance.status != InstanceStatus.RUNNING.value:
            raise ConflictError(f"процесс №{instance_id} уже не выполняется")
        target = latest_definition(session, process_id, instance.organization_id)
        source = instance.definition
        if target is None or target.version <= source.version:
            raise ConflictError(f"процесс №{instance_id} уже идёт по версии {source.version}, новее нет")
        domain = domain_of(session)
        require_hooks(domain, target)
        runtime = make_runtime(clock or domain.clock, rules=domain.rules)
        kept = workflows().take(instance)  # a workflow kept on the old version's spec: not to be stepped again
        if kept is not None:
            release(kept)
        workflow = runtime.deserialize(unpack_state(instance.state, source))  # a private copy to move
        open_before = runtime.ready_user_tasks(workflow)
        lease = lease_spec(target)
        moved = Running(workflow, lease)
        try:
            plan = runtime.move(workflow, lease.spec)
        except BaseException:
            release(moved)
            raise
        instance.definition = target
        now = runtime.clock.now()
        instance.state = moved.state(runtime, target)
        instance.updated_at = now
        if runtime.is_completed(workflow):
            instance.status, instance.completed_at = InstanceStatus.COMPLETED.value, now
        ready = runtime.ready_user_tasks(workflow)
        sync_open_tasks(instance, ready, now)
        sync_timer(instance, runtime.next_timer_at(workflow))
        keep_when_committed(instance, moved)
        run_hooks(session, domain.hooks, runtime, workflow, instance, None, actor, ready, open_before)
        record_audit(session, "workflow.migrated", actor=actor.person_id, object_type="workflow_instance",
                     object_id=instance.id, organization=instance.organization_id,
                     details={"process_id": process_id, "from_version": source.version,
                              "to_version": target.version, "from_definition_id": source.id,
                              "to_definition_id": target.id, "reopened": plan.reopened})
        return Moved(instance.id, source.version, target.version)
    return run_step(session, instance_id, work, actor=actor, loaded=instance)


def move_instances(session: Session, actor: Actor, process_id: str, instance_ids: list[int], *,
                   clock: Clock | None = None) -> MoveResult:
    """Move each chosen instance (``move_instance``), each COMMITTED on its own: one refused leaves the others
    moving and is itself unchanged (its reason in ``refused``)."""
    _organizations(actor)
    result = MoveResult()
    for instance_id in dict.fromkeys(instance_ids):
        try:
            moved = move_instance(session, actor, instance_id, process_id, clock=clock)
            session.commit()
            result.moved.append(moved)
        except NastavnikError as error:
            session.rollback()
            result.refused.append((instance_id, error.message))
    return result

