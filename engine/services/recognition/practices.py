"""The bank of practices and cases (001 §2.2 «баз … лучших практик наставничества», 002 §3.2, §4.1.4 «банка лучших
практик», 003 §3.3, 004 прил. 1 п. 5.1 «итоги … в кейсы»): a mentor or curator submits a practice or a case — a
title, a description, optionally the program it comes from, files (checked as the program's attachments are); a
curator of its organization (for the council or methodical association of mentors, 002 §4.1.4) approves it into
the bank or returns it with a comment; the author corrects a returned one and submits it again. Everyone working in
the organization's tree (the organization, its department and the department's other organizations) searches and
reads the approved ones; the author and the staff also see those under review."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.db.models import Practice, PracticeFile, PracticeKind, PracticeStatus, Program, Role, record_audit
from engine.db.models.recognition import PRACTICE_KIND_LABELS, PRACTICE_LIFECYCLE
from engine.db.types import utcnow
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.curation.registries import name_patterns
from engine.services.people.actor import Actor, staff_organizations
from engine.services.recognition import notices
from engine.services.recognition.basics import (
    TITLE_LIMIT,
    AttachmentLimits,
    Upload,
    check_uploads,
    clean_text,
    family,
    organization,
)

SUBMITTERS = (Role.MENTOR.value, Role.CURATOR.value)
PAGE = 50


@dataclass(frozen=True)
class PracticeInput:
    title: str
    description: str
    kind: str = PracticeKind.PRACTICE.value
    program_id: int | None = None
    files: tuple[Upload, ...] = ()


def _checked(session: Session, actor: Actor, organization_id: int, data: PracticeInput) -> dict[str, object]:
    if data.kind not in {k.value for k in PracticeKind}:
        raise NastavnikError("вид: «практика» или «кейс»", where="kind")
    program_id = None
    if data.program_id is not None:
        program = session.get(Program, data.program_id)
        if program is None or program.group.organization_id != organization_id or not (
                actor.person_id == program.group.mentor_id or actor.has_role(organization_id, Role.CURATOR.value)):
            raise NastavnikError(f"программа №{data.program_id}: можно указать программу своей организации, "
                                 "в которой вы наставник (или куратор)", where="program_id")
        program_id = program.id
    return {"kind": data.kind, "title": clean_text(data.title, "Название", "title", limit=TITLE_LIMIT),
            "description": clean_text(data.description, "Описание", "description"), "program_id": program_id}


def _attach(session: Session, actor: Actor, practice: Practice, uploads: tuple[Upload, ...]) -> None:
    limits = AttachmentLimits()
    for checked in check_uploads(list(uploads), limits, already=len(practice.files)):
        session.add(PracticeFile(practice=practice, uploaded_by_id=actor.person_id, file_name=checked.file_name,
                                 content_type=checked.content_type, size_bytes=len(checked.content),
                                 sha256=checked.sha256, content=checked.content))


def submit(session: Session, actor: Actor, organization_id: int, data: PracticeInput) -> Practice:
    """A mentor or curator of the organization submits a practice or a case for the curator's review."""
    organization(session, organization_id)
    if not any(actor.has_role(organization_id, role) for role in SUBMITTERS):
        raise PermissionDenied(f"{actor.full_name or actor.login}: практику в банк представляют наставник или "
                               "куратор этой организации")
    fields = _checked(session, actor, organization_id, data)
    practice = Practice(organization_id=organization_id, author_id=actor.person_id,
                        status=PracticeStatus.SUBMITTED.value, **fields)
    session.add(practice)
    session.flush()
    _attach(session, actor, practice, data.files)
    session.flush()
    record_audit(session, "practice.submitted", actor=actor.person_id, obj=practice, organization=organization_id,
                 details={"title": practice.title, "kind": practice.kind, "program_id": practice.program_id,
                          "files": [f.sha256 for f in practice.files]})
    notices.practice_submitted(session, practice)
    return practice


def resubmit(session: Session, actor: Actor, practice_id: int, data: PracticeInput) -> Practice:
    """The author corrects a returned practice and submits it again (new files are added)."""
    practice = _get(session, practice_id)
    if actor.person_id != practice.author_id:
        raise PermissionDenied(f"{actor.full_name or actor.login}: исправляет практику её автор")
    if practice.status != PracticeStatus.RETURNED.value:
        raise ConflictError("исправить и представить снова можно только возвращённую практику", where="status")
    for key, value in _checked(session, actor, practice.organization_id, data).items():
        setattr(practice, key, value)
    _attach(session, actor, practice, data.files)
    practice.status = PracticeStatus.SUBMITTED.value
    practice.submitted_at = utcnow()
    session.flush()
    record_audit(session, "practice.resubmitted", actor=actor.person_id, obj=practice,
                 organization=practice.organization_id, details={"title": practice.title})
    notices.practice_submitted(session, practice)
    return practice


def review(session: Session, actor: Actor, practice_id: int, *, approve: bool, comment: str = "") -> Practice:
    """The curator of its organization approves it into the bank, or returns it with a comment."""
    practice = _get(session, practice_id)
    if not actor.has_role(practice.organization_id, Role.CURATOR.value):
        raise PermissionDenied(f"{actor.full_name or actor.login}: практики в банк принимает куратор этой организации")
    if practice.status != PracticeStatus.SUBMITTED.value:
        raise ConflictError("практика уже рассмотрена", where="status")
    cleaned = clean_text(comment, "Замечание", "comment", required=not approve)
    practice.review_comment = cleaned or None
    practice.status = (PracticeStatus.APPROVED if approve else PracticeStatus.RETURNED).value
    practice.reviewed_by_id, practice.reviewed_at = actor.person_id, utcnow()
    session.flush()
    record_audit(session, "practice.approved" if approve else "practice.returned", actor=actor.person_id,
                 obj=practice, organization=practice.organization_id, details={"comment": practice.review_comment})
    notices.practice_reviewed(session, practice)
    return practice


def _get(session: Session, practice_id: int) -> Practice:
    practice = session.get(Practice, practice_id)
    if practice is None:
        raise NotFound(f"нет практики №{practice_id}")
    return practice


def _may_read(session: Session, actor: Actor, practice: Practice) -> bool:
    if actor.person_id == practice.author_id:
        return True
    if practice.status == PracticeStatus.APPROVED.value:
        return practice.organization_id in family(session, actor)
    return practice.organization_id in staff_organizations(session, actor)


def readable(session: Session, actor: Actor, practice_id: int) -> Practice:
    practice = _get(session, practice_id)
    if not _may_read(session, actor, practice):
        raise PermissionDenied(f"{actor.full_name or actor.login}: практика №{practice_id} вам не доступна")
    return practice


def file_of(session: Session, actor: Actor, file_id: int) -> PracticeFile:
    row = session.get(PracticeFile, file_id)
    if row is None:
        raise NotFound(f"нет файла №{file_id}")
    readable(session, actor, row.practice_id)
    return row


def search(session: Session, actor: Actor, text: str = "", *, page: int = 1) -> list[Practice]:
    """Approved practices of the actor's organization tree whose title or description holds every word of
    ``text`` (case-insensitive), newest first."""
    orgs = family(session, actor)
    query = select(Practice).where(Practice.status == PracticeStatus.APPROVED.value,
                                   Practice.organization_id.in_(orgs))
    for word in str(text or "").split()[:10]:  # every word, in the title or the text (SQLite: its usual spellings)
        patterns = name_patterns(word)
        query = query.where(or_(*(column.ilike(p, escape="\\") for p in patterns
                                  for column in (Practice.title, Practice.description))))
    offset = (max(page, 1) - 1) * PAGE
    return list(session.scalars(query.order_by(Practice.reviewed_at.desc(), Practice.id.desc())
                                .offset(offset).limit(PAGE)))


def waiting(session: Session, actor: Actor) -> list[Practice]:
    """For a curator: practices of her organizations under review; for anyone: their own not yet approved."""
    curated = actor.organizations(Role.CURATOR.value)
    query = select(Practice).where(Practice.status != PracticeStatus.APPROVED.value,
                                   or_(Practice.author_id == actor.person_id, Practice.organization_id.in_(curated)))
    return list(session.scalars(query.order_by(Practice.submitted_at, Practice.id)))


def awaiting_review(session: Session, actor: Actor) -> list[Practice]:
    """The curator's inbox: practices and cases submitted in the organizations where the actor is the curator
    (the role held there: she decides), oldest first."""
    curated = actor.organizations(Role.CURATOR.value)
    if not curated:
        return []
    return list(session.scalars(select(Practice).where(Practice.status == PracticeStatus.SUBMITTED.value,
                                                       Practice.organization_id.in_(curated))
                                .order_by(Practice.submitted_at, Practice.id)))


def kind_label(kind: str) -> str:
    return PRACTICE_KIND_LABELS.get(PracticeKind(kind), kind)


def organization_names(session: Session, organization_ids: list[int]) -> list[tuple[int, str]]:
    """(id, name) of the organizations, for a choice on a page."""
    return [(org, organization(session, org).name) for org in organization_ids]


STATUS_LABELS = PRACTICE_LIFECYCLE.labels


def status_label(status: str) -> str:
    return PRACTICE_LIFECYCLE.label(status)
