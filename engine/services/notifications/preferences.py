"""Each person's choice of e-mail per kind of notification: at once, in the daily digest, or none.

    email_choice(session, person_id, kind) -> EmailChoice        # the row, or the kind's default
    choices(session, person_id) -> dict[str, EmailChoice]       # every kind
    set_choices(session, actor, person_id, {kind: choice})      # a person's own (audited)
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import EmailChoice, NotificationPreference, record_audit
from engine.db.step_scope import current_scope
from engine.errors import NastavnikError, PermissionDenied
from engine.services.notifications.kinds import KINDS, kind_of
from engine.services.people.actor import Actor


def email_choice(session: Session, person_id: int, kind: str) -> EmailChoice:
    """The person's choice for ``kind``; within a step of an instance, the person's choices are read once for the
    step (``engine.db.step_scope``: a step often tells the same person twice)."""
    scope = current_scope(session)
    if scope is None:
        row = session.scalar(select(NotificationPreference.email).where(
            NotificationPreference.person_id == person_id, NotificationPreference.kind == kind))
    else:
        stored = scope.memo.get(("email_choices", person_id))
        if stored is None:
            stored = scope.memo[("email_choices", person_id)] = dict(session.execute(
                select(NotificationPreference.kind, NotificationPreference.email)
                .where(NotificationPreference.person_id == person_id)).all())
        row = stored.get(kind)
    return EmailChoice(row) if row is not None else kind_of(kind).default_email


def choices(session: Session, person_id: int) -> dict[str, EmailChoice]:
    stored = {kind: email for kind, email in session.execute(
        select(NotificationPreference.kind, NotificationPreference.email)
        .where(NotificationPreference.person_id == person_id)).all()}
    return {code: EmailChoice(stored[code]) if code in stored else kind.default_email for code, kind in KINDS.items()}


def set_choices(session: Session, actor: Actor, person_id: int, wanted: dict[str, str]) -> dict[str, EmailChoice]:
    """A person sets their own choices (``{kind: immediate|digest|none}``); unknown kinds or values are refused
    by name. Returns every kind's choice afterwards; the caller commits."""
    if actor.person_id != person_id:
        raise PermissionDenied("способ доставки уведомлений выбирает сам человек")
    for code, value in wanted.items():
        if code not in KINDS:
            raise NastavnikError(f"нет такого вида уведомлений: «{code}»", where=code)
        if value not in {choice.value for choice in EmailChoice}:
            raise NastavnikError(f"«{KINDS[code].label}»: выберите «сразу», «раз в день» или «не присылать»",
                                 where=code)
    before = choices(session, person_id)
    rows = {row.kind: row for row in session.scalars(select(NotificationPreference)
                                                      .where(NotificationPreference.person_id == person_id))}
    changed = {}
    for code, value in wanted.items():
        if before[code].value == value:
            continue
        if code in rows:
            rows[code].email = value
        else:
            session.add(NotificationPreference(person_id=person_id, kind=code, email=value))
        changed[code] = [before[code].value, value]
    if changed:
        record_audit(session, "notifications.preferences_changed", actor=actor.person_id, object_type="person",
                     object_id=person_id, details={"changed": changed})
    session.flush()
    return choices(session, person_id)
