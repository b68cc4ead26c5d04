"""The program's own documents (003 appendices 1–4: «ФОРМА ОТЧЕТНОСТИ … ОТЧЕТ представляется после завершения
каждого этапа»): the stage report as the form its roadmap names («Информационная справка», «Аналитическая
справка», «Аналитический отчет») and the final analytic report of the whole program, rendered from the records
and the participant's own text as PDF (``engine.documents.pdf``) or DOCX (``engine.documents.report_docx``).

Who may see the program (``program_views.get_program``) may download its documents; a draft report (its
review withdrawn, the mentor's to submit again) only its participants, marked «ПРОЕКТ». Every person the
document shows other than the viewer goes to the access log (152-ФЗ)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from engine import regulations
from engine.db.models import (
    CompletionGround,
    GroupMember,
    MentoringGroup,
    Person,
    Program,
    RoadmapEventComment,
    RoadmapEventRecord,
    StageReport,
    log_shown,
)
from engine.db.models.program import (
    EVENT_LIFECYCLE,
    FINISHED_PROGRAM_STATUSES,
    PROGRAM_LIFECYCLE,
    REPORT_LIFECYCLE,
    ReportStatus,
)
from engine.db.types import utcnow
from engine.documents import settings_for
from engine.documents.program_reports import (
    CommentLine,
    EventLine,
    FinalReportDocument,
    Header,
    ReportPart,
    Signatory,
    StageLine,
    StageReportDocument,
    final_report_pdf,
    stage_report_pdf,
)
from engine.documents.report_docx import final_report_docx, stage_report_docx
from engine.errors import ConflictError, NotFound, PermissionDenied
from engine.regulations.roadmaps import NO_REPORT_FORM, RoadmapStage
from engine.services.audit.history import GROUND_NAMES
from engine.services.mentorship import bonus, programs
from engine.services.mentorship.program_views import event_status, get_program
from engine.services.people.actor import Actor

FINAL_FORM_FALLBACK = "Итоговая справка"
"""The final document's name where the roadmap names no form for its last stage (003 appendix 2, stage 4)."""
SHOWN_FIELDS = ["full_name", "position", "program", "stage_report"]
EVENT_LABELS = {"overdue": "просрочено"}  # a planned event past its due date (``program_views.event_status``)


# --- access and loading -------------------------------------------------------------------------------

def _load(session: Session, actor: Actor, program_id: int) -> Program:
    """The program with everything its documents print, in a handful of statements (403/404 as its page)."""
    get_program(session, actor, program_id)
    return session.scalars(select(Program).where(Program.id == program_id).options(
        joinedload(Program.group).joinedload(MentoringGroup.organization),
        joinedload(Program.group).joinedload(MentoringGroup.mentor),
        joinedload(Program.group).selectinload(MentoringGroup.members).joinedload(GroupMember.person),
        selectinload(Program.events).selectinload(RoadmapEventRecord.comments).joinedload(RoadmapEventComment.author),
        selectinload(Program.reports).joinedload(StageReport.submitted_by),
        selectinload(Program.reports).joinedload(StageReport.reviewer),
    ).execution_options(populate_existing=True)).unique().one()


def is_participant(actor: Actor, program: Program) -> bool:
    return actor.person_id is not None and actor.person_id in program.group.participant_ids()


def may_download(actor: Actor, program: Program, report: StageReport) -> bool:
    """A submitted, returned or accepted report: whoever sees the program; a draft: its participants only."""
    return report.status != ReportStatus.DRAFT.value or is_participant(actor, program)


def final_available(program: Program) -> bool:
    """The final analytic report: once the program is finished, or while its last stage is under way."""
    if program.status in FINISHED_PROGRAM_STATUSES:
        return True
    stages = programs.roadmap(program.roadmap_id).stages
    return bool(stages) and program.current_stage_id == stages[-1].id


# --- the pieces ---------------------------------------------------------------------------------------

def _local_day(program: Program, moment: datetime | None) -> date | None:
    return moment.astimezone(settings_for(program.group.organization).zone).date() if moment else None


def _header(program: Program) -> Header:
    group, plan = program.group, programs.roadmap(program.roadmap_id)
    form_label = regulations.form_label(group.organization, group.form)  # the pack's words (002 §4.1.5)
    mentor = group.mentor
    note = f"освобождён(а) от обязанностей наставника с {group.mentor_released_on:%d.%m.%Y}" \
        if group.mentor_released_on else ""
    return Header(program.id, group.organization.name, plan.short_title or plan.title, plan.source, form_label,
                  Signatory("Наставник", mentor.full_name, mentor.position, note),
                  tuple(Signatory("Наставляемый", m.person.full_name, m.person.position)
                        for m in group.members if m.left_on is None))


def _stage_dates(program: Program) -> dict[str, tuple[date | None, date | None]]:
    """Each stage's (first day, due date): the first starts with the program, a later one the day after the
    previous stage's due date; the due dates are the events' (moved by an extension, 003 §7.2)."""
    dates, starts = {}, program.started_on
    for stage in programs.roadmap(program.roadmap_id).stages:
        due = max((e.due_on for e in program.events if e.stage_id == stage.id and e.due_on), default=None)
        dates[stage.id] = (starts, due)
        starts = due + timedelta(days=1) if due else None
    return dates


def _events(program: Program, stage_id: str, today: date) -> tuple[EventLine, ...]:
    return tuple(EventLine(e.number, e.name, EVENT_LABELS.get(status := event_status(e, today),
                                                              EVENT_LIFECYCLE.label(status)), e.due_on, e.done_on, e.note,
                           tuple(CommentLine(c.author.full_name, _local_day(program, c.created_at) or today, c.body)
                                 for c in e.comments))
                 for e in program.events if e.stage_id == stage_id)


def _report_part(program: Program, report: StageReport) -> ReportPart:
    return ReportPart(report.form_name, report.attempt, REPORT_LIFECYCLE.label(report.status),
                      report.status == ReportStatus.DRAFT.value, report.status == ReportStatus.APPROVED.value,
                      report.body,
                      report.submitted_by.full_name, _local_day(program, report.submitted_at),
                      report.reviewer.full_name if report.reviewer else None, _local_day(program, report.reviewed_at),
                      report.review_comment)


def _signatories(header: Header, reviewer: Person | None) -> tuple[Signatory, ...]:
    curator = Signatory("Куратор", reviewer.full_name if reviewer else "", reviewer.position if reviewer else None,
                        "ознакомлен(а)")
    return (header.mentor, *header.mentees, curator)


def _closed_on(program: Program, reports: list[StageReport]) -> date | None:
    accepted = [r for r in reports if r.status == ReportStatus.APPROVED.value]
    return _local_day(program, accepted[-1].reviewed_at) if accepted else None


def _log(session: Session, actor: Actor, program: Program, people: list[Person | None], what: str) -> None:
    group = program.group
    shown = [group.mentor, *(m.person for m in group.members if m.left_on is None), *people]
    log_shown(session, [p for p in shown if p is not None], f"{what} программы №{program.id}",
              viewer=actor.person_id, fields=SHOWN_FIELDS)


# --- the documents ------------------------------------------------------------------------------------

def stage_report_document(session: Session, actor: Actor, program_id: int, report_id: int, *,
                          now: datetime | None = None) -> StageReportDocument:
    """The stage report ``report_id`` of the program as its form: 404 when it is not this program's, 403 for a
    draft to anyone but the participants. The caller commits (the access log)."""
    program = _load(session, actor, program_id)
    report = next((r for r in program.reports if r.id == report_id), None)
    if report is None:
        raise NotFound(f"у программы №{program_id} нет отчёта об этапе №{report_id}")
    if not may_download(actor, program, report):
        raise PermissionDenied("черновик отчёта об этапе видят только наставник и наставляемые программы, "
                               "пока наставник не представил его снова")
    stage: RoadmapStage = programs.roadmap(program.roadmap_id).stage(report.stage_id)
    today = _local_day(program, now or utcnow()) or date.today()
    starts_on, due_on = _stage_dates(program).get(stage.id, (None, None))
    header = _header(program)
    events = _events(program, stage.id, today)
    _log(session, actor, program, [report.submitted_by, report.reviewer,
                                   *(c.author for e in program.events if e.stage_id == stage.id for c in e.comments)],
         f"справка по этапу «{stage.title}»")
    title = "Отчёт об этапе" if report.form_name == NO_REPORT_FORM else report.form_name  # the form says why
    return StageReportDocument(header, title, stage.number, stage.title, starts_on, due_on,
                               _local_day(program, report.reviewed_at) if report.status == ReportStatus.APPROVED
                               else None, events, _report_part(program, report),
                               _signatories(header, report.reviewer), today)


def _extension(program: Program) -> str | None:
    if program.started_on is None or program.planned_end_on is None:
        return None
    planned = programs.planned_end(regulations.pack_of(program.group.organization), program.roadmap_id,
                                   program.started_on)
    if program.planned_end_on <= planned:
        return None
    return (f"срок программы продлён: плановое окончание перенесено с {planned:%d.%m.%Y} "
            f"на {program.planned_end_on:%d.%m.%Y} (003 §7.2)")


def _bonus(session: Session, program: Program) -> tuple[str | None, Person | None]:
    """The head's decision on the mentor's bonus for the program's term (003 §9.3), when one is recorded."""
    record = bonus.bonus_for(session, program)
    if record is None or record.revoked is None or record.decided_by is None:
        return None, None
    decided_on = _local_day(program, record.decided_at)
    return (f"{'увеличение отменено' if record.revoked else 'увеличение сохранено'} — {record.decided_by.full_name}"
            f"{f', {decided_on:%d.%m.%Y}' if decided_on else ''}; основание: {record.reason or '—'}"), record.decided_by


def final_report_document(session: Session, actor: Actor, program_id: int, *,
                          now: datetime | None = None) -> FinalReportDocument:
    """The final analytic report of the whole program: 409 before its last stage. The caller commits."""
    program = _load(session, actor, program_id)
    if not final_available(program):
        raise ConflictError(f"итоговая справка программы №{program_id} формируется на последнем этапе "
                            "или после завершения программы")
    plan = programs.roadmap(program.roadmap_id)
    today = _local_day(program, now or utcnow()) or date.today()
    dates, lines = _stage_dates(program), []
    for stage in plan.stages:
        reports = [r for r in program.reports if r.stage_id == stage.id]
        done, total = programs.roadmap_progress(program, stage.id)
        latest = reports[-1] if reports else None
        lines.append(StageLine(stage.number, stage.title, *dates[stage.id], _closed_on(program, reports),
                               stage.report_name,
                               REPORT_LIFECYCLE.label(latest.status) if latest else "не представлен", done, total))
    last = plan.stages[-1]
    final = [r for r in program.reports if r.stage_id == last.id and may_download(actor, program, r)]
    report = final[-1] if final else None
    ground = CompletionGround(program.completion_ground) if program.completion_ground else None
    header = _header(program)
    bonus_text, decided_by = _bonus(session, program)
    _log(session, actor, program, [report.submitted_by if report else None, report.reviewer if report else None,
                                   decided_by], "итоговая справка")
    return FinalReportDocument(
        header, last.report_form or FINAL_FORM_FALLBACK, program.status not in FINISHED_PROGRAM_STATUSES,
        PROGRAM_LIFECYCLE.label(program.status), program.started_on, program.planned_end_on, program.completed_on,
        f"{GROUND_NAMES[ground]} ({ground.clause})" if ground else None, program.completion_note,
        _extension(program), bonus_text, tuple(lines), last.title,
        _report_part(program, report) if report else None,
        _signatories(header, report.reviewer if report else None), today)


# --- the files ----------------------------------------------------------------------------------------

MIMETYPES = {"pdf": "application/pdf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass(frozen=True)
class DocumentFile:
    data: bytes
    file_name: str
    mimetype: str


def _file_kind(kind: str) -> str:
    if kind not in MIMETYPES:
        raise NotFound(f"документ выгружается в PDF или DOCX, не «{kind}»")
    return kind


def stage_report_file(session: Session, actor: Actor, program_id: int, report_id: int, kind: str, *,
                      now: datetime | None = None) -> DocumentFile:
    """The stage report as ``kind`` (``pdf`` or ``docx``); the caller commits (the access log)."""
    kind = _file_kind(kind)
    doc = stage_report_document(session, actor, program_id, report_id, now=now)
    data = stage_report_pdf(doc) if kind == "pdf" else stage_report_docx(doc)
    return DocumentFile(data, f"{doc.file_stem}.{kind}", MIMETYPES[kind])


def final_report_file(session: Session, actor: Actor, program_id: int, kind: str, *,
                      now: datetime | None = None) -> DocumentFile:
    """The final analytic report as ``kind`` (``pdf`` or ``docx``); the caller commits (the access log)."""
    kind = _file_kind(kind)
    doc = final_report_document(session, actor, program_id, now=now)
    data = final_report_pdf(doc) if kind == "pdf" else final_report_docx(doc)
    return DocumentFile(data, f"{doc.file_stem}.{kind}", MIMETYPES[kind])


def downloadable(actor: Actor, program: Program) -> tuple[frozenset[int], bool]:
    """What the program page offers to download: the ids of the stage reports, and whether the final report."""
    return (frozenset(r.id for r in program.reports if may_download(actor, program, r)), final_available(program))
