"""Anonymization of a deactivated person on request (152-ФЗ, ст. 21): the person's identifying data go, the ids
stay, so every record they took part in stays whole.

What changes, in the person's row: the full name becomes «Обезличенный участник №<id>», the login
``anonymized-<id>``; the e-mail, phone, personnel number, birth date, position and every fact the rule files read
(columns and ``extra_facts``) are cleared; no password; ``anonymized_at`` is set. Their API tokens and one-time
account links are revoked, their sessions end; their notifications and delivery choices are deleted, their e-mails
cleared, their calendar address stopped, and their name replaced in other people's notifications
(``notifications.forgetting``). Where a process's stored data carries the full name (a mentor
appointment keeps the candidate's name for the order), it is replaced by the new one, the state unpacked and packed
again (``process.instance_state``), so the process still loads.

What does not change, on purpose:
- signed orders keep their text, number, signer and SHA-256 (the name they were signed with): a signed order is a
  legal document, immutable in the database, and chained (``nastavnik verify`` still passes);
- the audit trail and the access log are append-only and chained: their rows stay as written. An entry's
  ``details`` may hold old → new values of the person's fields (``person.changed``: a name, an e-mail, a phone);
  rewriting it would break the chain that proves the journal untouched, so it is kept — the journal is the
  operator's record of what was done with the data, kept for its legal term. The anonymization's own entry holds
  the reason, never the old name;
- the rule decisions keep the facts they were made on (they explain a decision taken), consents their text, a
  process's data the facts it was started with; an order not yet signed keeps its draft text.
"""
from __future__ import annotations

import json

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from engine.db.models import RULE_FACT_FIELDS, AccountLink, ApiToken, Person, WorkflowInstance, record_audit
from engine.db.types import utcnow
from engine.errors import ConflictError, NastavnikError
from engine.services.administration.personal_data_access import person_or_404, require_person_administrator
from engine.services.notifications.forgetting import forget_person
from engine.services.people.accounts import end_sessions
from engine.services.people.actor import Actor
from engine.services.process.instance_state import pack_state, unpack_state

ANONYMOUS_NAME = "Обезличенный участник №{id}"
ANONYMOUS_LOGIN = "anonymized-{id}"
CLEARED = ("email", "phone", "personnel_number", "birth_date", "position", "extra_facts", "password_hash",
           *RULE_FACT_FIELDS)
MAX_REASON = 1000


def _same_name(typed: str, full_name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(full_name.split()).casefold()


def _scrub_processes(session: Session, old: str, new: str) -> list[int]:
    """Replace the name ``old`` by ``new`` in the stored data of every process that holds it; their ids."""
    if not old.strip():
        return []
    variants = [(old, new), (json.dumps(old)[1:-1], json.dumps(new)[1:-1])]  # as written, and \\u-escaped
    variants = list(dict.fromkeys(variants))
    found = session.scalars(select(WorkflowInstance).where(or_(*(WorkflowInstance.state.contains(text, autoescape=True)
                                                                 for text, _new in variants)))
                            .order_by(WorkflowInstance.id)).all()
    for instance in found:
        whole = unpack_state(instance.state, instance.definition)
        for text, replacement in variants:
            whole = whole.replace(text, replacement)
        instance.state = pack_state(whole, instance.definition)
    return [instance.id for instance in found]


def anonymize_person(session: Session, actor: Actor, person_id: int, reason: str, *,
                     confirmation: str | None = None) -> Person:
    """Anonymize a deactivated person (module docstring). ``confirmation``, when given (the page, the API), must be
    the person's full name as it is now. Irreversible; the caller commits. Returns the person as anonymized."""
    person = person_or_404(session, person_id)
    require_person_administrator(session, actor, person, action="обезличивание персональных данных")
    if person.anonymized_at is not None:
        raise ConflictError(f"данные человека № {person.id} уже обезличены")
    if person.is_active:
        raise ConflictError(f"{person.full_name} ещё может входить в систему: сначала отключите учётную запись, "
                            "затем обезличивайте данные")
    cleaned = " ".join(str(reason or "").split())
    if not cleaned:
        raise NastavnikError("укажите основание обезличивания (например, заявление субъекта персональных данных)",
                             where="reason")
    if len(cleaned) > MAX_REASON:
        raise NastavnikError(f"основание обезличивания: не длиннее {MAX_REASON} символов", where="reason")
    if confirmation is not None and not _same_name(confirmation, person.full_name):
        raise NastavnikError(f"для подтверждения введите ФИО человека точно как в записи: «{person.full_name}»",
                             where="confirmation")
    now = utcnow()
    scrubbed = _scrub_processes(session, person.full_name, ANONYMOUS_NAME.format(id=person.id))
    forget_person(session, person.id, person.full_name, ANONYMOUS_NAME.format(id=person.id), now)
    for name in CLEARED:
        setattr(person, name, None)
    person.full_name = ANONYMOUS_NAME.format(id=person.id)
    person.login = ANONYMOUS_LOGIN.format(id=person.id)
    person.anonymized_at = now
    session.execute(update(ApiToken).where(ApiToken.person_id == person.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=now))
    session.execute(update(AccountLink).where(AccountLink.person_id == person.id, AccountLink.revoked_at.is_(None),
                                              AccountLink.used_at.is_(None))
                    .values(revoked_at=now))
    session.flush()
    end_sessions(session, person)
    record_audit(session, "person.anonymized", actor=actor.person_id, object_type="person", object_id=person.id,
                 organization=person.organization_id, details={"reason": cleaned, "processes": scrubbed})
    session.flush()
    return person
