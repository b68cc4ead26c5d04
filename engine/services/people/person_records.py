"""A new person's record and login — shared by the administrator's form, the staff import, the API and the
first start (callers check who may do it; the caller commits)."""
from __future__ import annotations

import re
from collections.abc import Mapping
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


def free_login(session: Session, base: str) -> str:
    """``base``, or ``base2``, ``base3``… — the first login nobody has."""
    taken = set(session.scalars(select(Person.login).where(
        (Person.login == base) | Person.login.like(base.replace("_", "\\_") + "%", escape="\\"))))
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def check_login(session: Session, login: str) -> str:
    login = login.strip().lower()
    if not LOGIN.match(login):
        raise ConflictError(f"логин «{login}» недопустим: латинские строчные буквы, цифры, «.», «_», «-», "
                            "от 2 до 64 знаков", where="login")
    if session.scalar(select(func.count()).select_from(Person).where(Person.login == login)):
        raise ConflictError(f"логин «{login}» уже занят", where="login")
    return login


def create_person(session: Session, organization: Organization, fields: tuple[PersonField, ...],
                  values: Mapping[str, Any], *, actor: Actor, login: str | None = None) -> Person:
    """A new active person working in ``organization`` with the parsed ``values``; without a login one is
    made from the e-mail or the name. No password: the person sets it by an invitation link."""
    chosen = check_login(session, login) if login else free_login(session, login_base(values))
    person = Person(login=chosen, full_name=str(values["full_name"]), organization_id=organization.id,
                    is_active=True)
    session.add(person)
    session.flush()
    record_audit(session, "person.created", actor=actor.person_id, object_type="person", object_id=person.id,
                 organization=organization.id, details={"login": chosen})
    apply_values(session, person, fields, values, actor=actor)
    return person
