"""The program's own documents as data and as PDF: the stage report in the form its roadmap names
(«Информационная справка», 003 appendices 1–4) and the final analytic report of the program
(«Аналитическая справка» / «Аналитический отчет»). ``engine.services.mentorship.program_documents`` gathers
them from the records; ``report_docx`` lays the same data out as Word documents. The participant's text is
printed as written: escaped, its line breaks kept."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.documents.pdf import render_pdf


@dataclass(frozen=True)
class Signatory:
    role: str  # «Наставник», «Наставляемый», «Куратор»
    full_name: str
    position: str | None = None
    note: str = ""  # «ознакомлен(а)» for the curator


@dataclass(frozen=True)
class CommentLine:
    author: str
    written_on: date
    body: str


@dataclass(frozen=True)
class EventLine:
    number: str
    name: str
    status: str  # Russian label: выполнено / запланировано / просрочено / не проводилось
    due_on: date | None
    done_on: date | None
    note: str | None
    comments: tuple[CommentLine, ...]


@dataclass(frozen=True)
class ReportPart:
    """One stage report as the document prints it: the participant's text and its review."""
    form_name: str
    attempt: int
    status: str  # Russian label
    is_draft: bool
    approved: bool
    body: str  # as written (line breaks kept by the renderers)
    submitted_by: str
    submitted_on: date | None
    reviewer: str | None
    reviewed_on: date | None
    review_comment: str | None


@dataclass(frozen=True)
class StageLine:
    """A stage of the program in the final report's summary."""
    number: str
    title: str
    starts_on: date | None
    due_on: date | None
    closed_on: date | None  # the day its report was accepted
    report_form: str
    report_status: str  # Russian label of the latest report, «не представлен» without one
    events_done: int
    events_total: int


@dataclass(frozen=True)
class Header:
    program_id: int
    organization: str
    roadmap_title: str
    roadmap_source: str
    form_label: str | None
    mentor: Signatory
    mentees: tuple[Signatory, ...]


@dataclass(frozen=True)
class StageReportDocument:
    header: Header
    title: str  # the form's name: «Информационная справка»
    stage_number: str
    stage_title: str
    starts_on: date | None
    due_on: date | None
    closed_on: date | None
    events: tuple[EventLine, ...]
    report: ReportPart
    signatories: tuple[Signatory, ...]
    made_on: date

    @property
    def file_stem(self) -> str:
        attempt = f"-popytka-{self.report.attempt}" if self.report.attempt > 1 else ""
        return f"spravka-programma-{self.header.program_id}-etap-{self.stage_number}{attempt}"


@dataclass(frozen=True)
class FinalReportDocument:
    header: Header
    title: str  # «Аналитическая справка» / «Аналитический отчет»
    is_draft: bool  # the program is not finished yet (its last stage is under way)
    status: str
    started_on: date | None
    planned_end_on: date | None
    completed_on: date | None
    ground: str | None  # «программа выполнена в полном объёме (003 §7.1 (1))»
    completion_note: str | None
    extension: str | None  # «плановое окончание перенесено с … на … (003 §7.2)»
    bonus: str | None  # the head's decision on the mentor's bonus (003 §9.3), when there is one
    stages: tuple[StageLine, ...]
    final_stage_title: str
    report: ReportPart | None  # the last stage's report
    signatories: tuple[Signatory, ...]
    made_on: date

    @property
    def file_stem(self) -> str:
        return f"itogovaya-spravka-programma-{self.header.program_id}"


def stage_report_pdf(doc: StageReportDocument) -> bytes:
    title = f"{doc.title}: этап «{doc.stage_title}», программа № {doc.header.program_id}"
    return render_pdf("stage_report.html", {"doc": doc, "title": title}, title=title, author=doc.header.organization)


def final_report_pdf(doc: FinalReportDocument) -> bytes:
    title = f"{doc.title}: программа № {doc.header.program_id}"
    return render_pdf("final_report.html", {"doc": doc, "title": title}, title=title, author=doc.header.organization)
