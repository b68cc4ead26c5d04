"""Incentives recorded for a mentor (002 §3.4, 003 §9.1, 004 прил. 2 п. 9.1): the kind from the organization's
regulation pack (``incentives:``), the basis (a text, optionally a program), the date, a document (a file checked as
the program's attachments are), who recorded it (a curator or head of the organization). The mentor's page lists
them; the mentor sees their own, the staff of the organization and of those above it see them (the access log
records each reading by someone else)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Incentive, Person, Program, log_shown, record_audit
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.regulations.incentives import IncentiveKind
from engine.services.people.actor import Actor, staff_organizations
from engine.services.recognition.basics import (
    AttachmentLimits,
    CheckedFile,
    Upload,
    active_roles,
    check_upload,
    clean_text,
    mentor_in,
    organization,
    pack,
    require_recorder,
)


@dataclass(frozen=True)
class IncentiveInput:
    kind: str
    basis: str
    awarded_on: date | None
    program_id: int | None = None
    percent: int | None = None
    document: Upload | None = None


def kinds_for(session: Session, organization_id: int) -> tuple[IncentiveKind, ...]:
    """The measures the organization's regulation names."""
    return pack(organization(session, organization_id)).incentives


def _percent(kind: IncentiveKind, value: int | None) -> int | None:
    if not kind.percent:
        if value is not None:
            raise NastavnikError(f"«{kind.label}»: процент указывается только для надбавки к заработной плате",
                                 where="percent")
        return None
    if value is None or isinstance(value, bool) or not 1 <= int(value) <= 100:
        raise NastavnikError(f"«{kind.label}»: укажите размер надбавки в процентах, от 1 до 100, как его "
                             "установила организация", where="percent")
    return int(value)


def build(session: Session, organization_id: int, mentor_id: int, data: IncentiveInput) -> Incentive:
    """The incentive row checked and made, not yet added (the contest's signed order adds its winners' ones in
    the middle of a flush: ``contest_results``)."""
    org = organization(session, organization_id)
    kind = pack(org).incentive(data.kind)
    mentor = mentor_in(session, mentor_id, organization_id)
    basis = clean_text(data.basis, "Основание", "basis")
    if data.awarded_on is None:
        raise NastavnikError("укажите дату поощрения", where="awarded_on")
    program_id = None
    if data.program_id is not None:
        program = session.get(Program, data.program_id)
        if program is None or program.group.mentor_id != mentor.id:
            raise NastavnikError(f"программа №{data.program_id} не программа этого наставника", where="program_id")
        program_id = program.id
    document: CheckedFile | None = None
    if data.document is not None and (data.document.file_name or data.document.content):
        document = check_upload(data.document, AttachmentLimits())
    row = Incentive(organization_id=org.id, mentor_id=mentor.id, kind=kind.id, kind_label=kind.label,
                    clause=kind.clause, basis=basis, program_id=program_id, awarded_on=data.awarded_on,
                    percent=_percent(kind, data.percent))
    if document is not None:
        row.document_name, row.document_type = document.file_name, document.content_type
        row.document_size, row.document_sha256 = len(document.content), document.sha256
        row.document_content = document.content
    return row


def details(row: Incentive) -> dict[str, object]:
    return {"mentor_id": row.mentor_id, "kind": row.kind, "clause": row.clause, "basis": row.basis,
            "awarded_on": row.awarded_on.isoformat(), "percent": row.percent, "contest_id": row.contest_id,
            "order_id": row.order_id, "document_sha256": row.document_sha256}


def record(session: Session, actor: Actor, organization_id: int, mentor_id: int, data: IncentiveInput) -> Incentive:
    """A measure recorded for the mentor by a curator or head of ``organization_id``. Nothing is committed here."""
    require_recorder(actor, organization_id, "запись поощрения наставника")
    row = build(session, organization_id, mentor_id, data)
    row.recorded_by_id = actor.person_id
    session.add(row)
    session.flush()
    record_audit(session, "incentive.recorded", actor=actor.person_id, obj=row, organization=organization_id,
                 details=details(row))
    return row


@dataclass(frozen=True)
class MentorIncentives:
    mentor: Person
    incentives: list[Incentive]
    may_record_in: list[int]  # organizations where the actor may record one for this mentor


def of_mentor(session: Session, actor: Actor, mentor_id: int) -> MentorIncentives:
    """The mentor's incentives, newest first: for the mentor and for the staff of the organizations concerned."""
    mentor = session.get(Person, mentor_id)
    if mentor is None:
        raise NotFound(f"нет человека с номером {mentor_id}")
    rows = list(session.scalars(select(Incentive).where(Incentive.mentor_id == mentor_id)
                                .order_by(Incentive.awarded_on.desc(), Incentive.id.desc())))
    staff = staff_organizations(session, actor)
    if actor.person_id != mentor_id:
        where_mentor = {org for org, role in active_roles(session, mentor_id) if role == "mentor"}
        if not staff or not (where_mentor | {r.organization_id for r in rows}) & staff:
            raise PermissionDenied(f"{actor.full_name or actor.login}: поощрения этого наставника вам не доступны")
        rows = [r for r in rows if r.organization_id in staff]
        log_shown(session, [mentor_id], "поощрения наставника", viewer=actor.person_id,
                  fields=["incentives"])
    recorders = sorted(org for org, role in actor.roles if role in ("curator", "head"))
    return MentorIncentives(mentor=mentor, incentives=rows, may_record_in=recorders)


def document_of(session: Session, actor: Actor, incentive_id: int) -> Incentive:
    """The incentive with its document's bytes, for those who may see the mentor's incentives (logged)."""
    row = session.get(Incentive, incentive_id)
    if row is None or row.document_name is None:
        raise NotFound(f"нет документа поощрения №{incentive_id}")
    if actor.person_id != row.mentor_id:
        if row.organization_id not in staff_organizations(session, actor):
            raise PermissionDenied(f"{actor.full_name or actor.login}: документ поощрения №{incentive_id} вам не "
                                   "доступен")
        log_shown(session, [row.mentor_id], f"документ поощрения №{row.id}", viewer=actor.person_id,
                  fields=["incentive_document"])
    return row
