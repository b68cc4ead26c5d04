"""Workflow storage: deployed BPMN definitions, running instances (optimistically locked), the open
tasks derived from them for inboxes, and timers for a quick "what is due" query."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, or_, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from engine.db.base import Base, check_in, validate_vocab
from engine.db.models.org import Role
from engine.db.models.rulefiles import VersionStatus
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.org import Organization, Person


class ProcessDefinition(Base):
    """One stored version of a BPMN process. Storing the same bytes again for the same owner is a no-op
    (unique ``(process_id, bpmn_sha256, organization_id)``); different bytes get the next ``version``.
    A ``draft`` version passed the checks but new instances start on the latest ``deployed`` one."""

    __tablename__ = "process_definitions"
    __table_args__ = (
        UniqueConstraint("process_id", "version"),
        UniqueConstraint("process_id", "bpmn_sha256", "organization_id"),  # the same bytes once per owner
        Index("uq_process_definitions_shipped_sha256", "process_id", "bpmn_sha256", unique=True,  # NULL owner
              sqlite_where=text("organization_id IS NULL"), postgresql_where=text("organization_id IS NULL")),
        check_in("status", VersionStatus, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(128))  # BPMN <process id="...">
    name: Mapped[str] = mapped_column(String(255))
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per process_id
    bpmn_sha256: Mapped[str] = mapped_column(String(64))
    bpmn: Mapped[str] = mapped_column(Text)  # the BPMN XML as deployed (UTF-8 text)
    spec_json: Mapped[str] = mapped_column(Text)  # the serialized spec
    source_path: Mapped[str | None] = mapped_column(String(500))  # e.g. 'workflows/pair_formation.bpmn'
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # stored (for drafts: saved)
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    status: Mapped[str] = mapped_column(String(16), default=VersionStatus.DEPLOYED.value)
    comment: Mapped[str | None] = mapped_column(Text)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when a draft was deployed
    # The organization whose methodologist stored it: only that organization's new work runs it. None: shipped
    # (workflows/*.bpmn, the command line) — the default of every organization.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)

    deployed_by: Mapped[Person | None] = relationship()


def visible_to(organization_id: int | None) -> Any:
    """The versions an organization may run: the shipped ones and its own (None: the shipped ones only)."""
    shipped = ProcessDefinition.organization_id.is_(None)
    return shipped if organization_id is None else or_(shipped, ProcessDefinition.organization_id == organization_id)


def latest_definition(session: Session, process_id: str, organization_id: int | None = None) -> ProcessDefinition | None:
    """The version new work of ``organization_id`` starts on: the newest deployed one it may run."""
    stmt = (select(ProcessDefinition).where(ProcessDefinition.process_id == process_id,
                                            ProcessDefinition.status == VersionStatus.DEPLOYED.value,
                                            visible_to(organization_id))
            .order_by(ProcessDefinition.version.desc()).limit(1))
    return session.scalars(stmt).first()


class ScriptIncident(Base):
    """A BPMN script or expression stopped at a bound (time, memory, operations, data size): the step was
    not committed; the methodologists of the organization (and of the version's author) see it."""

    __tablename__ = "script_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    definition_id: Mapped[int | None] = mapped_column(ForeignKey("process_definitions.id"))
    process_id: Mapped[str] = mapped_column(String(128))
    element_id: Mapped[str | None] = mapped_column(String(255))
    bound: Mapped[str] = mapped_column(String(16))  # time | memory | operations | size
    message: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))

    definition: Mapped[ProcessDefinition | None] = relationship()


class WorkflowKind(enum.StrEnum):
    """What a workflow instance is about (Python-validated vocabulary; add kinds here)."""

    MENTOR_APPOINTMENT = "mentor_appointment"
    PAIR_FORMATION = "pair_formation"
    PROGRAM = "program"
    CALENDAR = "calendar"  # a date of the regulation's report calendar: monitoring, base review (001 §2.4, §4.2)
    SCHOOL_ROADMAP = "school_roadmap"  # an organization's roadmap year (004 п. 4.3, прил. 2)
    MENTOR_REPORT = "mentor_report"  # a mentor's periodic report by a date of the report calendar (003 п. 3)
    ORGANIZATION_ORDER = "organization_order"  # an order of the organization's mentorship model (004 roadmap 3.1.1)


class InstanceStatus(enum.StrEnum):
    RUNNING = "running"  # has open tasks or waits for a timer/message
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ERROR = "error"


class WorkflowInstance(Base):
    """A running process, pinned to the definition it started with.

    Optimistic locking: ``version`` is SQLAlchemy's ``version_id_col``; every UPDATE checks it, so
    when two people complete tasks of the same instance concurrently the second flush raises
    ``sqlalchemy.orm.exc.StaleDataError`` (services turn it into ``ConflictError``).
    """

    __tablename__ = "workflow_instances"
    __table_args__ = (
        check_in("status", InstanceStatus, "status"),
        Index("ix_workflow_instances_org_kind_status", "organization_id", "kind", "status"),
        # a version's instances in the order they started, and counted by status (the methodology page; 0017)
        Index("ix_workflow_instances_definition_order", "definition_id", "id"),
        Index("ix_workflow_instances_definition_status", "definition_id", "status", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definitions.id"))
    kind: Mapped[str] = mapped_column(String(32))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    subject: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # ids: {"group_id": 3, "person_ids": [...]}
    state: Mapped[str] = mapped_column(Text)  # serialized workflow state
    status: Mapped[str] = mapped_column(String(16), default=InstanceStatus.RUNNING.value)
    version: Mapped[int] = mapped_column(Integer)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # set by every step to the engine's clock (not onupdate: two steps at one instant keep the clock's time)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": version}

    definition: Mapped[ProcessDefinition] = relationship()
    organization: Mapped[Organization] = relationship()
    started_by: Mapped[Person | None] = relationship()
    open_tasks: Mapped[list[OpenTask]] = relationship(
        back_populates="instance", cascade="all, delete-orphan", passive_deletes=True, order_by="OpenTask.id"
    )
    timers: Mapped[list[WorkflowTimer]] = relationship(
        back_populates="instance", cascade="all, delete-orphan", passive_deletes=True, order_by="WorkflowTimer.id"
    )

    @validates("kind")
    def _check_kind(self, _key: str, value):
        return validate_vocab(WorkflowKind, value, field="workflow_instances.kind")


class OpenTask(Base):
    """A ready user task, derived from the instance state, for inbox queries. Rebuilt by the
    workflow service after each change; never the source of truth."""

    __tablename__ = "open_tasks"
    __table_args__ = (
        UniqueConstraint("instance_id", "task_id"),
        check_in("role", Role, "role"),
        # the inbox and the task lists: a role's steps in an organization, soonest due first (migration 0016)
        Index("ix_open_tasks_inbox", "organization_id", "role", "due_at", "created_at", "id"),
        # the task lists (the API's /tasks): a role's, and a person's assigned, oldest first (migration 0017)
        Index("ix_open_tasks_role_created", "organization_id", "role", "created_at", "id"),
        Index("ix_open_tasks_assignee", "assignee_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instances.id", ondelete="CASCADE"))
    task_id: Mapped[str] = mapped_column(String(36))  # SpiffWorkflow task UUID
    element_id: Mapped[str] = mapped_column(String(255))  # BPMN element id
    name: Mapped[str] = mapped_column(String(500))
    role: Mapped[str] = mapped_column(String(16))  # the lane
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))  # e.g. this pair's mentor
    form_id: Mapped[str | None] = mapped_column(String(128))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    instance: Mapped[WorkflowInstance] = relationship(back_populates="open_tasks")
    organization: Mapped[Organization] = relationship()
    assignee: Mapped[Person | None] = relationship()


class WorkflowTimer(Base):
    """A timer event waiting in an instance (derived, like OpenTask)."""

    __tablename__ = "workflow_timers"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instances.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[str] = mapped_column(String(255))
    task_id: Mapped[str | None] = mapped_column(String(36))
    fires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # the moment a job was last enqueued for (engine.services.process.timer_jobs): the sweep skips a row whose
    # job for this ``fires_at`` exists; a step that moves ``fires_at`` makes it due for a job again
    enqueued_for: Mapped[datetime | None] = mapped_column(UTCDateTime)

    instance: Mapped[WorkflowInstance] = relationship(back_populates="timers")


def due_timers(session: Session, now: datetime) -> list[WorkflowTimer]:
    """Timers that should have fired by ``now``, oldest first."""
    stmt = select(WorkflowTimer).where(WorkflowTimer.fires_at <= now).order_by(WorkflowTimer.fires_at)
    return list(session.scalars(stmt))
