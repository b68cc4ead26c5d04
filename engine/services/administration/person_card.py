"""One person as the administrator sees them: the fields of their organization with the current values (as the
form shows them and as people read them), the roles they hold, the latest account link, and the history of
changes to their record — who, when, old → new. Showing the card is logged (152-ФЗ)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from engine.db.models import AuditEntry, Organization, Person, log_access
from engine.services.administration import account_links
from engine.services.administration.people import administered_list, administered_person, role_rows
from engine.services.people.actor import Actor
from engine.services.people.person_fields import PersonField, current_value, form_text, person_fields, shown

CARD_FIELDS = ["full_name", "position", "email", "phone", "personnel_number", "organization", "roles", "rule_facts",
               "history"]
PURPOSE_WORDS = {"invitation": "Выдана ссылка-приглашение для первого пароля",
                 "password_reset": "Пароль сброшен, выдана ссылка для нового пароля"}
ACTIONS = {
    "person.created": "Человек добавлен",
    "person.changed": "Изменены сведения",
    "person.moved": "Переведён(а) в другую организацию",
    "person.deactivated": "Доступ закрыт (деактивирован(а))",
    "person.reactivated": "Доступ восстановлен",
    "account_link.used": "Пароль задан по ссылке",
}


@dataclass(frozen=True)
class FieldValue:
    field: PersonField
    text: str  # what the form's input holds
    shown: str  # as people read it: «6 лет», «региональный», «да», «—»


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    text: str
    actor: str
    changes: list[ChangeLine]


@dataclass
class PersonCard:
    person: Person
    organization: Organization | None
    values: list[FieldValue]
    roles: list[dict]
    history: list[HistoryLine]
    link: account_links.LinkState | None
    organizations: list[Organization]  # where the administrator may move the person



def field_values(person: Person | None, fields: tuple[PersonField, ...]) -> list[FieldValue]:
    found = []
    for item in fields:
        value = current_value(person, item.name) if person is not None else None
        found.append(FieldValue(item, form_text(item, value), shown(item, value)))
    return found


def _line(entry: AuditEntry) -> HistoryLine:
    details = entry.details or {}
    if entry.action == "account_link.issued":
        text = PURPOSE_WORDS.get(str(details.get("purpose")), "Выдана ссылка для входа")
    else:
        text = ACTIONS.get(entry.action, "Изменена запись о человеке")
    changes = [ChangeLine(str(c.get("label") or c.get("field")), str(c.get("old")), str(c.get("new")))
               for c in details.get("changes") or [] if isinstance(c, dict)]
    actor = entry.actor.full_name if entry.actor is not None else "Система"
    return HistoryLine(entry.at, text, actor, changes)


def history(session: Session, person_id: int) -> list[HistoryLine]:
    """The audit trail of the person's record, newest first."""
    entries = session.scalars(select(AuditEntry).where(AuditEntry.object_type == "person",
                                                       AuditEntry.object_id == str(person_id))
                              .options(joinedload(AuditEntry.actor))
                              .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    return [_line(entry) for entry in entries if entry.action not in ("auth.login", "auth.logout")]


def person_card(session: Session, actor: Actor, person_id: int) -> PersonCard:
    person = administered_person(session, actor, person_id, action="карточка человека")
    fields = person_fields(person.organization) if person.organization is not None else ()
    if person.id != actor.person_id:
        log_access(session, person, "карточка человека (администрирование)", viewer=actor.person_id,
                   fields=CARD_FIELDS)
        session.flush()
    return PersonCard(person, person.organization, field_values(person, fields), role_rows(person),
                      history(session, person.id), account_links.latest_link(session, person.id),
                      administered_list(session, actor))
