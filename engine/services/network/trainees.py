"""Trainees (стажёры) of network mentoring: the department's specialist enters a person in the registry with
the category of 004 I.3 (the pack's ``mentee_categories``) and the direction of professional activity they need
help in; which trainees a direction's list holds is determined by the trainee's self-diagnosis of professional
competencies or by the school administration's monitoring of their work (004 III.3), recorded here."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import CompetenceDiagnosis, DiagnosisKind, Mentee, Person, Role, record_audit
from engine.db.models.mentorship import MenteeStatus
from engine.db.models.network import SELF_RATING_RANGE
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.mentorship import mentee_registry
from engine.services.network import basics
from engine.services.people.actor import Actor
from engine.workflow import Clock

OPEN_STATUSES = (MenteeStatus.WAITING.value, MenteeStatus.IN_PROGRAM.value)
TEXT_LIMIT = 5000


def register_trainee(session: Session, actor: Actor, organization_id: int, person_id: int, *,
                     category: str | None, direction: str | None, clock: Clock | None = None) -> Mentee:
    """The specialist enters a trainee (004 I.3) with the direction they need help in (004 III.3)."""
    regulation = basics.network_pack(basics.organization(session, organization_id))
    actor.require(organization_id, Role.CURATOR, action="внесение стажёра в базу сетевого наставничества")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}", where="person_id")
    if not category:
        raise NastavnikError(f"{person.full_name}: укажите категорию стажёра (004 I.3): "
                             + "; ".join(c.label for c in regulation.mentee_categories), where="category")
    text = basics.clean_direction(direction)
    already = session.scalar(select(Mentee).where(Mentee.person_id == person.id,
                                                  Mentee.organization_id == organization_id,
                                                  Mentee.status.in_(OPEN_STATUSES)))
    if already is not None:
        raise NastavnikError(f"{person.full_name} уже в базе стажёров (направление «{already.direction or '—'}»)",
                             where="person_id")
    mentee = mentee_registry.register_mentee(session, actor, organization_id, person.id, category=category)
    mentee.direction = text
    mentee.registered_on = basics.local_day(regulation, basics.now(session, clock))
    session.flush()
    record_audit(session, "network.trainee_registered", actor=actor.person_id, obj=mentee,
                 organization=organization_id, details={"category": mentee.category, "direction": text})
    return mentee


def trainee(session: Session, mentee_id: int) -> Mentee:
    found = session.get(Mentee, mentee_id)
    if found is None or found.direction is None:
        raise NotFound(f"нет стажёра №{mentee_id} в базе сетевого наставничества")
    return found


def _text(value: str | None, where: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise NastavnikError(f"заполните поле «{what}» (004 III.3)", where=where)
    if len(text) > TEXT_LIMIT:
        raise NastavnikError(f"«{what}» — не длиннее {TEXT_LIMIT} знаков", where=where)
    return text


def _open(mentee: Mentee) -> None:
    if mentee.status not in OPEN_STATUSES:
        raise NastavnikError(f"{mentee.person.full_name}: сетевое наставничество уже завершено — диагностика "
                             "больше не записывается", where="mentee_id")


def record_self_diagnosis(session: Session, actor: Actor, mentee_id: int, *, difficulties: str | None,
                          help_needed: str | None, self_rating: int | None,
                          clock: Clock | None = None) -> CompetenceDiagnosis:
    """The trainee's own self-diagnosis of the competencies of their direction (004 III.3)."""
    mentee = trainee(session, mentee_id)
    if actor.person_id != mentee.person_id:
        raise PermissionDenied(f"{actor.full_name}: самодиагностику заполняет сам стажёр (004 III.3)")
    _open(mentee)
    low, high = SELF_RATING_RANGE
    if isinstance(self_rating, bool) or not isinstance(self_rating, int) or not low <= self_rating <= high:
        raise NastavnikError(f"оцените владение компетенциями по направлению числом от {low} до {high}",
                             where="self_rating")
    row = CompetenceDiagnosis(
        mentee_id=mentee.id, kind=DiagnosisKind.SELF.value, self_rating=self_rating,
        difficulties=_text(difficulties, "difficulties", "Затруднения"),
        help_needed=_text(help_needed, "help_needed", "Какая помощь нужна"), recorded_by_id=actor.person_id,
        recorded_at=basics.now(session, clock))
    return _add(session, actor, mentee, row)


def record_monitoring(session: Session, actor: Actor, mentee_id: int, *, conducted_by: str | None,
                      difficulties: str | None, help_needed: str | None,
                      clock: Clock | None = None) -> CompetenceDiagnosis:
    """The school administration's monitoring of the trainee's work, recorded by the specialist (004 III.3)."""
    mentee = trainee(session, mentee_id)
    actor.require(mentee.organization_id, Role.CURATOR, action="запись мониторинга деятельности стажёра")
    _open(mentee)
    who = _text(conducted_by, "conducted_by", "Кто провёл мониторинг")
    if len(who) > 300:
        raise NastavnikError("«Кто провёл мониторинг» — не длиннее 300 знаков", where="conducted_by")
    row = CompetenceDiagnosis(
        mentee_id=mentee.id, kind=DiagnosisKind.MONITORING.value, conducted_by=who,
        difficulties=_text(difficulties, "difficulties", "Затруднения"),
        help_needed=_text(help_needed, "help_needed", "Какая помощь нужна"), recorded_by_id=actor.person_id,
        recorded_at=basics.now(session, clock))
    return _add(session, actor, mentee, row)


def _add(session: Session, actor: Actor, mentee: Mentee, row: CompetenceDiagnosis) -> CompetenceDiagnosis:
    session.add(row)
    session.flush()
    record_audit(session, f"network.diagnosis_{row.kind}", actor=actor.person_id, obj=mentee,
                 organization=mentee.organization_id, details={"diagnosis_id": row.id})
    return row


def latest_diagnoses(session: Session, mentee_ids: list[int]) -> dict[int, CompetenceDiagnosis]:
    """The latest diagnosis of each of ``mentee_ids`` that has one, in one statement."""
    found: dict[int, CompetenceDiagnosis] = {}
    for diagnosis in session.scalars(select(CompetenceDiagnosis).where(CompetenceDiagnosis.mentee_id.in_(mentee_ids))
                                     .order_by(CompetenceDiagnosis.recorded_at, CompetenceDiagnosis.id)):
        found[diagnosis.mentee_id] = diagnosis  # the later replaces the earlier
    return found


def latest_diagnosis(session: Session, mentee_id: int) -> CompetenceDiagnosis | None:
    return session.scalar(select(CompetenceDiagnosis).where(CompetenceDiagnosis.mentee_id == mentee_id)
                          .order_by(CompetenceDiagnosis.recorded_at.desc(), CompetenceDiagnosis.id.desc()).limit(1))
