"""The semi-annual and the final analytic reports of the mentorship system (003 §3.3: the curator «осуществляет
мониторинг эффективности и результативности реализации системы наставничества …, оценку вовлеченности наставляемых
в различные формы наставничества …, формирует итоговый аналитический отчет»; 001 §2.4: monitoring twice a year; 002 §5:
the indicators of the monitoring's two stages).

    semiannual_report(session, actor, *, organization_id, half=(year, 1|2)) -> AnalyticReport
    final_report(session, actor, *, organization_id, year) -> AnalyticReport
    analytic_report(session, actor, *, organization_id, kind, year, half) -> AnalyticReport   the page's and API's
    save_conclusions(session, actor, *, organization_id, kind, year, half, text) -> ConclusionsRow   the curator's

The figures are counted anew each time (``analytic_figures``, in the database) over the organization and every one
under it; the period and who sees what: ``analytic_period``. The tables here are what the page, the workbook and
the PDF show alike (``analytic_exports``), so their figures are the same. The mentors whose report is overdue are
shown by name: each goes to the access log (152-ФЗ).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import MENTORSHIP_FORM_LABELS, Organization, Person, log_shown, record_audit
from engine.db.models import AnalyticReport as ConclusionsRow
from engine.documents.basics import zone_of
from engine.errors import NastavnikError, PermissionDenied
from engine.regulations import pack_of
from engine.regulations.pack import INDICATOR_STAGES, ReportIndicator
from engine.services.audit.history import GROUND_NAMES
from engine.services.monitoring import analytic_figures as figures
from engine.services.monitoring import snapshots
from engine.services.monitoring.analytic_period import (
    Period,
    may_write_conclusions,
    organization_in_scope,
    period_of,
)
from engine.services.monitoring.scope import without_jit
from engine.services.people.actor import Actor, subtree
from engine.services.process.domain import organization_today
from engine.vocabulary import PARTICIPANT_KIND_LABELS, CompletionGround

CONCLUSIONS_MAX = 20_000
PURPOSE = "аналитический отчёт (003 §3.3)"


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Any, ...]


@dataclass(frozen=True)
class Table:
    key: str
    title: str  # the heading of the section, the sheet's name
    caption: str
    headings: tuple[str, ...]
    rows: list[Row]

    def value(self, key: str, column: int = 1) -> Any:
        return next(row.cells[column] for row in self.rows if row.key == key)

    def as_dict(self) -> dict:
        """JSON-ready: dates as ГГГГ-ММ-ДД."""
        return {"key": self.key, "title": self.title, "caption": self.caption, "headings": list(self.headings),
                "rows": [{"key": row.key, "cells": [plain(c) for c in row.cells]} for row in self.rows]}


@dataclass
class AnalyticReport:
    organization: Organization
    organizations: int  # how many organizations the figures cover (the organization and those under it)
    period: Period
    formed_on: date  # today in the organization
    at: date  # the figures «at the period's end» are counted on this day
    figures: dict
    tables: list[Table]
    conclusions: str = ""
    conclusions_by: str | None = None
    conclusions_at: datetime | None = None
    may_write: bool = False
    formed_by: str = ""
    counted_at: datetime | None = None  # when the aggregate figures were counted (a snapshot's moment); None: now

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    @property
    def title(self) -> str:
        return f"{self.period.kind_label.capitalize()} о реализации системы наставничества за {self.period.label}"

    def as_dict(self) -> dict:
        """JSON-ready (the API's): dates as ГГГГ-ММ-ДД."""
        return {"organization_id": self.organization.id, "organization": self.organization.name,
                "organizations_counted": self.organizations, "kind": self.period.kind, "year": self.period.year,
                "half": self.period.half, "period": self.period.key, "period_from": self.period.starts_on,
                "period_to": self.period.ends_on, "at": self.at, "formed_on": self.formed_on,
                "figures": plain(self.figures), "tables": [t.as_dict() for t in self.tables],
                "conclusions": self.conclusions, "conclusions_by": self.conclusions_by,
                "conclusions_at": self.conclusions_at, "may_write_conclusions": self.may_write,
                "counted_at": self.counted_at}


def plain(value: Any) -> Any:
    """``value`` with its dates (in dicts and lists too) as ISO strings."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value


# -- the tables -----------------------------------------------------------------------------------

def _form_labels(organization: Organization) -> dict[str, str]:
    try:
        return {f.id: f.label for f in pack_of(organization).forms_for(organization.kind)}
    except NastavnikError:
        return {}


def _indicator_catalogue(organization: Organization) -> dict[str, ReportIndicator]:
    """The indicators the organization's regulation names (the pack's ``report_indicators``)."""
    try:
        return {i.id: i for i in pack_of(organization).report_indicators}
    except NastavnikError:  # the organization's pack is not installed here: the raw ids are shown
        return {}


def _tables(organization: Organization, period: Period, at: date, found: dict) -> list[Table]:
    people, progs, stages, mentors = (found["participants"], found["programs"], found["stage_reports"],
                                      found["mentor_reports"])
    end = f"на {at:%d.%m.%Y}"
    formed, working = people["formed"], people["working"]
    kinds = people["mentees_by_kind"]
    kind_rows = [Row(f"mentees_{kind.value}", (f"из них: {label}", kinds.get(kind.value, 0)))
                 for kind, label in PARTICIPANT_KIND_LABELS.items()]
    if kinds.get("none"):
        kind_rows.append(Row("mentees_none", ("из них: вид участника не указан", kinds["none"])))
    tables = [Table("participants", "Участники", "Участники программ, выполнявшихся в периоде (003 §3.3, 001 §2.3)",
                    ("Показатель", "Количество"), [
        Row("mentors", ("Наставники", people["mentors"])),
        Row("mentees", ("Наставляемые — всего", people["mentees"])), *kind_rows,
        Row("pairs_formed", ("Пары, сформированные в периоде", sum(f["pairs"] for f in formed.values()))),
        Row("groups_formed", ("Группы, сформированные в периоде", sum(f["groups"] for f in formed.values()))),
        Row("pairs_working", (f"Пары, работающие {end}", sum(f["pairs"] for f in working.values()))),
        Row("groups_working", (f"Группы, работающие {end}", sum(f["groups"] for f in working.values())))])]
    labels = _form_labels(organization)
    forms = list(labels) + sorted(f for f in {*formed, *working} if f not in labels)
    zero = {"pairs": 0, "groups": 0}
    tables.append(Table("forms", "Формы и модели", "Пары и группы по формам и моделям наставничества (003 §2.4)",
                        ("Форма (модель) наставничества", "Пары сформированы", "Группы сформированы",
                         f"Пары работают {end}", f"Группы работают {end}"),
                        [Row(form, (labels.get(form) or MENTORSHIP_FORM_LABELS.get(form, form),
                                    formed.get(form, zero)["pairs"], formed.get(form, zero)["groups"],
                                    working.get(form, zero)["pairs"], working.get(form, zero)["groups"]))
                         for form in forms]))
    tables.append(Table("programs", "Программы", "Персонализированные программы наставничества (003 §7.1, §7.2)",
                        ("Показатель", "Количество"), [
        Row("started", ("Начаты в периоде", progs["started"])),
        Row("completed", ("Завершены в периоде — всего", progs["completed_total"])),
        *(Row(f"completed_{g.value}", (f"основание: {GROUND_NAMES[g]} ({g.clause})", progs["completed"][g.value]))
          for g in CompletionGround),
        Row("extended", ("Продлены приказом в периоде (003 §7.2)", progs["extended"])),
        Row("running", (f"Выполняются {end}", progs["running_at_end"])),
        Row("on_time", ("из них в срок", progs["on_time_at_end"])),
        Row("overdue", ("из них с просроченным этапом", progs["overdue_at_end"]))]))
    tables.append(Table("stage_reports", "Отчёты об этапах",
                        "Отчёты об этапах программ (003, прил. 1–4), представленные и рассмотренные в периоде",
                        ("Показатель", "Количество"), [
        Row("submitted", ("Представлены наставниками", stages["submitted"])),
        Row("approved", ("Приняты куратором", stages["approved"])),
        Row("returned", ("Возвращены на доработку", stages["returned"]))]))
    tables.append(Table("mentor_reports", "Отчёты наставников",
                        "Отчёты наставников за период (003, п. 3 распоряжения: до 10 июня, 10 декабря) "
                        f"со сроком в периоде, на {found['today']:%d.%m.%Y}", ("Показатель", "Количество"), [
        Row("due", ("Должны быть представлены", mentors["due"])),
        Row("filed", ("Представлены", mentors["filed"])),
        Row("filed_late", ("из них позже срока", mentors["filed_late"])),
        Row("overdue", ("Не представлены в срок", mentors["overdue"])),
        Row("expected", ("Ожидаются (срок не наступил)", mentors["expected"]))]))
    tables.append(Table("overdue_mentors", "Не представили отчёт", "Наставники, не представившие отчёт в срок",
                        ("Наставник", "Организация", "Срок", "Передан куратору"),
                        [Row(str(m["mentor_id"]), (m["mentor"], m["organization"], m["due_on"], m["escalated_on"]))
                         for m in mentors["overdue_mentors"]]))
    if found["indicators"]:
        catalogue = _indicator_catalogue(organization)
        order = [k for k in catalogue if k in found["indicators"]] + sorted(
            k for k in found["indicators"] if k not in catalogue)
        rows = []
        for key in order:
            values, known = found["indicators"][key], catalogue.get(key)
            numeric = values["numbers"] > 0
            rows.append(Row(key, (known.label if known else key,
                                  INDICATOR_STAGES.get(known.stage, "—") if known else "—", values["filled"],
                                  values["average"] if numeric else None,
                                  values["total"] if numeric and not (known and known.kind == "percent") else None)))
        tables.append(Table("indicators", "Показатели 002 §5",
                            "Показатели мониторинга (002 §5) по представленным отчётам наставников",
                            ("Показатель", "Этап мониторинга", "Программ со значением", "Среднее", "Сумма"), rows))
    return tables


# -- the report -----------------------------------------------------------------------------------

def counted_figures(session: Session, organization: Organization, orgs: list[int], period: Period, at: date, *,
                    fresh: bool = False) -> tuple[dict[str, Any], datetime | None]:
    """The aggregate figures (participants, programs, stage reports, indicators) of the organizations ``orgs`` for
    the period, counted on ``at``: as last counted while young enough (``snapshots``; counts only, no names — the
    mentors' reports and who is overdue are read anew each time), counted anew when ``fresh``."""
    def count() -> dict[str, Any]:
        return {"participants": figures.participants(session, orgs, period.starts_on, at),
                "programs": figures.programs(session, orgs, period.starts_on, at),
                "stage_reports": figures.stage_reports(session, orgs, period.starts_on, at, zone_of(organization)),
                "indicators": figures.indicators(session, orgs, period.starts_on, period.ends_on)}
    parts = {"organizations": orgs, "kind": period.kind, "period": period.key, "at": at,
             "zone": str(zone_of(organization))}
    return snapshots.cached(session, "analytic", parts, count, organization_id=organization.id, fresh=fresh)


def analytic_report(session: Session, actor: Actor, *, organization_id: int | None, kind: str,
                    year: int | None = None, half: int | None = None, today: date | None = None,
                    fresh: bool = False) -> AnalyticReport:
    """The report of ``kind`` (semiannual | final) for the organization (and those under it) and the period;
    ``today``: the organization's today by the domain's clock unless given."""
    organization = organization_in_scope(session, actor, organization_id)
    today = today or organization_today(session, organization)
    period = period_of(kind, year, half, today=today)
    at = period.at(today)
    orgs = sorted(subtree(session, {organization.id}))
    without_jit(session)  # the figures aggregate every program of the tree: compiling them costs more than it saves
    counted, counted_at = counted_figures(session, organization, orgs, period, at, fresh=fresh)
    found: dict[str, Any] = {"today": today, **counted,
             "mentor_reports": figures.mentor_reports(session, orgs, period.starts_on, period.ends_on, today)}
    log_shown(session, (m["mentor_id"] for m in found["mentor_reports"]["overdue_mentors"]), PURPOSE,
              viewer=actor.person_id, fields=["full_name"])
    report = AnalyticReport(organization, len(orgs), period, today, at,
                            {k: v for k, v in found.items() if k != "today"},
                            _tables(organization, period, at, found), may_write=may_write_conclusions(
                                actor, organization.id), formed_by=actor.full_name or actor.login,
                            counted_at=counted_at)
    row = _conclusions(session, organization.id, period)
    if row is not None:
        report.conclusions, report.conclusions_at = row.conclusions, row.updated_at
        report.conclusions_by = session.scalar(select(Person.full_name).where(Person.id == row.author_id))
    return report


def semiannual_report(session: Session, actor: Actor, *, organization_id: int | None, half: tuple[int, int],
                      today: date | None = None) -> AnalyticReport:
    """The report of a half-year: ``half`` = (year, 1 | 2)."""
    year, number = half
    return analytic_report(session, actor, organization_id=organization_id, kind="semiannual", year=year, half=number,
                           today=today)


def final_report(session: Session, actor: Actor, *, organization_id: int | None, year: int,
                 today: date | None = None) -> AnalyticReport:
    """The final report of the calendar year (analytic_period: why the calendar year)."""
    return analytic_report(session, actor, organization_id=organization_id, kind="final", year=year, today=today)


# -- the conclusions ------------------------------------------------------------------------------

def _conclusions(session: Session, organization_id: int, period: Period) -> ConclusionsRow | None:
    return session.scalar(select(ConclusionsRow).where(
        ConclusionsRow.organization_id == organization_id, ConclusionsRow.kind == period.kind,
        ConclusionsRow.period == period.key))


def save_conclusions(session: Session, actor: Actor, *, organization_id: int, kind: str, year: int | None,
                     half: int | None, text: str, today: date | None = None) -> ConclusionsRow:
    """The curator of the organization writes (or rewrites) the report's conclusions; audited."""
    organization = organization_in_scope(session, actor, organization_id)
    if not may_write_conclusions(actor, organization.id):
        raise PermissionDenied(f"{actor.full_name or actor.login}: выводы аналитического отчёта пишет куратор "
                               "этой организации (003 §3.3)")
    period = period_of(kind, year, half, today=today or organization_today(session, organization))
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > CONCLUSIONS_MAX:
        raise NastavnikError(f"выводы — не длиннее {CONCLUSIONS_MAX} знаков", where="conclusions")
    row = _conclusions(session, organization.id, period)
    before = row.conclusions if row is not None else None
    if row is None:
        row = ConclusionsRow(organization_id=organization.id, kind=period.kind, period=period.key)
        session.add(row)
    row.conclusions, row.author_id = text, actor.person_id
    session.flush()
    record_audit(session, "analytic_report.conclusions", actor=actor.person_id, obj=row,
                 organization=organization.id,
                 details={"kind": period.kind, "period": period.key, "before": before, "after": text})
    return row
