"""The dashboard's tables as files (issue 15, item 4): a workbook with a sheet per section (Охват, Программы по
статусам, …; typed cells — counts as numbers, per cent as a number with one decimal, dates as dates) and the same
tables as an A4 PDF (``engine/documents/templates/dashboard.html``). The files hold figures only, no one's
personal data (the lists behind the figures stay on the pages)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from engine.documents import xlsx
from engine.documents.exported import ExportFile
from engine.documents.pdf import render_pdf
from engine.services.monitoring.dashboard import Dashboard, dashboard
from engine.services.monitoring.labels import TERM_ENDING_DAYS
from engine.services.people.actor import Actor
from engine.workflow import Clock

PDF_MIMETYPE = "application/pdf"
SECTION_FIGURES = (  # (sheet, figure, heading of the value column)
    ("Программы по статусам", "status", "Статус"),
    ("Программы по этапам", "stage", "Текущий этап"),
    ("Программы по формам", "form", "Форма наставничества"),
    ("Программы по моделям", "model", "Модель (дорожная карта)"),
    ("Программы по организациям", "organization", "Организация"),
    ("Завершения по основаниям", "ground", "Основание (003 §7.1)"),
    ("Отчёты наставников", "mentor_reports", "Состояние"),
    ("Отчёты по этапам", "stage_reports", "Состояние"),
)


def _yes(met: bool, percent: Decimal | None) -> str:
    return "нет данных" if percent is None else ("да" if met else "нет")


def sections(found: Dashboard) -> list[xlsx.Section]:
    """The dashboard's tables, in the page's order."""
    scope = found.scope
    about = xlsx.Section("Параметры", ("Показатель", "Значение"), [
        ("Организации", found.coverage.name), ("Период с", scope.period_from), ("Период по", scope.period_to),
        ("На дату", scope.today),
        ("Знаменатель охвата", "активные сотрудники и обучающиеся организаций в реестре людей (место работы или "
                               "учёбы)"),
        ("Цель охвата", f"не менее {found.target_percent} % ({found.target_clause})")])

    def kinds(row) -> list[int]:
        by_kind = {kind: (staff, involved) for kind, _label, staff, involved in row.by_kind}
        return [*by_kind.get("pedagogue", (0, 0)), *by_kind.get("student", (0, 0))]
    coverage = xlsx.Section(f"Охват (цель {found.target_percent} %)", (
        "Организация", "В реестре людей", "Вовлечены", "Охват, %", f"Цель {found.target_percent} % достигнута",
        "Педагогов в реестре", "Педагогов вовлечено", "Обучающихся в реестре", "Обучающихся вовлечено"),
        [(row.name, row.staff, row.involved, row.percent, _yes(row.met, row.percent), *kinds(row))
         for row in (found.coverage, *found.coverage_by_organization)])
    tables = [about, coverage]
    for title, figure, heading in SECTION_FIGURES:
        items = found.breakdowns.get(figure, ())
        tables.append(xlsx.Section(title, (heading, "Количество"),
                                   [*((item.label, item.count) for item in items), ("Всего", found.total(figure))]))
    tables.append(xlsx.Section("Нагрузка наставников", ("Наставляемых у наставника", "Наставников"),
                               [(int(item.value), item.count) for item in found.breakdowns.get("load", ())]))
    tables.append(xlsx.Section("Сроки и просрочки", ("Показатель", "Количество"), [
        ("Программы с просроченным этапом", found.single["overdue"]),
        ("Отчёты наставников, не представленные в срок", found.single["overdue_reports"]),
        ("Программы, продлённые за период (003 §7.2)", found.single["extended"]),
        (f"Сроки назначения наставников, истекающие в ближайшие {TERM_ENDING_DAYS} дней",
         found.single["terms_ending"])]))
    return tables


def _file_name(found: Dashboard, suffix: str) -> str:
    return f"мониторинг_{found.scope.period_from:%Y-%m-%d}_{found.scope.period_to:%Y-%m-%d}.{suffix}"


def dashboard_workbook(session: Session, actor: Actor, *, organization_id: int | None = None,
                       period_from: date | None = None, period_to: date | None = None,
                       clock: Clock | None = None) -> ExportFile:
    found = dashboard(session, actor, organization_id=organization_id, period_from=period_from, period_to=period_to,
                      clock=clock)
    data = xlsx.workbook(sections(found), title="Панель мониторинга наставничества",
                         author=actor.full_name or actor.login)
    return ExportFile(data, _file_name(found, "xlsx"), xlsx.MIMETYPE)


def _shown(value: object) -> str:
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, Decimal):
        return f"{value}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")
    return "—" if value is None else str(value)


def dashboard_pdf(session: Session, actor: Actor, *, organization_id: int | None = None,
                  period_from: date | None = None, period_to: date | None = None,
                  clock: Clock | None = None) -> ExportFile:
    """The same tables on A4 (no charts: each chart's table is there)."""
    found = dashboard(session, actor, organization_id=organization_id, period_from=period_from, period_to=period_to,
                      clock=clock)
    tables = [{"title": section.title, "headings": list(section.headings),
               "rows": [[(_shown(value), isinstance(value, int | Decimal) and not isinstance(value, bool))
                         for value in row] for row in section.rows]} for section in sections(found)]
    title = "Мониторинг программ наставничества"
    data = render_pdf("dashboard.html", {"title": title, "organization": found.coverage.name,
                                         "period_from": found.scope.period_from, "period_to": found.scope.period_to,
                                         "today": found.scope.today, "tables": tables,
                                         "author": actor.full_name or actor.login},
                      title=title, author=actor.full_name or actor.login)
    return ExportFile(data, _file_name(found, "pdf"), PDF_MIMETYPE)
