"""Personalized mentorship programs (ППН), their roadmap events, stage reports and rule decisions."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base, check_in
from engine.db.models.lifecycle import Lifecycle, status_validator
from engine.db.types import UTCDateTime, utcnow
from engine.vocabulary import CompletionGround

if TYPE_CHECKING:
    from engine.db.models.mentorship import MentoringGroup
    from engine.db.models.org import Person
    from engine.db.models.workflow import WorkflowInstance


class ProgramStatus(enum.StrEnum):
    FORMING = "forming"
    ACTIVE = "active"
    EXTENDED = "extended"  # term extended / content corrected, 003 §7.2
    COMPLETED = "completed"  # plan fully done, 003 §7.1 (a)
    COMPLETED_EARLY = "completed_early"  # at the mentor's/mentee's initiative, 003 §7.1 (b)
    TERMINATED = "terminated"  # at the curator's initiative, improper execution, 003 §7.1 (c)


FINISHED_PROGRAM_STATUSES = (ProgramStatus.COMPLETED, ProgramStatus.COMPLETED_EARLY, ProgramStatus.TERMINATED)
_RUNNING_TO = frozenset({ProgramStatus.EXTENDED, *FINISHED_PROGRAM_STATUSES})

PROGRAM_LIFECYCLE = Lifecycle(
    statuses=ProgramStatus, table="programs", entity="программа №{id}",
    labels={ProgramStatus.FORMING: "формируется", ProgramStatus.ACTIVE: "выполняется",
            ProgramStatus.EXTENDED: "продлена", ProgramStatus.COMPLETED: "завершена",
            ProgramStatus.COMPLETED_EARLY: "завершена досрочно", ProgramStatus.TERMINATED: "прекращена"},
    transitions={
        ProgramStatus.FORMING: frozenset({ProgramStatus.ACTIVE}),
        ProgramStatus.ACTIVE: _RUNNING_TO,
        ProgramStatus.EXTENDED: _RUNNING_TO - {ProgramStatus.EXTENDED},
        ProgramStatus.COMPLETED: frozenset(),
        ProgramStatus.COMPLETED_EARLY: frozenset(),
        ProgramStatus.TERMINATED: frozenset(),
    },
    doc="""A program runs once its pair is approved by the head's order (003 §6.2; ``programs.create_program``
    creates it already running, so nothing moves it out of «формируется» today). A running program may be
    extended — its term moved, its content corrected — by the head's order on the curator's petition with
    both participants' consent (003 §7.2; ``programs.shift_due_dates``; extending again keeps «продлена»),
    and ends by the head's order on one ground of 003 §7.1 (``programs.finish_program``): the plan fully
    done (а → «завершена»), the mentor's or mentee's initiative (б → «завершена досрочно»), the curator's
    initiative for improper execution (в → «прекращена»). A finished program never runs again.""",
)


_finished = ", ".join(f"'{s.value}'" for s in FINISHED_PROGRAM_STATUSES)


class Program(Base):
    __tablename__ = "programs"
    __table_args__ = (
        check_in("status", ProgramStatus, "status"),
        check_in("completion_ground", CompletionGround, "completion_ground"),
        CheckConstraint(
            f"(status IN ({_finished}) AND completion_ground IS NOT NULL)"
            f" OR (status NOT IN ({_finished}) AND completion_ground IS NULL)",
            name="finished_has_ground",
        ),
        CheckConstraint("planned_end_on IS NULL OR started_on IS NULL OR planned_end_on >= started_on",
                        name="term_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_groups.id"), index=True)
    roadmap_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=ProgramStatus.FORMING.value)
    started_on: Mapped[date | None] = mapped_column(Date)
    planned_end_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    current_stage_id: Mapped[str | None] = mapped_column(String(32))
    completion_ground: Mapped[str | None] = mapped_column(String(32))
    completion_note: Mapped[str | None] = mapped_column(Text)
    workflow_instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    group: Mapped[MentoringGroup] = relationship(back_populates="programs")
    workflow_instance: Mapped[WorkflowInstance | None] = relationship()
    events: Mapped[list[RoadmapEventRecord]] = relationship(
        back_populates="program", cascade="all, delete-orphan",
        order_by="(RoadmapEventRecord.seq, RoadmapEventRecord.id)",
    )
    reports: Mapped[list[StageReport]] = relationship(
        back_populates="program", order_by="StageReport.id"
    )

    _check_status = status_validator(PROGRAM_LIFECYCLE)


class EventStatus(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"
    SKIPPED = "skipped"


EVENT_LIFECYCLE = Lifecycle(
    statuses=EventStatus, table="roadmap_events", entity="мероприятие дорожной карты (№ {id})",
    labels={EventStatus.PLANNED: "запланировано", EventStatus.DONE: "выполнено",
            EventStatus.SKIPPED: "не проводилось"},
    transitions={
        EventStatus.PLANNED: frozenset({EventStatus.DONE, EventStatus.SKIPPED}),
        EventStatus.DONE: frozenset({EventStatus.PLANNED}),
        EventStatus.SKIPPED: frozenset({EventStatus.PLANNED}),
    },
    doc="""Each event of the roadmap (003 appendices 1–4) is planned until the mentor or the mentee marks it
    done on the day it took place (``roadmap_events.mark_events``) or the stage report lists it (``programs.record_stage_work``); until the
    report a participant may take the mark back (done → planned). «Не проводилось» is the mirror of done for an
    event that was not held; no service marks it today.""",
)


class RoadmapEventRecord(Base):
    """One event of a program's roadmap (003 appendices 1–4), e.g. number '3.8'."""

    __tablename__ = "roadmap_events"
    __table_args__ = (
        UniqueConstraint("program_id", "number"),
        Index("ix_roadmap_events_stage_due", "program_id", "stage_id", "due_on"),  # a stage's due date (the dashboard)
        check_in("status", EventStatus, "status"),
        CheckConstraint("status <> 'done' OR done_on IS NOT NULL", name="done_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    stage_id: Mapped[str] = mapped_column(String(32))  # 'diagnosis' | 'consultation' | 'activity' | 'reflection'
    seq: Mapped[int] = mapped_column(Integer, default=0)  # display order ('3.10' sorts after '3.9')
    number: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=EventStatus.PLANNED.value)
    due_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    report_form: Mapped[str | None] = mapped_column(String(200))  # «Информационная справка», ...
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))  # who marked it done (or back)

    program: Mapped[Program] = relationship(back_populates="events")
    marked_by: Mapped[Person | None] = relationship(foreign_keys=[marked_by_id])
    comments: Mapped[list[RoadmapEventComment]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="RoadmapEventComment.id")

    _check_status = status_validator(EVENT_LIFECYCLE)


class RoadmapEventComment(Base):
    """What a participant (mentor or mentee) wrote about an event: how it went, or a proposal to change the
    plan (001 §6, 003 §5.1); kept as written, with the author and the time."""

    __tablename__ = "roadmap_event_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("roadmap_events.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[RoadmapEventRecord] = relationship(back_populates="comments")
    author: Mapped[Person] = relationship()


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # the curator sent it back; the next attempt is a new row
    APPROVED = "approved"


REPORT_LIFECYCLE = Lifecycle(
    statuses=ReportStatus, table="stage_reports", entity="отчёт об этапе (№ {id})",
    labels={ReportStatus.DRAFT: "черновик", ReportStatus.SUBMITTED: "на проверке",
            ReportStatus.RETURNED: "возвращён на доработку", ReportStatus.APPROVED: "принят"},
    transitions={
        ReportStatus.DRAFT: frozenset({ReportStatus.SUBMITTED}),
        # a draft again: the process withdrew the review (a petition stopped the stage: programs.withdraw_review)
        ReportStatus.SUBMITTED: frozenset({ReportStatus.APPROVED, ReportStatus.RETURNED, ReportStatus.DRAFT}),
        ReportStatus.RETURNED: frozenset(),
        ReportStatus.APPROVED: frozenset({ReportStatus.RETURNED}),  # the last stage reopened (programs.reopen_stage)
    },
    doc="""«ОТЧЕТ представляется после завершения каждого этапа» (003 appendices 1–4): the mentor submits the
    stage report (``programs.record_stage_work`` creates it submitted; a draft is only ever submitted), the
    curator reviews it (``programs.review_stage_report``): approved, or returned with a comment on what to
    correct. Both are final for the row: after a return the next attempt is a new row (``attempt`` + 1), so
    a reviewed report keeps what the curator saw and said. One way back: the curator reopens the accepted last
    stage instead of a completion order (``programs.reopen_stage``, e.g. after the head refused the order); the
    approval comment stays, the reason is added to it, and the next attempt is a new row. And one way back to the
    mentor: when the process withdraws the curator's review unfinished (a petition stops the stage: 003 §4.1,
    §7.1, §7.2), the submitted report becomes a draft again (``programs.withdraw_review``) — never reviewed, so
    nothing the curator said is lost — and the mentor submits it again when the stage resumes (the same row:
    the attempt counts reviews).""",
)


class StageReport(Base):
    """The report closing a stage («ОТЧЕТ представляется после завершения каждого этапа», 003 app. 1–4)."""

    __tablename__ = "stage_reports"
    __table_args__ = (
        UniqueConstraint("program_id", "stage_id", "attempt"),
        check_in("status", ReportStatus, "status"),
        CheckConstraint("attempt >= 1", name="attempt_positive"),
        CheckConstraint("status = 'draft' OR submitted_at IS NOT NULL", name="submitted_has_time"),
        CheckConstraint(
            "status NOT IN ('returned', 'approved') OR (reviewer_id IS NOT NULL AND reviewed_at IS NOT NULL)",
            name="reviewed_has_reviewer",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    stage_id: Mapped[str] = mapped_column(String(32))
    form_name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.DRAFT.value)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str | None] = mapped_column(Text)
    attempt: Mapped[int] = mapped_column(Integer, default=1)

    program: Mapped[Program] = relationship(back_populates="reports")
    submitted_by: Mapped[Person] = relationship(foreign_keys=[submitted_by_id])
    reviewer: Mapped[Person | None] = relationship(foreign_keys=[reviewer_id])

    _check_status = status_validator(REPORT_LIFECYCLE)


class Decision(Base):
    """What a rule set concluded about a person, group or program, kept whole for explanation."""

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(
            "program_id IS NOT NULL OR person_id IS NOT NULL OR group_id IS NOT NULL", name="has_subject"
        ),
        Index("ix_decisions_ruleset", "ruleset_id", "ruleset_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_groups.id"), index=True)
    ruleset_id: Mapped[str] = mapped_column(String(128))
    ruleset_version: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)  # the whole decision (facts, fired rules, clauses)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))  # who asked; None = system

    program: Mapped[Program | None] = relationship()
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    group: Mapped[MentoringGroup | None] = relationship()
    made_by: Mapped[Person | None] = relationship(foreign_keys=[made_by_id])
