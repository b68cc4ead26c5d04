"""The analytic report (``analytic_report``) as files: a workbook (.xlsx, a sheet per table, typed cells, the
conclusions and «Сведения») and a PDF (``engine/documents/templates/analytic_report.html``: the organization, the
period, the day formed and by whom, the tables with their captions, the curator's conclusions). Both are made from
the report's tables, so their figures are the page's."""
from __future__ import annotations

from engine.documents import xlsx
from engine.documents.exported import ExportFile
from engine.documents.pdf import render_pdf
from engine.services.monitoring.analytic_report import AnalyticReport

PDF_MIMETYPE = "application/pdf"


def file_stem(report: AnalyticReport) -> str:
    """«аналитический-отчёт-2026-1-org-3», «аналитический-отчёт-2026-org-3»."""
    return f"аналитический-отчёт-{report.period.key}-org-{report.organization.id}"


def about_rows(report: AnalyticReport) -> list[tuple[str, object]]:
    return [("Отчёт", report.title), ("Организация", report.organization.name),
            ("Организаций в отчёте (с подчинёнными)", report.organizations),
            ("Период с", report.period.starts_on), ("Период по", report.period.ends_on),
            ("Показатели «на конец периода» — на", report.at), ("Сформирован", report.formed_on),
            ("Сформировал(а)", report.formed_by)]


def workbook(report: AnalyticReport) -> ExportFile:
    sections = [xlsx.Section(table.title, table.headings, [list(row.cells) for row in table.rows])
                for table in report.tables]
    sections.append(xlsx.Section("Выводы", ("Выводы куратора", "Автор", "Изменены"), [
        [report.conclusions or "", report.conclusions_by or "", report.conclusions_at]]))
    sections.append(xlsx.Section("Сведения", ("Реквизит", "Значение"), [list(row) for row in about_rows(report)]))
    data = xlsx.workbook(sections, title=report.title, author=report.formed_by)
    return ExportFile(data, f"{file_stem(report)}.xlsx", rows=sum(len(t.rows) for t in report.tables))


def pdf(report: AnalyticReport) -> ExportFile:
    data = render_pdf("analytic_report.html", {"report": report, "title": report.title}, title=report.title,
                      author=report.formed_by)
    return ExportFile(data, f"{file_stem(report)}.pdf", PDF_MIMETYPE, rows=sum(len(t.rows) for t in report.tables))
