"""The review of the base of mentors and mentees (001 §4.2: «сбор и работа с базой наставников и
наставляемых»; 001 §2.2: «обеспечение формирования баз данных наставников и наставляемых»). How often the
base is reviewed 001 does not say: the school reviews it yearly (the pack's report_calendar, task base_review).

The base on a day: every mentor appointment in force or whose term ended within the past year, every mentee
entry waiting for a pair or in a program. The curator confirms or updates EACH entry — a mentee's category
(checked again by the pack's mentee rule, 001 §1.1), a waiting mentee leaving the base («выбыл(а)»), a note —
and every entry's outcome is audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from engine.db.models import Mentee, MentorAppointment, Person, record_audit
from engine.db.models.mentorship import APPOINTMENT_LIFECYCLE, MENTEE_LIFECYCLE, AppointmentStatus, MenteeStatus
from engine.errors import NastavnikError, NotFound
from engine.regulations import RegulationPack
from engine.services.mentorship.mentee_registry import mentee_eligibility
from engine.services.people.actor import Actor

REVIEW_WINDOW_DAYS = 366  # a mentor whose term ended within the past year is still in the base reviewed
ACTIONS = {"confirm": "base_review.confirmed", "update": "base_review.updated"}  # action -> audit entry
DECISION_KEYS = {"entry", "action", "category", "withdraw", "note"}
NOTE_MAX = 2000


@dataclass
class BaseEntry:
    key: str  # "mentor:<appointment id>" | "mentee:<mentee entry id>"
    person: Person
    appointment: MentorAppointment | None = None
    mentee: Mentee | None = None

    @property
    def kind(self) -> str:
        return "mentor" if self.appointment is not None else "mentee"

    @property
    def state(self) -> str:
        if self.appointment is not None:
            return f"{APPOINTMENT_LIFECYCLE.label(self.appointment.status)}, срок по {self.appointment.ends_on:%d.%m.%Y}"
        assert self.mentee is not None
        return MENTEE_LIFECYCLE.label(self.mentee.status)


def base_entries(session: Session, organization_id: int, on: date) -> list[BaseEntry]:
    """The base of mentors and mentees of the organization on day ``on``, mentors first, by name."""
    since = on - timedelta(days=REVIEW_WINDOW_DAYS)
    appointments = session.scalars(select(MentorAppointment).where(
        MentorAppointment.organization_id == organization_id, MentorAppointment.ends_on >= since,
        MentorAppointment.starts_on <= on,
        MentorAppointment.status.in_([AppointmentStatus.ACTIVE.value, AppointmentStatus.RELEASED.value]))
        .options(joinedload(MentorAppointment.person)))
    mentees = session.scalars(select(Mentee).where(
        Mentee.organization_id == organization_id,
        Mentee.status.in_([MenteeStatus.WAITING.value, MenteeStatus.IN_PROGRAM.value]))
        .options(joinedload(Mentee.person)))
    mentors = [BaseEntry(f"mentor:{a.id}", a.person, appointment=a) for a in appointments]
    entries = [BaseEntry(f"mentee:{m.id}", m.person, mentee=m) for m in mentees]
    return (sorted(mentors, key=lambda e: (e.person.full_name, e.key))
            + sorted(entries, key=lambda e: (e.person.full_name, e.key)))


def _decisions(entries: dict[str, BaseEntry], decisions: list[Any]) -> list[tuple[int, BaseEntry, dict]]:
    """Each decision checked (its keys, entry, action); every entry of the base decided exactly once."""
    seen: dict[str, int] = {}
    found = []
    for index, decision in enumerate(decisions):
        where = f"entries[{index}]"
        if not isinstance(decision, dict):
            raise NastavnikError("ожидается объект: entry, action, category, withdraw, note", where=where)
        unknown = sorted(set(decision) - DECISION_KEYS)
        if unknown:
            raise NastavnikError(f"неизвестное поле «{unknown[0]}»", where=f"{where}.{unknown[0]}")
        key = str(decision.get("entry") or "")
        if key not in entries:
            raise NastavnikError(f"записи «{key}» нет в базе наставников и наставляемых организации",
                                 where=f"{where}.entry")
        if key in seen:
            raise NastavnikError(f"запись «{key}» ({entries[key].person.full_name}) указана дважды",
                                 where=f"{where}.entry")
        if decision.get("action") not in ACTIONS:
            raise NastavnikError("действие — confirm (подтвердить) или update (исправить)", where=f"{where}.action")
        note = decision.get("note")
        if note is not None and (not isinstance(note, str) or len(note) > NOTE_MAX):
            raise NastavnikError(f"примечание — строка не длиннее {NOTE_MAX} знаков", where=f"{where}.note")
        seen[key] = index
        found.append((index, entries[key], decision))
    missing = [e for key, e in entries.items() if key not in seen]
    if missing:
        names = "; ".join(f"{e.person.full_name} ({'наставник' if e.kind == 'mentor' else 'наставляемый'})"
                          for e in missing)
        raise NastavnikError(f"не рассмотрены записи базы: {names} — каждую запись нужно подтвердить или "
                             "исправить (001 §4.2)", where="entries")
    return found


def _update_mentee(session: Session, actor: Actor, regulation: RegulationPack, entry: BaseEntry, decision: dict,
                   where: str, on: date) -> dict:
    mentee = entry.mentee
    assert mentee is not None
    changes: dict[str, Any] = {}
    category = decision.get("category")
    if category not in (None, "", mentee.category):
        try:
            new = regulation.category(str(category)).id
        except NotFound as error:
            raise NastavnikError(error.message, where=f"{where}.category") from None
        mentee_eligibility(session, actor, regulation, entry.person, new, on)  # 001 §1.1, checked again
        changes["category"] = [mentee.category, new]
        mentee.category = new
    if decision.get("withdraw") is True:
        if mentee.status != MenteeStatus.WAITING:
            raise NastavnikError(f"{entry.person.full_name}: выбыть из базы может только наставляемый, который ждёт "
                                 "пары; программа наставляемого завершается своим порядком", where=f"{where}.withdraw")
        changes["status"] = [mentee.status, MenteeStatus.WITHDRAWN.value]
        mentee.status = MenteeStatus.WITHDRAWN.value
    return changes


def apply_review(session: Session, actor: Actor, organization_id: int, regulation: RegulationPack,
                 decisions: list[Any], on: date) -> dict:
    """Confirm or update each entry of the base (``decisions``: one per entry), audited entry by entry; the
    outcome as the review report's body."""
    entries = {e.key: e for e in base_entries(session, organization_id, on)}
    reviewed = []
    for index, entry, decision in _decisions(entries, decisions):
        where, note = f"entries[{index}]", str(decision.get("note") or "").strip()
        changes: dict[str, Any] = {}
        if decision["action"] == "update":
            if entry.kind == "mentee":
                changes = _update_mentee(session, actor, regulation, entry, decision, where, on)
            if not changes and not note:
                raise NastavnikError(f"{entry.person.full_name}: укажите, что исправлено (категория, выбытие или "
                                     "примечание); срок наставника и освобождение оформляются приказом",
                                     where=f"{where}.note")
        subject = entry.appointment if entry.appointment is not None else entry.mentee
        record_audit(session, ACTIONS[decision["action"]],
                     actor=actor.person_id, obj=subject, organization=organization_id,
                     details={"entry": entry.key, "on": on.isoformat(), "changes": changes, "note": note or None})
        reviewed.append({"entry": entry.key, "kind": entry.kind, "person_id": entry.person.id,
                         "full_name": entry.person.full_name, "action": decision["action"], "changes": changes,
                         "note": note or None})
    session.flush()
    return {"on": on.isoformat(), "entries": reviewed,
            "confirmed": sum(1 for r in reviewed if r["action"] == "confirm"),
            "updated": sum(1 for r in reviewed if r["action"] == "update")}
