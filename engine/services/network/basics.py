"""What every network module needs: the organization's pack must run network mentoring (its pair formation is
the ``network_grouping`` process, 004 III.4), the local day in the pack's time zone, the academic year, and
directions compared as people type them (case and spaces aside)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from engine.db.models import Organization
from engine.domain_time import academic_year_start
from engine.errors import NastavnikError, NotFound
from engine.regulations import RegulationPack, pack_of
from engine.services.process.domain import domain_of
from engine.workflow import Clock

GROUPING_PROCESS = "network_grouping"  # workflows/network_grouping.bpmn: a pack naming it runs network mentoring
PROGRAM_PROCESS = "network_program"  # workflows/network_program.bpmn: a trainee's academic year


def organization(session: Session, organization_id: int) -> Organization:
    found = session.get(Organization, organization_id)
    if found is None:
        raise NotFound(f"нет организации с номером {organization_id}")
    return found


def runs_network(regulation: RegulationPack, organization_kind: str | None = None) -> bool:
    """Whether the pack groups trainees by direction in an organization of that kind (004 III.4)."""
    return regulation.process_or_none("pair_formation", organization_kind) == GROUPING_PROCESS


def network_pack(found: Organization) -> RegulationPack:
    """The organization's pack, when it runs network mentoring (groups of trainees by direction, 004 III.4)."""
    regulation = pack_of(found)
    if not runs_network(regulation, found.kind):
        raise NastavnikError(f"{found.short_name or found.name}: положение «{regulation.title}» не предусматривает "
                             "сетевого наставничества — групп стажёров по направлениям, которые формирует управление "
                             "образования (004 III.4)", where="regulation")
    return regulation


def time_zone(regulation: RegulationPack) -> ZoneInfo:
    return ZoneInfo(regulation.document_defaults.get("time_zone") or "UTC")


def now(session: Session, clock: Clock | None = None) -> datetime:
    return (clock or domain_of(session).clock).now()


def local_day(regulation: RegulationPack, moment: datetime) -> date:
    """The calendar day of ``moment`` where the organization is (the pack's time zone)."""
    return moment.astimezone(time_zone(regulation)).date()


def local_midnight(regulation: RegulationPack, day: date) -> str:
    """00:00 of ``day`` in the pack's time zone, ISO (a timer's timeDate)."""
    return datetime(day.year, day.month, day.day, tzinfo=time_zone(regulation)).isoformat()


def academic_year_label(first_year: int) -> str:
    return f"{first_year}/{first_year + 1} учебный год"


def academic_year_of(day: date) -> int:
    return academic_year_start(day)


def direction_key(direction: str | None) -> str:
    """A direction as compared: «Функциональная  грамотность» = «функциональная грамотность»."""
    return " ".join((direction or "").split()).casefold()


def clean_direction(direction: str | None, *, where: str = "direction") -> str:
    text = " ".join((direction or "").split())
    if not text:
        raise NastavnikError("укажите направление профессиональной деятельности (004 II.2, III.3)", where=where)
    if len(text) > 200:
        raise NastavnikError("направление — не длиннее 200 знаков", where=where)
    return text
