"""A new person's record and login — shared by the administrator's form, the staff import, the API and the
first start (callers check who may do it; the caller commits)."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.db.models import Organization, Person, record_audit
from engine.errors import ConflictError
from engine.services.people.actor import Actor
from engine.services.people.person_fields import PersonField, apply_values

_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                  ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                   "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))
LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def transliterated(text: str) -> str:
    return "".join(_LATIN.get(char, char) for char in text.lower())


def login_base(values: Mapping[str, Any]) -> str:
    """A login proposed from the e-mail's name, else from the surname and initials (Смирнова Елена →
    «smirnova.e»)."""
    email = values.get("email") or ""
    if email:
        base = email.split("@", 1)[0].lower()
    else:
        parts = str(values.get("full_name") or "").split()
        base = transliterated(parts[0] if parts else "user")
        if len(parts) > 1:
            base += "." + "".join(transliterated(p[0]) for p in parts[1:3])
    base = re.sub(r"[^a-z0-9._-]", "", base).strip("._-")[:48]
    return base if len(base) >= 2 else "user"


def next_free(base: str, taken: set[str]) -> str:
    """``base``, or ``base2``, ``base3``… — the first login not in ``taken``."""
    login, number = base, 2
    while login in taken:
        login, number = f"{base}{number}", number + 1
    return login


def free_login(session: Session, base: str) -> str:
    """``base``, or ``base2``, ``base3``… — the first login nobody has."""
    return next_free(base, set(session.scalars(select(Person.login).where(
        (Person.login == base) | Person.login.like(base.replace("_", "\\_") + "%", escape="\\")))))


def free_logins(session: Session, bases: Sequence[str]) -> list[str]:
    """A free login for each base, as ``free_login`` chooses it, and none chosen twice: from one query of the
    logins taken (a staff import of thousands) instead of one a person."""
    if len(bases) == 1:
        return [free_login(session, bases[0])]
    taken = set(session.scalars(select(Person.login)))
    chosen = []
    for base in bases:
        login = next_free(base, taken)
        taken.add(login)
        chosen.append(login)
    return chosen


def check_login(session: Session, login: str) -> str:
    login = login.strip().lower()
    if not LOGIN.match(login):
        raise ConflictError(f"логин «{login}» недопустим: латинские строчные буквы, цифры, «.», «_», «-», "
                            "от 2 до 64 знаков", where="login")
    if session.scalar(select(func.count()).select_from(Person).where(Person.login == login)):
        raise ConflictError(f"логин «{login}» уже занят", where="login")
    return login


@dataclass(frozen=True)
class NewPerson:
    """One person to create: where they work, the fields of that organization, the parsed values, and the login
    when one was chosen (checked by ``check_login``); without it one is made from the e-mail or the name."""

    organization_id: int
    fields: tuple[PersonField, ...]
    values: Mapping[str, Any]
    login: str | None = None


def create_people(session: Session, new: Sequence[NewPerson], *, actor: Actor) -> list[Person]:
    """New active people (no password: each sets it by an invitation link), flushed together: a free login each,
    «person.created», then their values through ``apply_values`` with «person.changed»."""
    made = iter(free_logins(session, [login_base(item.values) for item in new if not item.login]))
    people = [Person(login=item.login or next(made), full_name=str(item.values["full_name"]),
                     organization_id=item.organization_id, is_active=True) for item in new]
    session.add_all(people)
    session.flush()
    for item, person in zip(new, people, strict=True):
        record_audit(session, "person.created", actor=actor.person_id, object_type="person", object_id=person.id,
                     organization=person.organization_id, details={"login": person.login})
        apply_values(session, person, item.fields, item.values, actor=actor, flush=len(new) == 1)
    return people


def create_person(session: Session, organization: Organization, fields: tuple[PersonField, ...],
                  values: Mapping[str, Any], *, actor: Actor, login: str | None = None) -> Person:
    """A new active person working in ``organization`` with the parsed ``values`` (``create_people``); a given
    login is checked first."""
    chosen = check_login(session, login) if login else None
    return create_people(session, [NewPerson(organization.id, fields, values, chosen)], actor=actor)[0]
