"""The period a mentor's report covers and what the report's form is prefilled with (003 п. 3 of the order: the
reports «ежегодно до 10 июня, 10 декабря»; ``mentor_reports``: the process that asks for them): the mentor's programs
that ran in the period, each with the roadmap events done and the stages the curator approved in it. The same list is
recounted when the report is filed (``mentor_reports.record_mentor_period_report``) and shown on the mentor's page
(``engine.services.tasks.mentor_report_page``).

    period_from(dates, due) -> date                                       the period's first day
    mentor_programs(session, organization_id, mentor_id, since, until) -> list[dict]   the form's prefill
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from engine import regulations
from engine.db.models import (
    EventStatus,
    GroupMember,
    MentoringGroup,
    Program,
    ProgramStatus,
    RoadmapEventRecord,
    StageReport,
)
from engine.db.models.program import ReportStatus
from engine.errors import NastavnikError
from engine.regulations.pack_parts import ReportDate
from engine.workflow.clock import to_utc


def period_from(dates: tuple[ReportDate, ...], due: date) -> date:
    """The first day a report due ``due`` covers: the day after the latest earlier date of the calendar."""
    earlier = [found for d in dates if (found := d.last_before(due)) is not None]
    return max(earlier) + timedelta(days=1) if earlier else due - timedelta(days=182)


def mentor_programs(session: Session, organization_id: int, mentor_id: int, since: date, until: date) -> list[dict]:
    """The mentor's programs that ran in the period, each with the roadmap events done in it (the form's prefill)."""
    programs = list(session.scalars(
        select(Program).join(MentoringGroup, Program.group_id == MentoringGroup.id)
        .where(MentoringGroup.organization_id == organization_id, MentoringGroup.mentor_id == mentor_id,
               Program.status != ProgramStatus.FORMING.value, Program.started_on <= until,
               (Program.completed_on.is_(None)) | (Program.completed_on >= since))
        .options(selectinload(Program.group).selectinload(MentoringGroup.members).joinedload(GroupMember.person))
        .order_by(Program.id)))
    done: Iterable[RoadmapEventRecord] = session.scalars(select(RoadmapEventRecord).where(
        RoadmapEventRecord.program_id.in_([p.id for p in programs]), RoadmapEventRecord.status == EventStatus.DONE.value,
        RoadmapEventRecord.done_on >= since, RoadmapEventRecord.done_on <= until)
        .order_by(RoadmapEventRecord.program_id, RoadmapEventRecord.seq, RoadmapEventRecord.id)) if programs else []
    held: dict[int, list[dict]] = {}
    for event in done:
        held.setdefault(event.program_id, []).append(
            {"number": event.number, "name": event.name, "done_on": event.done_on.isoformat() if event.done_on else None})
    approved = _stages_approved(session, [p.id for p in programs], since, until)
    return [{"program_id": p.id, "roadmap": p.roadmap_id, "status": p.status,
             "mentees": [m.person.full_name for m in p.group.members if m.person is not None],
             "events_held": held.get(p.id, []), "stages_approved": approved.get(p.id, [])} for p in programs]


def _stages_approved(session: Session, program_ids: list[int], since: date, until: date) -> dict[int, list[dict]]:
    """The stage reports the curator approved in the period, per program (the stage's title from its roadmap)."""
    if not program_ids:
        return {}
    rows = session.execute(select(StageReport.program_id, StageReport.stage_id, StageReport.reviewed_at,
                                  Program.roadmap_id).join(Program, Program.id == StageReport.program_id).where(
        StageReport.program_id.in_(program_ids), StageReport.status == ReportStatus.APPROVED.value,
        StageReport.reviewed_at >= datetime.combine(since, time(), UTC),
        StageReport.reviewed_at < datetime.combine(until + timedelta(days=1), time(), UTC))
        .order_by(StageReport.program_id, StageReport.reviewed_at, StageReport.id)).all()
    approved: dict[int, list[dict]] = {}
    for program_id, stage_id, reviewed_at, roadmap_id in rows:
        try:
            title = regulations.roadmap(roadmap_id).stage(stage_id).title
        except NastavnikError:  # a roadmap or stage no pack has any more: its id
            title = stage_id
        approved.setdefault(program_id, []).append(
            {"stage_id": stage_id, "title": title,
             "approved_on": to_utc(reviewed_at).date().isoformat() if reviewed_at else None})
    return approved
